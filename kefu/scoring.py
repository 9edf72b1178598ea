"""Scoring one response to one question. The page's practice feedback
(``quiz.js``) implements the same rules; a browser test checks they agree."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

from kefu.banks import Bank, Question


def normalize_fill(text: str) -> str:
    """Trim, full-width → half-width (NFKC), case-fold, collapse inner spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _is_permutation(q: Question, r: Any) -> bool:
    return isinstance(r, list) and sorted(map(str, r)) == sorted(q.items)


def _is_pairing(q: Question, r: Any) -> bool:
    return isinstance(r, dict) and all(k in q.left and v in q.right for k, v in r.items())


# question type -> (is the response well formed?, what a well-formed response looks like)
_SHAPES: dict[str, tuple[Callable[[Question, Any], bool], Callable[[Question], str]]] = {
    "single": (lambda q, r: isinstance(r, str) and r in q.options,
               lambda q: f"单选题答案应为 {'/'.join(q.options)} 之一"),
    "multiple": (lambda q, r: isinstance(r, list) and all(isinstance(x, str) and x in q.options for x in r),
                 lambda q: f"多选题答案应为选项列表，选项：{'/'.join(q.options)}"),
    "truefalse": (lambda q, r: isinstance(r, bool), lambda q: "判断题答案应为 true 或 false"),
    "fill": (lambda q, r: isinstance(r, str), lambda q: "填空题答案应为文字"),
    "order": (_is_permutation, lambda q: "排序题答案应把每一项各列一次"),
    "match": (_is_pairing, lambda q: "配对题答案应为 {左项: 右项} 的映射"),
}


def shape_error(question: Question, response: Any) -> str | None:
    """Why ``response`` cannot be an answer to ``question``, or None if its shape is right."""
    well_formed, expected = _SHAPES[question.type]
    return None if well_formed(question, response) else expected(question)


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
