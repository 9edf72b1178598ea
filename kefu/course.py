"""The course's data, loaded once per build: roles, processes, banks and glossary under one root."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TypeVar

from kefu.assignments import Assignment, load_assignments
from kefu.banks import Bank, load_banks
from kefu.coverage import Coverage, course_citations, coverage, load_handbooks
from kefu.flows import Flow, Role, load_flows, load_roles
from kefu.glossary import Term, load_glossary
from kefu.problems import DataError

T = TypeVar("T")


class UnknownIdError(LookupError):
    """A page names a bank, process or role that does not exist."""


@dataclass
class Course:
    root: Path

    @cached_property
    def roles(self) -> dict[str, Role]:
        return load_roles(self.root / "roles")

    @cached_property
    def flows(self) -> dict[str, Flow]:
        return load_flows(self.root / "flows", self.roles)

    @cached_property
    def banks(self) -> dict[str, Bank]:
        return load_banks(self.root / "quizzes", flows=self.flows)

    @cached_property
    def assignments(self) -> dict[str, Assignment]:
        return load_assignments(self.root / "assignments", self.banks, self.roles)

    @cached_property
    def glossary(self) -> list[Term]:
        return load_glossary(self.root / "data" / "glossary.yml")

    def bank(self, bank_id: str) -> Bank:
        return _lookup(self.banks, bank_id, "quiz", "题库", "quizzes")

    def assignment(self, assignment_id: str) -> Assignment:
        return _lookup(self.assignments, assignment_id, "assignment", "培训任务", "assignments")

    def flow(self, flow_id: str) -> Flow:
        return _lookup(self.flows, flow_id, "process", "流程", "flows")

    def role(self, role_id: str) -> Role:
        role = _lookup(self.roles, role_id, "role", "岗位", "roles")
        if not role.has_page:
            raise UnknownIdError(f"role(\"{role_id}\")：{role.title} 是其他部门或人员（kind: other），没有岗位页")
        return role

    def quiz_page(self, bank_id: str) -> str:
        """Where a bank's quiz page lives, relative to docs/ (one page per bank, by convention)."""
        return f"quizzes/{bank_id}.md"

    def quiz_links(self, from_page: str) -> dict[str, str]:
        """Bank id → link to its quiz page, relative to the page ``from_page`` (under docs/)."""
        return {b: relative_link(self.quiz_page(b), from_page) for b in self.banks}

    @cached_property
    def module_pages(self) -> dict[str, str]:
        """Module name → its overview page under docs/, for modules written so far.

        A module's overview is ``docs/modules/<slug>/index.md``; its front-matter title is the
        module name that roles and processes use (``module:``, ``learning.topics``).
        """
        pages = {}
        for index in sorted((self.root / "docs" / "modules").glob("*/index.md")):
            match = re.search(r"^title:\s*(.+?)\s*$", index.read_text(encoding="utf-8"), re.MULTILINE)
            if match:
                pages[match.group(1)] = index.relative_to(self.root / "docs").as_posix()
        return pages

    @cached_property
    def coverage(self) -> Coverage:
        """Handbook chapters and what cites them; a chapter a handbook lacks is a DataError."""
        docs = self.root / "docs"
        routes = sorted({docs / r.route for r in self.roles.values() if r.route})  # 入职路线, 管理者路线
        pages = [*sorted((docs / "modules").glob("*/*.md")), *routes]
        cited = course_citations(docs, [p for p in pages if p.exists()], self.flows, self.roles, self.banks)
        result = coverage(load_handbooks(self.root / "data" / "handbooks.yml"), cited)
        if result.problems:
            raise DataError(result.problems, "出处")
        return result

    @property
    def quiz_titles(self) -> dict[str, str]:
        return {b.id: b.title for b in self.banks.values()}


def _lookup(items: dict[str, T], key: str, macro: str, what: str, folder: str) -> T:
    try:
        return items[key]
    except KeyError:
        known = "、".join(sorted(items)) or "（无）"
        raise UnknownIdError(
            f"{macro}(\"{key}\")：没有 id 为 “{key}” 的{what}（{folder}/{key}.yml）。现有：{known}"
        ) from None


def relative_link(target: str, from_page: str) -> str:
    """``target`` (a path under docs/) as a Markdown link relative to the page ``from_page``."""
    return posixpath.relpath(target, posixpath.dirname(from_page) or ".")
