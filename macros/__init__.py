"""The mkdocs-macros module of the site (``module_name: macros`` in mkdocs.yml).

Every macro comes from the registry (:mod:`macros.registry`), filled by the renderer modules
under ``macros/render/``. All of them read the one :class:`kefu.course.Course` that the ``kefu``
plugin (:mod:`macros.plugin`) loaded for this build. Nothing in ``kefu`` imports this package.
"""

from __future__ import annotations

import functools

from macros.registry import MACROS, Macro, PageContext
from macros.render import (  # noqa: F401  (each module registers its macros)
    assignments,
    coverage,
    flows,
    glossary,
    mockcall,
    modules,
    progress,
    quiz,
    route,
    staffing,
)


def define_env(env) -> None:
    plugin = env.conf.plugins.get("kefu")
    if plugin is None or getattr(plugin, "course", None) is None:
        raise RuntimeError("mkdocs.yml 的 plugins 中需要在 macros 之前列出 kefu 插件")

    def context() -> PageContext:
        return PageContext(plugin.course, env.page.file.src_uri, env.conf.get("use_directory_urls", True),
                           plugin.module_pages)

    for name, function in MACROS.items():
        env.macro(_bound(function, context), name)
    # {{ company.limits.agent }} on any page: the company profile (data/company.yml)
    env.variables["company"] = plugin.course.company.root


def _bound(function: Macro, context) -> Macro:
    @functools.wraps(function)
    def call(*args: object) -> str:
        return function(context(), *args)

    return call
