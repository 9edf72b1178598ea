"""The course's data, loaded once per build: banks and glossary under one root."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from kefu.banks import Bank, load_banks
from kefu.glossary import Term, load_glossary


class UnknownQuizError(LookupError):
    pass


@dataclass
class Course:
    root: Path

    @cached_property
    def banks(self) -> dict[str, Bank]:
        return load_banks(self.root / "quizzes")

    @cached_property
    def glossary(self) -> list[Term]:
        return load_glossary(self.root / "data" / "glossary.yml")

    def bank(self, bank_id: str) -> Bank:
        try:
            return self.banks[bank_id]
        except KeyError:
            known = "、".join(sorted(self.banks)) or "（无）"
            raise UnknownQuizError(
                f"quiz(\"{bank_id}\")：没有 id 为 “{bank_id}” 的题库（quizzes/{bank_id}.yml）。"
                f"现有题库：{known}"
            ) from None

    def quiz_page(self, bank_id: str) -> str:
        """Where a bank's quiz page lives, relative to docs/ (one page per bank, by convention)."""
        return f"quizzes/{bank_id}.md"

    def quiz_links(self, from_page: str) -> dict[str, str]:
        """Bank id → link to its quiz page, relative to the page ``from_page`` (under docs/)."""
        base = posixpath.dirname(from_page)
        return {b: posixpath.relpath(self.quiz_page(b), base or ".") for b in self.banks}
