"""Processes (Mermaid flowchart + step table), role pages and their indexes, from Markdown templates.

``ctx.link(path)`` turns a path under docs/ (``roles/cs-supervisor.md``) into a link relative to the
page being rendered, so MkDocs validates every generated link; data text is escaped by the template.
"""

from __future__ import annotations

from collections.abc import Callable

from kefu.org.flows import Flow, Role
from macros.registry import PageContext, macro
from macros.render.templating import md_text, render_markdown, safe

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
    """A core role as a Markdown link to its page (safe to insert); other parties as plain text."""
    return safe(f"[{md_text(role.title)}]({link(f'roles/{role.id}.md')})") if role.has_page else role.title


def render_process(flow: Flow, roles: dict[str, Role], link: Link, module_pages: dict[str, str] | None = None) -> str:
    steps = []
    for number, step in enumerate(flow.steps, start=1):
        branches = ([{"when": b.when or "", "to": flow.step(b.to).label} for b in step.next]
                    if step.next and (step.kind == "decision" or len(step.next) > 1) else [])
        steps.append({"number": number, "label": step.label, "branches": branches,
                      "role": role_link(roles[step.role], link), "description": step.description,
                      "forms": "、".join(step.forms), "time_limit": step.time_limit})
    module_page = (module_pages or {}).get(flow.module)
    return render_markdown("process.md", flow=flow, steps=steps, diagram=safe(flow_mermaid(flow, roles)),
                           module_link=safe(link(module_page)) if module_page else None)


def render_process_index(flows: dict[str, Flow], roles: dict[str, Role], link: Link, modules: list[str]) -> str:
    groups = []
    for module in modules:
        group = sorted((f for f in flows.values() if f.module == module), key=lambda f: f.id)
        if group:
            groups.append({"module": module, "rows": [
                {"flow": f, "link": safe(link(f"flows/{f.id}.md")),
                 "roles": safe("、".join(md_text(role_link(roles[r], link)) for r in f.roles))} for f in group]})
    by_role = []
    for role in sorted(roles.values(), key=lambda r: (r.kind != "core", r.id)):
        owned = processes_of(role.id, flows, modules)
        if owned:
            items = "、".join(f"[{md_text(f.title)}]({link(f'flows/{f.id}.md')})" for f in owned)
            by_role.append({"role": role_link(role, link), "flows": safe(items)})
    return render_markdown("process_index.md", count=len(flows), groups=groups, by_role=by_role)


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
    return "\n".join(lines)


def render_role(role: Role, roles: dict[str, Role], flows: dict[str, Flow], link: Link,
                quiz_titles: dict[str, str], module_pages: dict[str, str] | None = None) -> str:
    """The data part of a role page; ``module_pages`` (module name → page) links the learning topics."""
    module_pages = module_pages or {}
    boss = roles.get(role.reports_to) if role.reports_to else None
    team = [r for r in roles.values() if r.reports_to == role.id]
    position = f"直接上级：{md_text(role_link(boss, link))}。" if boss else "部门负责人，向公司管理层汇报。"
    if team:
        position += "直接下属：" + "、".join(md_text(role_link(r, link)) for r in team) + "。"
    owned = [{"flow": f, "link": safe(link(f"flows/{f.id}.md")),
              "steps": "、".join(s.label for s in f.steps if s.role == role.id)}
             for f in processes_of(role.id, flows, list(module_pages))]
    topics = "、".join(f"[{md_text(t)}]({link(module_pages[t])})" if t in module_pages else md_text(t)
                       for t in role.topics)
    quizzes = [{"title": quiz_titles.get(q, q), "link": safe(link(f"quizzes/{q}.md"))} for q in role.quizzes]
    return render_markdown("role.md", role=role, position=safe(position), org_chart=safe(org_chart(roles, role.id)),
                           owned=owned, topics=safe(topics), quizzes=quizzes,
                           route_link=safe(link(role.route)) if role.route else None)


def render_role_index(roles: dict[str, Role], flows: dict[str, Flow], link: Link) -> str:
    rows = [{"role": r, "link": role_link(r, link), "count": len(processes_of(r.id, flows))}
            for r in core_roles_by_rank(roles)]
    return render_markdown("role_index.md", org_chart=safe(org_chart(roles)), rows=rows)


@macro
def process(ctx: PageContext, flow_id: str) -> str:
    return render_process(ctx.course.flow(flow_id), ctx.course.roles, ctx.link, ctx.course.module_pages)


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
