"""Tests of the real roles and processes in roles/ and flows/."""

from __future__ import annotations

import pytest

from kefu.org.flows import load_flows, load_roles
from macros.render.flows import processes_of
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
    import html as htmllib
    import re

    flows = sorted((real_site.site / "flows").glob("*/index.html"))
    assert len(flows) >= 25
    sources = {}
    for path in [*flows, *sorted((real_site.site / "roles").glob("*/index.html"))]:  # read from the built files
        for code in re.findall(r'<pre class="kf-mermaid"><code>(.*?)</code></pre>', path.read_text(encoding="utf-8"),
                               re.DOTALL):
            sources.setdefault(path.parent.name, []).append(htmllib.unescape(code))
    page.goto(real.url + "flows/complaint-phone/")
    page.locator(".kf-diagram-box").first.scroll_into_view_if_needed()  # drawn only when it nears the view
    page.wait_for_selector(".kf-drawn .kf-view svg", timeout=15000)
    failures = page.evaluate("""async all => { const bad = [];
        for (const [name, list] of Object.entries(all)) for (const s of list) {
          try { await window.kefuDiagrams.parse(s); } catch (e) { bad.push(name + ": " + e.message); } }
        return bad; }""", sources)
    assert failures == [] and len(sources) >= 30
    assert not page.js_errors, page.js_errors


@pytest.mark.browser
@pytest.mark.parametrize("path", ["roles/cs-supervisor/", "flows/complaint-phone/"])
@pytest.mark.parametrize("width", [390, 1280])
def test_role_and_process_pages_fit_phone_and_desktop(browser, real, path, width, tmp_path):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(real.url + path)
    page.locator(".kf-diagram-box").first.scroll_into_view_if_needed()  # drawn only when it nears the view
    page.wait_for_selector(".kf-drawn .kf-view svg", timeout=15000)
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


# module name → (a main term search must find it by, its folder, its practice bank)
MANAGEMENT_MODULES = {
    "主管角色认知": ("工作权限", "supervisor", "kefu-basics"),
    "团队建设": ("岗位说明书", "team", "team"),
    "绩效与薪酬": ("绩效面谈", "performance", "performance"),
    "大客户管理": ("顾问式销售", "key-accounts", "key-accounts"),
    "客户关系管理": ("数据挖掘", "crm", "crm"),
    "满意度与忠诚度": ("忠诚度", "satisfaction", "satisfaction"),
    "客服产品与服务品牌": ("服务品牌", "service-brand", "service-brand"),
}
ALL_MODULES = {**{n: (t, s, s) for n, (t, s) in FRONTLINE_MODULES.items()}, **MANAGEMENT_MODULES}


def chinese_chars(text: str) -> int:
    import re

    return len(re.findall(r"[\u4e00-\u9fff]", text))


@pytest.mark.parametrize("name", list(ALL_MODULES))
def test_every_module_has_lesson_anatomy_topics_and_a_bank(name):
    from kefu.course import Course

    _, slug, bank_id = ALL_MODULES[name]
    folder = ROOT / "docs/modules" / slug
    overview = (folder / "index.md").read_text(encoding="utf-8")
    assert f"title: {name}" in overview, slug
    for admonition in ('"学习目标"', '"建议用时"', '"要点"', '"出处"'):
        assert admonition in overview, (slug, admonition)
    topics = [p for p in folder.glob("*.md") if p.name != "index.md"]
    assert len(topics) >= 2, slug
    for topic in topics:
        text = topic.read_text(encoding="utf-8")
        assert chinese_chars(text) >= 1500, topic.name
        assert "??? " in text, f"{topic.name}: 情景练习应有可折叠的参考答案"
    bank = Course.load(ROOT).bank(bank_id)
    assert len(bank.questions) >= 20 and (ROOT / f"docs/quizzes/{bank_id}.md").exists(), slug


def test_management_track_has_two_exams_and_a_route_linked_from_its_roles():
    from kefu.course import Course

    course = Course.load(ROOT)
    exams = [b for b in course.banks.values() if b.mode == "exam" and b.id.removesuffix("-exam")
             in {slug for _, slug, _ in MANAGEMENT_MODULES.values()}]
    assert len(exams) >= 2
    route = course.company.route("manager")
    modules = {m for w in route.weeks for m in w.modules}
    quizzes = {q for w in route.weeks for q in w.quizzes}
    assert set(MANAGEMENT_MODULES) | {"呼叫中心", "客户投诉处理"} <= modules  # operations and complaints too
    assert {bank_id for _, _, bank_id in MANAGEMENT_MODULES.values()} | {e.id for e in exams} <= quizzes
    for role_id in ("cs-supervisor", "cs-manager"):
        assert course.roles[role_id].route == route.page == "manager-route.md"


def test_frontline_route_assignment_and_pre_job_training_agree():
    """One calendar: the route, the sample 培训任务, the pre-job-training process and the agent's role."""
    import datetime as dt

    from kefu.course import Course

    course = Course.load(ROOT)
    route = course.company.route("frontline")
    week = course.company.root["onboarding"]["mock_call_week"].value
    assert route.weeks[week - 1].milestone and "上岗考核" in route.weeks[week - 1].milestone
    assert "call-center-exam" in route.weeks[week - 1].quizzes  # the 上岗考核 written test
    staffing = {"forecasting-and-staffing"}  # the supervisor's arithmetic is not on the frontline route
    assert not staffing & {p.rsplit("/", 1)[-1].removesuffix(".md") for w in route.weeks for p in w.follow}
    assignment = course.assignment("2026-12-frontline")
    first_friday = assignment.items[0].due  # the first quiz is a week-1 quiz
    assert first_friday.weekday() == 4 and route.week_of(assignment.items[0].quiz).number == 1
    for item in assignment.items:
        week_of = route.week_of(item.quiz)
        assert week_of is not None and item.due == first_friday + dt.timedelta(weeks=week_of.number - 1)
        assert item.pass_mark == course.banks[item.quiz].pass_mark
    flow = course.flow("pre-job-training")
    exam_step = next(s for s in flow.steps if s.id == "exam")
    marks = course.company.root["pass_marks"]
    assert str(marks["written_test"]) in exam_step.description and str(marks["mock_call"]) in exam_step.description
    agent = course.roles["call-center-agent"]
    assert agent.route == route.page and agent.quizzes[0] == "frontline-basics"
    assert course.banks["frontline-basics"].id in route.weeks[0].quizzes


@pytest.mark.browser
@pytest.mark.parametrize("name", ALL_MODULES)
def test_search_finds_each_module_by_a_main_term(page, real, name):
    from test_browser import search

    term, slug, _ = ALL_MODULES[name]
    results = search(page, real.url, term)
    assert any(path.startswith(f"modules/{slug}/") for path in results[:5]), (term, results[:5])
