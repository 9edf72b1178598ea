"""Question banks: the model (``quizzes/<bank-id>.yml``); the format is in :mod:`kefu.bank.format`.

The site, ``scripts/check_banks.py`` and ``scripts/grade.py`` all load banks through
:mod:`kefu.bank.load`, so a question id, a key or a bank version never means two things.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 1
QUESTION_TYPES = ("single", "multiple", "truefalse", "fill", "order", "match")
MODES = ("practice", "exam")
TYPE_NAMES = {
    "single": "单选题", "multiple": "多选题", "truefalse": "判断题",
    "fill": "填空题", "order": "排序题", "match": "配对题",
}
MODE_NAMES = {"practice": "练习", "exam": "考试"}
SCORING_RULES = ("all_or_nothing", "partial")
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KEY_PATTERN = re.compile(r"^[a-z0-9_]+$")


Answer = str | bool | list[str] | dict[str, str]


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    stem: str
    answer: Answer
    explanation: str
    source: str
    points: float = 1.0
    tags: tuple[str, ...] = ()
    options: dict[str, str] = field(default_factory=dict)  # single, multiple
    items: dict[str, str] = field(default_factory=dict)  # order
    left: dict[str, str] = field(default_factory=dict)  # match
    right: dict[str, str] = field(default_factory=dict)  # match
    scoring: str | None = None  # multiple: overrides the bank's default
    partial: bool = False  # order, match: credit per correct position / pair
    process: str | None = None  # order: the process its items come from
    line: int = 0
    source_line: int = 0  # where its ``source`` is, for problems with the citation

    @cached_property
    def fingerprint(self) -> str:
        """Identifies what the learner saw (not the key): stable while the text is unchanged."""
        shown = {
            "id": self.id, "type": self.type, "stem": self.stem, "options": self.options,
            "items": self.items, "left": self.left, "right": self.right,
        }
        return _digest(shown, 10)


@dataclass(frozen=True)
class Bank:
    id: str
    title: str
    mode: str
    pass_mark: float
    questions: tuple[Question, ...]
    path: Path
    description: str = ""
    shuffle: bool = True
    draw: int | None = None
    scoring: str = "all_or_nothing"
    time_limit: int | None = None  # minutes, shown to the learner; not enforced

    @cached_property
    def version(self) -> str:
        """``bank_version`` of the export format: a hash of question ids and what they show.

        Answer keys are left out on purpose: exam pages carry this value, and a hash
        of a short key could be brute-forced back into the key.
        """
        return _digest([[q.id, q.fingerprint] for q in self.questions], 12)

    @property
    def max_points(self) -> float:
        return sum(q.points for q in self.questions)

    @property
    def shown_count(self) -> int:
        return self.draw or len(self.questions)

    def question(self, question_id: str) -> Question | None:
        return self.by_id.get(question_id)

    @cached_property
    def by_id(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions}

    @cached_property
    def ids(self) -> tuple[str, ...]:
        return tuple(q.id for q in self.questions)

    @cached_property
    def index(self) -> dict[str, int]:
        """Question id → its position in the bank (the column of its marks)."""
        return {q.id: i for i, q in enumerate(self.questions)}

    @cached_property
    def canonical_ids(self) -> dict[str, str]:
        """Each question id mapped to the bank's own string object (for sharing, not meaning)."""
        return {q.id: q.id for q in self.questions}

    def scoring_for(self, question: Question, override: str | None = None) -> str:
        """The rule for a ``multiple`` question: command line > question > bank."""
        return override or question.scoring or self.scoring


def _digest(value: Any, length: int) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]
