"""Roles and processes as data: validation, rendering, pages, and questions built from processes."""

from __future__ import annotations

import re

import jsonschema
import pytest
import yaml

from kefu.bank import check_banks, load_banks
from kefu.org.flows import check_flows, flow_json_schema, load_flows, load_roles, role_json_schema
from macros.render.flows import flow_mermaid, mermaid_text, org_chart, processes_of, render_process
from sitebuilder import FIXTURES, ROOT, build, make_site, module_page

ROLES = FIXTURES / "roles"
FLOWS = FIXTURES / "flows"

EXPECTED = {
    "unknown-role": (15, "b", "未知岗位 “ghost”"),
    "unknown-next-step": (8, "a", "下一步 “nowhere” 不存在"),
    "unreachable-step": (17, "orphan", "走不到这一步"),
    "no-end-step": (8, "-", "没有终点"),
    "cycle-without-condition": (8, "a", "没有条件（when）的环路"),
    "decision-without-when": (13, "a", "每个分支都要写 when"),
    "duplicate-step-id": (17, "b", "步骤 id 重复"),
}


@pytest.fixture(scope="module")
def roles():
    return load_roles(ROLES)


def test_every_rejected_flow_fixture_has_an_expectation():
    assert {p.stem for p in (FLOWS / "rejected").glob("*.yml")} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_rejected_flow_names_file_line_and_step(roles, name, tmp_path):
    (tmp_path / f"{name}.yml").write_bytes((FLOWS / "rejected" / f"{name}.yml").read_bytes())
    flows, problems = check_flows(tmp_path, roles)
    line, item, fragment = EXPECTED[name]
    assert flows == {}
    assert [(p.line, p.item) for p in problems if fragment in p.message] == [(line, item)], problems
    assert len(problems) == 1, "one mistake, one message: no follow-on errors"


def test_valid_flow_model(roles):
    flow = load_flows(FLOWS / "valid", roles)["complaint-demo"]
    assert [s.kind for s in flow.steps] == ["task", "decision", "task", "decision", "task", "end"]
    assert [s.id for s in flow.main_path()] == ["receive", "verify", "solve", "satisfied", "close"]
    assert flow.roles == ["agent", "boss", "customer"]
    assert [f.id for f in processes_of("customer", {flow.id: flow})] == ["complaint-demo"]


def test_mermaid_labels_are_quoted_whatever_they_hold(roles):
    flow = load_flows(FLOWS / "valid", roles)["complaint-demo"]
    source = flow_mermaid(flow, roles)
    assert 'n1{"是否属实？#quot;核实#quot;#35;1<br/><small>客户服务经理</small>"}' in source
    assert '-->|"不属实 #lt;说明#gt;"|' in source
    assert 'n5(["结案归档' in source  # the end step is a rounded terminal
    for line in source.splitlines()[1:]:
        quoted = re.sub(r'"[^"]*"', "", line)
        assert '"' not in quoted and "<" not in quoted, line
    assert mermaid_text('a"b<c>&#d') == "a#quot;b#lt;c#gt;#amp;#35;d"


def test_step_table_links_core_roles_only(roles):
    flow = load_flows(FLOWS / "valid", roles)["complaint-demo"]
    md = render_process(flow, roles, lambda target: f"../{target}")
    assert "| 节点 | 责任人 | 工作内容 | 相关表单 | 时限 |" in md
    assert "[呼叫中心坐席](../roles/agent.md)" in md and "| 客户 |" in md
    assert "属实 → 提出解决方案；不属实 &lt;说明&gt; → 向客户解释" in md


def test_order_question_takes_its_items_from_the_process(roles):
    flows = load_flows(FLOWS / "valid", roles)
    bank = load_banks(FIXTURES / "banks" / "with-process", flows=flows)["process-order"]
    question = bank.question("po-001")
    assert question.items == {"receive": "受理投诉（登记）", "solve": "提出解决方案", "close": "结案归档"}
    assert question.answer == ["receive", "solve", "close"]
    _, problems = check_banks(FIXTURES / "banks" / "with-process", flows={})
    assert any("未知流程 “complaint-demo”" in p.message for p in problems)


# ------------------------------------------------------------------- built site


@pytest.fixture(scope="module")
def flow_site(tmp_path_factory):
    pages = {
        "flows/index.md": "# 流程\n\n{{ process_index() }}\n",
        "roles/index.md": "# 岗位\n\n{{ role_index() }}\n",
        "roles/boss.md": "# 经理\n\n{{ role(\"boss\") }}\n",
        "roles/agent.md": "# 坐席\n\n{{ role(\"agent\") }}\n",
        "quizzes/all-types.md": "# 测验\n\n{{ quiz(\"all-types\") }}\n",
        **module_page("call-center", "呼叫中心", 1), **module_page("complaints", "客户投诉处理", 2),
        **module_page("supervisor", "主管角色认知", 3),
    }
    site = make_site(tmp_path_factory.mktemp("flows"), roles=ROLES, flows=[FLOWS / "valid/complaint-demo.yml"],
                     banks=[FIXTURES / "banks/valid/all-types.yml"], pages=pages)
    result = build(site)
    assert result.ok, result.output
    return result


def test_each_process_gets_a_generated_page(flow_site):
    page = (flow_site.site / "flows/complaint-demo/index.html").read_text(encoding="utf-8")
    assert 'class="kf-mermaid"' in page and "diagrams/diagrams.js" in page
    assert "客户投诉登记表" in page and "24 小时内" in page


def test_role_page_lists_the_processes_computed_from_the_data(flow_site):
    page = (flow_site.site / "roles/agent/index.html").read_text(encoding="utf-8")
    link = '<a href="../../flows/complaint-demo/">投诉处理（样例）</a>'
    assert re.search(link + r".*负责 受理投诉（登记）、提出解决方案、向客户解释", page)
    assert "首次解决率" in page and "第 1 周：旁听资深坐席接听电话" in page
    assert '<a href="../../quizzes/all-types/">六种题型样例</a>' in page
    assert '<a href="../..">学习路线</a>' in page or '<a href="../../">学习路线</a>' in page
    # a learning topic links to its module once the module's overview page exists
    assert '<a href="../../modules/call-center/">呼叫中心</a>' in page
    boss = (flow_site.site / "roles/boss/index.html").read_text(encoding="utf-8")
    assert re.search(r"课程模块：<a [^>]*>主管角色认知</a>", boss)


def test_process_index_groups_by_module_and_role(flow_site):
    page = (flow_site.site / "flows/index.html").read_text(encoding="utf-8")
    assert "客户投诉处理" in page and "按岗位" in page
    assert page.count('href="complaint-demo/"') >= 4  # module table + one per responsible role


def test_unknown_process_stops_the_build(tmp_path):
    site = make_site(tmp_path, roles=ROLES, pages={"x.md": '# X\n\n{{ process("nope") }}\n'})
    result = build(site)
    assert not result.ok and "没有 id 为 “nope” 的流程" in result.output


def test_invalid_flow_stops_the_build_with_file_and_line(tmp_path):
    site = make_site(tmp_path, roles=ROLES, flows=[FLOWS / "rejected/unknown-role.yml"])
    result = build(site)
    assert not result.ok and "unknown-role.yml:15: b: 未知岗位 “ghost”" in result.output


@pytest.mark.parametrize("path", sorted(FLOWS.glob("valid/*.yml")) + sorted((ROOT / "flows").glob("*.yml")),
                         ids=lambda p: p.name)
def test_valid_flows_satisfy_the_json_schema(path):
    jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), flow_json_schema())


@pytest.mark.parametrize("path", sorted(ROLES.glob("*.yml")) + sorted((ROOT / "roles").glob("*.yml")),
                         ids=lambda p: p.name)
def test_roles_satisfy_the_json_schema(path):
    jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), role_json_schema())


def test_flow_schema_catches_misspelled_fields():
    flow = yaml.safe_load((FLOWS / "valid/complaint-demo.yml").read_text(encoding="utf-8"))
    for broken in ({**flow, "modul": "售后服务"},
                   {**flow, "steps": [{**flow["steps"][0], "timelimit": "当场"}, *flow["steps"][1:]]}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(broken, flow_json_schema())


def test_role_schema_requires_the_core_fields():
    boss = yaml.safe_load((ROLES / "boss.yml").read_text(encoding="utf-8"))
    del boss["kpis"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(boss, role_json_schema())


def test_diagram_tints_are_translucent_so_labels_stay_readable_in_dark_mode(roles):
    # Mermaid keeps the theme's label colour (light text in dark mode); an opaque light fill
    # would hide it, as it once did. A translucent tint works on both backgrounds.
    flows = load_flows(FLOWS / "valid", roles)
    sources = flow_mermaid(flows["complaint-demo"], roles) + org_chart(roles, "agent")
    fills = re.findall(r"classDef \w+ fill:(#[0-9a-f]+)", sources)
    assert len(fills) == 3
    assert all(len(f) == 9 and int(f[7:], 16) <= 0x40 for f in fills), fills


def test_role_list_runs_from_the_head_of_the_department_down(roles):
    from macros.render.flows import core_roles_by_rank

    assert [r.id for r in core_roles_by_rank(roles)] == ["boss", "agent"]
    real = core_roles_by_rank(load_roles(ROOT / "roles"))
    assert [r.id for r in real[:2]] == ["cs-manager", "cs-supervisor"]


def test_a_numeric_kpi_target_is_reported_with_what_to_write(tmp_path):
    from kefu.org.flows import check_roles

    boss = (ROLES / "boss.yml").read_text(encoding="utf-8")
    (tmp_path / "boss.yml").write_text(boss.replace("target: ≥ 90%", "target: 0"), encoding="utf-8")
    _, problems = check_roles(tmp_path)
    assert len(problems) == 1 and "写成文字" in str(problems[0]) and "boss.yml:" in str(problems[0])
