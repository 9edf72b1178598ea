"""Roles (``roles/<id>.yml``) and processes (``flows/<id>.yml``): model, format, loading, checks.

One edit to a process shows up in its diagram, its step table, the index of processes,
every role page that lists it and every ``order`` question built from it. The formats are
field tables (:mod:`kefu.fields`); the graph rules (steps that exist, are reachable, end) are below.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kefu.bank import ID_PATTERN
from kefu.fields import AnyOf, Choice, Const, Field, Invalid, ListOf, Record, Scalar, Text, Where, document_schema
from kefu.problems import DataError, DataFile, Problem
from kefu.yamlio import LineDict

SCHEMA_VERSION = 1
ROLE_KINDS = ("core", "other")
CORE_REQUIRED = ("duties", "qualifications", "kpis", "learning", "first_30_days")
Expand = Callable[[Any, Callable[[int, str, str], None]], Any]

_ID = Text(ID_PATTERN, noun="小写字母、数字和连字符组成的 id")
_TEXTS = ListOf(Text())


def _header(what: str) -> tuple[Field, ...]:
    return (
        Field("schema", Const(SCHEMA_VERSION), f"{what}格式版本", required=True,
              message=f"schema 应为 {SCHEMA_VERSION}"),
        Field("id", _ID, "等于文件名", required=True),
        Field("title", Text(), "名称", required=True, message="缺少 title"),
    )


KPI = Record((
    Field("kpi", Text(re.compile(r"^[a-z0-9_]+$"), noun="指标 id"),
          "公司资料中定义的指标（data/company.yml 的 kpis），如 fcr；写了它就不用再写 measure 和 target"),
    Field("name", Text(), "指标名称"),
    Field("measure", Text(), "计算方法"),
    Field("target", Text(), "目标，写成文字并带单位，如 ≥ 95%",
          message="target 应写成文字并带单位（如 “0 起”“≥ 95%”）"),
))
ROLE = Record((
    *_header("岗位"),
    Field("kind", Choice(ROLE_KINDS), "core：有岗位页；other：流程中的其他部门", required=True,
          message="kind 应为 core（本课程岗位）或 other（其他部门/人员）"),
    Field("reports_to", _ID, "直接上级的岗位 id；经理写 null", nullable=True),
    Field("summary", Text(), "一句话说明", required=True, message="缺少 summary（一句话说明）"),
    Field("duties", _TEXTS, "岗位职责"),
    Field("qualifications", _TEXTS, "任职条件"),
    Field("permissions", ListOf(Record((Field("name", Text(), "权限", required=True),
                                        Field("detail", Text(), "内容", required=True)))), "工作权限", default=()),
    Field("kpis", ListOf(KPI), "考核指标"),
    Field("learning", Record((
        Field("route", Text(), "学习路线页（docs/ 下的路径）"),
        Field("quizzes", _TEXTS, "测验 id（quizzes/*.yml）", default=()),
        Field("topics", _TEXTS, "课程模块名（docs/modules/*/index.md 的 title）", default=()),
    )), "学习路径"),
    Field("first_30_days", _TEXTS, "入职 30 天清单"),
    Field("source", Text(), "出处", default=""),
))


class _Next(AnyOf):
    """A step's ``next``: one step id, or a list of ``{to, when}`` branches (a lone mapping too)."""

    def check(self, value: Any, where: Where) -> tuple[Branch, ...]:
        if value is None:
            return ()
        if isinstance(value, str) and value.strip():
            return (Branch(value.strip()),)
        items = [value] if isinstance(value, dict) else value
        if not isinstance(items, list):
            raise Invalid(self.noun)
        out = []
        for item in items:
            if isinstance(item, str) and item.strip():
                out.append(Branch(item.strip()))
            elif isinstance(item, dict) and isinstance(item.get("to"), str) and set(item) <= {"to", "when"}:
                when = item.get("when")
                out.append(Branch(item["to"], str(when) if when not in (None, "") else None))
            else:
                raise Invalid(self.noun)
        return tuple(out)


_BRANCH = Record((Field("to", Text(), "下一步的 id", required=True), Field("when", Scalar(), "条件")))
STEP = Record((
    Field("id", _ID, "步骤 id，流程内唯一", required=True, message="步骤 id 只能用小写字母、数字和连字符"),
    Field("label", Text(), "图中显示的短标签（≤ 14 个汉字为宜）", required=True, message="缺少 label"),
    Field("type", Choice(("decision",)), "判断节点（菱形）；next 必须是带 when 的分支列表",
          message="type 只能是 decision（判断）或省略"),
    Field("role", Text(), "责任岗位 id（roles/*.yml）", required=True),
    Field("description", Text(), "这一步做什么、怎么做", required=True, message="缺少 description"),
    Field("forms", _TEXTS, "用到的表单/记录", default=(), message="forms 应为表单名称的列表"),
    Field("time_limit", Scalar(), "时限，如 24 小时内"),
    Field("next", _Next((Text(), ListOf(_BRANCH, min_items=1)), noun="步骤 id，或 {to: 步骤id, when: 条件} 的列表"),
          "下一步：一个步骤 id，或 [{to, when}] 分支列表；终点不写",
          message="next 应为步骤 id，或 {to: 步骤id, when: 条件} 的列表"),
), noun="“键: 值”的映射（以 - id: … 开头）", item_key="id")
FLOW = Record((
    *_header("流程"),
    Field("module", Text(), "所属课程模块（docs/modules/*/index.md 的 title）", required=True, message="缺少 module"),
    Field("purpose", Text(), "这个流程解决什么问题", required=True, message="缺少 purpose"),
    Field("source", Text(), "出处，如 《客服管理工具箱》第九章", required=True, message="缺少 source"),
))  # steps: checked one by one below (STEP), then as a graph


def flow_json_schema() -> dict:
    schema = FLOW.schema()
    schema["properties"]["steps"] = {"type": "array", "minItems": 2, "items": STEP.schema(),
                                     "description": "第一步是起点"}
    schema["required"].append("steps")
    return document_schema(schema, schema_id=f"flow-{SCHEMA_VERSION}.schema.json",
                           title=f"客服培训课程站流程（第 {SCHEMA_VERSION} 版）")


def role_json_schema() -> dict:
    schema = ROLE.schema()
    schema["allOf"] = [{"if": {"properties": {"kind": {"const": "core"}}},
                        "then": {"required": list(CORE_REQUIRED)}}]
    return document_schema(schema, schema_id=f"role-{SCHEMA_VERSION}.schema.json",
                           title=f"客服培训课程站岗位（第 {SCHEMA_VERSION} 版）")


@dataclass(frozen=True)
class Role:
    id: str
    title: str
    kind: str
    summary: str
    reports_to: str | None = None
    duties: tuple[str, ...] = ()
    qualifications: tuple[str, ...] = ()
    permissions: tuple[tuple[str, str], ...] = ()  # (name, detail)
    kpis: tuple[tuple[str, str, str], ...] = ()  # (name, measure, target)
    quizzes: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    route: str | None = None  # a learning-path page under docs/, e.g. onboarding.md
    first_30_days: tuple[str, ...] = ()
    source: str = ""

    @property
    def has_page(self) -> bool:
        return self.kind == "core"


@dataclass(frozen=True)
class Branch:
    to: str
    when: str | None = None


@dataclass(frozen=True)
class Step:
    id: str
    label: str
    role: str
    description: str
    kind: str = "task"  # task | decision | end
    forms: tuple[str, ...] = ()
    time_limit: str | None = None
    next: tuple[Branch, ...] = ()
    line: int = 0


@dataclass(frozen=True)
class Flow:
    id: str
    title: str
    module: str
    purpose: str
    source: str
    steps: tuple[Step, ...]
    path: Path

    def step(self, step_id: str) -> Step:
        return next(s for s in self.steps if s.id == step_id)

    @property
    def depth(self) -> int:
        """Steps on the longest path from the first step (a loop back counts once): how tall its diagram is."""
        following = {s.id: [b.to for b in s.next] for s in self.steps}
        longest: dict[str, int] = {}

        def walk(step_id: str, on_path: frozenset[str]) -> int:
            if step_id in longest:
                return longest[step_id]
            if step_id in on_path or step_id not in following:
                return 0
            result = 1 + max((walk(n, on_path | {step_id}) for n in following[step_id]), default=0)
            longest[step_id] = result
            return result

        return max((walk(s.id, frozenset()) for s in self.steps), default=0)

    @property
    def roles(self) -> list[str]:
        """Role ids responsible for at least one step, in order of first appearance."""
        return list(dict.fromkeys(s.role for s in self.steps))

    def main_path(self) -> list[Step]:
        """The steps met when every decision takes its first branch: the process's usual course."""
        path, seen, step = [], set(), self.steps[0]
        while step.id not in seen:
            seen.add(step.id)
            path.append(step)
            if not step.next:
                break
            step = self.step(step.next[0].to)
        return path


# --------------------------------------------------------------------------- loading


def load_roles(folder: Path, **options: Any) -> dict[str, Role]:
    roles, problems = check_roles(folder, **options)
    if problems:
        raise DataError(problems, "岗位数据")
    return roles


def load_flows(folder: Path, roles: dict[str, Role], **options: Any) -> dict[str, Flow]:
    flows, problems = check_flows(folder, roles, **options)
    if problems:
        raise DataError(problems, "流程数据")
    return flows


def _load(path: Path, problems: list[Problem], expand: Expand | None) -> LineDict | None:
    file = DataFile(path)
    data = file.load()
    if data is not None and not isinstance(data, LineDict):
        file.add(1, "-", "文件应以“键: 值”开头（schema、id、title …）")
        data = None
    if data is not None and expand is not None:
        data = expand(data, file.add)
    problems += file.problems
    return data


def check_id_is_file_name(data: LineDict, path: Path, add) -> None:
    if isinstance(data.get("id"), str) and data["id"] != path.stem:
        add(data.line_of("id"), "-", f"id 应与文件名一致：{path.stem}")


def check_roles(folder: Path, *, modules: Collection[str] | None = None,
                kpis: Mapping[str, tuple[str, str, str]] | None = None,
                expand: Expand | None = None) -> tuple[dict[str, Role], list[Problem]]:
    """Roles and every problem. ``modules``: known module names (None: not checked);
    ``kpis``: the company profile's KPI definitions, id → (name, measure, target) (None: ids not checked)."""
    roles: dict[str, Role] = {}
    problems: list[Problem] = []
    raw_roles: dict[str, LineDict] = {}
    for path in sorted(folder.glob("*.yml")):
        data = _load(path, problems, expand)
        if data is None:
            continue

        def add(line: int, item: str, message: str, path: Path = path) -> None:
            problems.append(Problem(str(path), line, item, message))

        before = len(problems)
        values = ROLE.check(data, Where(data.line, "-", add))
        check_id_is_file_name(data, path, add)
        if values is None or len(problems) > before:
            continue
        if values["kind"] == "core":
            for key in CORE_REQUIRED:
                if not values[key]:
                    add(data.line_of(key), "-", f"核心岗位必须写 {key}")
        learning = values["learning"] or {}
        role_kpis = []
        for raw, kpi in zip(data.get("kpis") or [], values["kpis"] or [], strict=True):
            line = getattr(raw, "line", data.line_of("kpis"))
            if kpi["kpi"] and kpis is None:  # loaded without the company profile: only the id is known
                role_kpis.append((kpi["kpi"], "见 data/company.yml", ""))
            elif kpi["kpi"]:
                known = kpis
                if kpi["kpi"] not in known:
                    add(line, "-", f"未知指标 “{kpi['kpi']}”：应为 data/company.yml 中 kpis 下的 id"
                                   f"（{'、'.join(sorted(known)) or '无'}）")
                    continue
                role_kpis.append(known[kpi["kpi"]])
            elif all(kpi[k] for k in ("name", "measure", "target")):
                role_kpis.append((kpi["name"], kpi["measure"], kpi["target"]))
            else:
                add(line, "-", "每个 KPI 写 kpi: <指标 id>，或写全 name、measure、target"
                               "（都写成文字，数字目标也要加单位，如 “0 起”“≥ 95%”）")
        if len(problems) > before:
            continue
        # a wrong topic is reported, but the role still exists for the processes that name it
        for topic in learning.get("topics") or ():
            if modules is not None and topic not in modules:
                add(data.line_of("learning"), "-", f"未知的课程模块 “{topic}”（应为 docs/modules/*/index.md 的 title）")
        raw_roles[values["id"]] = data
        roles[values["id"]] = Role(
            id=values["id"], title=values["title"], kind=values["kind"], summary=values["summary"],
            reports_to=values["reports_to"], duties=tuple(values["duties"] or ()),
            qualifications=tuple(values["qualifications"] or ()),
            permissions=tuple((p["name"], p["detail"]) for p in values["permissions"]),
            kpis=tuple(role_kpis), quizzes=tuple(learning.get("quizzes") or ()),
            topics=tuple(learning.get("topics") or ()), route=learning.get("route"),
            first_30_days=tuple(values["first_30_days"] or ()), source=values["source"],
        )
    for role_id, role in roles.items():
        if role.reports_to is not None and role.reports_to not in roles:
            data = raw_roles[role_id]
            problems.append(Problem(str(folder / f"{role_id}.yml"), data.line_of("reports_to"), "-",
                                    f"reports_to 指向未知岗位 “{role.reports_to}”"))
    return roles, problems


def check_flows(folder: Path, roles: dict[str, Role], *, modules: Collection[str] | None = None,
                expand: Expand | None = None) -> tuple[dict[str, Flow], list[Problem]]:
    flows: dict[str, Flow] = {}
    problems: list[Problem] = []
    for path in sorted(folder.glob("*.yml")):
        data = _load(path, problems, expand)
        if data is None:
            continue
        flow, flow_problems = _check_flow(data, path, roles, modules)
        problems += flow_problems
        if flow is not None:
            flows[flow.id] = flow
    return flows, problems


def _check_flow(data: LineDict, path: Path, roles: dict[str, Role], modules: Collection[str] | None
                ) -> tuple[Flow | None, list[Problem]]:
    problems: list[Problem] = []

    def add(line: int, item: str, message: str) -> None:
        problems.append(Problem(str(path), line, item, message))

    header = FLOW.check(data.without("steps"), Where(data.line, "-", add))
    check_id_is_file_name(data, path, add)
    if header is not None and header["module"] and modules is not None and header["module"] not in modules:
        add(data.line_of("module"), "-", f"module 应为课程模块之一：{'、'.join(modules)}")
    raw_steps = data.get("steps")
    if not isinstance(raw_steps, list) or len(raw_steps) < 2:
        add(data.line_of("steps"), "-", "steps 至少要有两个步骤")
        return None, problems
    steps: list[Step] = []
    ids: dict[str, int] = {}
    for raw in raw_steps:
        step = _check_step(raw, roles, add)
        if step is None:
            continue
        if step.id in ids:
            add(step.line, step.id, f"步骤 id 重复（第 {ids[step.id]} 行已使用）")
        ids[step.id] = step.line
        steps.append(step)
    # every id written, even on a step rejected for another reason: no follow-on errors
    written = {raw.get("id") for raw in raw_steps if isinstance(raw, dict)}
    for step in steps:
        for branch in step.next:
            if branch.to not in written:
                add(step.line, step.id, f"下一步 “{branch.to}” 不存在")
    if problems or header is None:
        return None, problems
    _check_graph(steps, add)
    if problems:
        return None, problems
    return Flow(id=header["id"], title=header["title"], module=header["module"], purpose=header["purpose"],
                source=header["source"], steps=tuple(steps), path=path), []


def _check_step(raw: Any, roles: dict[str, Role], add) -> Step | None:
    if not isinstance(raw, LineDict):
        add(getattr(raw, "line", 0), "-", "每个步骤应是“键: 值”的映射（以 - id: … 开头）")
        return None
    label = raw.get("id") if isinstance(raw.get("id"), str) else "(缺少 id)"
    reported = 0

    def report(line: int, item: str, message: str) -> None:
        nonlocal reported
        reported += 1
        add(line, label, message)

    values = STEP.check(raw, Where(raw.line, label, report))
    role = raw.get("role")
    if isinstance(role, str) and role not in roles:
        report(raw.line_of("role"), label, f"未知岗位 “{role}”：应为 roles/ 中的岗位 id")
    if values is None or reported:
        return None
    branches = values["next"] or ()
    kind = values["type"] or "task"
    if kind == "decision" and (len(branches) < 2 or not all(b.when for b in branches)):
        add(raw.line_of("next"), label, "判断步骤至少要有两个分支，每个分支都要写 when（条件）")
        return None
    return Step(id=values["id"], label=values["label"], role=role, description=values["description"],
                kind="decision" if kind == "decision" else ("end" if not branches else "task"),
                forms=tuple(values["forms"]), time_limit=values["time_limit"], next=tuple(branches), line=raw.line)


def _check_graph(steps: list[Step], add) -> None:
    by_id = {s.id: s for s in steps}
    if not any(not s.next for s in steps):
        add(steps[0].line, "-", "流程没有终点：至少要有一个没有 next 的步骤")
    reachable, stack = set(), [steps[0].id]
    while stack:
        sid = stack.pop()
        if sid not in reachable:
            reachable.add(sid)
            stack += [b.to for b in by_id[sid].next]
    for step in steps:
        if step.id not in reachable:
            add(step.line, step.id, "从第一步出发走不到这一步")
    # A cycle is fine only if some edge on it carries a condition (otherwise it never ends).
    unconditional = {s.id: [b.to for b in s.next if not b.when] for s in steps}
    state: dict[str, int] = {}

    def visit(sid: str) -> str | None:
        state[sid] = 1
        for nxt in unconditional[sid]:
            if state.get(nxt) == 1:
                return nxt
            if nxt not in state and (found := visit(nxt)):
                return found
        state[sid] = 2
        return None

    for step in steps:
        if step.id not in state and (loop := visit(step.id)):
            add(by_id[loop].line, loop, "存在没有条件（when）的环路：流程会无限循环，请在回到前面的分支上写明条件")
            return


def valid_flows(root: Path) -> dict[str, Flow]:
    """The valid processes under ``root`` (roles/ and flows/), for tools that load only banks.

    Problems in them are reported by ``make check`` and by the site build; a bank question naming
    a broken process is then reported as naming an unknown one.
    """
    roles, _ = check_roles(root / "roles")
    flows, _ = check_flows(root / "flows", roles)
    return flows
