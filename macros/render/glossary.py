"""The glossary page (术语表) from data/glossary.yml; KPI terms show the company's own formula and target."""

from __future__ import annotations

from kefu.company import Profile
from kefu.org.glossary import CATEGORIES, Term
from macros.registry import PageContext, macro
from macros.render.templating import render_markdown


def render_glossary(terms: list[Term], profile: Profile | None = None) -> str:
    kpis = profile.root.get("kpis", {}) if profile else {}
    groups = []
    for category in CATEGORIES:
        group = sorted((t for t in terms if t.category == category), key=lambda t: t.term)
        if group:
            groups.append({"category": category, "terms": [
                {"term": t.term, "abbr": t.abbr, "en": t.en, "definition": t.definition, "source": t.source,
                 "anchor": t.anchor, "company": kpis.get(t.kpi) if t.kpi else None} for t in group]})
    return render_markdown("glossary.md", count=len(terms), groups=groups)


@macro
def glossary(ctx: PageContext) -> str:
    return render_glossary(ctx.course.glossary, ctx.course.company)
