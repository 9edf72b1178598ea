"""LMS export: what we write is read back by independent parsers and matches the bank.

GIFT is parsed by the npm package gift-pegjs, Moodle XML multiple-choice questions by
PyPI's moodle-xml-parser (the other Moodle types with the standard library's XML parser,
following Moodle's documented format), Aiken by its three-line rules.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from moodle_xml_parser.parser import parse_string

from kefu.bank import Bank, load_banks
from kefu.course import Course
from kefu.export.lms import export_bank as export
from kefu.export.lms import multiple_fractions
from sitebuilder import ROOT, run_script

FIXTURES = ROOT / "tests/fixtures/banks"
GIFT_TOOL = ROOT / "tests/tools/gift_parse.cjs"


def fixture_bank(folder: str, name: str) -> Bank:
    return load_banks(FIXTURES / folder, only=[FIXTURES / folder / f"{name}.yml"])[name]


def fixture_banks() -> list[Bank]:
    return [fixture_bank("valid", "all-types"), fixture_bank("valid", "hostile"),
            fixture_bank("lms", "gift-special-characters")]


def all_banks() -> list[Bank]:
    return fixture_banks() + list(Course.load(ROOT).banks.values())


def parse_gift(text: str, tmp_path: Path) -> list[dict]:
    if shutil.which("node") is None or not (ROOT / "node_modules/gift-pegjs").exists():
        pytest.fail("需要 Node.js 和 npm 包 gift-pegjs：运行 make test（会执行 npm ci）")
    path = tmp_path / "bank.gift"
    path.write_text(text, encoding="utf-8")
    proc = subprocess.run(["node", str(GIFT_TOOL), str(path)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return [q for q in json.loads(proc.stdout) if q["type"] != "Category"]


def test_gift_is_read_back_as_the_bank(tmp_path):
    banks = all_banks()
    # one GIFT file for all banks: one node start-up, and ids must stay unique across them
    exports = [export(bank, "gift") for bank in banks]
    parsed = {q["title"]: q for q in parse_gift("\n".join(e.text for e in exports), tmp_path)}
    checked = set()
    for bank, result in zip(banks, exports, strict=True):
        assert set(result.exported) | {qid for qid, _ in result.skipped} == set(bank.by_id)
        for qid in result.exported:
            q, g = bank.by_id[qid], parsed[qid]
            assert g["stem"]["text"] == q.stem.strip()
            assert g["globalFeedback"]["text"] == f"{q.explanation}（出处：{q.source}）"
            if q.type == "single":
                assert g["type"] == "MC"
                assert [c["text"]["text"] for c in g["choices"]] == list(q.options.values())
                assert [c["isCorrect"] for c in g["choices"]] == [k == q.answer for k in q.options]
            elif q.type == "multiple":
                weights = [c["weight"] for c in g["choices"]]
                assert weights == pytest.approx(list(multiple_fractions(q).values()), abs=1e-4)
                assert sum(w for w in weights if w > 0) == pytest.approx(100, abs=1e-3)
            elif q.type == "truefalse":
                assert (g["type"], g["isTrue"]) == ("TF", q.answer)
            elif q.type == "fill":
                assert g["type"] == "Short"
                assert [c["text"]["text"] for c in g["choices"]] == list(q.answer)
            elif q.type == "match":
                pairs = {m["subquestion"]["text"]: m["subanswer"] for m in g["matchPairs"]}
                assert pairs == {q.left[left]: q.right[r] for left, r in q.answer.items()}
            checked.add(q.type)
    assert checked == {"single", "multiple", "truefalse", "fill", "match"}


def test_gift_leaves_out_what_it_cannot_express_and_says_why():
    result = export(fixture_bank("valid", "all-types"), "gift")
    reasons = dict(result.skipped)
    assert set(reasons) == {"at-order", "at-match"}
    assert "排序" in reasons["at-order"] and "moodle-xml" in reasons["at-order"]
    assert "干扰项" in reasons["at-match"]


def moodle_questions(text: str) -> dict[str, ET.Element]:
    root = ET.fromstring(text)
    return {q.findtext("name/text"): q for q in root.findall("question") if q.get("type") != "category"}


def test_moodle_xml_is_read_back_as_the_bank():
    for bank in all_banks():
        result = export(bank, "moodle-xml")
        assert result.exported == [q.id for q in bank.questions] and not result.skipped
        choices = {q.name: q for q in parse_string(result.text)["multichoice"]}
        elements = moodle_questions(result.text)
        assert list(elements) == [q.id for q in bank.questions]
        for q in bank.questions:
            element = elements[q.id]
            assert element.findtext("idnumber") == q.id
            assert float(element.findtext("defaultgrade")) == q.points
            if q.type in ("single", "multiple"):
                mc = choices[q.id]  # independent parser (it also undoes the HTML escaping)
                assert mc.text_pre_parse == q.stem.strip()
                assert mc.single is (q.type == "single")
                assert [o.answer for o in mc.options] == list(q.options.values())
                expected = ({k: 100.0 if k == q.answer else 0.0 for k in q.options} if q.type == "single"
                            else multiple_fractions(q))
                assert [o.score_fraction for o in mc.options] == pytest.approx(list(expected.values()), abs=1e-4)
                assert mc.general_feedback == f"{q.explanation}（出处：{q.source}）"
            elif q.type == "truefalse":
                right = [a.findtext("text") for a in element.findall("answer") if a.get("fraction") == "100"]
                assert (element.get("type"), right) == ("truefalse", ["true" if q.answer else "false"])
            elif q.type == "fill":
                assert element.get("type") == "shortanswer"
                assert [a.findtext("text") for a in element.findall("answer")] == list(q.answer)
            elif q.type == "order":
                assert element.get("type") == "ordering"
                answers = sorted(element.findall("answer"), key=lambda a: float(a.get("fraction")))
                assert [html.unescape(a.findtext("text")) for a in answers] == [q.items[k] for k in q.answer]
                assert element.findtext("gradingtype") == ("ABSOLUTE_POSITION" if q.partial else "ALL_OR_NOTHING")
            elif q.type == "match":
                assert element.get("type") == "matching"
                subs = [(html.unescape(s.findtext("text") or ""), s.findtext("answer/text"))
                        for s in element.findall("subquestion")]
                assert [s for s in subs if s[0]] == [(q.left[left], q.right[r]) for left, r in q.answer.items()]
                assert sorted(a for _, a in subs) == sorted(q.right.values())  # distractors kept


def test_moodle_xml_escapes_html_so_text_shows_as_written():
    result = export(fixture_bank("valid", "hostile"), "moodle-xml")
    stem = moodle_questions(result.text)["ho-001"].findtext("questiontext/text")
    assert "<script>" not in stem and "&lt;script&gt;" in stem


def parse_aiken(text: str) -> list[tuple[str, list[str], str]]:
    questions = []
    for block in text.strip().split("\n\n"):
        lines = block.split("\n")
        assert re.fullmatch(r"ANSWER: [A-Z]", lines[-1]), block
        options = []
        for i, line in enumerate(lines[1:-1]):
            match = re.fullmatch(r"([A-Z])\. (.+)", line)
            assert match and match.group(1) == chr(ord("A") + i), line
            options.append(match.group(2))
        questions.append((lines[0], options, lines[-1][-1]))
    return questions


def test_aiken_has_only_single_answer_questions_in_order():
    for bank in all_banks():
        result = export(bank, "aiken")
        kept = [q for q in bank.questions if q.type in ("single", "truefalse")]
        assert result.exported == [q.id for q in kept]
        parsed = parse_aiken(result.text) if kept else []
        assert len(parsed) == len(kept)
        for q, (stem, options, letter) in zip(kept, parsed, strict=True):
            assert stem == " ".join(q.stem.split())
            if q.type == "single":
                assert options == [" ".join(t.split()) for t in q.options.values()]
                assert options[ord(letter) - ord("A")] == " ".join(q.options[q.answer].split())
            else:
                assert (options, letter) == (["正确", "错误"], "A" if q.answer else "B")


def run_cli(*args: str) -> tuple[int, str, str]:
    return run_script("export_bank", *args)


def test_cli_writes_the_file_and_reports_what_it_left_out(tmp_path):
    target = tmp_path / "out.gift"
    code, out, _ = run_cli(str(FIXTURES / "valid/all-types.yml"), "--format", "gift", "--out", str(target))
    assert code == 1  # written, but the order and match questions are not in it
    assert "已导出 4 / 6 题" in out and "at-order" in out
    assert target.read_text(encoding="utf-8").count("::at-") == 4


def test_cli_never_overwrites_without_force(tmp_path):
    target = tmp_path / "out.xml"
    target.write_text("trainer's own file", encoding="utf-8")
    code, _, err = run_cli("complaints", "--format", "moodle-xml", "--out", str(target))
    assert code == 2 and "--force" in err
    assert target.read_text(encoding="utf-8") == "trainer's own file"
    assert run_cli("complaints", "--format", "moodle-xml", "--out", str(target), "--force")[0] == 0
    assert "<quiz>" in target.read_text(encoding="utf-8")


def test_cli_names_an_unknown_or_broken_bank(tmp_path):
    code, _, err = run_cli("no-such-bank", "--format", "gift", "--out", str(tmp_path / "x"))
    assert code == 2 and "no-such-bank" in err and "complaints" in err
    code, _, err = run_cli(str(FIXTURES / "rejected/missing-explanation.yml"), "--format", "gift",
                           "--out", str(tmp_path / "y"))
    assert code == 2 and "missing-explanation.yml" in err and not (tmp_path / "y").exists()
