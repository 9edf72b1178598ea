"""Markdown for 培训任务 pages (one per cohort) and their index. Bank and file text is escaped here."""

from __future__ import annotations

from collections.abc import Callable

from kefu.bank import MODE_NAMES, Bank
from kefu.grading.assignments import Assignment
from kefu.org.flows import Role
from macros.registry import PageContext, macro
from macros.render.text import md_cell

WEEKDAYS = "一二三四五六日"
Link = Callable[[str], str]


def quiz_url(bank_id: str, assignment_id: str, link: Link) -> str:
    """The quiz page opened under an assignment: the page reads ``?assignment=`` and applies it."""
    return f"{link(f'quizzes/{bank_id}.md')}?assignment={assignment_id}"


def render_assignment(assignment: Assignment, banks: dict[str, Bank], roles: dict[str, Role], link: Link) -> str:
    role_links = "、".join(f"[{md_cell(roles[r].title)}]({link(f'roles/{r}.md')})" for r in assignment.roles)
    lines = [f"**班级**：{md_cell(assignment.cohort)}　**任务编号**：`{assignment.id}`"]
    if role_links:
        lines[0] += f"　**适用岗位**：{role_links}"
    if assignment.description:
        lines += ["", md_cell(assignment.description)]
    lines += [
        "",
        # the quiz and its deadline first: on a phone the later columns scroll out of view
        "| 测验（点击开始作答） | 截止日期 | 及格线 | 类型 | 题数 |",
        "|---|---|---|---|---|",
    ]
    for item in sorted(assignment.items, key=lambda i: i.due):
        bank = banks[item.quiz]
        count = item.draw or bank.shown_count
        drawn = f"{count}（从 {len(bank.questions)} 题抽）" if count < len(bank.questions) else f"{count}"
        title = f"[{md_cell(bank.title)}]({quiz_url(bank.id, assignment.id, link)})"
        if item.note:
            title += f"<br><small>{md_cell(item.note)}</small>"
        due = f"{item.due.isoformat()}（周{WEEKDAYS[item.due.weekday()]}）"
        lines.append(f"| {title} | {due} | {item.pass_mark:g}% | {MODE_NAMES[item.mode]} | {drawn} |")
    hand_in = "\n".join(f"    {md_cell(line)}" if line.strip() else "" for line in assignment.hand_in.splitlines())
    lines += [
        "",
        '!!! tip "作答须知"',
        "    - **从本页表格中的测验名进入测验**：测验页会按本任务的及格线和题数出题，导出的答案文件也会带上"
        f"任务编号 `{assignment.id}`，培训师据此统计。直接从“测验”菜单进入的不算本任务的作答。",
        "    - 作答自动保存在本浏览器中；换电脑或清除浏览器数据会丢失，请在同一台设备上完成。",
        "    - 练习可以反复检查、修改；考试页面不显示答案，答完即导出。",
        "    - 截止日期后仍可作答和导出，但会被记为逾期。",
        "",
        '!!! info "怎样交答案文件"',
        "    每个测验答完后点“导出答案文件”，得到一个 `.json` 文件（文件名含测验名和工号）。",
        "    无法下载时点“复制答案文本”，把文本粘贴发给培训师。",
        "",
        hand_in,
    ]
    return "\n".join(lines)


def render_assignment_index(assignments: dict[str, Assignment], banks: dict[str, Bank], link: Link) -> str:
    if not assignments:
        return "目前没有布置中的培训任务。"
    rows = ["| 培训任务 | 班级 | 测验 | 最后截止 |", "|---|---|---|---|"]
    for assignment in sorted(assignments.values(), key=lambda a: max(i.due for i in a.items), reverse=True):
        quizzes = "、".join(md_cell(banks[i.quiz].title) for i in assignment.items)
        last = max(i.due for i in assignment.items).isoformat()
        rows.append(f"| [{assignment.id}]({link(f'assignments/{assignment.id}.md')}) | {md_cell(assignment.cohort)} "
                    f"| {quizzes} | {last} |")
    return "\n".join(rows)


@macro
def assignment(ctx: PageContext, assignment_id: str) -> str:
    course = ctx.course
    return render_assignment(course.assignment(assignment_id), course.banks, course.roles, ctx.link)


@macro
def assignment_index(ctx: PageContext) -> str:
    return render_assignment_index(ctx.course.assignments, ctx.course.banks, ctx.link)
