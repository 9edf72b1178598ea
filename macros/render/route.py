"""Learning-route pages (入职路线, 管理者路线) from the routes of the company profile.

Each week lists its modules, quizzes, processes and tasks; ``docs/assets/progress/route.js`` ticks
them from this browser's progress and keeps a task's box as the learner left it.
"""

from __future__ import annotations

from kefu.rules import page_rules
from macros.registry import PageContext, macro, page_url
from macros.render.templating import render, render_markdown, safe


@macro
def route(ctx: PageContext, route_id: str) -> str:
    course = ctx.course
    found = course.company.route(route_id)
    if found is None:
        known = "、".join(r.id for r in course.company.routes) or "（无）"
        raise LookupError(f'route("{route_id}")：data/company.yml 的 routes 里没有这条路线。现有：{known}')
    weeks = []
    for week in found.weeks:
        modules = [course.module(name) for name in week.modules]
        data = {
            "number": week.number, "tasks": week.tasks, "milestone": week.milestone,
            "modules": [{"name": m.name, "link": ctx.url(m.overview),
                         "pages": [page_url(p, ctx.directory_urls) for p in m.pages]} for m in modules if m],
            "quizzes": [{"bank": course.banks[q], "link": ctx.url(course.quiz_page(q))} for q in week.quizzes],
            "flows": [{"title": course.flows[f].title, "link": ctx.url(f"flows/{f}.md"),
                       "key": page_url(f"flows/{f}.md", ctx.directory_urls)} for f in week.follow],
        }
        weeks.append({"number": week.number, "title": week.title,
                      "html": safe(render("route_week.html", week=data, route_id=found.id))})
    checklist = render("route_checklist.html", items=found.checklist, route_id=found.id,
                       data={"rules": page_rules(), "route": found.id})
    return render_markdown("route.md", route=found, weeks=weeks, checklist=safe(checklist))
