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


FRONTLINE_MODULES = {
    "服务理念与原则": ("服务理念", "service-principles"),
    "服务礼仪与沟通": ("名片", "etiquette"),
    "客户类型与接待": ("挖苦型", "customer-types"),
    "客户信息与档案": ("信用等级", "customer-info"),
    "客户投诉处理": ("投诉升级", "complaints"),
    "售后服务": ("退换货", "after-sales"),
    "呼叫中心": ("话务量", "call-center"),
    "网络客户服务": ("自助服务", "online-service"),
}


def test_every_frontline_module_has_overview_topics_and_a_bank():
    for name, (_, slug) in FRONTLINE_MODULES.items():
        folder = ROOT / "docs/modules" / slug
        assert f"title: {name}" in (folder / "index.md").read_text(encoding="utf-8"), slug
        topics = [p for p in folder.glob("*.md") if p.name != "index.md"]
        assert len(topics) >= 2, slug
        assert (ROOT / f"quizzes/{slug}.yml").exists() and (ROOT / f"docs/quizzes/{slug}.md").exists(), slug


@pytest.mark.browser
@pytest.mark.parametrize("name", sorted(FRONTLINE_MODULES))
def test_search_finds_each_frontline_module_by_a_main_term(page, real, name):
    from test_browser import search

    term, slug = FRONTLINE_MODULES[name]
    results = search(page, real.url, term)
    links = page.locator(".md-search-result__item a").evaluate_all("els => els.map(a => a.href)")
    assert any(f"/modules/{slug}/" in href for href in links[:5]), (term, results[:5], links[:5])
