"""Roles (``roles/<id>.yml``) and processes (``flows/<id>.yml``): model, loading, validation.

One edit to a process shows up in its diagram, its step table, the index of processes,
every role page that lists it and every ``order`` question built from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kefu.bank.model import ID_PATTERN
from kefu.problems import DataError, Problem
from kefu.yamlio import LineDict, YamlFileError, load_yaml_file

SCHEMA_VERSION = 1
MODULES = (
    "服务理念与原则", "服务礼仪与沟通", "客户类型与接待", "客户信息与档案", "客户投诉处理", "售后服务",
    "呼叫中心", "网络客户服务", "主管角色认知", "团队建设", "绩效与薪酬", "大客户管理", "客户关系管理",
    "满意度与忠诚度", "客服产品与服务品牌", "合规与个人信息保护", "情绪管理与压力调适",
)
ROLE_KINDS = ("core", "other")
ROLE_FIELDS = {
    "schema", "id", "title", "kind", "reports_to", "summary", "duties", "qualifications", "permissions",
    "kpis", "learning", "first_30_days", "source",
}
CORE_REQUIRED = ("duties", "qualifications", "kpis", "learning", "first_30_days")
FLOW_FIELDS = {"schema", "id", "title", "module", "purpose", "source", "steps"}
STEP_FIELDS = {"id", "label", "type", "role", "description", "forms", "time_limit", "next"}


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


def load_roles(folder: Path) -> dict[str, Role]:
    roles, problems = check_roles(folder)
    if problems:
        raise DataError(problems, "岗位数据")
    return roles


def load_flows(folder: Path, roles: dict[str, Role]) -> dict[str, Flow]:
    flows, problems = check_flows(folder, roles)
    if problems:
        raise DataError(problems, "流程数据")
    return flows


def _load(path: Path, problems: list[Problem]) -> LineDict | None:
    try:
        data = load_yaml_file(path)
    except YamlFileError as exc:
        problems.append(Problem(str(path), exc.line, "-", exc.message))
        return None
    if not isinstance(data, LineDict):
        problems.append(Problem(str(path), 1, "-", "文件应以“键: 值”开头（schema、id、title …）"))
        return None
    return data


def check_header(data: LineDict, path: Path, fields: set[str], add, *, version: int = SCHEMA_VERSION,
                 titled: bool = True) -> None:
    """What every data file (role, process, assignment) starts with: schema, known fields, id = file name."""
    if data.get("schema") != version:
        add(data.line_of("schema"), "-", f"schema 应为 {version}")
    for key in sorted(set(data) - fields):
        add(data.line_of(key), "-", f"未知字段 “{key}”（可用：{'、'.join(sorted(fields))}）")
    if data.get("id") != path.stem:
        add(data.line_of("id"), "-", f"id 应与文件名一致：{path.stem}")
    if titled and not _text(data.get("title")):
        add(data.line_of("title"), "-", "缺少 title")


def check_roles(folder: Path) -> tuple[dict[str, Role], list[Problem]]:
    roles: dict[str, Role] = {}
    problems: list[Problem] = []
    raw_roles: dict[str, LineDict] = {}
    for path in sorted(folder.glob("*.yml")):
        data = _load(path, problems)
        if data is None:
            continue

        def add(line: int, item: str, message: str, path: Path = path) -> None:
            problems.append(Problem(str(path), line, item, message))

        before = len(problems)
        check_header(data, path, ROLE_FIELDS, add)
        kind = data.get("kind")
        if kind not in ROLE_KINDS:
            add(data.line_of("kind"), "-", "kind 应为 core（本课程岗位）或 other（其他部门/人员）")
        if not _text(data.get("summary")):
            add(data.line_of("summary"), "-", "缺少 summary（一句话说明）")
        if kind == "core":
            for key in CORE_REQUIRED:
                if not data.get(key):
                    add(data.line_of(key), "-", f"核心岗位必须写 {key}")
            for key in ("duties", "qualifications", "first_30_days"):
                if key in data and not _text_list(data[key]):
                    add(data.line_of(key), "-", f"{key} 应为文字列表")
            for kpi in data.get("kpis") or []:
                if not (isinstance(kpi, dict) and all(_text(kpi.get(k)) for k in ("name", "measure", "target"))):
                    add(getattr(kpi, "line", data.line_of("kpis")), "-",
                        "每个 KPI 要有 name、measure、target，且都写成文字（数字目标也要加单位，如 “0 起”“≥ 95%”）")
            for permission in data.get("permissions") or []:
                if not (isinstance(permission, dict) and _text(permission.get("name"))
                        and _text(permission.get("detail"))):
                    add(getattr(permission, "line", data.line_of("permissions")), "-",
                        "每项权限要有 name 和 detail")
            learning = data.get("learning")
            if learning is not None and not isinstance(learning, dict):
                add(data.line_of("learning"), "-", "learning 应包含 quizzes 和 topics")
            for topic in (learning or {}).get("topics") or []:
                if topic not in MODULES:
                    add(data.line_of("learning"), "-", f"未知的课程模块 “{topic}”")
        if len(problems) > before or not isinstance(data.get("id"), str):
            continue
        raw_roles[data["id"]] = data
        learning = data.get("learning") or {}
        roles[data["id"]] = Role(
            id=data["id"], title=data["title"].strip(), kind=kind, summary=data["summary"].strip(),
            reports_to=data.get("reports_to"), duties=_tuple(data.get("duties")),
            qualifications=_tuple(data.get("qualifications")),
            permissions=tuple((p["name"], p["detail"]) for p in data.get("permissions") or []),
            kpis=tuple((k["name"], k["measure"], k["target"]) for k in data.get("kpis") or []),
            quizzes=_tuple(learning.get("quizzes")), topics=_tuple(learning.get("topics")),
            route=learning.get("route"),
            first_30_days=_tuple(data.get("first_30_days")), source=str(data.get("source") or ""),
        )
    for role_id, role in roles.items():
        if role.reports_to is not None and role.reports_to not in roles:
            data = raw_roles[role_id]
            problems.append(Problem(str(folder / f"{role_id}.yml"), data.line_of("reports_to"), "-",
                                    f"reports_to 指向未知岗位 “{role.reports_to}”"))
    return roles, problems


def check_flows(folder: Path, roles: dict[str, Role]) -> tuple[dict[str, Flow], list[Problem]]:
    flows: dict[str, Flow] = {}
    problems: list[Problem] = []
    for path in sorted(folder.glob("*.yml")):
        data = _load(path, problems)
        if data is None:
            continue
        flow, flow_problems = _check_flow(data, path, roles)
        problems += flow_problems
        if flow is not None:
            flows[flow.id] = flow
    return flows, problems


def _check_flow(data: LineDict, path: Path, roles: dict[str, Role]) -> tuple[Flow | None, list[Problem]]:
    problems: list[Problem] = []

    def add(line: int, item: str, message: str) -> None:
        problems.append(Problem(str(path), line, item, message))

    check_header(data, path, FLOW_FIELDS, add)
    if data.get("module") not in MODULES:
        add(data.line_of("module"), "-", f"module 应为课程模块之一：{'、'.join(MODULES)}")
    for key in ("purpose", "source"):
        if not _text(data.get(key)):
            add(data.line_of(key), "-", f"缺少 {key}")
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
    if problems:
        return None, problems
    _check_graph(steps, add)
    if problems:
        return None, problems
    return Flow(id=data["id"], title=data["title"].strip(), module=data["module"],
                purpose=data["purpose"].strip(), source=data["source"].strip(), steps=tuple(steps),
                path=path), []


def _check_step(raw: Any, roles: dict[str, Role], add) -> Step | None:
    if not isinstance(raw, LineDict):
        add(getattr(raw, "line", 0), "-", "每个步骤应是“键: 值”的映射（以 - id: … 开头）")
        return None
    sid = raw.get("id")
    label = sid if isinstance(sid, str) else "(缺少 id)"
    reported = 0  # problems already added for this step
    errors: list[str] = []
    if not isinstance(sid, str) or not ID_PATTERN.match(sid):
        errors.append("步骤 id 只能用小写字母、数字和连字符")
    for key in sorted(set(raw) - STEP_FIELDS):
        add(raw.line_of(key), label, f"未知字段 “{key}”")
        reported += 1
    for key in ("label", "description"):
        if not _text(raw.get(key)):
            errors.append(f"缺少 {key}")
    role = raw.get("role")
    if role not in roles:
        add(raw.line_of("role"), label, f"未知岗位 “{role}”：应为 roles/ 中的岗位 id")
        reported += 1
    kind = raw.get("type", "task")
    if kind not in ("task", "decision"):
        errors.append("type 只能是 decision（判断）或省略")
    branches = _branches(raw.get("next"))
    if branches is None:
        add(raw.line_of("next"), label, "next 应为步骤 id，或 {to: 步骤id, when: 条件} 的列表")
        return None
    if kind == "decision" and (len(branches) < 2 or not all(b.when for b in branches)):
        add(raw.line_of("next"), label, "判断步骤至少要有两个分支，每个分支都要写 when（条件）")
        reported += 1
    forms = raw.get("forms", [])
    if not _text_list(forms, allow_empty=True):
        errors.append("forms 应为表单名称的列表")
    for message in errors:
        add(raw.line, label, message)
    if errors or reported:
        return None
    return Step(id=sid, label=raw["label"].strip(), role=role, description=raw["description"].strip(),
                kind="decision" if kind == "decision" else ("end" if not branches else "task"),
                forms=tuple(forms), time_limit=str(raw["time_limit"]) if raw.get("time_limit") else None,
                next=tuple(branches), line=raw.line)


def _branches(value: Any) -> list[Branch] | None:
    if value is None:
        return []
    if isinstance(value, str):
        return [Branch(value)]
    if isinstance(value, dict):
        value = [value]
    if isinstance(value, list):
        out = []
        for item in value:
            if isinstance(item, str):
                out.append(Branch(item))
            elif isinstance(item, dict) and isinstance(item.get("to"), str):
                when = item.get("when")
                out.append(Branch(item["to"], str(when) if when not in (None, "") else None))
            else:
                return None
        return out
    return None


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


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _text_list(value: Any, allow_empty: bool = False) -> bool:
    return isinstance(value, list) and (allow_empty or bool(value)) and all(_text(v) for v in value)


def _tuple(value: Any) -> tuple[str, ...]:
    return tuple(str(v).strip() for v in value) if isinstance(value, list) else ()


def valid_flows(root: Path) -> dict[str, Flow]:
    """The valid processes under ``root`` (roles/ and flows/), for tools that load banks.

    Problems in them are reported by scripts/check_flows.py and by the site build; a bank
    question naming a broken process is then reported as naming an unknown one.
    """
    roles, _ = check_roles(root / "roles")
    flows, _ = check_flows(root / "flows", roles)
    return flows
