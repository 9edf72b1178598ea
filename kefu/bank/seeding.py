"""Seeded drawing and shuffling, identical to ``docs/assets/quiz/quiz.js``.

A learner sees the same questions in the same order after a reload, and the
grader can recompute which questions a learner should have been shown.
Algorithm: FNV-1a (32 bit) over the UTF-8 seed text, then mulberry32, then
Fisher–Yates from the last element down.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from kefu.rules import draw_seed

T = TypeVar("T")
_MASK = 0xFFFFFFFF


def fnv1a32(text: str) -> int:
    h = 0x811C9DC5
    for byte in text.encode("utf-8"):
        h ^= byte
        h = (h * 0x01000193) & _MASK
    return h


def _imul(a: int, b: int) -> int:
    return (a * b) & _MASK


def mulberry32(seed: int) -> Callable[[], float]:
    state = seed & _MASK

    def random() -> float:
        nonlocal state
        state = (state + 0x6D2B79F5) & _MASK
        t = state
        t = _imul(t ^ (t >> 15), t | 1)
        t ^= (t + _imul(t ^ (t >> 7), t | 61)) & _MASK
        return ((t ^ (t >> 14)) & _MASK) / 4294967296

    return random


def shuffled(items: Sequence[T], seed_text: str) -> list[T]:
    out = list(items)
    random = mulberry32(fnv1a32(seed_text))
    for i in range(len(out) - 1, 0, -1):
        j = int(random() * (i + 1))
        out[i], out[j] = out[j], out[i]
    return out


def drawn_question_ids(question_ids: Sequence[str], bank_id: str, learner_id: str,
                       draw: int | None, assignment: str | None = None) -> list[str]:
    """The questions a learner is shown (under an assignment, if any), in bank order."""
    if not draw or draw >= len(question_ids):
        return list(question_ids)
    chosen = set(shuffled(question_ids, draw_seed(bank_id, learner_id, assignment))[:draw])
    return [q for q in question_ids if q in chosen]
