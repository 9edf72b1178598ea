"""培训任务 pages (one per cohort) and their index, from macros/templates/assignment*.md."""

from __future__ import annotations

from collections.abc import Callable

from kefu.bank import MODE_NAMES, Bank
from kefu.grading.assignments import Assignment
from kefu.org.flows import Role
from macros.registry import PageContext, macro
from macros.render.templating import md_text, render_markdown, safe

WEEKDAYS = "一二三四五六日"
Link = Callable[[str], str]


def quiz_url(bank_id: str, assignment_id: str, link: Link) -> str:
    """The quiz page opened under an assignment: the page reads ``?assignment=`` and applies it."""
    return f"{link(f'quizzes/{bank_id}.md')}?assignment={assignment_id}"


def render_assignment(assignment: Assignment, banks: dict[str, Bank], roles: dict[str, Role], link: Link) -> str:
    role_links = "、".join(f"[{md_text(roles[r].title)}]({link(f'roles/{r}.md')})" for r in assignment.roles)
    rows = []
    for item in sorted(assignment.items, key=lambda i: i.due):  # the quiz and its deadline first
        bank = banks[item.quiz]
        count = item.draw or bank.shown_count
        drawn = count < len(bank.questions)
        rows.append({"bank": bank, "item": item, "mode": MODE_NAMES[item.mode],
                     "link": safe(quiz_url(bank.id, assignment.id, link)),
                     "due": f"{item.due.isoformat()}（周{WEEKDAYS[item.due.weekday()]}）",
                     "count": f"{count}（从 {len(bank.questions)} 题抽）" if drawn else f"{count}"})
    return render_markdown("assignment.md", assignment=assignment, roles=safe(role_links), rows=rows,
                           quizzes=" ".join(i.quiz for i in assignment.items))


def render_assignment_index(assignments: dict[str, Assignment], banks: dict[str, Bank], link: Link) -> str:
    rows = [{"assignment": a, "link": safe(link(f"assignments/{a.id}.md")),
             "quizzes": "、".join(banks[i.quiz].title for i in a.items),
             "last": max(i.due for i in a.items).isoformat()}
            for a in sorted(assignments.values(), key=lambda a: max(i.due for i in a.items), reverse=True)]
    return render_markdown("assignment_index.md", rows=rows)


@macro
def assignment(ctx: PageContext, assignment_id: str) -> str:
    course = ctx.course
    return render_assignment(course.assignment(assignment_id), course.banks, course.roles, ctx.link)


@macro
def assignment_index(ctx: PageContext) -> str:
    return render_assignment_index(ctx.course.assignments, ctx.course.banks, ctx.link)
