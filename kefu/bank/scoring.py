"""Scoring one response to one question. The page's practice feedback
(``quiz.js``) implements the same rules; a browser test checks they agree.

Each question's rules are compiled once into a small function (``scorer``), so the
grader can score millions of responses quickly. A scorer returns the marks earned,
0 for no answer, or None when the response has the wrong shape for the question.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kefu.bank.model import Bank, Question
from kefu.rules import normalize_fill

Scorer = Callable[[Any], float | None]


def _share(points: float, hits: int, total: int) -> float:
    return round(points * hits / total, 4)


def _compile(q: Question, rule: str) -> Scorer:
    pts = q.points
    if q.type == "single":
        key, options = q.answer, q.options

        def single(r: Any) -> float | None:
            if r == key:
                return pts
            return 0.0 if r is None or (isinstance(r, str) and r in options) else None

        return single
    if q.type == "truefalse":
        key = q.answer

        def truefalse(r: Any) -> float | None:
            if r is None:
                return 0.0
            return (pts if r == key else 0.0) if isinstance(r, bool) else None

        return truefalse
    if q.type == "multiple":
        correct, options, partial = frozenset(q.answer), q.options, rule == "partial"

        def multiple(r: Any) -> float | None:
            if r is None:
                return 0.0
            if not isinstance(r, list) or not all(isinstance(x, str) and x in options for x in r):
                return None
            chosen = set(r)
            if partial:  # each correct option earns its share; any wrong option voids the question
                return 0.0 if chosen - correct else _share(pts, len(chosen), len(correct))
            return pts if chosen == correct else 0.0

        return multiple
    if q.type == "fill":
        accepted = frozenset(normalize_fill(a) for a in q.answer)

        def fill(r: Any) -> float | None:
            if r is None:
                return 0.0
            return (pts if normalize_fill(r) in accepted else 0.0) if isinstance(r, str) else None

        return fill
    if q.type == "order":
        key, items, partial = list(q.answer), sorted(q.items), q.partial

        def order(r: Any) -> float | None:
            if r is None:
                return 0.0
            if not isinstance(r, list) or sorted(map(str, r)) != items:
                return None
            hits = sum(a == b for a, b in zip(r, key, strict=True))
            return _share(pts, hits, len(key)) if partial else (pts if hits == len(key) else 0.0)

        return order
    if q.type == "match":
        pairs, left, right, partial = dict(q.answer), q.left, q.right, q.partial

        def match(r: Any) -> float | None:
            if r is None:
                return 0.0
            if not isinstance(r, dict) or not all(k in left and v in right for k, v in r.items()):
                return None
            hits = sum(r.get(k) == v for k, v in pairs.items())
            return _share(pts, hits, len(pairs)) if partial else (pts if hits == len(pairs) else 0.0)

        return match
    raise ValueError(f"unknown question type {q.type}")


def scorer(question: Question, rule: str = "all_or_nothing") -> Scorer:
    """The compiled scorer of a question, cached on the question.

    Whatever a (possibly hand-edited) file holds, the scorer returns None for a response of the
    wrong shape instead of raising (a list where a mapping belongs, nested data …).
    """
    cache = question.__dict__.setdefault("_scorers", {})
    if rule not in cache:
        compiled = _compile(question, rule)

        def safe(response: Any) -> float | None:
            try:
                return compiled(response)
            except (TypeError, ValueError, AttributeError):
                return None

        cache[rule] = safe
    return cache[rule]


_EXPECTED: dict[str, Callable[[Question], str]] = {
    "single": lambda q: f"单选题答案应为 {'/'.join(q.options)} 之一",
    "multiple": lambda q: f"多选题答案应为选项列表，选项：{'/'.join(q.options)}",
    "truefalse": lambda q: "判断题答案应为 true 或 false",
    "fill": lambda q: "填空题答案应为文字",
    "order": lambda q: "排序题答案应把每一项各列一次",
    "match": lambda q: "配对题答案应为 {左项: 右项} 的映射",
}


def shape_error(question: Question, response: Any) -> str | None:
    """Why ``response`` cannot be an answer to ``question``, or None if it can (or is empty)."""
    return None if scorer(question)(response) is not None else _EXPECTED[question.type](question)


def score_question(question: Question, response: Any, rule: str = "all_or_nothing") -> float:
    """Marks earned (0 … points). ``rule`` applies to ``multiple`` questions only.

    A missing or malformed response earns 0; call :func:`shape_error` to tell why.
    """
    return scorer(question, rule)(response) or 0.0


def score_answers(bank: Bank, question_ids: list[str], answers: dict[str, Any],
                  rule_override: str | None = None) -> dict[str, float]:
    """Marks per shown question."""
    marks = {}
    for qid in question_ids:
        q = bank.question(qid)
        if q is not None:
            marks[qid] = score_question(q, answers.get(qid), bank.scoring_for(q, rule_override))
    return marks
