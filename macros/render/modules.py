"""全部课程: every course module by track, with its topics and quizzes (the 课程 tab's first page)."""

from __future__ import annotations

from kefu.org.handbooks import title_of
from kefu.org.modules import TRACKS
from macros.registry import PageContext, macro
from macros.render.templating import render_markdown, safe


@macro
def module_index(ctx: PageContext) -> str:
    course, docs = ctx.course, ctx.course.root / "docs"

    def link(path: str) -> dict:
        return {"title": title_of(docs, path), "link": safe(ctx.link(path))}

    tracks = []
    for track, name in TRACKS.items():
        modules = [m for m in course.modules if m.track == track]
        if modules:
            tracks.append({"name": name, "modules": [{
                "overview": link(m.overview), "topics": [link(p) for p in ctx.module_pages(m) if p != m.overview],
                "quizzes": [{"title": course.banks[q].title, "link": safe(ctx.link(course.quiz_page(q)))}
                            for q in m.quizzes if q in course.banks]} for m in modules]})
    return render_markdown("module_index.md", tracks=tracks)
