"""The one registry of the site's macros: each renderer module registers its own with ``@macro``.

``define_env`` (``macros/__init__.py``) hands every registered macro to mkdocs-macros, and the
``kefu`` plugin asks mkdocs-macros which macros exist, so there is no second list to keep.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field

from kefu.course import Course, relative_link


@dataclass(frozen=True)
class PageContext:
    """What a macro knows about the build: the course and the page being rendered."""

    course: Course
    src_uri: str  # the page's path under docs/
    directory_urls: bool = True
    nav_pages: dict[str, list[str]] = field(default_factory=dict)  # module slug → its pages in nav order

    def module_pages(self, module) -> list[str]:
        """A module's pages as the navigation orders them (file-name order when it is not in the nav)."""
        return self.nav_pages.get(module.slug) or list(module.pages)

    def link(self, target: str) -> str:
        """``target`` (a path under docs/) as a Markdown link relative to this page (MkDocs checks it)."""
        return relative_link(target, self.src_uri)

    def url(self, target: str) -> str:
        """``target`` (a path under docs/, ``quizzes/x.md#part``) as an href for HTML the macro writes.

        MkDocs rewrites and checks Markdown links only; HTML from a template needs the final URL.
        """
        path, _, anchor = target.partition("#")
        here, there = page_url(self.src_uri, self.directory_urls), page_url(path, self.directory_urls)
        folder = here.rstrip("/") if here.endswith("/") or not here else posixpath.dirname(here)
        relative = posixpath.relpath(there or ".", folder or ".")
        if there.endswith("/") or not there:
            relative = relative.rstrip("/") + "/"
        return relative + (f"#{anchor}" if anchor else "")


def page_url(src: str, directory_urls: bool = True) -> str:
    """A docs path → the page's URL relative to the site root, as MkDocs writes it."""
    stem = src[: -len(".md")] if src.endswith(".md") else src
    if not directory_urls:
        return f"{stem}.html"
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return f"{stem}/"


Macro = Callable[..., str]
MACROS: dict[str, Macro] = {}


def macro(function: Macro) -> Macro:
    """Register ``function(ctx, *args)`` as the macro of the same name."""
    if function.__name__ in MACROS:
        raise ValueError(f"macro {function.__name__} registered twice")
    MACROS[function.__name__] = function
    return function
