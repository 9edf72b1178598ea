"""The glossary page (术语表) from data/glossary.yml."""

from __future__ import annotations

import html

from kefu.org.glossary import CATEGORIES, Term
from macros.registry import PageContext, macro


def render_glossary(terms: list[Term]) -> str:
    """The glossary as Markdown: one section per category, a definition list each."""
    esc = html.escape
    out: list[str] = [
        f"共 {len(terms)} 个术语，按主题分组；页面中出现英文缩写时，把鼠标停在上面"
        "（手机上轻点）即可看到全称。\n"
    ]
    for category in CATEGORIES:
        group = sorted((t for t in terms if t.category == category), key=lambda t: t.term)
        if not group:
            continue
        out.append(f"## {category}\n")
        for t in group:
            title = esc(t.term)
            if t.abbr:
                title += f"（{esc(t.abbr)}）"
            if t.en:
                title += f" <small>{esc(t.en)}</small>"
            out.append(f'<span id="{esc(t.anchor)}"></span>{title}\n')
            body = esc(t.definition)
            if t.source:
                body += f" <small>出处：{esc(t.source)}</small>"
            out.append(f":   {body}\n")
    return "\n".join(out)


@macro
def glossary(ctx: PageContext) -> str:
    return render_glossary(ctx.course.glossary)
