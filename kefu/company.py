"""The company profile (``data/company.yml``): every number and name the company chooses, written once.

Pages, processes, roles, questions and assignments write ``{{ company.limits.agent }}`` (→ "50 元"),
``{{ company.limits.agent.value }}`` (→ "50") or ``{{ company.company.hotline }}``; data files are
expanded here when they are loaded, pages by mkdocs-macros with the same objects. A quantity
stated in the course next to one of its ``terms`` with a different number is a problem
(:func:`consistency_problems`), so a department that changes its limits cannot leave an old copy.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kefu.fields import Const, Field, Keyed, ListOf, Number, Record, Text, Where, document_schema
from kefu.org.routes import ROUTE, Route, make_route
from kefu.problems import DataFile, Problem
from kefu.yamlio import LineDict

SCHEMA_VERSION = 1
PLACEHOLDER = re.compile(r"\{\{\s*company\.([A-Za-z0-9_.]+)\s*\}\}")
_KEY = re.compile(r"^[a-z0-9_]+$")


@dataclass(frozen=True)
class Quantity:
    """A number the company sets, with its unit: renders as "50 元", "3 个工作日", "80%"."""

    value: int | float
    unit: str
    label: str
    terms: tuple[str, ...] = ()
    near: tuple[str, ...] = ()  # words that mark a statement of this quantity (not a case's own figure)
    path: str = ""  # company.limits.agent
    line: int = 0

    def __str__(self) -> str:
        number = f"{self.value:g}"
        return f"{number}{self.unit}" if self.unit in ("%", "％") else f"{number} {self.unit}"


QUANTITY = Record((
    Field("value", Number(), "数值", required=True),
    Field("unit", Text(), "单位，如 元、小时、个工作日、%", required=True),
    Field("label", Text(), "这个数是什么（给编写者看）", required=True),
    Field("terms", ListOf(Text()), "正文中说到它时用的词：在这些词旁写了不同的数会报错", default=()),
    Field("near", ListOf(Text()), "可选：只有附近还出现这些词之一（如 以内、目标、合格）时才算在说这个数，"
                                  "以免把案例里的实际数字当成矛盾", default=()),
))
KPI = Record((
    Field("name", Text(), "指标名称", required=True),
    Field("abbr", Text(), "英文缩写"),
    Field("formula", Text(), "计算方法（口径）", required=True),
    Field("target", QUANTITY, "目标", required=True),
    Field("window", QUANTITY, "观察期（如一次解决率的 7 天）"),
))
COMPANY = Record(tuple(Field(name, Text(), help_text, required=True) for name, help_text in (
    ("name", "公司全称"), ("short_name", "简称"), ("department", "部门名称"), ("products", "产品与服务"),
    ("hotline", "客服热线"), ("service_hours", "服务时间"), ("online_channels", "线上渠道"),
    ("hand_in", "学员怎样交答案文件"), ("trainer_contact", "培训组联系方式"),
)))
QUANTITY_SECTIONS = {
    "limits": "补偿与赔偿的当场决定权限", "complaints": "投诉处理时限", "escalation": "上报时限",
    "after_sales": "售后服务承诺", "call_center": "呼叫中心服务标准", "compliance": "合规与个人信息保护",
    "emotion": "情绪管理与员工保护", "pass_marks": "及格线", "onboarding": "入职安排",
}
PROFILE = Record((
    Field("schema", Const(SCHEMA_VERSION), "公司资料格式版本", required=True, message=f"schema 应为 {SCHEMA_VERSION}"),
    Field("company", COMPANY, "公司与部门", required=True),
    Field("kpis", Keyed(_KEY, value=KPI), "指标：口径只写一次", default={}),
    *(Field(name, Keyed(_KEY, value=QUANTITY), help_text, default={}) for name, help_text in QUANTITY_SECTIONS.items()),
    Field("routes", Keyed(_KEY, value=ROUTE), "学习路线：每周的模块、测验、流程和要做的事", default={}),
))


def company_json_schema() -> dict:
    return document_schema(PROFILE, schema_id=f"company-{SCHEMA_VERSION}.schema.json",
                           title=f"客服培训课程站公司资料（第 {SCHEMA_VERSION} 版）")


class Node(dict):
    """A section of the profile: ``node.key`` and ``node["key"]`` both work (as in Jinja)."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


@dataclass(frozen=True)
class Profile:
    root: Node  # what pages see as ``company``
    path: Path | None = None
    routes: tuple[Route, ...] = ()

    def route(self, route_id: str) -> Route | None:
        return next((r for r in self.routes if r.id == route_id), None)

    def quantities(self) -> Iterator[Quantity]:
        def walk(node: Any) -> Iterator[Quantity]:
            if isinstance(node, Quantity):
                yield node
            elif isinstance(node, dict):
                for value in node.values():
                    yield from walk(value)

        yield from walk(self.root)

    def resolve(self, dotted: str) -> Any:
        """``limits.agent.value`` → 50; raises KeyError naming the part that does not exist."""
        node: Any = self.root
        for part in dotted.split("."):
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, Quantity) and part in ("value", "unit", "label"):
                node = getattr(node, part)
            else:
                raise KeyError(part)
        return node

    def text(self, dotted: str) -> str:
        value = self.resolve(dotted)
        if isinstance(value, dict):
            raise KeyError(dotted)  # a whole section cannot stand in a sentence
        return f"{value:g}" if isinstance(value, float) else str(value)

    def expand_text(self, text: str, report: Callable[[str], None]) -> str:
        def replace(match: re.Match[str]) -> str:
            try:
                return self.text(match.group(1))
            except KeyError:
                report(f"公司资料里没有 company.{match.group(1)}（见 data/company.yml）")
                return match.group(0)

        return PLACEHOLDER.sub(replace, text) if "{{" in text else text

    def expand(self, data: Any, add: Callable[[int, str, str], None], line: int = 0) -> Any:
        """A copy of loaded YAML with every placeholder filled in; unknown keys are reported with their line."""
        if isinstance(data, str):
            return self.expand_text(data, lambda message: add(line, "-", message))
        if isinstance(data, LineDict):
            values = {k: self.expand(v, add, data.line_of(str(k))) for k, v in data.items()}
            if all(values[k] is v for k, v in data.items()):
                return data  # nothing to fill in: keep the (cached, read-only) original
            copy = LineDict(values)
            copy.line, copy.key_lines = data.line, data.key_lines
            return copy
        if isinstance(data, list):
            items = [self.expand(v, add, getattr(v, "line", line)) for v in data]
            return data if all(a is b for a, b in zip(items, data, strict=True)) else items
        return data

    @property
    def pass_marks(self) -> dict[str, float]:
        marks = self.root.get("pass_marks", {})
        return {mode: float(marks[mode].value) for mode in ("practice", "exam") if mode in marks}

    @property
    def hand_in(self) -> str:
        return self.root["company"]["hand_in"]

    @property
    def kpis(self) -> dict[str, tuple[str, str, str]]:
        """KPI id → (name, formula, target text) for role pages."""
        out = {}
        for key, kpi in self.root.get("kpis", {}).items():
            name = f"{kpi['name']}（{kpi['abbr']}）" if kpi.get("abbr") else kpi["name"]
            out[key] = (name, kpi["formula"], _target_text(key, kpi["target"]))
        return out


_AT_MOST = ("abandon", "aht")  # targets that are ceilings, not floors


def _target_text(key: str, target: Quantity) -> str:
    return f"{'≤' if any(key.startswith(p) for p in _AT_MOST) else '≥'} {target}"


EMPTY = Profile(Node({"company": Node(), "kpis": Node()}))


def check_profile(path: Path) -> tuple[Profile, list[Problem]]:
    """The profile (empty when the file does not exist) and every problem in it."""
    if not path.exists():
        return EMPTY, []
    file = DataFile(path)
    problems, add, data = file.problems, file.add, file.load()
    if data is None:
        return EMPTY, problems
    values = PROFILE.check(data, Where(getattr(data, "line", 1), "-", add))
    if values is None or problems:
        return EMPTY, problems
    root = Node(company=Node(values["company"]))
    root["kpis"] = Node()
    for key, kpi in values["kpis"].items():
        raw = data["kpis"][key]
        node = Node(kpi)
        for part in ("target", "window"):
            if kpi[part] is not None:
                node[part] = _quantity(kpi[part], f"kpis.{key}.{part}", raw[part].line)
        root["kpis"][key] = node
    for section in QUANTITY_SECTIONS:
        root[section] = Node({key: _quantity(q, f"{section}.{key}", data[section][key].line)
                              for key, q in values[section].items()})
    profile = Profile(root, path)
    # formulas and route texts may refer to the profile's own quantities
    for key, kpi in root["kpis"].items():
        kpi["formula"] = profile.expand_text(kpi["formula"], lambda m, k=key: add(data["kpis"][k].line, k, m))
    routes = []
    for key, route in values["routes"].items():

        def fill(text: str, line: int = data["routes"][key].line, key: str = key) -> str:
            return profile.expand_text(text, lambda message: add(line, key, message))

        routes.append(make_route(key, _filled(route, fill)))
    return Profile(root, path, tuple(routes)), problems


def _filled(value: Any, fill: Callable[[str], str]) -> Any:
    """Checked values (dicts, lists, texts) with every text's placeholders filled in."""
    if isinstance(value, str):
        return fill(value)
    if isinstance(value, dict):
        return {k: _filled(v, fill) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_filled(v, fill) for v in value]
    return value


def _quantity(values: dict, path: str, line: int) -> Quantity:
    value = values["value"]
    number = int(value) if float(value).is_integer() else value
    return Quantity(number, values["unit"], values["label"], tuple(values["terms"]), tuple(values["near"]),
                    path, line)


# ------------------------------------------------------------------ one set of facts

# units that measure the same thing, converted to a common scale
_UNITS: dict[str, tuple[str, float]] = {
    "秒": ("time", 1 / 60), "分钟": ("time", 1), "小时": ("time", 60),
    "天": ("days", 1), "日": ("days", 1), "个工作日": ("workdays", 1), "工作日": ("workdays", 1),
    "元": ("money", 1), "块": ("money", 1), "%": ("percent", 1), "％": ("percent", 1), "分": ("score", 1),
    "声": ("rings", 1), "通": ("calls", 1), "周": ("weeks", 1),
}
_UNIT_PATTERN = "|".join(sorted(map(re.escape, _UNITS), key=len, reverse=True))
_GAP = r"[^，。；：！？,;:!?|\n\d{}]{0,12}?"  # between a term and its number: the same clause (or table cell)
# a difference ("比合格线低了 7 分"), not the quantity itself
_DELTA = re.compile(r"低了|高了|差了|相差|多了|少了|低于|高于|超出|超过了|提高|降低|增加|减少")
_CLAUSE_END = re.compile(r"[，。；：！？,;:!?|\n]")


def consistency_problems(files: Iterable[Path], profile: Profile) -> list[Problem]:
    """Places that state a profile quantity next to one of its terms with a different number or unit."""
    checks = _checks(tuple(profile.quantities()), profile)
    problems = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        key = (str(path), text, checks)  # mkdocs serve rebuilds: an unchanged file is not scanned again
        if key not in _FILE_PROBLEMS:
            if len(_FILE_PROBLEMS) > 4000:
                _FILE_PROBLEMS.clear()
            _FILE_PROBLEMS[key] = _file_problems(path, text, checks)
        problems += _FILE_PROBLEMS[key]
    return problems


_FILE_PROBLEMS: dict[tuple, list[Problem]] = {}
_CHECKS: dict[tuple, tuple] = {}


def _checks(fingerprint: tuple, profile: Profile) -> tuple:
    """The patterns for one profile's quantities, built once per distinct profile."""
    if fingerprint not in _CHECKS:
        checks = []
        for q in profile.quantities():
            family, scale = _UNITS.get(q.unit, (q.unit, 1))
            for term in q.terms:
                # "结案后 3 个工作日内" (term first) and "15 分钟内到场" (number first)
                pattern = re.compile(re.escape(term) + _GAP + r"(?:≤|≥|不超过|不少于|以内|内)?\s*"
                                     + r"(\d+(?:\.\d+)?)\s*(" + _UNIT_PATTERN + r")"
                                     + r"|(\d+(?:\.\d+)?)\s*(" + _UNIT_PATTERN + r")(?:以内|之内|内)?"
                                     + re.escape(term))
                checks.append((term, pattern, q, family, scale))
        _CHECKS.clear()
        _CHECKS[fingerprint] = tuple(checks)
    return _CHECKS[fingerprint]


def _file_problems(path: Path, text: str, checks: tuple) -> list[Problem]:
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        if "company." in line and not PLACEHOLDER.sub("", line).strip():
            continue
        for term, pattern, q, family, scale in checks:
            if term not in line:
                continue
            text = PLACEHOLDER.sub("〔〕", line)
            for match in pattern.finditer(text):
                stated = float(match.group(1) or match.group(3))
                unit = match.group(2) or match.group(4)
                # "合格线 85 分", "50 元以内" — not "只有 70 分，低于合格线" (a case's own figure)
                after = _CLAUSE_END.split(text[match.end():match.end() + 4], maxsplit=1)[0]
                span = text[match.start():match.end()] + after
                if q.near and not any(word in span for word in q.near):
                    continue
                if _DELTA.search(text[match.start():match.end()]):
                    continue  # "比合格线低了 7 分": a difference, not the quantity itself
                stated_family, stated_scale = _UNITS[unit]
                if stated_family != family and {stated_family, family} != {"days", "workdays"}:
                    continue  # another kind of number near the term (a count, an amount …)
                if stated_family == family and abs(stated * stated_scale - q.value * scale) < 1e-9:
                    continue
                problems.append(Problem(
                    str(path), number, term,
                    f"“{match.group(0).strip()}”与公司资料不一致：{q.label}是 {q}"
                    f"（data/company.yml:{q.line}）。请写成 {{{{ company.{q.path} }}}}"))
    return problems
