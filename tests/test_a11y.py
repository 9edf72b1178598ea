"""Accessibility: axe-core finds no serious or critical problem on any kind of page, in light or dark;
on a 390 px phone the generated tables become labelled cards and nothing scrolls sideways.

One test per kind of page, each loading the page twice in one shared Chromium: light at desktop width and
dark at phone width, so both colour schemes and both layouts (the navigation drawer, tables as cards) are
checked without doubling the run. Quiz pages are checked after 开始作答, with feedback and explanations shown
on the practice page; 我的进度 after one practice, so its quiz table is there too.
"""

from __future__ import annotations

import os

import pytest

from sitebuilder import ROOT

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

# Rules that Material for MkDocs' own markup breaks; everything else must pass. (Material's unnamed search
# dialog, aria-dialog-name, needs no exception: our search partial names it 站内搜索.)
THEME_RULES = {
    # Material gives each navigation section a <nav> labelled by its title; the tabs, the drawer and the sidebar
    # repeat some of those titles (课程, 测验 …), so two landmarks share a name.
    "landmark-unique": "Material's navigation landmarks",
}
# Known problems in the theme, narrowed to one element each (none at present).
KNOWN: dict[str, str] = {}

PAGES = {
    "home": "",
    "route": "onboarding/",
    "topic": "modules/complaints/handling/",
    "process": "flows/complaint-phone/",
    "role": "roles/call-center-agent/",
    "practice": "quizzes/complaints/",
    "exam": "quizzes/complaints-exam/",
    "progress": "progress/",
    "assignment": "assignments/2026-12-frontline/",
    "coverage": "coverage/",
    "glossary": "glossary/",
    "flows": "flows/",
    "quizzes": "quizzes/",
    "assignments": "assignments/",
}
AXE_KINDS = [k for k in PAGES if k not in ("flows", "quizzes", "assignments")]  # one page of each kind
# pages whose tables the site generates (macros/templates, progress.js): cards below 600 px
TABLE_KINDS = ["process", "role", "progress", "assignment", "coverage", "flows", "quizzes", "assignments"]
SCHEMES = {"light": {"width": 1280, "height": 900}, "dark": {"width": 390, "height": 844}}

RUN_AXE = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({ target: n.target.join(" "), html: n.html, summary: n.failureSummary })) }));
}"""


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        message = "需要 npm 包 axe-core（node_modules/axe-core）：运行 make setup 或 npm ci"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return AXE.read_text(encoding="utf-8")


def start_quiz(page) -> None:
    """Fill in the learner form and press 开始作答, as a learner would (skipped when this browser already did)."""
    form = page.locator(".kq-learner")
    if form.count() and form.is_visible():
        page.fill("input[name=name]", "王五")
        page.fill("input[name=id]", "E7")
        page.get_by_role("button", name="开始作答").click()
    page.wait_for_selector(".kq-body:not([hidden])")


def practise(page, url: str) -> None:
    """Answer two questions of a practice quiz and check them: feedback, right answers and explanations show."""
    page.goto(url)
    start_quiz(page)
    questions = page.locator(".kq-q:visible")
    for i in range(2):
        questions.nth(i).locator(".kq-option input").first.check()
    page.get_by_role("button", name="检查答案").click()
    page.wait_for_selector(".kq-explain:not([hidden])")


def open_page(page, base: str, kind: str) -> None:
    url = base + PAGES[kind]
    if kind == "practice":
        practise(page, url)
        return
    if kind == "progress":
        practise(page, base + PAGES["practice"])
    page.goto(url)
    if kind == "exam":
        start_quiz(page)
    if kind == "progress":
        page.wait_for_selector(".kp-body table >> nth=1")
    diagrams = page.locator(".kf-diagram-box")
    if diagrams.count():  # Mermaid draws a diagram as it nears the view: check the first one drawn
        diagrams.first.scroll_into_view_if_needed()
        page.wait_for_selector(".kf-diagram-box.kf-drawn, .kf-diagram-box.kf-failed")


def serious(violations: list[dict]) -> list[dict]:
    found = []
    for v in violations:
        if v["impact"] not in ("serious", "critical") or v["id"] in THEME_RULES:
            continue
        nodes = [n for n in v["nodes"] if not (v["id"] in KNOWN and KNOWN[v["id"]] in n["html"])]
        if nodes:
            found.append({**v, "nodes": nodes})
    return found


def describe(scheme: str, violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{scheme}] {v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} 处")
        for n in v["nodes"][:3]:
            lines.append(f"    {n['target']}\n      {n['summary'].splitlines()[-1].strip()}")
    return "\n".join(lines)


@pytest.mark.parametrize("kind", AXE_KINDS)
def test_no_serious_accessibility_problem(axe_source, browser, real, kind):
    report = []
    for scheme, viewport in SCHEMES.items():
        context = browser.new_context(viewport=viewport, color_scheme=scheme)
        try:
            page = context.new_page()
            open_page(page, real.url, kind)
            expected = "slate" if scheme == "dark" else "default"
            assert page.get_attribute("body", "data-md-color-scheme") == expected, f"{scheme} 配色没有生效"
            page.add_script_tag(content=axe_source)
            found = serious(page.evaluate(RUN_AXE))
        finally:
            context.close()
        if found:
            report.append(describe(scheme, found))
    assert not report, f"{real.url}{PAGES[kind]}：axe-core 发现严重的无障碍问题\n" + "\n".join(report)


# the generated tables (a page's own Markdown tables keep Material's sideways-scrolling box)
TABLES = """() => [...document.querySelectorAll(".md-content .kt-stack table")].map(t => ({
  display: getComputedStyle(t).display,
  unlabelled: [...t.querySelectorAll("tbody td:not(:first-child)")].filter(td => !td.dataset.label).length,
  right: Math.round(t.getBoundingClientRect().right) }))"""


@pytest.mark.parametrize("kind", [*TABLE_KINDS, "glossary"])
def test_tables_become_cards_and_nothing_scrolls_sideways_on_a_phone(browser, real, kind):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        open_page(page, real.url, kind)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        tables = page.evaluate(TABLES)
    finally:
        context.close()
    assert overflow <= 1, f"{PAGES[kind]} 在 390px 宽时横向溢出 {overflow}px"
    if kind in TABLE_KINDS:
        assert tables, f"{PAGES[kind]} 没有放在 .kt-stack 里的表格"
    for t in tables:
        assert t["display"] == "block" and t["right"] <= 390, f"{PAGES[kind]} 的表格没有变成卡片：{t}"
        assert t["unlabelled"] == 0, f"{PAGES[kind]} 有 {t['unlabelled']} 个单元格没有列名（data-label）"
