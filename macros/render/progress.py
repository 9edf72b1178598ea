"""The 我的进度 page: what the page needs to know about the course, as data for progress.js.

The page itself reads only this browser's storage; nothing is sent anywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kefu.bank import MODE_NAMES, Bank
from kefu.org.handbooks import page_title
from kefu.org.modules import Module
from macros.registry import PageContext, macro
from macros.render.text import script_json


def page_url(src: str, directory_urls: bool = True) -> str:
    """docs path → the page's URL relative to the site root, as MkDocs writes it."""
    stem = src[: -len(".md")]
    if not directory_urls:
        return f"{stem}.html"
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return f"{stem}/"


def progress_data(docs: Path, course_modules: list[Module], banks: dict[str, Bank],
                  link: Callable[[str], str], directory_urls: bool = True) -> dict:
    modules = []
    for module in course_modules:
        modules.append({
            "title": module.name, "track": module.track_name, "link": link(module.overview),
            "pages": [{"key": page_url(p, directory_urls),
                       "title": page_title((docs / p).read_text(encoding="utf-8"), p)} for p in module.pages],
        })
    quizzes = [{"id": b.id, "title": b.title, "mode": MODE_NAMES[b.mode], "count": b.shown_count,
                "pass_mark": b.pass_mark, "link": link(f"quizzes/{b.id}.md")}
               for b in sorted(banks.values(), key=lambda b: b.id)]
    return {"modules": modules, "quizzes": quizzes}


def render_progress(data: dict) -> str:
    return (
        '<div class="kp-progress">'
        '<p class="kp-note">这一页只读取本浏览器里保存的学习记录（读过的页面、测验作答），不会上传到任何地方；'
        "换电脑或换浏览器看不到这里的记录。</p>"
        '<div class="kp-body" aria-live="polite"><p>正在读取本机记录……</p></div>'
        '<p><button type="button" class="md-button kp-clear">清除本机的学习记录</button></p>'
        '<noscript><p>需要启用 JavaScript 才能显示学习进度。</p></noscript>'
        f'<script type="application/json" class="kp-data">{script_json(data)}</script>'
        "</div>"
    )


@macro
def my_progress(ctx: PageContext) -> str:
    course = ctx.course
    data = progress_data(course.root / "docs", course.modules, course.banks, ctx.link, ctx.directory_urls)
    return render_progress(data)
