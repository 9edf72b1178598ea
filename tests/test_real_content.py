"""Tests of the real roles and processes in roles/ and flows/."""

from __future__ import annotations

import pytest

from conftest import mermaid_sources
from kefu.flows import load_flows, load_roles
from kefu.render_flows import processes_of
from sitebuilder import ROOT


def test_real_roles_and_flows_are_valid_and_every_core_role_has_a_page():
    roles = load_roles(ROOT / "roles")
    flows = load_flows(ROOT / "flows", roles)
    assert len(flows) >= 25
    core = {r.id for r in roles.values() if r.kind == "core"}
    assert len(core) >= 8
    pages = {p.stem for p in (ROOT / "docs/roles").glob("*.md")} - {"index"}
    assert pages == core
    for role_id in core:
        text = (ROOT / f"docs/roles/{role_id}.md").read_text(encoding="utf-8")
        assert f'{{{{ role("{role_id}") }}}}' in text
    supervisor = roles["cs-supervisor"]
    assert {name for name, _ in supervisor.permissions} >= {"决策权", "分派权", "监控权", "知情权", "赏罚权", "建议权"}
    # each core role is responsible in at least one process
    assert all(processes_of(r, flows) for r in core), [r for r in core if not processes_of(r, flows)]


@pytest.mark.browser
def test_every_process_renders_to_a_diagram_without_error(page, real_site, real):
    flows = sorted((real_site.site / "flows").glob("*/index.html"))
    assert len(flows) >= 25
    for html in flows:
        page.goto(real.url + f"flows/{html.parent.name}/")
        page.wait_for_function("document.querySelector('.mermaid') && "
                               "document.querySelector('.mermaid').getBoundingClientRect().height > 100",
                               timeout=15000)
        for source in mermaid_sources(page):
            assert page.evaluate("async s => !!(await mermaid.parse(s))", source), html.parent.name
        assert page.locator("text=Syntax error").count() == 0, html.parent.name
    assert not page.js_errors, page.js_errors


@pytest.mark.browser
@pytest.mark.parametrize("path", ["roles/cs-supervisor/", "flows/complaint-phone/"])
@pytest.mark.parametrize("width", [390, 1280])
def test_role_and_process_pages_fit_phone_and_desktop(browser, real, path, width, tmp_path):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(real.url + path)
    page.wait_for_function("document.querySelector('.mermaid').getBoundingClientRect().height > 100",
                           timeout=15000)
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
    page.screenshot(path=str(tmp_path / f"{path.replace('/', '-')}{width}.png"), full_page=True)
    context.close()
