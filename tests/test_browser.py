"""What only a browser shows: search, diagrams, requests, sub-path hosting, the quiz itself."""

from __future__ import annotations

import json
import random
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import mermaid_sources
from kefu.bank import load_banks
from kefu.bank.scoring import score_question
from kefu.bank.seeding import drawn_question_ids
from kefu.rules import learner_key, normalize_fill, page_rules, storage_key
from sitebuilder import FIXTURES, build, make_site

pytestmark = pytest.mark.browser
VALID = FIXTURES / "banks" / "valid"


@pytest.fixture(scope="module")
def quiz_site(tmp_path_factory, request):
    tmp = tmp_path_factory.mktemp("quiz-site")
    banks = sorted(VALID.glob("*.yml"))
    pages = {f"quizzes/{b.stem}.md": f'# {b.stem}\n\n{{{{ quiz("{b.stem}") }}}}\n' for b in banks}
    result = build(make_site(tmp, banks=banks, pages=pages))
    assert result.ok, result.output
    from sitetools import Server

    server = Server(result.site)
    request.addfinalizer(server.close)
    return server


def search(page, base: str, query: str) -> list[str]:
    """The result pages (site paths) for ``query`` typed into the site's search box, as a learner would."""
    from search_report import open_search, results

    page.goto(base)
    open_search(page)
    return results(page, query)


def test_mermaid_diagram_renders_without_syntax_error(page, real):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(real.url + "quizzes/")
    page.locator(".kf-diagram-box").first.scroll_into_view_if_needed()  # drawn only when it nears the view
    page.wait_for_selector(".kf-drawn .kf-view svg", timeout=15000)
    # the course's own Mermaid, imported on demand; Material's integration (which would use a CDN) never starts
    assert page.evaluate("typeof window.mermaid") == "undefined"
    assert any("/assets/vendor/mermaid/mermaid.esm.min.js" in r for r in requests)
    assert not any("mermaid.min.js" in r for r in requests)
    sources = mermaid_sources(page)
    assert sources
    for source in sources:
        assert page.evaluate("async s => !!(await window.kefuDiagrams.parse(s))", source)
    assert page.locator("text=Syntax error").count() == 0
    assert not page.js_errors, page.js_errors


# one page of each kind: what loads there (scripts on demand, diagrams, the search index) is what a learner meets
PAGE_KINDS = ["", "onboarding/", "modules/complaints/handling/", "modules/call-center/forecasting-and-staffing/",
              "flows/complaint-phone/", "roles/call-center-agent/", "quizzes/complaints/", "quizzes/complaints-exam/",
              "progress/", "assignments/2026-12-frontline/", "coverage/", "glossary/", "trainers/mock-call-sheet/"]


def test_no_page_of_any_kind_requests_another_host(page, real):
    """Every built file is scanned statically (tests/test_site.py); here each kind of page is used."""
    host = urlparse(real.url).netloc
    foreign: list[str] = []
    page.on("request", lambda r: foreign.append(r.url)
            if urlparse(r.url).netloc not in (host, "") and not r.url.startswith(("data:", "blob:")) else None)
    for path in PAGE_KINDS:
        page.goto(real.url + path, wait_until="networkidle")
        page.mouse.wheel(0, 20000)  # diagrams load as they near the view
        page.wait_for_load_state("networkidle")
    page.click("[data-kefu-search] input[name=query]")  # and the search index
    page.keyboard.type("投诉")
    page.wait_for_selector("[data-kefu-search] .md-search-result__item")
    assert foreign == [], foreign
    assert page.js_errors == []


def test_site_works_under_a_sub_path(page, real):
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto(real.url, wait_until="networkidle")
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") in (
        "sticky", "fixed")  # Material's CSS loaded
    page.click("a.md-tabs__link:has-text('参考')")
    page.wait_for_load_state("networkidle")
    assert page.url.startswith(real.url) and page.url != real.url
    assert failed == [], failed


# ------------------------------------------------------------------- the quiz


def start(page, url: str, name: str = "张三", learner: str = "E1024") -> None:
    page.goto(url)
    page.fill("input[name=name]", name)
    page.fill("input[name=id]", learner)
    page.get_by_role("button", name="开始作答").click()
    page.wait_for_selector(".kq-body:not([hidden])")


def answer_all_types(page) -> None:
    page.check("#q-at-single input[value=b]")
    for v in ("a", "d"):
        page.check(f"#q-at-multiple input[value={v}]")
    page.check("#q-at-truefalse input[value=false]")
    page.fill("#q-at-fill input", "  ８０ ")
    arrange(page, "at-order", ["s1", "s2", "s3", "s4"])
    for left, right in {"l1": "r2", "l2": "r1", "l3": "r3"}.items():
        page.select_option(f"#q-at-match select[data-left={left}]", right)


def arrange(page, qid: str, target: list[str], confirm: bool = True) -> None:
    """Use the ↑ buttons, as a learner would, until the items are in ``target`` order, then confirm."""
    for position, item in enumerate(target):
        while True:
            current = page.eval_on_selector_all(f"#q-{qid} .kq-item", "n => n.map(e => e.dataset.item)")
            index = current.index(item)
            if index == position:
                break
            page.click(f"#q-{qid} .kq-item[data-item={item}] .kq-up")
    if confirm:
        page.click(f"#q-{qid} .kq-confirm")


def test_practice_quiz_gives_feedback_and_score(page, quiz_site):
    start(page, quiz_site.url + "quizzes/all-types/")
    assert page.inner_text(".kq-progress").startswith("已答 0 / 6")
    answer_all_types(page)
    assert page.inner_text(".kq-progress").startswith("已答 6 / 6")
    page.get_by_role("button", name="检查答案").click()
    # multiple is partial in this bank: a and d of a, b, d earn 2 × 2/3; the rest is right: 8.33
    result = page.inner_text(".kq-result")
    assert "得分 8.3 / 9 分（92.6%）" in result and "达到及格线 60%" in result
    assert "部分正确" in page.inner_text("#q-at-multiple .kq-feedback")
    assert "回答正确" in page.inner_text("#q-at-fill .kq-feedback")
    assert page.is_visible("#q-at-single .kq-explain")
    assert "先听清楚客户的诉求" in page.inner_text("#q-at-single .kq-explain")
    assert not page.js_errors


def test_answers_survive_a_reload_and_export_matches(page, quiz_site):
    url = quiz_site.url + "quizzes/final-exam/"
    start(page, url, "李四", "E2048")
    bank = load_banks(VALID)["final-exam"]
    expected_ids = drawn_question_ids([q.id for q in bank.questions], bank.id, "E2048", bank.draw)
    shown = page.eval_on_selector_all(".kq-q:not([hidden])", "n => n.map(e => e.dataset.qid)")
    assert shown == expected_ids  # the page draws exactly what the grader expects
    assert page.get_by_role("button", name="检查答案").count() == 0  # exam: no feedback
    answers = {"fe-001": "b", "fe-002": "二十四", "fe-003": False,
               "fe-004": ["k2", "m1", "a9"]}
    answers = {k: v for k, v in answers.items() if k in shown}
    for qid, value in answers.items():
        if qid == "fe-001":
            page.check("#q-fe-001 input[value=b]")
        elif qid == "fe-002":
            page.fill("#q-fe-002 input", value)
        elif qid == "fe-003":
            page.check("#q-fe-003 input[value=false]")
        else:
            arrange(page, "fe-004", value)
    page.reload()
    page.wait_for_selector(".kq-body:not([hidden])")
    assert page.inner_text(".kq-progress").startswith(f"已答 {len(answers)} / 3")
    if "fe-002" in answers:
        assert page.input_value("#q-fe-002 input") == "二十四"
    with page.expect_download() as download:
        page.get_by_role("button", name="导出答案文件").click()
    file = download.value
    assert file.suggested_filename.startswith("final-exam-E2048-")
    data = json.loads(Path(file.path()).read_text(encoding="utf-8"))
    assert data["format"] == "quiz-answers/1" and data["quiz"] == "final-exam"
    assert data["bank_version"] == bank.version
    assert data["learner"] == {"name": "李四", "id": "E2048"}
    assert data["questions"] == expected_ids
    assert data["answers"] == answers
    assert data["question_versions"] == {q: bank.question(q).fingerprint for q in expected_ids}
    assert data["started_at"][:2] == "20" and data["submitted_at"] >= data["started_at"]


def test_clear_asks_first_and_then_deletes(page, quiz_site):
    start(page, quiz_site.url + "quizzes/all-types/")
    page.check("#q-at-single input[value=a]")
    page.once("dialog", lambda d: d.dismiss())
    page.get_by_role("button", name="清除作答").click()
    assert page.is_checked("#q-at-single input[value=a]")
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="清除作答").click()
    assert not page.is_checked("#q-at-single input[value=a]")
    page.reload()
    page.wait_for_selector(".kq-body:not([hidden])")
    assert page.inner_text(".kq-progress").startswith("已答 0")


def test_hostile_bank_runs_no_script(page, quiz_site):
    start(page, quiz_site.url + "quizzes/hostile/")
    page.hover("#q-ho-001 .kq-stem")
    page.check("#q-ho-001 input[value=c]")
    page.get_by_role("button", name="检查答案").click()
    assert page.evaluate("window.__pwned") is None
    assert "<script>window.__pwned = 1</script>" in page.inner_text("#q-ho-001 .kq-stem")
    assert "{{ x }}" in page.inner_text("#q-ho-001 .kq-stem")
    assert not page.js_errors


def test_page_scoring_and_seeding_agree_with_the_grader(page, quiz_site):
    """quiz.js and kefu.bank.scoring / kefu.bank.seeding must never disagree."""
    start(page, quiz_site.url + "quizzes/all-types/")
    bank = load_banks(VALID)["all-types"]
    payload = page.evaluate("JSON.parse(document.querySelector('.kq-data').textContent)")
    assert payload["rules"] == page_rules()  # the page follows the rules defined in kefu/rules.py
    rng = random.Random(7)
    cases = []
    for _ in range(300):
        q = rng.choice(bank.questions)
        cases.append((q.id, random_response(q, rng)))
    js = page.evaluate(
        """([rules, qs, cases]) => cases.map(([id, r]) =>
              window.kefuQuiz.scoreQuestion(rules, qs.find(q => q.id === id), r === null ? undefined : r))""",
        [payload["rules"], payload["questions"], cases])
    py = [score_question(bank.question(i), r, bank.scoring_for(bank.question(i))) for i, r in cases]
    assert js == pytest.approx(py, abs=1e-4)
    ids = [f"q{i}" for i in range(40)]
    learners = ["E1", "张三", "x-99", "ｅ２００２", " e2002 "]
    for learner in learners:
        for assignment in (None, "cohort-a"):
            js_draw = page.evaluate("([r, ids, l, a]) => window.kefuQuiz.rules(r).drawnIds(ids, 'b', l, 12, a)",
                                    [payload["rules"], ids, learner, assignment])
            assert js_draw == drawn_question_ids(ids, "b", learner, 12, assignment)
    texts = [*learners, "Straße", "İstanbul", "ＦＣＲ  率", "  八十 ", "ǅ", "Ω", "ﬁ"]
    js_rules = page.evaluate("""([r, texts]) => { const k = window.kefuQuiz.rules(r);
        return texts.map(t => [k.learnerKey(t), k.normFill(t), k.storageKey('all-types', t, null),
                               k.storageKey('all-types', t, 'cohort-a')]); }""", [payload["rules"], texts])
    py_rules = [[learner_key(t), normalize_fill(t), storage_key("all-types", t),
                 storage_key("all-types", t, "cohort-a")] for t in texts]
    assert js_rules == py_rules


def random_response(q, rng: random.Random):
    if rng.random() < 0.1:
        return None
    if q.type == "single":
        return rng.choice(list(q.options))
    if q.type == "multiple":
        return sorted(rng.sample(list(q.options), rng.randint(1, len(q.options))))
    if q.type == "truefalse":
        return rng.random() < 0.5
    if q.type == "fill":
        return rng.choice([*q.answer, "错的", " ８０", "ＢＡＤ"])
    if q.type == "order":
        return rng.sample(list(q.items), len(q.items))
    keys = list(q.right)
    return {left: rng.choice(keys) for left in q.left}


@pytest.mark.parametrize("bank", ["hostile", "all-types"])
@pytest.mark.parametrize("width,scheme", [(390, "dark"), (1280, "light")])
def test_quiz_fits_phone_and_dark_mode(browser, quiz_site, bank, width, scheme, tmp_path):
    context = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme)
    page = context.new_page()
    page.goto(quiz_site.url + f"quizzes/{bank}/")
    page.fill("input[name=name]", "王五")
    page.fill("input[name=id]", "E7")
    page.get_by_role("button", name="开始作答").click()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"页面在 {width}px 宽时横向溢出 {overflow}px"
    page.screenshot(path=str(tmp_path / f"quiz-{bank}-{width}-{scheme}.png"), full_page=True)
    context.close()


def test_exported_file_grades_to_the_score_the_page_showed(page, quiz_site, tmp_path):
    """Browser → export → scripts/grade.py: the page and the grader agree on the score."""
    from test_grade import read_csv, run

    start(page, quiz_site.url + "quizzes/all-types/", "周九", "E9009")
    answer_all_types(page)
    page.get_by_role("button", name="检查答案").click()
    assert "得分 8.3 / 9" in page.inner_text(".kq-result")
    with page.expect_download() as download:
        page.get_by_role("button", name="导出答案文件").click()
    exported = tmp_path / download.value.suggested_filename
    download.value.save_as(exported)
    code, stdout, stderr = run(exported, "--banks", VALID, "--out", tmp_path / "report")
    assert code == 0, stdout + stderr
    (row,) = read_csv(tmp_path / "report" / "results.csv")
    assert (row["工号"], row["姓名"], row["得分"], row["百分比"]) == ("E9009", "周九", "8.3333", "92.59")
    from jsonschema import validate

    from kefu.grading.answers import export_json_schema

    validate(json.loads(exported.read_text(encoding="utf-8")), export_json_schema())  # the written contract


@pytest.fixture(scope="module")
def calculator_site(tmp_path_factory, request):
    from sitetools import Server

    pages = {"staffing.md": "# 人力计算器\n\n{{ staffing_calculator() }}\n"}
    result = build(make_site(tmp_path_factory.mktemp("staffing"), pages=pages))
    assert result.ok, result.output
    server = Server(result.site)
    request.addfinalizer(server.close)
    return server


def test_staffing_calculator_computes_and_explains_bad_input(page, calculator_site):
    page.goto(calculator_site.url + "staffing/")
    result = page.locator(".ks-result")
    assert "需要在线坐席14 人" in result.inner_text().replace("\t", "").replace("\n", "")
    assert "考虑缺勤与休息后应排班20 人" in result.inner_text().replace("\t", "").replace("\n", "")
    page.fill("input[name=calls]", "200")
    assert "20 Erlang" in result.inner_text()
    page.fill("input[name=level]", "100")
    assert "目标服务水平应在" in page.locator(".ks-error").inner_text()
    page.fill("input[name=level]", "")
    assert page.locator(".ks-error").inner_text() == "请把每一项都填上数字。"
    assert not page.js_errors


def test_staffing_calculator_agrees_with_python(page, calculator_site):
    from kefu.erlang import staffing

    page.goto(calculator_site.url + "staffing/")
    cases = [(calls, aht, level, target) for calls in (5, 37, 100, 480, 2500) for aht in (60, 185, 420)
             for level in (0.7, 0.8, 0.95) for target in (10, 20, 60)]
    js = page.evaluate("cases => cases.map(c => window.kefuStaffing.staffing(c[0], c[1], c[2], c[3], 1800, 0.3))",
                       cases)
    for case, got in zip(cases, js, strict=True):
        expected = staffing(*case, shrinkage=0.3)
        assert (got["agents"], got["scheduled"]) == (expected.agents, expected.scheduled), case
        assert got["service_level"] == pytest.approx(expected.service_level, abs=1e-9), case


# ------------------------------------------------------------ a learner's answers are theirs (issue 14)


def test_switching_learner_clears_every_answer_feedback_and_score(page, quiz_site):
    start(page, quiz_site.url + "quizzes/all-types/", "甲", "E1101")
    answer_all_types(page)
    page.get_by_role("button", name="检查答案").click()
    assert "得分" in page.inner_text(".kq-result")
    page.get_by_role("button", name="更换学员").click()
    page.fill("input[name=name]", "乙")
    page.fill("input[name=id]", "E1102")
    page.get_by_role("button", name="开始作答").click()
    assert page.inner_text(".kq-progress").startswith("已答 0 / 6")
    assert page.eval_on_selector_all(".kq-quiz input:checked", "n => n.length") == 0
    assert page.input_value("#q-at-fill input") == ""
    assert page.eval_on_selector_all("#q-at-match select", "n => n.map(s => s.value)") == ["", "", ""]
    assert page.eval_on_selector_all(".kq-feedback:not([hidden]), .kq-explain:not([hidden])", "n => n.length") == 0
    assert page.inner_text(".kq-result") == "" and page.locator(".kq-correct").count() == 0
    assert page.evaluate("document.activeElement.closest('.kq-q') !== null")  # focus on the first question
    page.check("#q-at-truefalse input[value=true]")
    with page.expect_download() as download:
        page.once("dialog", lambda d: d.accept())
        page.get_by_role("button", name="导出答案文件").click()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["learner"]["id"] == "E1102" and data["answers"] == {"at-truefalse": True}
    page.get_by_role("button", name="更换学员").click()  # back to the first learner: their answers return
    page.fill("input[name=name]", "甲")
    page.fill("input[name=id]", "e1101")  # the same learner, typed in lower case
    page.get_by_role("button", name="开始作答").click()
    assert page.inner_text(".kq-progress").startswith("已答 6 / 6")


def test_two_tabs_of_one_quiz_keep_both_tabs_answers(browser, quiz_site):
    context = browser.new_context()
    first, second = context.new_page(), context.new_page()
    start(first, quiz_site.url + "quizzes/all-types/", "丙", "E1201")
    second.goto(quiz_site.url + "quizzes/all-types/")  # the same browser remembers who is answering
    second.wait_for_selector(".kq-body:not([hidden])")
    first.check("#q-at-single input[value=b]")
    first.fill("#q-at-fill input", "80")
    second.check("#q-at-truefalse input[value=false]")
    first.wait_for_function("document.querySelector('#q-at-truefalse input[value=false]').checked")
    stored = second.evaluate("JSON.parse(localStorage.getItem('kq:v1:all-types:E1201')).answers")
    assert stored == {"at-single": "b", "at-fill": "80", "at-truefalse": False}
    second.reload()
    second.wait_for_selector(".kq-body:not([hidden])")
    assert second.inner_text(".kq-progress").startswith("已答 3 / 6")
    context.close()


def test_an_ordering_question_counts_only_when_confirmed_and_never_starts_solved(page, quiz_site):
    start(page, quiz_site.url + "quizzes/all-types/", "丁", "E1301")
    bank = load_banks(VALID)["all-types"]
    start_order = page.eval_on_selector_all("#q-at-order .kq-item", "n => n.map(e => e.dataset.item)")
    assert start_order != bank.question("at-order").answer
    page.click("#q-at-order .kq-item:nth-child(2) .kq-up")
    assert page.inner_text(".kq-progress").startswith("已答 0")  # moving is not answering
    label = page.get_attribute("#q-at-order .kq-item:nth-child(1) .kq-up", "aria-label")
    assert label.startswith("上移“") and label.endswith("”")
    assert "现在是第 1 项" in page.inner_text("#q-at-order .kq-announce")
    page.click("#q-at-order .kq-confirm")
    assert page.inner_text(".kq-progress").startswith("已答 1")
    page.get_by_role("button", name="检查答案").click()
    key = page.inner_text("#q-at-order .kq-key")
    order = bank.question("at-order")
    assert "正确顺序" in key and all(order.items[k] in key for k in order.answer)
