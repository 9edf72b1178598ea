"""Page parts from Jinja templates (``macros/templates/``); data text is escaped by the engine, not by hand.

- ``*.html`` templates autoescape HTML. A macro's HTML lands inside a Markdown page, so it is
  returned as one line: a blank line or an indented line in raw HTML would end the HTML block.
- ``*.md`` templates give Markdown (headings that reach the table of contents, links that MkDocs
  checks). Every ``{{ value }}`` in them is escaped for both HTML and Markdown — ``[点我](javascript:…)``
  in a bank title stays text — unless the renderer marked it safe (a link or a diagram it built).
"""

from __future__ import annotations

import json
import re

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

_BETWEEN_TAGS = re.compile(r">\s+<")
_SPACES = re.compile(r"\s*\n\s*")


def script_json(value: object) -> Markup:
    """JSON for a ``<script type="application/json">`` element: cannot close the element or open a comment."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


_MARKDOWN = str.maketrans({"\\": "&#92;", "`": "&#96;", "*": "&#42;", "_": "&#95;", "[": "&#91;", "]": "&#93;",
                           "|": "&#124;", "#": "&#35;", "\n": " ", "\r": " "})


def md_text(value: object) -> str:
    """Text for a Markdown page: HTML-escaped, Markdown syntax neutralised, on one line."""
    if isinstance(value, Markup):
        return str(value)
    return escape(str(value)).translate(_MARKDOWN) if value is not None else ""


def _environment(**options: object) -> Environment:
    environment = Environment(loader=PackageLoader("macros", "templates"), undefined=StrictUndefined,
                              trim_blocks=True, lstrip_blocks=True, **options)
    environment.filters["script_json"] = script_json
    environment.filters["points"] = lambda value: f"{value:g}"
    return environment


env = _environment(autoescape=select_autoescape(("html",)))
md_env = _environment(autoescape=False, finalize=md_text, keep_trailing_newline=True)


def render_markdown(template: str, **context: object) -> str:
    return md_env.get_template(template).render(**context)


def safe(text: str) -> Markup:
    """Mark text the renderer built itself (a link target, a Mermaid diagram) as not to be escaped."""
    return Markup(text)


def render(template: str, **context: object) -> str:
    """The template's HTML on one line (whitespace between tags dropped, line breaks in text made spaces)."""
    html = env.get_template(template).render(**context)
    return _SPACES.sub(" ", _BETWEEN_TAGS.sub("><", html.strip()))
