"""The grader's shortcuts for the usual case give exactly what the general path gives.

Reading a well-formed export skips the generic field checker, and grading remembers the outcome
of each distinct response; both exist for speed only (scripts/bench_grade.py), so any input must
come out the same with and without them.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from kefu.bank import load_banks
from kefu.bank.scoring import scorer
from kefu.grading import answers as answers_module
from kefu.grading.answers import read_export, read_file
from kefu.grading.grade import _marking, grade_attempt, response_code
from sitebuilder import FIXTURES

BANKS = load_banks(FIXTURES / "banks" / "valid")
BANK = BANKS["all-types"]


def _export() -> dict:
    from fixtures.make_answer_fixtures import KEY, export

    return export("E9001", "张三", copy.deepcopy(KEY))


def _variants() -> list[tuple[str, dict]]:
    """Exports a browser writes, and what hand editing, old pages or mischief make of them."""
    def changed(label: str, change) -> tuple[str, dict]:
        data = _export()
        change(data)
        return label, data

    return [
        ("as exported", _export()),
        changed("compact name", lambda d: d["learner"].update(name="  带空格的名字  ")),
        changed("empty name", lambda d: d["learner"].update(name="")),
        changed("no name", lambda d: d["learner"].pop("name")),
        changed("null name", lambda d: d["learner"].update(name=None)),
        changed("numeric name", lambda d: d["learner"].update(name=12)),
        changed("unknown learner field", lambda d: d["learner"].update(email="x@y")),
        changed("learner not a mapping", lambda d: d.update(learner=["E1"])),
        changed("id with spaces", lambda d: d["learner"].update(id=" e9001 ")),
        changed("blank id", lambda d: d["learner"].update(id="  ")),
        changed("numeric id", lambda d: d["learner"].update(id=9001)),
        changed("questions with spaces", lambda d: d.update(questions=[" " + q for q in d["questions"]])),
        changed("questions with newline", lambda d: d.update(questions=[q + "\n" for q in d["questions"]])),
        changed("questions reversed", lambda d: d.update(questions=d["questions"][::-1])),
        changed("questions picked", lambda d: d.update(questions=d["questions"][:2])),
        changed("questions unknown", lambda d: d.update(questions=[*d["questions"], "zz-1"])),
        changed("questions empty", lambda d: d.update(questions=[])),
        changed("questions not ids", lambda d: d.update(questions=["A B", 3])),
        changed("questions a mapping", lambda d: d.update(questions={"at-single": 1})),
        changed("answers unknown id", lambda d: d["answers"].update({"zz-2": "a"})),
        changed("answers bad key", lambda d: d["answers"].update({"Not An Id": "a"})),
        changed("answers a list", lambda d: d.update(answers=[1, 2])),
        changed("answers null", lambda d: d.update(answers=None)),
        changed("bank changed", lambda d: d.update(bank_version="0123456789ab")),
        changed("one question changed", lambda d: (d.update(bank_version="0123456789ab"),
                                                    d["question_versions"].update({"at-fill": "old"}))),
        changed("version with spaces", lambda d: d["question_versions"].update({"at-fill": " v1 "})),
        changed("version blank", lambda d: d["question_versions"].update({"at-fill": " "})),
        changed("version numeric", lambda d: d["question_versions"].update({"at-fill": 1})),
        changed("versions bad key", lambda d: d["question_versions"].update({"Bad": "v"})),
        changed("versions a list", lambda d: d.update(question_versions=["v"])),
        changed("no versions", lambda d: (d.pop("bank_version"), d.pop("question_versions"))),
        changed("bank version numeric", lambda d: d.update(bank_version=12)),
        changed("mode unknown", lambda d: d.update(mode="quiz")),
        changed("mode null", lambda d: d.update(mode=None)),
        changed("mode a list", lambda d: d.update(mode=["exam"])),
        changed("times with spaces", lambda d: d.update(submitted_at=" 2026-11-22T10:00:00+08:00 ")),
        changed("time blank", lambda d: d.update(started_at="")),
        changed("time numeric", lambda d: d.update(submitted_at=20261122)),
        changed("assignment", lambda d: d.update(assignment=" 2026-12-frontline ")),
        changed("assignment blank", lambda d: d.update(assignment=" ")),
        changed("quiz with newline", lambda d: d.update(quiz="all-types\n")),
        changed("quiz with space", lambda d: d.update(quiz=" all-types")),
        changed("quiz unknown", lambda d: d.update(quiz="no-such-quiz")),
        changed("quiz numeric", lambda d: d.update(quiz=7)),
        changed("format newer", lambda d: d.update(format="quiz-answers/2")),
        changed("format true", lambda d: d.update(format=True)),
        changed("extra top-level field", lambda d: d.update(score=100)),
    ]


@pytest.mark.parametrize(("label", "data"), _variants(), ids=[label for label, _ in _variants()])
def test_reading_an_export_without_the_shortcut_gives_the_same(label, data, monkeypatch):
    raw = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    fast = read_export("x.json", raw, BANKS)
    monkeypatch.setattr(answers_module, "_well_formed_export", lambda name, data, banks: None)
    slow = read_export("x.json", raw, BANKS)
    assert fast == slow
    if fast[0] is not None:  # and grading them gives the same too
        assert _comparable(grade_attempt(BANK, fast[0])) == _comparable(grade_attempt(BANK, slow[0]))


def _comparable(graded):
    """A graded attempt's fields, NaN (not asked) made comparable."""
    if not hasattr(graded, "marks"):
        return graded
    return {name: (value.tobytes() if name == "marks" else value)
            for name in graded.__slots__ for value in [getattr(graded, name)]}


RESPONSES = [
    None, "a", "b", "z", "", "1", 1, 1.0, True, False, 0, [], ["a"], ["a", "a"], ["b", "a"], ["a", "b", "d"],
    [1], [True], ["a", 1], [["a"]], ["s1", "s2", "s3", "s4"], ["s4", "s3", "s2", "s1"], ["s1", "s2", "s3"],
    {"l1": "r2", "l2": "r1", "l3": "r3"}, {"l3": "r3", "l2": "r1", "l1": "r2"}, {"l1": "r9"}, {"l1": 1},
    {"l1": True}, {}, "80", " ８０ ", "八十", {"a": ["b"]},
]


@pytest.mark.parametrize("rule", ["all_or_nothing", "partial"])
def test_remembered_outcomes_are_what_scoring_each_response_gives(rule):
    for question in BANK.questions:
        score = scorer(question, BANK.scoring_for(question, rule))
        marking = _marking(question, score)
        for _ in range(2):  # the second round answers from memory
            for response in RESPONSES:
                earned = score(response)
                expected = None if earned is None else (earned, response_code(question, response))
                assert marking(copy.deepcopy(response)) == expected, (question.id, response)


def test_hostile_fixtures_read_the_same_without_the_shortcut(monkeypatch):
    hostile = sorted(Path(FIXTURES / "hostile").iterdir()) + sorted(Path(FIXTURES / "answers").glob("*.json"))
    fast = [read_file(p, BANKS) for p in hostile]
    monkeypatch.setattr(answers_module, "_well_formed_export", lambda name, data, banks: None)
    slow = [read_file(p, BANKS) for p in hostile]
    assert fast == slow


def test_the_shortcut_takes_what_browsers_write():
    taken = [label for label, data in _variants() if answers_module._well_formed_export("x", data, BANKS)]
    assert {"as exported", "compact name", "no name", "questions reversed", "bank changed",
            "one question changed", "version with spaces", "no versions", "times with spaces"} <= set(taken)


def test_a_sheet_that_fails_past_the_first_chunk_is_one_rejection_and_no_rows(tmp_path):
    from kefu.grading.run import CHUNK, grade_files

    rows = "".join(f"张,E{n:05},b\r\n" for n in range(CHUNK + 500))
    sheet = tmp_path / "long.csv"  # the csv module refuses a field over 128 KiB: the file fails at its end
    sheet.write_text("姓名,工号,at-single\r\n" + rows + "李,\"" + "x" * 200_000 + "\",b\r\n", encoding="utf-8")
    good = tmp_path / "good.csv"
    good.write_text("姓名,工号,at-single\r\n" + rows, encoding="utf-8")
    graded, rejected, sheets = grade_files([str(good), str(sheet)], BANKS)
    assert len(graded) == CHUNK + 500 and not sheets
    assert [(r.source, r.reason) for r in rejected] == [
        (str(sheet), "无法读取这个文件（Error）：请学员重新导出，或另存后再试")]
    assert read_file(sheet, BANKS) == ([], rejected)


def test_the_grading_shortcut_gives_what_the_full_checks_give(tmp_path):
    """Listing the questions in another order takes the full checks, and must change nothing."""
    from fixtures.make_answer_fixtures import KEY

    header = "姓名,工号," + ",".join(BANK.ids) + "\r\n"
    cells = ["b", "ABD", "错", "80", "s1>s2>s3>s4", "l1:r2 l2:r1 l3:r3"]
    sheet = tmp_path / "form.csv"
    sheet.write_text(header + "陈一,E2001," + ",".join(cells) + "\r\n" + "林二,E2002,c,\"a,b\",对,七十,,\r\n",
                     encoding="utf-8")
    attempts, _ = read_file(sheet, BANKS)
    exported, _ = read_export("x.json", json.dumps(_export()).encode(), BANKS)
    partial, _ = read_export("y.json", json.dumps({**_export(), "answers": {"at-single": KEY["at-single"]}}).encode(),
                             BANKS)
    for attempt in [*attempts, exported, partial]:
        assert tuple(attempt.questions) == BANK.ids  # the shortcut's case
        shuffled = copy.copy(attempt)
        shuffled.questions = attempt.questions[::-1]
        assert _comparable(grade_attempt(BANK, attempt)) == _comparable(grade_attempt(BANK, shuffled))


@pytest.mark.parametrize("text", ["", "a", "a\n", "a\r\nb\r\n", "a\rb\rc", "a\n\nb", "\n", "x,\"1\n2\",y\r\nz",
                                  "末行无换行\n尾"])
def test_csv_lines_are_split_as_stringio_splits_them(text):
    import io

    assert list(answers_module._lines(text)) == list(io.StringIO(text))


def test_remembered_cells_are_not_shared_between_attempts(tmp_path):
    sheet = tmp_path / "form.csv"
    sheet.write_text("姓名,工号,at-multiple,at-match\r\n" + "".join(
        f"陈{n},E{n},ABD,l1:r2 l2:r1 l3:r3\r\n" for n in range(3)), encoding="utf-8")
    attempts, _ = read_file(sheet, BANKS)
    first, second = attempts[0].answers, attempts[1].answers
    assert first == second and first["at-multiple"] is not second["at-multiple"]
    assert first["at-match"] is not second["at-match"]
