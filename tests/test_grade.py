"""The grading script: inputs named for their outcome, golden reports, hand-checked statistics."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from openpyxl import load_workbook

from kefu.bank import load_banks
from kefu.bank.seeding import drawn_question_ids
from kefu.grading.itemstats import item_stats, quiz_stats
from sitebuilder import FIXTURES, ROOT, load_script, run_script

ANSWERS = FIXTURES / "answers"
BANKS = FIXTURES / "banks" / "valid"
GOLDEN = FIXTURES / "golden"

grade_cli = load_script("grade")


def run(*args: str | Path) -> tuple[int, str, str]:
    return run_script("grade", *args)


def read_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "CSV 应带 BOM，Excel 才能正确显示中文"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    out = tmp_path_factory.mktemp("grade") / "report"
    code, stdout, stderr = run(ANSWERS, "--banks", BANKS, "--out", out)
    return code, stdout, stderr, out


def by_learner(out: Path) -> dict[str, dict[str, str]]:
    return {row["工号"]: row for row in read_csv(out / "results.csv")}


def test_some_rejected_gives_exit_1_and_all_files(graded):
    code, stdout, stderr, out = graded
    assert code == 1, stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "items.csv", "rejected.csv", "report.html", "results.csv", "results.xlsx"]
    assert "已评分" in stdout and "得分率最低的题" in stdout


def test_scores_are_recomputed_never_trusted(graded):
    rows = by_learner(graded[3])
    assert rows["E1001"]["得分"] == "9" and rows["E1001"]["是否及格"] == "是"
    assert rows["E1003"]["得分"] == "0"  # its file claims 9 points


def test_best_attempt_counts_and_attempts_are_counted(graded):
    row = by_learner(graded[3])["E1002"]
    assert row["作答次数"] == "2" and row["得分"] == "9" and "second_attempt_better" in row["备注"]


def test_bank_changed_grades_unchanged_questions_and_says_which_were_skipped(graded):
    row = by_learner(graded[3])["E1004"]
    assert row["满分"] == "8" and row["at-single"] == "" and "at-single" in row["备注"]


@pytest.mark.parametrize("learner,score", [("E2001", "9"), ("E2002", "1.3333"), ("E2003", "7"),
                                           ("E3001", "9"), ("E5001", "3")])
def test_spreadsheets_in_any_encoding_and_typing_style(graded, learner, score):
    assert by_learner(graded[3])[learner]["得分"] == score


def test_xlsx_that_is_really_a_csv_is_read_with_a_note(graded):
    row = by_learner(graded[3])["E4001"]
    assert row["得分"] == "1" and "其实是 CSV" in row["备注"]


REJECTED = {
    "binary.json": "二进制文件",
    "empty.json": "文件是空的",
    "truncated.json": "JSON 格式错误（第 1 行第",
    "not_an_export.json": "不是测验导出文件",
    "unknown_quiz.json": "没有测验 “no-such-quiz” 的题库",
    "wrong_shape.json": "at-multiple 的答案格式不对",
    "missing_learner_id.json": "缺少学员工号",
    "duplicate_of_all_correct.json": "内容完全相同（重复文件）",
    "unknown_headers.csv": "无法识别的列：第一题",
    "form_tool_export.xlsx（第 3 行）": "这一行没有工号",
}


def test_every_bad_input_is_rejected_with_its_reason(graded):
    rows = read_csv(graded[3] / "rejected.csv")
    found = {Path(r["来源"]).name: r["原因"] for r in rows}
    for name, reason in REJECTED.items():
        assert reason in found.get(name, ""), (name, found.get(name))
    assert len(rows) == len(REJECTED)


def test_results_and_items_match_the_golden_files(graded):
    out = graded[3]
    for name in ("results.csv", "items.csv"):
        produced = (out / name).read_text(encoding="utf-8-sig").replace(str(ANSWERS) + "/", "")
        expected = (GOLDEN / name).read_text(encoding="utf-8-sig")
        assert produced == expected, f"{name} 与 tests/fixtures/golden/{name} 不同"


def test_xlsx_holds_the_same_rows_as_the_csv(graded):
    out = graded[3]
    sheet = load_workbook(out / "results.xlsx", read_only=True).worksheets[0]
    xlsx = [["" if c is None else str(c) for c in row] for row in sheet.iter_rows(values_only=True)]
    rows = list(csv.reader(io.StringIO((out / "results.csv").read_text(encoding="utf-8-sig"))))
    assert [r[:3] for r in xlsx] == [r[:3] for r in rows]


def test_report_is_self_contained_chinese_html(graded):
    html = (graded[3] / "report.html").read_text(encoding="utf-8")
    assert "<svg" in html and "成绩分布" in html and "需要改进的题目" in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html and "<script" not in html
    assert "把权限与例子配对" in html  # flagged question shown with its text


def test_refuses_non_empty_output_then_force_keeps_the_old_one(tmp_path):
    out = tmp_path / "report"
    out.mkdir()
    (out / "keep.txt").write_text("旧文件")
    code, _, stderr = run(ANSWERS / "all_correct.json", "--banks", BANKS, "--out", out)
    assert code == 2 and "已存在且不为空" in stderr and (out / "keep.txt").exists()
    code, stdout, _ = run(ANSWERS / "all_correct.json", "--banks", BANKS, "--out", out, "--force")
    assert code == 0 and (out / "results.csv").exists() and "原输出文件夹已改名保留" in stdout
    backups = list(tmp_path.glob("report.old-*"))
    assert len(backups) == 1 and (backups[0] / "keep.txt").read_text() == "旧文件"


def test_usage_and_bank_errors_exit_2(tmp_path):
    assert run(ANSWERS, "--banks", tmp_path / "none", "--out", tmp_path / "o")[0] == 2
    broken = tmp_path / "banks"
    broken.mkdir()
    shutil.copy(FIXTURES / "banks/rejected/empty-stem.yml", broken)
    code, _, stderr = run(ANSWERS, "--banks", broken, "--out", tmp_path / "o")
    assert code == 2 and "empty-stem.yml:8: es-001" in stderr and not (tmp_path / "o").exists()
    assert run("--banks", BANKS)[0] == 2


def test_attempt_rule_and_scoring_override(tmp_path):
    files = [ANSWERS / "partly_correct.json", ANSWERS / "second_attempt_better.json"]
    code, _, _ = run(*files, "--banks", BANKS, "--out", tmp_path / "first", "--attempt", "first",
                     "--scoring", "all_or_nothing")
    assert code == 0
    row = by_learner(tmp_path / "first")["E1002"]
    # single 1 + fill 1 + order 2 of 4 positions (partial) 1; multiple a,d is 0 under all_or_nothing
    assert row["at-multiple"] == "0" and row["得分"] == "3"


def test_all_clean_inputs_exit_0(tmp_path):
    code, stdout, _ = run(ANSWERS / "all_correct.json", "--banks", BANKS, "--out", tmp_path / "r")
    assert code == 0 and "已评分 1 人次" in stdout


# ------------------------------------------------------------ hand-computed statistics


def test_item_statistics_on_a_small_matrix():
    # 4 learners × 3 one-point items
    matrix = np.array([[1, 1, 1], [1, 1, 0], [1, 0, 0], [0, 0, 0]], float)
    totals = matrix.sum(axis=1)  # 3, 2, 1, 0
    first = item_stats("q1", matrix[:, 0], totals, 1.0)
    # facility 3/4; sd = sqrt(0.25) = 0.5; rest = 2,1,0,0 (mean .75, var 11/12)
    # cov(x, rest) = (.25*1.25 + .25*.25 + .25*-.75 + -.75*-.75)/3 = 0.25
    assert first.facility == 75.0 and first.sd == 50.0
    assert first.discrimination == pytest.approx(100 * 0.25 / np.sqrt(0.25 * 11 / 12), abs=0.01)
    assert first.efficiency == 100.0  # already perfectly ordered
    stats = quiz_stats(matrix, 3.0)
    # totals 3,2,1,0: mean 1.5 (50%), median 1.5, var 5/3, item variances .25+.3333+.25
    assert stats.mean == 50.0 and stats.median == 50.0
    assert stats.sd == pytest.approx(100 * np.sqrt(5 / 3) / 3, abs=0.01)
    alpha = 3 / 2 * (1 - (0.25 + 1 / 3 + 0.25) / (5 / 3))
    assert stats.alpha == pytest.approx(100 * alpha, abs=0.01)  # KR-20 for 0/1 items: 75%
    assert stats.error_ratio == pytest.approx(100 * np.sqrt(1 - alpha), abs=0.01)
    assert stats.skewness == 0.0


def test_flags_name_their_reason():
    easy = item_stats("easy", np.ones(10), np.arange(10.0), 1.0)
    assert any("过易" in f for f in easy.flags)
    hard = item_stats("hard", np.array([1.0] + [0.0] * 9), np.arange(10.0), 1.0)
    assert any("过难" in f for f in hard.flags)
    reversed_item = item_stats("rev", np.array([1, 1, 0, 0], float), np.array([1, 1, 3, 3], float), 1.0)
    assert any("区分度低" in f for f in reversed_item.flags)


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal_only_for_long_runs():
    terminal = FakeTerminal()
    bar = grade_cli.Progress(terminal)
    for done in (1, 500, 1000):
        bar.update(done, 1000)
    text = terminal.getvalue()
    assert "[" in text and "100.0%  1000/1000" in text and text.endswith("\n")
    short = FakeTerminal()
    grade_cli.Progress(short).update(10, 10)
    assert short.getvalue() == ""
    redirected = io.StringIO()
    grade_cli.Progress(redirected).update(1000, 1000)
    assert redirected.getvalue() == ""
    quiet = FakeTerminal()
    grade_cli.Progress(quiet, enabled=False).update(1000, 1000)
    assert quiet.getvalue() == ""


# ------------------------------------------------------------ scores a trainer can trust (issue 14)

HOSTILE = FIXTURES / "hostile"


def test_an_export_listing_one_question_is_graded_on_the_whole_bank(tmp_path):
    from fixtures.make_answer_fixtures import KEY, export

    data = export("E8001", "孙八", {"at-single": KEY["at-single"]})
    data["questions"] = ["at-single"]
    forged = tmp_path / "one_question_listed.json"
    forged.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, _, _ = run(forged, "--banks", BANKS, "--out", tmp_path / "r")
    row = by_learner(tmp_path / "r")["E8001"]
    assert code == 0 and row["得分"] == "1" and row["满分"] == "9" and row["是否及格"] == "否"
    assert row["需核实"] == "是" and "少了应出的 5 道题" in row["备注"]


def test_an_exam_export_without_version_or_with_picked_questions_is_graded_on_its_draw(tmp_path):
    from fixtures.make_answer_fixtures import export

    exam = load_banks(BANKS)["final-exam"]
    drawn = drawn_question_ids(exam.ids, exam.id, "E8002", exam.draw)
    picked = [qid for qid in exam.ids if qid not in drawn][:1] + drawn[:1]
    data = {**export("E8002", "周九", {}), "quiz": "final-exam", "questions": picked, "answers": {}}
    del data["bank_version"], data["question_versions"]
    forged = tmp_path / "picked.json"
    forged.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, _, _ = run(forged, "--banks", BANKS, "--out", tmp_path / "r")
    row = by_learner(tmp_path / "r")["E8002"]
    assert code == 0 and row["满分"] == str(sum(exam.by_id[q].points for q in drawn)).removesuffix(".0")
    assert row["需核实"] == "是" and "没有题库版本" in row["备注"] and "多出 1 道" in row["备注"]


def test_learner_text_never_becomes_a_spreadsheet_formula(tmp_path):
    from fixtures.make_answer_fixtures import KEY, export

    for n, (name, learner) in enumerate([("=HYPERLINK(\"http://x\",\"点我\")", "E8003"),
                                         ("王十", "+cmd|' /C calc'!A0"), ("@SUM(1+1)", "-2+3")]):
        (tmp_path / f"in{n}.json").write_text(json.dumps(export(learner, name, KEY)), encoding="utf-8")
    code, _, _ = run(tmp_path / "in0.json", tmp_path / "in1.json", tmp_path / "in2.json",
                     "--banks", BANKS, "--out", tmp_path / "r")
    assert code == 0
    text = (tmp_path / "r/results.csv").read_text(encoding="utf-8-sig")
    for cell in ("'=HYPERLINK", "'+cmd|", "'@SUM", "'-2+3"):
        assert cell in text, cell
    book = load_workbook(tmp_path / "r/results.xlsx")
    cells = [c for row in book.worksheets[0].iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert any(c.value == '=HYPERLINK("http://x","点我")' and c.data_type == "s" for c in cells)


def test_identity_ignores_case_and_width_and_keeps_two_names_apart(tmp_path):
    from fixtures.make_answer_fixtures import KEY, export

    files = {"a.json": export("E8004", "张三", KEY), "b.json": export("E8004", "李四", {}),
             "c.json": export("e8005", "王五", {}, "2026-11-22T09:20:00+08:00"),
             "d.json": export("Ｅ８００５", "王五", KEY, "2026-11-22T09:20:00+08:00")}
    for name, data in files.items():
        (tmp_path / name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, _, _ = run(*(tmp_path / n for n in files), "--banks", BANKS, "--out", tmp_path / "r")
    rows = read_csv(tmp_path / "r/results.csv")
    same_id = [r for r in rows if r["工号"] == "E8004"]
    assert code == 0 and sorted(r["姓名"] for r in same_id) == ["张三", "李四"]
    assert all(r["需核实"] == "是" and "2 个不同的姓名" in r["备注"] for r in same_id)
    wang = [r for r in rows if r["姓名"] == "王五"]  # one learner; same second, other content: two attempts
    assert len(wang) == 1 and wang[0]["作答次数"] == "2" and wang[0]["得分"] == "9"


def test_one_bad_file_never_stops_the_run(tmp_path):
    huge = tmp_path / "many_unknown_ids.json"
    from fixtures.make_answer_fixtures import KEY, export

    data = export("E8006", "吴一", KEY)
    data["questions"] = [*data["questions"], *(f"zz-{n}" for n in range(200_000))]
    huge.write_text(json.dumps(data), encoding="utf-8")
    code, stdout, stderr = run(HOSTILE, huge, "--banks", BANKS, "--out", tmp_path / "r")
    assert code == 1 and "Traceback" not in stdout + stderr
    rows = by_learner(tmp_path / "r")
    assert rows["E7001"]["得分"] == "9" and rows["E8006"]["需核实"] == "是"
    rejected = {Path(r["来源"]).name: r["原因"] for r in read_csv(tmp_path / "r/rejected.csv")}
    assert "嵌套过深" in rejected["nested_1100_deep.json"]
    assert "at-match 的答案格式不对" in rejected["match_answer_is_a_list.json"]
    assert "Excel" in rejected["corrupt.xlsx"]
    assert "隐藏文件" in rejected[".hidden_copy.json"]
    assert "answers" in rejected["answers_not_a_mapping.json"]
    assert "工号" in rejected["numeric_learner_id.json"]
    assert max(len(r) for r in rejected.values()) <= 300
    assert len((tmp_path / "r/results.csv").read_bytes()) < 100_000  # no 200,000-id note


@pytest.mark.parametrize("case", ["file", "dot", "under_a_file", "answers_folder", "parent_of_answers"])
def test_bad_out_values_are_one_line_errors(tmp_path, monkeypatch, case):
    answers = tmp_path / "ans"
    shutil.copytree(ANSWERS, answers)
    (tmp_path / "a.txt").write_text("x")
    monkeypatch.chdir(tmp_path)
    out = {"file": tmp_path / "a.txt", "dot": Path("."), "under_a_file": tmp_path / "a.txt/sub",
           "answers_folder": answers, "parent_of_answers": tmp_path}[case]
    before = sorted(p.name for p in answers.iterdir())
    code, _, stderr = run(answers, "--banks", BANKS, "--out", out, "--force")
    assert code == 2 and "Traceback" not in stderr and len(stderr.strip().splitlines()) == 1, stderr
    assert sorted(p.name for p in answers.iterdir()) == before and (tmp_path / "a.txt").read_text() == "x"


def test_force_finds_a_free_backup_name(tmp_path):
    out = tmp_path / "report"
    for _ in range(3):
        code, _, _ = run(ANSWERS / "all_correct.json", "--banks", BANKS, "--out", out, "--force")
        assert code == 0
    assert len(list(tmp_path.glob("report.old-*"))) == 2 and (out / "results.csv").exists()


def test_utf16_sheets_spaced_match_pairs_and_full_width_option_text_are_read(tmp_path):
    bank = load_banks(BANKS)["all-types"]
    option_b = bank.by_id["at-single"].options["b"].replace(",", "，") + "。"
    text = ("姓名\t工号\tat-single\tat-match\r\n"
            f"何二\tE8007\t{option_b}\tl1: r2, l2：r1, l3 :r3\r\n")
    (tmp_path / "unicode_text.txt").write_bytes(text.encode("utf-16"))
    code, _, _ = run(tmp_path / "unicode_text.txt", "--banks", BANKS, "--out", tmp_path / "r")
    row = by_learner(tmp_path / "r")["E8007"]
    assert code == 0 and row["at-single"] == "1" and row["at-match"] == "2", row


def test_grade_py_works_from_another_folder(tmp_path):
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, str(ROOT / "scripts/grade.py"), str(ANSWERS / "all_correct.json"),
                           "--banks", str(BANKS), "--out", str(tmp_path / "r")], cwd=tmp_path,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    proc = subprocess.run([sys.executable, str(ROOT / "scripts/grade.py"), "--help"], cwd=tmp_path,
                          capture_output=True, text=True)
    assert proc.returncode == 0 and "quizzes" in proc.stdout


def test_observers_sheets_become_mock_call_results(tmp_path):
    """Two observers' 0–3 scores → weighted totals, their average, pass/fail and calibration flags."""
    from kefu.course import Course

    rubric = Course.load(ROOT).rubric
    assert sum(item.weight for item in rubric.items) == 100 and len(rubric.scenarios) >= 10
    code, stdout, _ = run(FIXTURES / "mock-call/two_observers.csv", "--out", tmp_path / "r")
    rows = {r["工号"]: r for r in read_csv(tmp_path / "r/results.csv")}
    assert code == 1 and "模拟接听考核 3 人次（通过 1，需考官讨论 2）" in stdout
    first = rows["E9001"]  # 王 90, 李 86.7 → 88.3: passes the company's 85
    assert (first["得分"], first["是否及格"], first["需核实"]) == ("88.3", "是", "")
    second = rows["E9002"]  # 80 on average, but one observer scored a critical item 0
    assert second["是否及格"] == "否" and second["需核实"] == "是" and "关键项评 0 分：开场与身份核验" in second["备注"]
    third = rows["E9003"]
    assert third["需核实"] == "是" and "相差 48.3 分" in third["备注"]
    rejected = {r["来源"].rsplit("（", 1)[1]: r["原因"] for r in read_csv(tmp_path / "r/rejected.csv")}
    assert "没有场景 “s99”" in rejected["第 8 行）"] and "accuracy“x”" in rejected["第 9 行）"]
    detail = read_csv(tmp_path / "r/mock-call.csv")
    assert [(r["考官"], r["总分"]) for r in detail if r["工号"] == "E9001"] == [("王考官", "90"), ("李考官", "86.7")]


def test_observer_sheets_saved_as_csv_under_an_xlsx_name_are_still_read(tmp_path):
    sheet = tmp_path / "考官评分.xlsx"  # a form tool's "export" that is CSV text with an .xlsx name
    sheet.write_bytes((FIXTURES / "mock-call/two_observers.csv").read_bytes())
    code, stdout, _ = run(sheet, "--out", tmp_path / "r")
    assert code == 1 and "模拟接听考核 3 人次（通过 1，需考官讨论 2）" in stdout  # (two rows of it are bad)
    rows = {r["工号"]: r for r in read_csv(tmp_path / "r/results.csv")}
    assert rows["E9001"]["得分"] == "88.3"


def test_a_rubric_whose_weights_do_not_add_up_is_named(tmp_path):
    from kefu.org.mockcall import check_rubric

    text = (ROOT / "data/mock-call.yml").read_text(encoding="utf-8").replace("weight: 15", "weight: 16", 1)
    (tmp_path / "mock-call.yml").write_text(text, encoding="utf-8")
    _, problems = check_rubric(tmp_path / "mock-call.yml")
    assert len(problems) == 1 and "weight 相加应为 100（现为 101）" in str(problems[0])
