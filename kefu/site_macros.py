"""mkdocs-macros entry point: one-line wrappers over the ``kefu`` core.

Hooks (hooks/site.py) turn on macro rendering only for pages that call one of
the names in ``MACROS``.
"""

from __future__ import annotations

from pathlib import Path

from kefu.course import Course, relative_link
from kefu.glossary import render_glossary
from kefu.render_assignments import quiz_assignments, render_assignment, render_assignment_index
from kefu.render_coverage import render_coverage
from kefu.render_flows import render_process, render_process_index, render_role, render_role_index
from kefu.render_progress import progress_data, render_progress
from kefu.render_quiz import render_quiz, render_quiz_index
from kefu.render_staffing import STAFFING_FORM

MACROS = (
    "quiz", "quiz_index", "assignment", "assignment_index", "glossary", "process", "process_index",
    "role", "role_index", "staffing_calculator", "coverage", "my_progress",
)


def define_env(env) -> None:
    course = Course(Path(env.project_dir))

    @env.macro
    def quiz(bank_id: str) -> str:
        bank = course.bank(bank_id)
        return render_quiz(bank, quiz_assignments(course.assignments, bank))

    @env.macro
    def quiz_index() -> str:
        return render_quiz_index(course.banks, course.quiz_links(env.page.file.src_uri))

    @env.macro
    def glossary() -> str:
        return render_glossary(course.glossary)

    def link(target: str) -> str:
        return relative_link(target, env.page.file.src_uri)

    @env.macro
    def assignment(assignment_id: str) -> str:
        return render_assignment(course.assignment(assignment_id), course.banks, course.roles, link)

    @env.macro
    def my_progress() -> str:
        data = progress_data(Path(env.project_dir) / "docs", course.module_pages, course.banks, link,
                             env.conf.get("use_directory_urls", True))
        return render_progress(data)

    @env.macro
    def coverage() -> str:
        return render_coverage(course.coverage, course.quiz_titles, link)

    @env.macro
    def assignment_index() -> str:
        return render_assignment_index(course.assignments, course.banks, link)

    @env.macro
    def process(flow_id: str) -> str:
        return render_process(course.flow(flow_id), course.roles, link)

    @env.macro
    def process_index() -> str:
        return render_process_index(course.flows, course.roles, link)

    @env.macro
    def role(role_id: str) -> str:
        return render_role(course.role(role_id), course.roles, course.flows, link, course.quiz_titles,
                           course.module_pages)

    @env.macro
    def staffing_calculator() -> str:
        return STAFFING_FORM

    @env.macro
    def role_index() -> str:
        return render_role_index(course.roles, course.flows, link)
