"""Work done in a second process gives the same reports as work done in one (kefu.grading.parallel)."""

from __future__ import annotations

import json
import os
import sys

import pytest
from openpyxl import load_workbook

from kefu.bank import load_banks
from kefu.grading import parallel, reports, run
from kefu.grading.run import GradeOptions, grade, grade_files
from sitebuilder import FIXTURES, load_script

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="forked workers are used on Linux only")

BANKS_DIR = FIXTURES / "banks" / "valid"
bench = load_script("bench_grade")


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """Exports of many learners (a few retakes), the fixture answers and the hostile files."""
    root = tmp_path_factory.mktemp("parallel")
    (root / "banks").mkdir()
    for path in BANKS_DIR.iterdir():
        (root / "banks" / path.name).write_bytes(path.read_bytes())
    bench.make_bank(root / "banks", 12)
    bank = load_banks(root / "banks")[bench.BANK_ID]
    bench.make_exports(root / "in" / "exports", bank, 0, 120)
    bench.make_sheet(root / "in" / "sheet.csv", bank, 80)
    for folder in ("answers", "hostile"):
        for path in (FIXTURES / folder).iterdir():
            (root / "in" / folder).mkdir(parents=True, exist_ok=True)
            (root / "in" / folder / path.name).write_bytes(path.read_bytes())
    return root


def _run(root, out, monkeypatch, processes: int):
    monkeypatch.setattr(parallel, "PROCESSES", processes)
    monkeypatch.setattr(run, "CHUNK", 10)  # many chunks: the worker pool is used
    monkeypatch.setattr(reports, "BACKGROUND_ROWS", 1)  # results.xlsx by a second process
    return grade(GradeOptions(inputs=[root / "in"], out=out, banks=root / "banks"))


def _contents(folder):
    out = {}
    for path in sorted(folder.iterdir()):
        if path.suffix == ".xlsx":
            out[path.name] = [list(r) for r in load_workbook(path, read_only=True).worksheets[0].iter_rows(
                values_only=True)]
        elif path.name == "report.html":
            out[path.name] = path.read_text(encoding="utf-8").split("</h1>", 1)[1].split("</p>", 1)[1]  # no time
        else:
            out[path.name] = path.read_bytes()
    return out


def test_two_processes_write_what_one_writes(inputs, tmp_path, monkeypatch):
    alone = _run(inputs, tmp_path / "one", monkeypatch, 1)
    together = _run(inputs, tmp_path / "two", monkeypatch, 2)
    assert not alone.alongside and together.alongside == {"results.xlsx"}
    assert len(together.run.results) > 100 and together.rejected
    assert _contents(tmp_path / "one") == _contents(tmp_path / "two")


def _die_in_a_worker(parent: int, item: int) -> int:
    if item == 3 and os.getpid() != parent:
        os._exit(9)  # as the kernel's out-of-memory killer would end it
    return item * item


def test_a_worker_that_dies_leaves_its_work_to_this_process():
    items = list(range(8))
    assert list(parallel.map_in_processes(_die_in_a_worker, os.getpid(), items, 2)) == [i * i for i in items]


def test_a_report_a_child_could_not_write_is_written_here(tmp_path):
    parent = os.getpid()

    def write(path):
        if os.getpid() != parent:
            raise OSError("disk full")
        path.write_text("written here", encoding="utf-8")

    child = parallel.Background(write, tmp_path / "x.txt")
    assert not child.wait() and not (tmp_path / "x.txt").exists()


def test_grade_files_in_workers_keeps_input_order(inputs, monkeypatch):
    monkeypatch.setattr(run, "CHUNK", 7)
    banks = load_banks(inputs / "banks")
    files = sorted(str(p) for p in (inputs / "in" / "exports").iterdir())
    seconds: dict[str, float] = {}
    graded, rejected, sheets = grade_files(files, banks, processes=2, seconds=seconds)
    alone = grade_files(files, banks, processes=1)
    assert [g.source for g in graded] == files == [g.source for g in alone[0]]
    assert [(g.marks.tobytes(), g.codes, g.score) for g in graded] == [
        (g.marks.tobytes(), g.codes, g.score) for g in alone[0]]
    assert rejected == alone[1] == [] and sheets == [] and seconds["read"] > 0
    assert json.dumps(sorted(seconds)) == '["grade", "read"]'


def test_results_xlsx_is_written_here_when_its_process_fails(inputs, tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "_write_in_child", lambda write, path: os._exit(1))
    report = _run(inputs, tmp_path / "two", monkeypatch, 2)
    assert report.alongside == {"results.xlsx"}
    _run(inputs, tmp_path / "one", monkeypatch, 1)
    assert _contents(tmp_path / "one") == _contents(tmp_path / "two")
