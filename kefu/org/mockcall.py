"""The 模拟接听考核 (mock call) of the 上岗考核: the observers' rubric and the scenario cards (``data/mock-call.yml``),
and scoring two observers' sheets into one result.

Each rubric item is scored 0–3 against written anchors; an item earns ``weight × score ÷ 3`` and the
weights add up to 100. A critical item scored 0 fails the call whatever the total. Two observers
score independently; their totals are averaged, and a gap wider than the company's
``pass_marks.calibration_gap`` (or a critical 0 from only one of them) marks the result for a
calibration talk before it stands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kefu.fields import (
    Boolean,
    Choice,
    Const,
    Field,
    Integer,
    Invalid,
    Kind,
    ListOf,
    Record,
    Text,
    Where,
    document_schema,
)
from kefu.problems import DataFile, Problem
from kefu.yamlio import LineDict

SCORES = (0, 1, 2, 3)
LEVELS = ("基础", "进阶", "困难")


class _Anchors(Kind):
    """What each score 0–3 looks like: a mapping with exactly the keys 0, 1, 2, 3."""

    noun = "0、1、2、3 四个分数的描述（写成 0: …）"

    def check(self, value: Any, where: Where) -> dict[int, str]:
        if not isinstance(value, dict) or sorted(value) != list(SCORES):
            raise Invalid(self.noun)
        out = {}
        for score in SCORES:
            text = value[score]
            if not isinstance(text, str) or not text.strip():
                raise Invalid(self.noun)
            out[score] = text.strip()
        return out

    def schema(self) -> dict:
        return {"type": "object", "required": [str(s) for s in SCORES], "additionalProperties": False,
                "properties": {str(s): {"type": "string", "minLength": 1} for s in SCORES}}


ITEM = Record((
    Field("id", Text(re.compile(r"^[a-z][a-z0-9_]*$"), noun="小写字母开头的 id"),
          "评分项 id：考官评分表中这一列的表头", required=True),
    Field("name", Text(), "评分项名称", required=True),
    Field("weight", Integer(1, 100), "权重（各项相加为 100）", required=True),
    Field("critical", Boolean(), "关键项：评 0 分时这通电话不通过", default=False),
    Field("anchors", _Anchors(), "每个分数对应的可观察行为", required=True),
), item_key="id")
SCENARIO = Record((
    Field("id", Text(re.compile(r"^s[0-9]{2}$"), noun="s01 这样的编号"), "场景编号", required=True),
    Field("title", Text(), "场景名称", required=True),
    Field("level", Choice(LEVELS), "难度", required=True),
    Field("customer", Text(), "给扮演客户的考官看的设定", required=True),
    Field("opening", Text(), "客户的第一句话", required=True),
    Field("expected", ListOf(Text(), min_items=1), "合格的坐席应当做到的要点", required=True),
    Field("traps", ListOf(Text(), min_items=1), "常见失误", required=True),
), item_key="id")
MOCK_CALL = Record((
    Field("schema", Const(1), "格式版本", required=True, message="开头需要 schema: 1"),
    Field("items", ListOf(ITEM, min_items=1), "考官评分项", required=True),
    Field("scenarios", ListOf(SCENARIO, min_items=1), "场景卡", required=True),
))


def mock_call_json_schema() -> dict:
    return document_schema(MOCK_CALL, schema_id="mock-call-1.schema.json",
                           title="模拟接听考核的评分项与场景（第 1 版）")


@dataclass(frozen=True)
class RubricItem:
    id: str
    name: str
    weight: int
    critical: bool
    anchors: dict[int, str]


@dataclass(frozen=True)
class Scenario:
    id: str
    title: str
    level: str
    customer: str
    opening: str
    expected: tuple[str, ...]
    traps: tuple[str, ...]


@dataclass(frozen=True)
class Rubric:
    items: tuple[RubricItem, ...] = ()
    scenarios: tuple[Scenario, ...] = ()

    def total(self, scores: dict[str, int]) -> float:
        """The weighted total out of 100 of one observer's scores (item id → 0–3)."""
        return round(sum(item.weight * scores[item.id] / 3 for item in self.items), 1)

    def critical_zeros(self, scores: dict[str, int]) -> list[str]:
        return [item.name for item in self.items if item.critical and scores.get(item.id) == 0]


def check_rubric(path: Path, *, expand=None) -> tuple[Rubric, list[Problem]]:
    """The rubric and scenarios (empty when the file does not exist) and every problem in them."""
    if not path.exists():
        return Rubric(), []
    file = DataFile(path)
    problems, add, data = file.problems, file.add, file.load()
    if data is None:
        return Rubric(), problems
    if expand is not None:
        data = expand(data, add)
    values = MOCK_CALL.check(data, Where(getattr(data, "line", 1), "-", add))
    if values is None or problems:
        return Rubric(), problems
    weights = sum(item["weight"] for item in values["items"])
    if weights != 100:
        line = data.line_of("items") if isinstance(data, LineDict) else 1
        add(line, "-", f"各评分项的 weight 相加应为 100（现为 {weights}）")
    for key in ("items", "scenarios"):
        seen: set[str] = set()
        for raw, entry in zip(data[key], values[key], strict=True):
            if entry["id"] in seen:
                add(raw.line, entry["id"], "id 重复")
            seen.add(entry["id"])
    if problems:
        return Rubric(), problems
    items = tuple(RubricItem(i["id"], i["name"], i["weight"], i["critical"], i["anchors"]) for i in values["items"])
    scenarios = tuple(Scenario(s["id"], s["title"], s["level"], s["customer"], s["opening"], tuple(s["expected"]),
                               tuple(s["traps"])) for s in values["scenarios"])
    return Rubric(items, scenarios), []


# ------------------------------------------------------------------ observers' sheets → results

OBSERVER_HEADERS = {"考官", "评分人", "observer"}
SCENARIO_HEADERS = {"场景", "场景编号", "scenario"}
NOTE_HEADERS = {"备注", "note"}


@dataclass
class ObserverScore:
    """One observer's sheet for one learner's mock call (a row of a score spreadsheet)."""

    source: str
    learner_id: str
    learner_name: str
    observer: str
    scenario: str
    scores: dict[str, int]
    note: str = ""


@dataclass
class MockCallResult:
    learner_id: str
    learner_name: str
    scenario: str
    observers: list[tuple[str, float]]  # (observer, weighted total)
    average: float
    passed: bool
    check: bool  # the observers must talk it over (gap, or a critical 0 from one of them)
    notes: list[str]
    sources: list[str]


def score_observers(rubric: Rubric, sheets: list[ObserverScore], pass_mark: float, gap: float) -> list[MockCallResult]:
    """One result per learner and scenario from the observers' sheets (the last sheet of an observer counts)."""
    from kefu.rules import learner_key

    groups: dict[tuple[str, str], dict[str, ObserverScore]] = {}
    for sheet in sheets:  # a re-scored row replaces the observer's earlier one
        groups.setdefault((learner_key(sheet.learner_id), sheet.scenario), {})[sheet.observer.strip()] = sheet
    results = []
    for (_, scenario), by_observer in sorted(groups.items()):
        sheets_here = list(by_observer.values())
        totals = [(observer, rubric.total(s.scores)) for observer, s in by_observer.items()]
        average = round(sum(t for _, t in totals) / len(totals), 1)
        zeros = {observer: rubric.critical_zeros(s.scores) for observer, s in by_observer.items()}
        notes, check = [f"{o} {t:g} 分" for o, t in totals], False
        if len(totals) < 2:
            notes.append("只有一位考官的评分：上岗考核要两位考官独立评分")
            check = True
        spread = max(t for _, t in totals) - min(t for _, t in totals)
        if spread > gap:
            notes.append(f"两位考官相差 {spread:g} 分（超过 {gap:g} 分）：请听录音讨论后重评")
            check = True
        zeroed = {name for names in zeros.values() for name in names}
        if zeroed:
            notes.append(f"关键项评 0 分：{'、'.join(sorted(zeroed))}")
            if any(not names for names in zeros.values()):
                notes.append("只有部分考官给了关键项 0 分：请讨论后统一")
                check = True
        notes += [f"{s.observer}：{s.note}" for s in sheets_here if s.note]
        name = next((s.learner_name for s in reversed(sheets_here) if s.learner_name), "")
        results.append(MockCallResult(sheets_here[-1].learner_id, name, scenario, totals, average,
                                      average >= pass_mark and not zeroed, check, notes,
                                      [s.source for s in sheets_here]))
    return results
