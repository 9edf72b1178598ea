"""mkdocs-macros entry point: one-line wrappers over the ``kefu`` core.

Hooks (hooks/site.py) turn on macro rendering only for pages that call one of
the names in ``MACROS``.
"""

from __future__ import annotations

from pathlib import Path

from kefu.course import Course
from kefu.glossary import render_glossary
from kefu.render_quiz import render_quiz, render_quiz_index

MACROS = ("quiz", "quiz_index", "glossary")


def define_env(env) -> None:
    course = Course(Path(env.project_dir))

    @env.macro
    def quiz(bank_id: str) -> str:
        return render_quiz(course.bank(bank_id))

    @env.macro
    def quiz_index() -> str:
        return render_quiz_index(course.banks, course.quiz_links(env.page.file.src_uri))

    @env.macro
    def glossary() -> str:
        return render_glossary(course.glossary)
