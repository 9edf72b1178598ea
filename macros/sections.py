"""A page's rendered HTML cut into sections at its headings, as plain text for the search index.

Left out: scripts, styles, diagram sources, forms, permalink marks, hidden elements, and on quiz
pages everything but the question stems (options and explanations would only add noise; exam pages
are not indexed at all).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

HEADINGS = {"h1", "h2", "h3"}
SKIP = {"script", "style", "pre", "template", "select", "textarea", "noscript", "form", "svg"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class SectionParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: list[list] = [["", "", []]]  # [anchor, heading, text parts]
        self.heading: list[str] | None = None
        self.skip_tag: str | None = None  # inside an element left out, and how deep in its own kind
        self.skip_depth = 0

    def handle_starttag(self, tag, attrs):
        if self.skip_tag:
            self.skip_depth += tag == self.skip_tag
            return
        if tag in VOID:
            return
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if tag in SKIP or "headerlink" in classes or "hidden" in attributes:
            self.skip_tag, self.skip_depth = tag, 1
            return
        if tag in HEADINGS:
            self.heading = []
            self.sections.append([attributes.get("id", ""), "", []])

    def handle_endtag(self, tag):
        if self.skip_tag:
            self.skip_depth -= tag == self.skip_tag
            if not self.skip_depth:
                self.skip_tag = None
            return
        if tag in HEADINGS and self.heading is not None:
            self.sections[-1][1] = "".join(self.heading).strip()
            self.heading = None

    def handle_data(self, data):
        if self.skip_tag:
            return
        if self.heading is not None:
            self.heading.append(data)
        else:
            self.sections[-1][2].append(data)


def page_sections(html: str, quiz: bool = False) -> list[tuple[str, str, str]]:
    """(anchor, heading, text) per section, in page order; the first is the page itself (anchor "")."""
    if quiz:  # the quiz widget: keep the page's own intro, then only the question stems
        start = html.find('<div class="kq-quiz"')
        if start >= 0:
            end = html.find('<script type="application/json" class="kq-data">', start)
            widget = html[start:end if end > 0 else len(html)]
            stems = "".join(f'<p>{stem}</p>' for stem in _stems(widget))
            html = html[:start] + stems + (html[end:] if end > 0 else "")
    parser = SectionParser()
    parser.feed(html)
    out = []
    for anchor, heading, parts in parser.sections:
        text = " ".join("".join(parts).split())
        if text or heading:
            out.append(("" if not out else anchor, heading, text))  # the first section is the page itself
    return out


def _stems(widget: str) -> list[str]:
    return re.findall(r'<span class="kq-stem">(.*?)</span>', widget, re.DOTALL)
