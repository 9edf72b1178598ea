"""培训任务: the file format and its checks, rosters, and the grader's --assignment report."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from fixtures.make_answer_fixtures import KEY, export

from kefu.bank import load_banks
from kefu.course import Course
from kefu.grading.assignments import RosterError, check_assignments, read_roster
from kefu.org.flows import load_roles
from sitebuilder import ROOT, run_script

FIXTURES = ROOT / "tests/fixtures"
BANKS = load_banks(FIXTURES / "banks/valid")
ROLES = load_roles(ROOT / "roles")


def test_valid_assignment_loads_with_its_settings():
    assignments, problems = check_assignments(FIXTURES / "assignments/valid", BANKS, ROLES)
    assert problems == []
    a = assignments["cohort-a"]
    assert a.pass_marks == {"all-types": 70.0, "final-exam": 50.0}
    assert a.item("final-exam").draw == 2 and a.item("final-exam").due == dt.date(2026, 11, 30)


@pytest.mark.parametrize(("name", "message"), [
    ("exam-mode-on-practice-bank", "考试要用考试题库"),
    ("unknown-quiz", "没有 id 为 “no-such-bank” 的题库"),
    ("due-not-a-date", "due 应为日期"),
    ("draw-larger-than-bank", "draw（抽题数）应为 1～6"),
    ("quiz-listed-twice", "出现了两次"),
    ("unknown-role", "未知岗位 “night-watchman”"),
])
def test_each_bad_assignment_is_named_with_file_line_and_reason(tmp_path, name, message):
    (tmp_path / f"{name}.yml").write_bytes((FIXTURES / f"assignments/rejected/{name}.yml").read_bytes())
    assignments, problems = check_assignments(tmp_path, BANKS, ROLES)
    assert assignments == {}
    assert any(message in p.message for p in problems), problems
    assert all(p.file.endswith(f"{name}.yml") and p.line > 0 for p in problems)


def test_all_problems_of_a_file_are_reported_in_one_pass(tmp_path):
    (tmp_path / "many-problems.yml").write_bytes((FIXTURES / "assignments/rejected/many-problems.yml").read_bytes())
    _, problems = check_assignments(tmp_path, BANKS, ROLES)
    text = "\n".join(map(str, problems))
    for expected in ("id 应与文件名一致", "缺少 cohort", "未知字段 “deadline”", "考试要用考试题库",
                     "pass_mark 应为 1～100", "draw（抽题数）应为 1～4"):
        assert expected in text, text
    assert "many-problems.yml:2: -: id 应与文件名一致" in text


def test_real_assignments_name_real_quizzes_and_roles():
    course = Course.load(ROOT)
    assert course.assignments, "至少应有一个培训任务样例"
    for assignment in course.assignments.values():
        for item in assignment.items:
            assert course.banks[item.quiz].mode == item.mode


# ------------------------------------------------------------------ rosters


def write_csv(path, rows, encoding="utf-8"):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def test_roster_in_utf8_or_gbk(tmp_path):
    rows = [["工号", "姓名"], ["E1001", "张三"], ["E1002", "李四"]]
    for encoding in ("utf-8", "gbk", "utf-8-sig"):
        roster = read_roster(write_csv(tmp_path / f"roster-{encoding}.csv", rows, encoding))
        assert [(e.id, e.name) for e in roster] == [("E1001", "张三"), ("E1002", "李四")]


@pytest.mark.parametrize(("rows", "message"), [
    ([["姓名", "部门"], ["张三", "客服部"]], "没有“工号”列"),
    ([["工号", "姓名"], ["E1", "张三"], ["E1", "张三丰"]], "第 3 行：工号 E1 与第 2 行重复"),
    ([["工号", "姓名"], ["", "张三"]], "第 2 行没有工号"),
])
def test_bad_roster_says_which_line_and_what_to_do(tmp_path, rows, message):
    with pytest.raises(RosterError, match=message):
        read_roster(write_csv(tmp_path / "roster.csv", rows))


# ------------------------------------------------------------------ grader


def grade(tmp_path, *args):
    return run_script("grade", *args)


@pytest.fixture
def handed_in(tmp_path):
    """Three learners: one on time and correct, one late at 66.7%, one not on the roster."""
    answers = tmp_path / "answers"
    answers.mkdir()
    wrong = dict(KEY, **{"at-single": "a", "at-multiple": ["c"]})  # 6 of 9 points
    files = {
        "ontime.json": export("E1001", "张三", KEY, "2026-11-21T17:00:00+08:00", assignment="cohort-a"),
        "late.json": export("E1002", "李四", wrong, "2026-11-22T08:30:00+08:00", assignment="cohort-a"),
        "stranger.json": export("E9001", "王五", KEY, "2026-11-20T10:00:00+08:00", assignment="cohort-a"),
    }
    for name, data in files.items():
        (answers / name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    roster = write_csv(tmp_path / "roster.csv", [["工号", "姓名"], ["E1001", "张三"], ["E1002", "李四"],
                                                 ["E1003", "赵六"]])
    return answers, roster


def test_grader_reports_who_passed_who_is_late_and_who_has_not_handed_in(tmp_path, handed_in):
    answers, roster = handed_in
    code, out, err = grade(tmp_path, answers, "--out", tmp_path / "report", "--banks", FIXTURES / "banks/valid",
                           "--assignments", FIXTURES / "assignments/valid", "--assignment", "cohort-a",
                           "--roster", roster)
    assert code == 0, err
    assert "培训任务 cohort-a（测试班 A）：名单 3 人" in out
    assert "all-types（截止 2026-11-21，及格线 70%）：已交 2（逾期 1），通过 1，未交 1：E1003 赵六" in out
    assert "final-exam（截止 2026-11-30，及格线 50%）：已交 0（逾期 0），通过 0，未交 3" in out
    assert "不在名单中但交了答卷：E9001" in out
    with open(tmp_path / "report/assignment.csv", encoding="utf-8-sig") as handle:
        rows = {(r["工号"], r["测验"]): r for r in csv.DictReader(handle)}
    assert (rows[("E1001", "all-types")]["状态"], rows[("E1001", "all-types")]["是否逾期"]) == ("已通过", "按时")
    assert (rows[("E1002", "all-types")]["状态"], rows[("E1002", "all-types")]["是否逾期"]) == ("未通过", "逾期")
    assert rows[("E1003", "final-exam")]["状态"] == "未交"
    assert rows[("E9001", "all-types")]["备注"] == "不在名单中"
    assert (tmp_path / "report/assignment.xlsx").exists()
    report = (tmp_path / "report/report.html").read_text(encoding="utf-8")
    assert "培训任务 cohort-a：测试班 A" in report and "未通过 66.67%（逾期）" in report


def test_assignment_pass_mark_overrides_the_bank(tmp_path, handed_in):
    answers, _ = handed_in
    # E1002 scores between the assignment's 70% and the bank's 60%: fails only under the assignment
    args = (answers, "--banks", FIXTURES / "banks/valid", "--assignments", FIXTURES / "assignments/valid")
    grade(tmp_path, *args, "--out", tmp_path / "plain")
    grade(tmp_path, *args, "--out", tmp_path / "assigned", "--assignment", "cohort-a")

    def passed(folder):
        with open(tmp_path / folder / "results.csv", encoding="utf-8-sig") as handle:
            return {r["工号"]: r["是否及格"] for r in csv.DictReader(handle)}

    assert (passed("plain")["E1002"], passed("assigned")["E1002"]) == ("是", "否")


def test_unknown_assignment_or_bad_roster_stops_before_writing(tmp_path, handed_in):
    answers, _ = handed_in
    base = (answers, "--banks", FIXTURES / "banks/valid", "--assignments", FIXTURES / "assignments/valid")
    code, _, err = grade(tmp_path, *base, "--out", tmp_path / "r1", "--assignment", "cohort-z")
    assert code == 2 and "cohort-z" in err and "cohort-a" in err and not (tmp_path / "r1").exists()
    bad = write_csv(tmp_path / "bad.csv", [["姓名"], ["张三"]])
    code, _, err = grade(tmp_path, *base, "--out", tmp_path / "r2", "--assignment", "cohort-a", "--roster", bad)
    assert code == 2 and "bad.csv" in err and "工号" in err and not (tmp_path / "r2").exists()


def test_grader_checks_the_draw_the_assignment_set():
    from kefu.bank.seeding import drawn_question_ids
    from kefu.grading.answers import Attempt
    from kefu.grading.assignments import draw_lookup
    from kefu.grading.grade import grade_each

    bank = BANKS["final-exam"]  # the bank draws 3; cohort-a's assignment draws 2
    assignments, _ = check_assignments(FIXTURES / "assignments/valid", BANKS, ROLES)
    shown = drawn_question_ids([q.id for q in bank.questions], bank.id, "E5", 2, "cohort-a")

    def attempt(assignment):
        return Attempt(source="x.json", quiz=bank.id, learner_id="E5", learner_name="", questions=shown,
                       answers={}, bank_version=bank.version, assignment=assignment)

    (under_assignment,), _ = grade_each(BANKS, [attempt("cohort-a")], None, draw_lookup(assignments))
    (without,), _ = grade_each(BANKS, [attempt(None)], None, draw_lookup(assignments))
    assert not under_assignment.check and under_assignment.max_points == 2  # the two it should have
    # outside the assignment the bank's own draw of 3 applies: graded on those, flagged
    assert without.check and any("应出" in n for n in without.notes)
    asked = {qid for qid in bank.ids if without.mark(bank, qid) is not None}
    assert asked == set(drawn_question_ids(bank.ids, bank.id, "E5", 3))
