"""Markdown for processes (Mermaid flowchart + step table), role pages and their indexes.

``link(path)`` turns a path under docs/ (``roles/cs-supervisor.md``) into a link relative
to the page being rendered, so MkDocs validates every generated link.
"""

from __future__ import annotations

from collections.abc import Callable

from kefu.org.flows import Flow, Role
from macros.registry import PageContext, macro
from macros.render.text import md_cell

Link = Callable[[str], str]
KIND_NAMES = {"task": "任务", "decision": "判断", "end": "终点"}


# Mermaid's own entity codes: inside a quoted label these are the only characters that can
# end the label or be read as markup; Chinese punctuation needs nothing.
_MERMAID_CODES = {"&": "#amp;", "#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "`": "#96;"}


def mermaid_text(text: str) -> str:
    """Text safe inside a quoted Mermaid label, whatever punctuation it holds."""
    return "".join(_MERMAID_CODES.get(ch, ch) for ch in " ".join(text.split()))


def flow_mermaid(flow: Flow, roles: dict[str, Role]) -> str:
    node = {s.id: f"n{i}" for i, s in enumerate(flow.steps)}
    lines = ["flowchart TD"]
    for step in flow.steps:
        who = roles[step.role].title
        label = f'"{mermaid_text(step.label)}<br/><small>{mermaid_text(who)}</small>"'
        shape = {"decision": "{{{}}}", "end": "([{}])", "task": "[{}]"}[step.kind].format(label)
        lines.append(f"  {node[step.id]}{shape}")
    for step in flow.steps:
        for branch in step.next:
            arrow = f'-->|"{mermaid_text(branch.when)}"|' if branch.when else "-->"
            lines.append(f"  {node[step.id]} {arrow} {node[branch.to]}")
    # translucent fills tint the theme's own node colour, so labels stay readable in light and dark mode
    lines += ["  classDef decision fill:#ef6c0026,stroke:#ef6c00", "  classDef finish fill:#00897b26,stroke:#00897b"]
    decisions = [node[s.id] for s in flow.steps if s.kind == "decision"]
    ends = [node[s.id] for s in flow.steps if s.kind == "end"]
    if decisions:
        lines.append(f"  class {','.join(decisions)} decision")
    if ends:
        lines.append(f"  class {','.join(ends)} finish")
    return "\n".join(lines)


def role_link(role: Role, link: Link) -> str:
    return f"[{md_cell(role.title)}]({link(f'roles/{role.id}.md')})" if role.has_page else md_cell(role.title)


def render_process(flow: Flow, roles: dict[str, Role], link: Link) -> str:
    parts = [
        f"!!! abstract \"{md_cell(flow.title)}\"\n    {md_cell(flow.purpose)}\n\n"
        f"    所属模块：{md_cell(flow.module)} · 出处：{md_cell(flow.source)}\n",
        "```mermaid\n" + flow_mermaid(flow, roles) + "\n```\n",
        "| 节点 | 责任人 | 工作内容 | 相关表单 | 时限 |",
        "|---|---|---|---|---|",
    ]
    for number, step in enumerate(flow.steps, start=1):
        name = f"{number}. {md_cell(step.label)}"
        if step.next and (step.kind == "decision" or len(step.next) > 1):
            name += "<br><small>" + "；".join(
                f"{md_cell(b.when or '')} → {md_cell(flow.step(b.to).label)}" for b in step.next) + "</small>"
        parts.append(
            f"| {name} | {role_link(roles[step.role], link)} | {md_cell(step.description)} "
            f"| {md_cell('、'.join(step.forms)) or '—'} | {md_cell(step.time_limit or '—')} |"
        )
    return "\n".join(parts) + "\n"


def render_process_index(flows: dict[str, Flow], roles: dict[str, Role], link: Link, modules: list[str]) -> str:
    out = [f"共 {len(flows)} 个流程。点击流程名查看流程图和步骤表。\n", "## 按模块\n"]
    for module in modules:
        group = sorted((f for f in flows.values() if f.module == module), key=lambda f: f.id)
        if not group:
            continue
        out += [f"### {module}\n", "| 流程 | 涉及岗位 | 步骤数 | 出处 |", "|---|---|---|---|"]
        for flow in group:
            who = "、".join(role_link(roles[r], link) for r in flow.roles)
            out.append(f"| [{md_cell(flow.title)}]({link(f'flows/{flow.id}.md')}) | {who} "
                       f"| {len(flow.steps)} | {md_cell(flow.source)} |")
        out.append("")
    out.append("## 按岗位\n")
    for role in sorted(roles.values(), key=lambda r: (r.kind != "core", r.id)):
        owned = processes_of(role.id, flows, modules)
        if owned:
            items = "、".join(f"[{md_cell(f.title)}]({link(f'flows/{f.id}.md')})" for f in owned)
            out.append(f"- **{role_link(role, link)}**：{items}")
    return "\n".join(out) + "\n"


def processes_of(role_id: str, flows: dict[str, Flow], modules: list[str] | None = None) -> list[Flow]:
    """Processes in which the role is responsible for at least one step, in module order."""
    order = {name: i for i, name in enumerate(modules or [])}
    return sorted((f for f in flows.values() if role_id in f.roles), key=lambda f: (order.get(f.module, 99), f.id))


def core_roles_by_rank(roles: dict[str, Role]) -> list[Role]:
    """Core roles from the top of the department down (manager, supervisor, then the others)."""
    def depth(role: Role) -> int:
        seen = {role.id}
        while role.reports_to in roles and role.reports_to not in seen:
            role = roles[role.reports_to]
            seen.add(role.id)
        return len(seen) - 1

    return sorted((r for r in roles.values() if r.kind == "core"), key=lambda r: (depth(r), r.id))


def org_chart(roles: dict[str, Role], highlight: str | None = None) -> str:
    core = core_roles_by_rank(roles)
    node = {r.id: f"r{i}" for i, r in enumerate(core)}
    # left to right: the six specialists stack vertically, so the chart stays legible at phone width
    lines = ["flowchart LR"]
    for role in core:
        lines.append(f'  {node[role.id]}["{mermaid_text(role.title)}"]')
    for role in core:
        if role.reports_to in node:
            lines.append(f"  {node[role.reports_to]} --> {node[role.id]}")
    if highlight in node:
        lines += ["  classDef me fill:#e6510040,stroke:#e65100,stroke-width:3px", f"  class {node[highlight]} me"]
    return "```mermaid\n" + "\n".join(lines) + "\n```\n"


def render_role(role: Role, roles: dict[str, Role], flows: dict[str, Flow], link: Link,
                quiz_titles: dict[str, str], module_pages: dict[str, str] | None = None) -> str:
    """The data part of a role page; ``module_pages`` (module name → page) links the learning topics."""
    module_pages = module_pages or {}
    out = [f"!!! info \"岗位概要\"\n    {md_cell(role.summary)}\n"]
    boss = roles.get(role.reports_to) if role.reports_to else None
    team = [r for r in roles.values() if r.reports_to == role.id]
    out.append("## 在组织中的位置\n")
    position = f"直接上级：{role_link(boss, link)}。" if boss else "部门负责人，向公司管理层汇报。"
    if team:
        position += "直接下属：" + "、".join(role_link(r, link) for r in team) + "。"
    out += [position + "（橙色为本岗位）\n", org_chart(roles, role.id)]
    out += ["## 岗位职责\n", *[f"{i}. {md_cell(d)}" for i, d in enumerate(role.duties, 1)], ""]
    out += ["## 任职条件\n", *[f"- {md_cell(q)}" for q in role.qualifications], ""]
    if role.permissions:
        out += ["## 工作权限\n", "| 权限 | 内容 |", "|---|---|",
                *[f"| {md_cell(n)} | {md_cell(d)} |" for n, d in role.permissions], ""]
    out += ["## 考核指标（KPI）\n", "| 指标 | 计算方法 | 目标 |", "|---|---|---|",
            *[f"| {md_cell(n)} | {md_cell(m)} | {md_cell(t)} |" for n, m, t in role.kpis], ""]
    owned = processes_of(role.id, flows, list(module_pages))
    out.append("## 负责的流程\n")
    if owned:
        for flow in owned:
            steps = [s.label for s in flow.steps if s.role == role.id]
            out.append(f"- [{md_cell(flow.title)}]({link(f'flows/{flow.id}.md')})（{md_cell(flow.module)}）："
                       f"负责 {md_cell('、'.join(steps))}")
    else:
        out.append("本岗位暂未在流程数据中承担步骤。")
    out.append("")
    out.append("## 学习路径\n")
    if role.route:
        out.append(f"先按[学习路线]({link(role.route)})一周一周地学，再对照下面的模块和测验查漏补缺。\n")
    if role.topics:
        out.append("课程模块：" + "、".join(
            f"[{md_cell(t)}]({link(module_pages[t])})" if t in module_pages else md_cell(t)
            for t in role.topics) + "\n")
    for quiz in role.quizzes:
        title = quiz_titles.get(quiz, quiz)
        out.append(f"- 测验：[{md_cell(title)}]({link(f'quizzes/{quiz}.md')})")
    out += ["", "## 入职 30 天清单\n", *[f"- [ ] {md_cell(item)}" for item in role.first_30_days], ""]
    if role.source:
        out.append(f"<small>出处：{md_cell(role.source)}</small>\n")
    return "\n".join(out)


def render_role_index(roles: dict[str, Role], flows: dict[str, Flow], link: Link) -> str:
    out = ["## 客服部组织结构\n", org_chart(roles), "## 岗位一览\n",
           "| 岗位 | 概要 | 负责的流程数 |", "|---|---|---|"]
    for role in core_roles_by_rank(roles):
        out.append(f"| {role_link(role, link)} | {md_cell(role.summary)} | {len(processes_of(role.id, flows))} |")
    return "\n".join(out) + "\n"


@macro
def process(ctx: PageContext, flow_id: str) -> str:
    return render_process(ctx.course.flow(flow_id), ctx.course.roles, ctx.link)


@macro
def process_index(ctx: PageContext) -> str:
    return render_process_index(ctx.course.flows, ctx.course.roles, ctx.link, list(ctx.course.module_pages))


@macro
def role(ctx: PageContext, role_id: str) -> str:
    course = ctx.course
    return render_role(course.role(role_id), course.roles, course.flows, ctx.link, course.quiz_titles,
                       course.module_pages)


@macro
def role_index(ctx: PageContext) -> str:
    return render_role_index(ctx.course.roles, ctx.course.flows, ctx.link)
