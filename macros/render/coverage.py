"""Markdown for the 覆盖对照 page: each handbook chapter and what in the course covers it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from kefu.org.handbooks import ChapterCoverage, Coverage
from macros.registry import PageContext, macro
from macros.render.text import md_cell

Link = Callable[[str], str]


def render_coverage(cov: Coverage, bank_titles: dict[str, str], link: Link) -> str:
    share = 100 * cov.chapters_covered / cov.chapters_total if cov.chapters_total else 0
    lines = [
        f"课程引用了五本手册共 {cov.chapters_total} 章中的 **{cov.chapters_covered} 章**（{share:.0f}%）。"
        "下表由各页面、流程和题目注明的出处自动生成：“页面”是课程模块、岗位和学习路线页，"
        "“流程”是流程图，“题目”按题库计数。",
    ]
    for book, chapters in cov.books:
        missing = [c.chapter for c in chapters if not c.citers]
        covered = len(chapters) - len(missing)
        lines += ["", f"## 《{md_cell(book.title)}》", "",
                  f"覆盖 {covered} / {len(chapters)} 章。" + (
                      "尚未覆盖：" + "；".join(f"{c.label} {md_cell(c.title)}".replace("前言 前言", "前言")
                                             for c in missing) + "。"
                      if missing else "全部章节都有课程内容对应。"),
                  "", "| 章 | 课程页面 | 流程 | 题目 |", "|---|---|---|---|"]
        lines += [_row(entry, bank_titles, link) for entry in chapters]
    return "\n".join(lines)


def _row(entry: ChapterCoverage, bank_titles: dict[str, str], link: Link) -> str:
    label, title = entry.chapter.label, entry.chapter.title
    chapter = label if title == label else f"{label} {md_cell(title)}"
    pages = "、".join(f"[{md_cell(c.title)}]({link(c.id)})" for c in entry.of_kind("page")) or "—"
    flows = "、".join(f"[{md_cell(c.title)}]({link(f'flows/{c.id}.md')})" for c in entry.of_kind("flow")) or "—"
    per_bank = Counter(c.bank for c in entry.of_kind("question"))
    questions = "、".join(f"[{md_cell(bank_titles[b])}]({link(f'quizzes/{b}.md')}) {n} 题"
                          for b, n in sorted(per_bank.items())) or "—"
    return f"| {chapter} | {pages} | {flows} | {questions} |"


@macro
def coverage(ctx: PageContext) -> str:
    return render_coverage(ctx.course.coverage, ctx.course.quiz_titles, ctx.link)
