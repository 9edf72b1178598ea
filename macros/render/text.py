"""Escaping bank and data text for the two places it lands in generated pages."""

from __future__ import annotations

import json
from html import escape


def md_cell(text: str) -> str:
    """Text for one cell of a Markdown table: HTML-escaped, no pipes, on one line."""
    return escape(text).replace("|", "&#124;").replace("\n", " ")


def script_json(value: object) -> str:
    """JSON for a ``<script type="application/json">`` element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    # keep "</script>" and "<!--" from closing or confusing the script element
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
