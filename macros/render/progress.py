"""The 我的进度 page: what the page needs to know about the course, as data for progress.js.

The page itself reads only this browser's storage; nothing is sent anywhere. Links are final URLs
(the script writes them into the page), and the storage keys come from kefu/rules.py.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kefu.bank import MODE_NAMES, Bank
from kefu.org.handbooks import title_of
from kefu.org.modules import Module
from kefu.rules import page_rules
from macros.registry import PageContext, macro, page_url
from macros.render.templating import render


def progress_data(docs: Path, course_modules: list[Module], banks: dict[str, Bank],
                  url: Callable[[str], str], directory_urls: bool = True,
                  order: Callable[[Module], list[str]] = lambda m: list(m.pages)) -> dict:
    """``order``: a module's pages in the order the learner meets them (the navigation's)."""
    modules = [{
        "title": module.name, "track": module.track_name, "link": url(module.overview),
        "quizzes": [q for q in module.quizzes if q in banks],
        "pages": [{"key": page_url(p, directory_urls), "link": url(p),
                   "title": title_of(docs, p)} for p in order(module)],
    } for module in course_modules]
    quizzes = [{"id": b.id, "title": b.title, "mode": MODE_NAMES[b.mode], "count": b.shown_count,
                "pass_mark": b.pass_mark, "link": url(f"quizzes/{b.id}.md")}
               for b in sorted(banks.values(), key=lambda b: b.id)]
    return {"modules": modules, "quizzes": quizzes, "rules": page_rules()}


def render_progress(data: dict) -> str:
    return render("progress.html", data=data)


@macro
def my_progress(ctx: PageContext) -> str:
    course = ctx.course
    return render_progress(progress_data(course.root / "docs", course.modules, course.banks, ctx.url,
                                         ctx.directory_urls, ctx.module_pages))
