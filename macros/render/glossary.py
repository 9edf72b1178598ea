"""The glossary page (术语表) from data/glossary.yml; KPI terms show the company's own formula and target."""

from __future__ import annotations

from collections.abc import Callable

from kefu.company import Profile
from kefu.org.glossary import CATEGORIES, Term
from kefu.org.handbooks import title_of
from kefu.paths import PROJECT_ROOT
from macros.registry import PageContext, macro
from macros.render.templating import render_markdown, safe


def render_glossary(terms: list[Term], profile: Profile | None = None, link: Callable[[str], str] | None = None,
                    docs=PROJECT_ROOT / "docs") -> str:
    """``link``: a docs path as a link from the glossary page; with it, a term links to the page teaching it."""
    titles: dict[str, str] = {}

    def taught(t: Term) -> dict | None:
        if not (t.page and link):
            return None
        if t.page not in titles:
            titles[t.page] = title_of(docs, t.page)
        return {"title": titles[t.page], "link": safe(link(t.page))}

    kpis = profile.root.get("kpis", {}) if profile else {}
    groups = []
    for category in CATEGORIES:
        group = sorted((t for t in terms if t.category == category), key=lambda t: t.term)
        if group:
            groups.append({"category": category, "terms": [
                {"term": t.term, "abbr": t.abbr, "en": t.en, "definition": t.definition, "source": t.source,
                 "aka": t.aka, "taught": taught(t), "anchor": t.anchor,
                 "company": kpis.get(t.kpi) if t.kpi else None} for t in group]})
    return render_markdown("glossary.md", count=len(terms), groups=groups)


@macro
def glossary(ctx: PageContext) -> str:
    return render_glossary(ctx.course.glossary, ctx.course.company, ctx.link, ctx.course.root / "docs")
