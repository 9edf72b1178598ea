"""Scoring one response to one question. The page's practice feedback
(``quiz.js``) implements the same rules; a browser test checks they agree."""

from __future__ import annotations

import unicodedata
from typing import Any

from kefu.banks import Bank, Question


def normalize_fill(text: str) -> str:
    """Trim, full-width → half-width (NFKC), case-fold, collapse inner spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def shape_error(question: Question, response: Any) -> str | None:
    """Why ``response`` cannot be an answer to ``question``, or None if its shape is right."""
    t = question.type
    if t == "single":
        if not isinstance(response, str) or response not in question.options:
            return f"单选题答案应为 {'/'.join(question.options)} 之一"
    elif t == "multiple":
        if not isinstance(response, list) or not all(
            isinstance(r, str) and r in question.options for r in response
        ):
            return f"多选题答案应为选项列表，选项：{'/'.join(question.options)}"
    elif t == "truefalse":
        if not isinstance(response, bool):
            return "判断题答案应为 true 或 false"
    elif t == "fill":
        if not isinstance(response, str):
            return "填空题答案应为文字"
    elif t == "order":
        if not isinstance(response, list) or sorted(map(str, response)) != sorted(question.items):
            return "排序题答案应把每一项各列一次"
    elif t == "match":
        if not isinstance(response, dict) or not all(
            k in question.left and v in question.right for k, v in response.items()
        ):
            return "配对题答案应为 {左项: 右项} 的映射"
    return None


def score_question(question: Question, response: Any, rule: str = "all_or_nothing") -> float:
    """Marks earned (0 … points). ``rule`` applies to ``multiple`` questions only.

    A missing or malformed response earns 0; call :func:`shape_error` to tell why.
    """
    if response is None or shape_error(question, response):
        return 0.0
    return round(question.points * _fraction(question, response, rule), 4)


def _fraction(q: Question, response: Any, rule: str) -> float:
    key = q.answer
    if q.type in ("single", "truefalse"):
        return float(response == key)
    if q.type == "fill":
        return float(normalize_fill(response) in {normalize_fill(a) for a in key})
    if q.type == "multiple":
        chosen, correct = set(response), set(key)
        if rule == "partial":
            # each correct option earns its share; any wrong option voids the question
            return 0.0 if chosen - correct else len(chosen) / len(correct)
        return float(chosen == correct)
    if q.type == "order":
        hits = sum(a == b for a, b in zip(response, key, strict=True))
        return hits / len(key) if q.partial else float(hits == len(key))
    if q.type == "match":
        hits = sum(response.get(left) == right for left, right in key.items())
        return hits / len(key) if q.partial else float(hits == len(key))
    raise ValueError(f"unknown question type {q.type}")


def score_answers(bank: Bank, question_ids: list[str], answers: dict[str, Any],
                  rule_override: str | None = None) -> dict[str, float]:
    """Marks per shown question."""
    marks = {}
    for qid in question_ids:
        q = bank.question(qid)
        if q is not None:
            marks[qid] = score_question(q, answers.get(qid), bank.scoring_for(q, rule_override))
    return marks
