"""Course modules: each is a folder ``docs/modules/<slug>/`` whose overview ``index.md`` declares it.

The overview's front matter is the module's one declaration::

    ---
    title: 客户投诉处理          # the module's name, used by processes (module:) and roles (learning.topics)
    module:
      track: frontline         # frontline 一线课程 | manager 管理者课程 | trainer 培训师
      order: 5                 # position within its track
      quizzes: [complaints, complaints-exam]   # its banks (quizzes/<id>.yml), practice first
    ---

Everything else — the progress page, the process index, role pages, the route, 覆盖对照 — reads
the modules from here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kefu.fields import Choice, Field, Integer, ListOf, Record, Text, Where
from kefu.problems import Problem
from kefu.yamlio import LineDict, YamlFileError, load_yaml_text

TRACKS = {"frontline": "一线课程", "manager": "管理者课程", "trainer": "培训师"}
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

MODULE = Record((
    Field("track", Choice(tuple(TRACKS)), "课程：frontline 一线 / manager 管理者 / trainer 培训师", required=True),
    Field("order", Integer(1), "在本课程中的顺序", required=True),
    Field("quizzes", ListOf(Text(_ID, noun="题库 id")), "本模块的题库 id，练习在前", default=()),
))
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?\n)---\s*\n", re.DOTALL)


@dataclass(frozen=True)
class Module:
    name: str
    slug: str
    track: str
    order: int
    quizzes: tuple[str, ...]
    pages: tuple[str, ...]  # docs paths: the overview first, then the topics by file name

    @property
    def overview(self) -> str:
        return self.pages[0]

    @property
    def track_name(self) -> str:
        return TRACKS[self.track]


def front_matter(text: str) -> tuple[LineDict | None, str | None]:
    """A page's front matter (with line numbers) and the YAML error, if any."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return None, None
    try:
        data = load_yaml_text(match.group(1))
    except YamlFileError as exc:
        return None, f"第 {exc.line + 1} 行：{exc.message}"
    return (data if isinstance(data, LineDict) else None), None


def check_modules(docs: Path) -> tuple[list[Module], list[Problem]]:
    """Modules in track order; a module folder without a valid declaration is a problem."""
    modules: list[Module] = []
    problems: list[Problem] = []
    for index in sorted((docs / "modules").glob("*/index.md")):
        name = str(index)

        def add(line: int, item: str, message: str, name: str = name) -> None:
            problems.append(Problem(name, line + 1, item, message))  # +1: the opening ---

        meta, error = front_matter(index.read_text(encoding="utf-8"))
        slug = index.parent.name
        if error or meta is None or not isinstance(meta.get("title"), str):
            add(0, slug, error or "概览页开头要有 front matter：title（模块名）和 module（track、order、quizzes）")
            continue
        if "module" not in meta:
            add(meta.line_of("title"), slug, "缺少 module：写明 track（frontline/manager/trainer）、order 和 quizzes")
            continue
        before = len(problems)
        values = MODULE.check(meta["module"], Where(meta.line_of("module"), slug, add))
        if values is None or len(problems) > before:
            continue
        topics = sorted(p for p in index.parent.glob("*.md") if p.name != "index.md")
        pages = tuple(p.relative_to(docs).as_posix() for p in (index, *topics))
        modules.append(Module(meta["title"].strip(), slug, values["track"], values["order"],
                              tuple(values["quizzes"]), pages))
    modules.sort(key=lambda m: (list(TRACKS).index(m.track), m.order, m.slug))
    seen: dict[tuple[str, int], str] = {}
    for m in modules:
        if (m.track, m.order) in seen:
            other = seen[(m.track, m.order)]
            problems.append(Problem(str(docs / m.overview), 1, m.slug,
                                    f"order {m.order} 与模块 {other} 相同：同一课程内的顺序不能重复"))
        seen[(m.track, m.order)] = m.slug
    return modules, problems
