"""scripts/bench_grade.py keeps working over the grading library (it once imported a module that had gone)."""

from __future__ import annotations

import json

import jsonschema

from kefu.bank import load_banks
from kefu.grading.answers import read_file
from sitebuilder import ROOT, load_script

bench = load_script("bench_grade")


def test_bench_runs_every_stage_at_two_sizes_and_a_sheet(capsys):
    assert bench.main(["--learners", "150,300", "--sheet-rows", "120", "--questions", "12"]) == 0
    out = capsys.readouterr().out
    for stage in ("check", "read+grade", "select", "statistics", "results.csv", "results.xlsx", "items.csv",
                  "rejected.csv", "report.html", "assignment.csv", "assignment.xlsx", "whole run"):
        assert f"\n{stage}" in out, stage
    assert "MISSED" not in out  # no target applies at these sizes


def test_bench_inputs_are_valid_exports_and_a_readable_form_sheet(tmp_path):
    (tmp_path / "banks").mkdir()
    bench.make_bank(tmp_path / "banks", 12)
    banks = load_banks(tmp_path / "banks")
    bank = banks[bench.BANK_ID]
    bench.make_exports(tmp_path / "answers", bank, 0, 60)
    schema = json.loads((ROOT / "schemas" / "quiz-answers-1.schema.json").read_text(encoding="utf-8"))
    files = sorted((tmp_path / "answers").iterdir())
    assert len(files) == 60
    for path in files:
        jsonschema.validate(json.loads(path.read_text(encoding="utf-8")), schema)
        attempts, rejected = read_file(path, banks)
        assert len(attempts) == 1 and not rejected
    bench.make_sheet(tmp_path / "sheet.csv", bank, 50)
    attempts, rejected = read_file(tmp_path / "sheet.csv", banks)
    assert len(attempts) == 50 and not rejected
    assert not any(a.notes for a in attempts)  # every typed-out option text was recognised
