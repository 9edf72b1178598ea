"""The trainer's toolkit as a learner meets it in a browser: 培训任务 pages and quiz settings."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from kefu.bank.seeding import drawn_question_ids
from kefu.course import Course
from sitebuilder import ROOT, run_script

pytestmark = pytest.mark.browser
ASSIGNMENT = "2026-12-frontline"


def begin(page, name: str = "王小明", learner_id: str = "E3001") -> None:
    page.fill(".kq-learner input[name=name]", name)
    page.fill(".kq-learner input[name=id]", learner_id)
    page.get_by_role("button", name="开始作答").click()
    page.wait_for_selector(".kq-body:not([hidden])")


def test_assignment_page_opens_quiz_with_its_settings_and_export_records_it(page, real, tmp_path):
    course = Course.load(ROOT)
    assignment = course.assignment(ASSIGNMENT)
    item = assignment.item("frontline-basics")
    bank = course.bank("frontline-basics")
    page.goto(real.url + f"assignments/{ASSIGNMENT}/")
    assert assignment.cohort in page.inner_text("h1")
    row = page.locator("tr", has_text=bank.title)
    assert f"{item.pass_mark:g}%" in row.inner_text() and item.due.isoformat() in row.inner_text()
    row.get_by_role("link", name=bank.title).click()
    page.wait_for_selector(".kq-quiz")
    assert f"?assignment={ASSIGNMENT}" in page.url
    banner = page.inner_text(".kq-assignment")
    assert assignment.cohort in banner and item.due.isoformat() in banner
    facts = page.inner_text(".kq-facts")
    assert f"{item.draw} 题（从 {len(bank.questions)} 题中随机抽取）" in facts
    assert f"及格线 {item.pass_mark:g}%" in facts

    begin(page)
    shown = page.eval_on_selector_all(".kq-q:not([hidden])", "n => n.map(e => e.dataset.qid)")
    assert shown == drawn_question_ids([q.id for q in bank.questions], bank.id, "E3001", item.draw, assignment.id)
    first = next(bank.by_id[qid] for qid in shown if bank.by_id[qid].type in ("single", "multiple", "truefalse"))
    page.locator(f"#q-{first.id} input").first.check()
    with page.expect_download() as download:
        page.once("dialog", lambda d: d.accept())  # "还有 N 题未作答。仍然导出吗？"
        page.get_by_role("button", name="导出答案文件").click()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["assignment"] == ASSIGNMENT and data["questions"] == shown

    answers = tmp_path / "answers"
    answers.mkdir()
    (answers / "a.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, out, _ = run_script("grade", answers, "--out", tmp_path / "report", "--banks", ROOT / "quizzes",
                              "--assignments", ROOT / "assignments", "--assignment", ASSIGNMENT)
    assert code == 0
    (row,) = csv.DictReader(io.StringIO((tmp_path / "report/results.csv").read_text(encoding="utf-8-sig")))
    assert row["需核实"] == ""  # the questions exported are the draw the grader computes
    assert f"frontline-basics（截止 {item.due.isoformat()}，及格线 {item.pass_mark:g}%）：已交 1" in out
    assert not page.js_errors


def test_free_practice_is_kept_apart_from_the_assignment(page, real):
    page.goto(real.url + f"quizzes/frontline-basics/?assignment={ASSIGNMENT}")
    begin(page)
    shown_in_assignment = page.locator(".kq-q:not([hidden])").count()
    page.locator(".kq-q:not([hidden]) input").first.check()
    page.goto(real.url + "quizzes/frontline-basics/")
    page.wait_for_selector(".kq-body:not([hidden])")
    assert page.locator(".kq-assignment").is_hidden()
    assert page.locator(".kq-q:not([hidden])").count() > shown_in_assignment
    assert page.inner_text(".kq-progress").startswith("已答 0 /")


def test_unknown_assignment_in_the_link_is_explained(page, real):
    page.goto(real.url + "quizzes/etiquette/?assignment=2019-old-cohort")
    banner = page.inner_text(".kq-assignment")
    assert "2019-old-cohort" in banner and "默认设置" in banner


def test_progress_page_shows_what_this_browser_did_and_clears_it(page, real):
    page.goto(real.url + "modules/team/")
    page.goto(real.url + "modules/team/structure-and-recruitment/")
    page.goto(real.url + "quizzes/service-brand/")
    begin(page, "李新", "E4002")
    page.locator(".kq-q:not([hidden]) input[type=radio]").first.check()
    page.get_by_role("button", name="检查答案").click()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.method))
    page.goto(real.url + "progress/")
    page.wait_for_selector(".kp-body table")
    team = page.locator("tr", has_text="团队建设").first.inner_text()
    assert "2 / 3" in team  # overview and one topic page of three
    quiz = page.locator("tr", has_text="客服产品与服务品牌").last.inner_text()
    assert "1 / " in quiz and "%" in quiz and "练习" in quiz
    assert "E4002" in page.inner_text(".kp-body")
    assert set(requests) == {"GET"}  # reading progress sends nothing anywhere
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="清除本机的学习记录").click()
    assert "已清除" in page.inner_text(".kp-body")
    assert "0 / 3" in page.locator("tr", has_text="团队建设").first.inner_text()
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('kq:') || k.startsWith('kp:'))") == []
    assert not page.js_errors


def test_a_new_hire_walks_week_one_on_a_phone(browser, real):
    """Home → 入职路线 → the first module, page by page → 下一步 → its quiz → check → 我的进度 → the route ticks."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(real.url)
    page.get_by_role("link", name="开始入职路线").click()
    page.wait_for_url("**/onboarding/")
    first = page.locator(".kr-week").first.locator(".kr-item[data-kind=module] a").first
    module = first.inner_text()
    first.click()
    # read the module page by page with 下一页 until its last page says what to do next
    for _ in range(8):
        next_step = page.locator(".admonition", has_text="下一步：做本模块的测验")
        if next_step.count():
            break
        page.locator("a.md-footer__link--next").click()
        page.wait_for_load_state()
    assert next_step.count() == 1, page.url
    next_step.locator("a").first.click()
    page.wait_for_url("**/quizzes/**")
    quiz_title = page.locator("h1").inner_text().rstrip("¶").strip()
    begin(page, "周新人", "E7001")
    page.locator(".kq-q:not([hidden]) input[type=radio]").first.check()
    page.get_by_role("button", name="检查答案").click()
    assert "得分" in page.inner_text(".kq-result")

    page.goto(real.url + "progress/")
    page.wait_for_selector(".kp-body table")
    row = page.locator("tr", has_text=module).first.inner_text()
    pages = row.split("/")
    assert pages[0].strip().endswith(pages[1].split()[0]), row  # every page of the module read
    assert "%" in page.locator("tr", has_text=quiz_title).last.inner_text()
    assert page.locator(".kp-next a").count() == 1  # and it says what comes next
    links = page.eval_on_selector_all(".kp-body a", "links => links.map(a => a.href)")
    assert links and all(page.request.get(href).ok for href in set(links)), links

    page.goto(real.url + "onboarding/")
    item = page.locator(".kr-item[data-kind=module]", has_text=module).first
    assert item.get_attribute("data-state") == "done" and "已读" in item.inner_text()
    quiz = page.locator(".kr-item[data-kind=quiz]", has_text=quiz_title).first
    assert quiz.get_attribute("data-state") in ("doing", "done") and "%" in quiz.inner_text()
    assert errors == []
    context.close()
