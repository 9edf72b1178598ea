"""Learning routes (入职路线, 管理者路线): which modules, quizzes and processes each week holds.

Declared once in the company profile (``routes:`` in data/company.yml); the route pages, the
assignments' default deadlines and the 上岗考核 week are all read from here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kefu.fields import Field, ListOf, Record, Text

WEEK = Record((
    Field("title", Text(), "这一周的主题", required=True),
    Field("modules", ListOf(Text()), "要读的模块（概览页的 title）", default=()),
    Field("quizzes", ListOf(Text()), "要做的测验（题库 id，练习和考试）", default=()),
    Field("follow", ListOf(Text()), "要跟的流程（流程 id）", default=()),
    Field("tasks", ListOf(Text()), "要做的事（岗位上的实践）", default=()),
    Field("milestone", Text(), "这一周末的关卡，如上岗考核"),
), item_key="title")
ROUTE = Record((
    Field("title", Text(), "页面标题", required=True),
    Field("page", Text(), "路线页（docs/ 下的路径）", required=True),
    Field("audience", Text(), "写给谁", required=True),
    Field("intro", Text(), "开头的说明", required=True),
    Field("weeks", ListOf(WEEK, min_items=1), "每一周", required=True),
    Field("checklist", ListOf(Text()), "路线结束时的检查清单", default=()),
    Field("source", Text(), "出处", required=True),
))


@dataclass(frozen=True)
class Week:
    number: int
    title: str
    modules: tuple[str, ...]
    quizzes: tuple[str, ...]
    follow: tuple[str, ...]
    tasks: tuple[str, ...]
    milestone: str | None


@dataclass(frozen=True)
class Route:
    id: str
    title: str
    page: str
    audience: str
    intro: str
    weeks: tuple[Week, ...]
    checklist: tuple[str, ...]
    source: str

    def week_of(self, quiz: str) -> Week | None:
        return next((w for w in self.weeks if quiz in w.quizzes), None)

    def due(self, quiz: str, start: dt.date) -> dt.date | None:
        """The Friday of the week the route schedules ``quiz`` in, for a cohort starting on ``start``."""
        week = self.week_of(quiz)
        if week is None:
            return None
        monday = start - dt.timedelta(days=start.weekday())
        return monday + dt.timedelta(weeks=week.number - 1, days=4)


def make_route(route_id: str, values: dict) -> Route:
    weeks = tuple(Week(n, w["title"], tuple(w["modules"]), tuple(w["quizzes"]), tuple(w["follow"]),
                       tuple(w["tasks"]), w["milestone"]) for n, w in enumerate(values["weeks"], start=1))
    return Route(route_id, values["title"], values["page"], values["audience"], values["intro"], weeks,
                 tuple(values["checklist"]), values["source"])
