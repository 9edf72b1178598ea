"""The course's data, loaded once: roles, processes, banks, assignments, glossary and handbooks.

``Course.load(root)`` reads every data file under ``root`` in one pass and reports every problem
of every file together (:class:`kefu.problems.DataError`), so the site build, the check scripts
and the grader all see the same course and the same messages.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from kefu.bank import Bank, check_banks
from kefu.bank.load import exam_key_leaks
from kefu.company import EMPTY, Profile, check_profile, consistency_problems
from kefu.grading.assignments import Assignment, check_assignments
from kefu.org.flows import Flow, Role, check_flows, check_roles
from kefu.org.glossary import Term, check_glossary
from kefu.org.handbooks import Coverage, Library, check_handbooks, check_source, course_citations, coverage
from kefu.org.mockcall import Rubric, check_rubric
from kefu.org.modules import Module, check_modules
from kefu.problems import DataError, Problem

T = TypeVar("T")


class UnknownIdError(LookupError):
    """A page names a bank, process or role that does not exist."""


@dataclass
class Course:
    root: Path
    roles: dict[str, Role] = field(default_factory=dict)
    flows: dict[str, Flow] = field(default_factory=dict)
    banks: dict[str, Bank] = field(default_factory=dict)
    assignments: dict[str, Assignment] = field(default_factory=dict)
    glossary: list[Term] = field(default_factory=list)
    modules: list[Module] = field(default_factory=list)
    company: Profile = EMPTY
    library: Library = field(default_factory=Library)
    rubric: Rubric = field(default_factory=Rubric)  # the mock call's observers' rubric and scenarios
    coverage: Coverage | None = None
    problems: list[Problem] = field(default_factory=list)

    @classmethod
    def check(cls, root: Path) -> Course:
        """Everything valid under ``root``, with every problem found in ``problems``."""
        course = cls(root)
        add = course.problems.extend
        data = root / "data"
        course.company, found = check_profile(data / "company.yml")
        add(found)
        expand = course.company.expand
        if (data / "handbooks.yml").exists():
            course.library, found = check_handbooks(data / "handbooks.yml")
            add(found)
        course.modules, found = check_modules(root / "docs")
        add(found)
        names = [m.name for m in course.modules] if (root / "docs" / "modules").is_dir() else None
        course.roles, found = check_roles(root / "roles", modules=names, kpis=course.company.kpis, expand=expand)
        add(found)
        course.flows, found = check_flows(root / "flows", course.roles, modules=names, expand=expand)
        add(found)
        course.banks, found = check_banks(root / "quizzes", flows=course.flows, expand=expand,
                                          pass_marks=course.company.pass_marks)
        add(found)
        add(exam_key_leaks(course.banks))
        course.assignments, found = check_assignments(root / "assignments", course.banks, course.roles,
                                                      expand=expand, hand_in=course.company.hand_in if
                                                      course.company is not EMPTY else "",
                                                      routes={r.id: r for r in course.company.routes})
        add(found)
        course.rubric, found = check_rubric(data / "mock-call.yml", expand=expand)
        add(found)
        course.glossary, found = check_glossary(data / "glossary.yml", expand=expand)
        add(found)
        add(course._glossary_kpis())
        add(course._glossary_pages())
        add(course._module_quizzes())
        add(course._routes())
        add(course._sources())
        course.coverage = course._coverage()
        add(course.coverage.problems)
        if course.company is not EMPTY:
            add(consistency_problems(course._text_files(), course.company))
        return course

    @classmethod
    def load(cls, root: Path) -> Course:
        """The course under ``root``; raises :class:`DataError` listing every problem."""
        course = cls.check(root)
        if course.problems:
            raise DataError(course.problems, "课程数据")
        return course

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

    @property
    def module_pages(self) -> dict[str, str]:
        """Module name → its overview page under docs/."""
        return {m.name: m.overview for m in self.modules}

    def module(self, name: str) -> Module | None:
        return next((m for m in self.modules if m.name == name), None)

    def _module_quizzes(self) -> list[Problem]:
        return [Problem(str(self.root / "docs" / m.overview), 2, m.slug, f"module.quizzes 中的 “{q}” 不是题库 id")
                for m in self.modules for q in m.quizzes if q not in self.banks]

    def _routes(self) -> list[Problem]:
        """Each route names modules, quizzes, processes and a page that exist; roles point at route pages."""
        path = str(self.root / "data" / "company.yml")
        found = []
        modules = {m.name for m in self.modules}
        for route in self.company.routes:
            def add(message: str, route_id: str = route.id) -> None:
                found.append(Problem(path, 1, f"routes.{route_id}", message))

            if not (self.root / "docs" / route.page).exists():
                add(f"路线页 docs/{route.page} 不存在")
            for week in route.weeks:
                where = f"第 {week.number} 周"
                add_all = [(m, modules, "模块") for m in week.modules] + [(q, self.banks, "题库") for q in week.quizzes]
                add_all += [(f, self.flows, "流程") for f in week.follow]
                for name, known, what in add_all:
                    if name not in known:
                        add(f"{where}的{what} “{name}” 不存在")
            milestone = next((w.number for w in route.weeks if w.milestone), None)
            week_setting = self.company.root.get("onboarding", {}).get("mock_call_week")
            if milestone and week_setting and milestone != week_setting.value:
                add(f"上岗考核写在第 {milestone} 周，但 onboarding.mock_call_week 是 {week_setting.value}：两处要一致")
        pages = {r.page for r in self.company.routes}
        for role in self.roles.values():
            if role.route and pages and role.route not in pages:
                found.append(Problem(str(self.root / "roles" / f"{role.id}.yml"), 1, role.id,
                                     f"learning.route “{role.route}” 不是 data/company.yml 中任何路线的 page"))
        return found

    def _glossary_kpis(self) -> list[Problem]:
        known = self.company.root.get("kpis", {})
        return [Problem(str(self.root / "data" / "glossary.yml"), 1, t.term,
                        f"kpi “{t.kpi}” 不是 data/company.yml 中 kpis 下的指标（{'、'.join(sorted(known)) or '无'}）")
                for t in self.glossary if t.kpi and t.kpi not in known]

    def _glossary_pages(self) -> list[Problem]:
        """A term's ``page`` exists and names the term (itself, its abbreviation or another name)."""
        found = []
        for t in self.glossary:
            if not t.page:
                continue
            path = self.root / "docs" / t.page
            where = (str(self.root / "data" / "glossary.yml"), t.line, t.term)
            if not path.is_file():
                found.append(Problem(*where, f"page：docs/{t.page} 不存在"))
                continue
            text = self.company.expand_text(path.read_text(encoding="utf-8"), lambda message: None)
            if not any(name in text for name in t.names):
                found.append(Problem(*where, f"page：docs/{t.page} 里没有出现“{'”“'.join(t.names)}”；"
                                             "请改成讲这个术语的页面，或在 aka 里写上页面用的叫法"))
        return found

    def _sources(self) -> list[Problem]:
        """Every ``source`` of a question, process or role cites known handbook chapters and laws."""
        if not self.library.books:
            return []
        found = []
        cited = [(str(b.path), q.source_line or q.line, q.id, q.source) for b in self.banks.values()
                 for q in b.questions]
        cited += [(str(f.path), 1, f.id, f.source) for f in self.flows.values()]
        roles = self.root / "roles"
        cited += [(str(roles / f"{r.id}.yml"), 1, r.id, r.source) for r in self.roles.values() if r.source]
        for file, line, item, source in cited:
            reason = check_source(source, self.library)
            if reason:
                found.append(Problem(file, line, item, reason))
        return found

    def _text_files(self) -> list[Path]:
        """Every file learners read text from, for the one-set-of-facts check."""
        root = self.root
        files = sorted((root / "docs").rglob("*.md"))
        for folder in ("flows", "roles", "quizzes", "assignments"):
            files += sorted((root / folder).glob("*.yml"))
        return files + [p for p in [root / "data" / "glossary.yml", root / "data" / "mock-call.yml"] if p.exists()]

    def _coverage(self) -> Coverage:
        """Handbook chapters and what cites them; citing a chapter a handbook lacks is a problem."""
        docs = self.root / "docs"
        routes = sorted({docs / r.route for r in self.roles.values() if r.route})  # 入职路线, 管理者路线
        pages = [*sorted((docs / "modules").glob("*/*.md")), *routes]
        cited = course_citations(docs, [p for p in pages if p.exists()], self.flows, self.roles, self.banks)
        return coverage(list(self.library.books), cited)

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
