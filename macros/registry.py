"""The one registry of the site's macros: each renderer module registers its own with ``@macro``.

``define_env`` (``macros/__init__.py``) hands every registered macro to mkdocs-macros, and the
``kefu`` plugin asks mkdocs-macros which macros exist, so there is no second list to keep.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kefu.course import Course, relative_link


@dataclass(frozen=True)
class PageContext:
    """What a macro knows about the build: the course and the page being rendered."""

    course: Course
    src_uri: str  # the page's path under docs/
    directory_urls: bool = True

    def link(self, target: str) -> str:
        """``target`` (a path under docs/) as a link relative to this page."""
        return relative_link(target, self.src_uri)


Macro = Callable[..., str]
MACROS: dict[str, Macro] = {}


def macro(function: Macro) -> Macro:
    """Register ``function(ctx, *args)`` as the macro of the same name."""
    if function.__name__ in MACROS:
        raise ValueError(f"macro {function.__name__} registered twice")
    MACROS[function.__name__] = function
    return function
