"""Loading and validating question banks: one rejected fixture per rule."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import jsonschema
import pytest
import yaml

from kefu.bank import check_banks, load_banks
from kefu.bank.format import bank_json_schema
from kefu.course import Course
from kefu.problems import DataError
from kefu.schemas import SCHEMAS
from sitebuilder import FIXTURES, ROOT, make_site, run_script

BANKS = FIXTURES / "banks"
REJECTED = BANKS / "rejected"

# fixture -> (line, question id, part of the message)
EXPECTED = {
    "tab-indented": (8, "-", "制表符"),
    "bad-indentation": (8, "-", "缩进不对"),
    "gbk-encoded": (3, "-", "不是 UTF-8 编码"),
    "id-not-file-name": (2, "-", "与文件名 “id-not-file-name” 不一致"),
    "unknown-type": (7, "ut-001", "未知题型 “essay”"),
    "answer-not-among-options": (10, "an-001", "答案 “c” 不在 options 中"),
    "single-with-two-answers": (10, "sw-001", "只能有一个答案"),
    "empty-stem": (8, "es-001", "题干 stem 为空"),
    "draw-larger-than-bank": (4, "-", "draw: 5 大于题库中的题目数（1）"),
    "missing-explanation": (6, "me-001", "缺少 explanation"),
    "truefalse-answer-not-boolean": (9, "tb-001", "只能是 true 或 false"),
    "order-answer-not-permutation": (10, "op-001", "各列一次"),
    "match-answer-incomplete": (11, "mi-001", "每一项各给出一个配对"),
    "misspelled-field": (10, "mf-001", "是不是 “answer”"),
    "wrong-schema-version": (1, "-", "schema 应为 1"),
    "exam-order-ids-leak-answer": (10, "el-001", "id 泄露了答案"),
    "fill-without-blank": (8, "fw-001", "____"),
    "bad-question-id": (6, "Q_001", "题目 id 只能由小写字母"),
    "numeric-option-keys": (9, "nk-001", "请加引号写成 '1'"),
}


def test_every_rejected_fixture_has_an_expectation():
    names = {p.stem for p in REJECTED.glob("*.yml")} - {"many-problems"}
    assert names == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_rejected_fixture_names_file_line_and_question(name):
    path = REJECTED / f"{name}.yml"
    banks, problems = check_banks(REJECTED, only=[path])
    assert banks == {}
    line, item, fragment = EXPECTED[name]
    assert any(
        p.file == str(path) and p.line == line and p.item == item and fragment in p.message
        for p in problems
    ), "\n".join(map(str, problems))


def test_all_problems_of_a_bank_are_reported_in_one_pass():
    path = REJECTED / "many-problems.yml"
    _, problems = check_banks(REJECTED, only=[path])
    assert any(p.line == 8 and p.item == "mp-001" and "题干 stem 为空" in p.message
               for p in problems)
    assert any(p.line == 10 and "不在 options" in p.message for p in problems)
    assert any(p.item == "mp-002" and "未知题型" in p.message for p in problems)
    assert any(p.line == 19 and "重复" in p.message for p in problems)


def test_duplicate_question_ids_across_banks():
    banks, problems = check_banks(BANKS / "duplicate-across-banks")
    assert "bank-a" in banks and "bank-b" not in banks
    (dup,) = [p for p in problems if "重复" in p.message]
    assert dup.item == "dup-001" and dup.line == 12 and "bank-a.yml:6" in dup.message


def test_load_banks_raises_with_every_problem_formatted():
    with pytest.raises(DataError) as err:
        load_banks(REJECTED)
    text = str(err.value)
    assert f"{REJECTED / 'empty-stem.yml'}:8: es-001: 题干 stem 为空" in text
    assert text.count("\n") >= len(EXPECTED)


def test_valid_fixture_banks_load_with_their_fields():
    banks = load_banks(BANKS / "valid")
    bank = banks["all-types"]
    assert [q.type for q in bank.questions] == [
        "single", "multiple", "truefalse", "fill", "order", "match"]
    assert bank.question("at-multiple").answer == ["a", "b", "d"]
    assert bank.question("at-truefalse").answer is False
    assert bank.question("at-fill").answer == ["80", "八十"]
    assert bank.question("at-match").answer == {"l1": "r2", "l2": "r1", "l3": "r3"}
    assert bank.max_points == 9 and bank.scoring == "partial"
    assert banks["final-exam"].shown_count == 3


def test_bank_version_ignores_keys_but_follows_what_learners_see(tmp_path):
    source = (BANKS / "valid" / "all-types.yml").read_text(encoding="utf-8")
    original = load_banks(BANKS / "valid")["all-types"]
    (tmp_path / "all-types.yml").write_text(source.replace("answer: b", "answer: a"), encoding="utf-8")
    rekeyed = load_banks(tmp_path)["all-types"]
    assert rekeyed.version == original.version  # a key fix keeps old exports gradable
    (tmp_path / "all-types.yml").write_text(source.replace("立即给出赔偿", "马上赔偿"), encoding="utf-8")
    reworded = load_banks(tmp_path)["all-types"]
    assert reworded.version != original.version
    assert reworded.question("at-single").fingerprint != original.question("at-single").fingerprint
    assert reworded.question("at-fill").fingerprint == original.question("at-fill").fingerprint


def test_real_banks_are_valid():
    banks = Course.load(ROOT).banks  # with the processes that order questions name
    assert banks, "quizzes/ 里应至少有一个题库"


@pytest.mark.parametrize("path", sorted(SCHEMAS))
def test_json_schema_files_are_generated_from_the_models(path):
    on_disk = json.loads((ROOT / path).read_text(encoding="utf-8"))
    assert on_disk == SCHEMAS[path](), "运行 python scripts/gen_schema.py 更新 schema 文件"


@pytest.mark.parametrize("path", sorted((BANKS / "valid").glob("*.yml"))
                         + sorted((ROOT / "quizzes").glob("*.yml")), ids=lambda p: p.name)
def test_valid_banks_satisfy_the_json_schema(path):
    jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), bank_json_schema())


@pytest.mark.parametrize("name", ["single-with-two-answers", "unknown-type", "misspelled-field",
                                  "truefalse-answer-not-boolean", "wrong-schema-version"])
def test_json_schema_rejects_what_editors_can_catch(name):
    data = yaml.safe_load((REJECTED / f"{name}.yml").read_text(encoding="utf-8"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, bank_json_schema())


def run_check(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "scripts/check_banks.py", *args], cwd=ROOT,
                          capture_output=True, text=True)


def test_check_banks_script_reports_and_exits_1():
    proc = run_check(str(REJECTED))
    assert proc.returncode == 1
    assert f"{REJECTED / 'unknown-type.yml'}:7: ut-001: 未知题型" in proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr


def test_check_banks_script_passes_real_banks():
    proc = run_check()
    assert proc.returncode == 0, proc.stdout
    assert "检查通过" in proc.stdout


def test_check_banks_script_missing_path_exits_2():
    proc = run_check("no-such-folder")
    assert proc.returncode == 2 and "找不到" in proc.stderr


def test_make_check_names_a_citation_that_is_not_a_handbook_chapter(tmp_path):
    """A ``source`` must cite handbook chapters or statute articles: free text is a problem with file:line."""
    site = make_site(tmp_path, banks=[BANKS / "valid" / "all-types.yml"])
    shutil.copy(ROOT / "data" / "handbooks.yml", site / "data" / "handbooks.yml")
    bank = site / "quizzes" / "all-types.yml"
    text = bank.read_text(encoding="utf-8")
    first_source = text.index("source:")
    line = text[:first_source].count("\n") + 1
    bank.write_text(text[:first_source] + "source: 培训时老师讲过\n" + text[text.index("\n", first_source) + 1:],
                    encoding="utf-8")
    code, out, _ = run_script("check", "--root", site)
    assert code == 1
    expected = rf"{re.escape(str(bank))}:{line}: [a-z0-9-]+: 出处只能写手册章节和法律条文.*培训时老师讲过"
    assert re.search(expected, out), out
