"""The 覆盖对照 page: each handbook chapter and what in the course covers it (macros/templates/coverage.md)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from kefu.org.handbooks import ChapterCoverage, Coverage
from macros.registry import PageContext, macro
from macros.render.templating import md_text, render_markdown, safe

Link = Callable[[str], str]


def render_coverage(cov: Coverage, bank_titles: dict[str, str], link: Link) -> str:
    books = []
    for book, chapters in cov.books:
        missing = [c.chapter for c in chapters if not c.citers]
        books.append({
            "title": book.title, "covered": len(chapters) - len(missing),
            "rows": [_row(e, bank_titles, link) for e in chapters],
            "missing": [c.label if c.title == c.label else f"{c.label} {c.title}" for c in missing],
        })
    share = round(100 * cov.chapters_covered / cov.chapters_total) if cov.chapters_total else 0
    return render_markdown("coverage.md", cov=cov, share=share, books=books)


def _links(pairs: list[tuple[str, str]]) -> str:
    return safe("、".join(f"[{md_text(title)}]({target})" for title, target in pairs))


def _row(entry: ChapterCoverage, bank_titles: dict[str, str], link: Link) -> dict:
    label, title = entry.chapter.label, entry.chapter.title
    per_bank = Counter(c.bank for c in entry.of_kind("question"))
    questions = "、".join(f"[{md_text(bank_titles[b])}]({link(f'quizzes/{b}.md')}) {n} 题"
                          for b, n in sorted(per_bank.items()))
    return {
        "chapter": label if title == label else f"{label} {title}",
        "pages": _links([(c.title, link(c.id)) for c in entry.of_kind("page")]),
        "flows": _links([(c.title, link(f"flows/{c.id}.md")) for c in entry.of_kind("flow")]),
        "questions": safe(questions),
    }


@macro
def coverage(ctx: PageContext) -> str:
    return render_coverage(ctx.course.coverage, ctx.course.quiz_titles, ctx.link)
