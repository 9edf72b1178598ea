"""From graded attempts to a trainer's reports: results, item statistics, the HTML report.

Tables are written as they are produced (CSV rows, an XLSX in constant memory), so a run over a
hundred thousand learners stays within memory. Every text cell is written as text: a learner's
name that starts with ``=`` cannot become a spreadsheet formula (OWASP, CSV injection). The HTML
report is rendered through a Jinja template with autoescape.
"""

from __future__ import annotations

import csv
import io
import math
import os
import shutil
import tempfile
import time
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import numpy as np
from jinja2 import Environment, PackageLoader, select_autoescape

from kefu.bank import TYPE_NAMES, Bank, Question
from kefu.grading import parallel
from kefu.grading.answers import Rejection
from kefu.grading.grade import GradingRun, LearnerResult
from kefu.grading.itemstats import ItemStats, QuizStats, item_stats, quiz_stats


@dataclass
class QuizAnalysis:
    bank: Bank
    results: list[LearnerResult]
    items: list[ItemStats]
    stats: QuizStats
    options: dict[str, Counter]
    pass_mark: float

    @property
    def pass_rate(self) -> float:
        return 100 * sum(r.passed for r in self.results) / len(self.results) if self.results else 0.0


def analyse(banks: dict[str, Bank], run: GradingRun, pass_marks: dict[str, float] | None = None
            ) -> list[QuizAnalysis]:
    by_quiz: dict[str, list[LearnerResult]] = {}
    for result in run.results:
        by_quiz.setdefault(result.quiz, []).append(result)
    return [_analyse_quiz(banks[quiz], results, (pass_marks or {}).get(quiz, banks[quiz].pass_mark))
            for quiz, results in sorted(by_quiz.items())]


def _analyse_quiz(bank: Bank, results: list[LearnerResult], pass_mark: float) -> QuizAnalysis:
    # learners × questions, NaN where a learner was not asked (or not graded on) a question
    # (joined in C: an array per learner to stack cost more than the statistics themselves)
    columns = len(bank.questions)
    matrix = np.frombuffer(b"".join([r.graded.marks for r in results]), dtype=np.float64).reshape(-1, columns)
    codes = np.frombuffer(b"".join([r.graded.codes for r in results]), dtype=np.uint8).reshape(-1, columns)
    totals = np.array([r.graded.score for r in results], float)
    shown = ~np.isnan(matrix)
    items, options, kept = [], {}, []
    for col, q in enumerate(bank.questions):
        rows = shown[:, col]
        if not rows.any():
            continue
        kept.append(col)
        items.append(item_stats(q.id, matrix[rows, col], totals[rows], q.points))
        options[q.id] = option_counts(q, codes[rows, col])
    # whole-test statistics over the learners graded on every question that anyone was asked
    complete = shown[:, kept].all(axis=1)
    # usually every learner was asked every question: the matrix as it is, not a copy of it
    whole = len(kept) == columns and bool(complete.all())
    stats = quiz_stats(matrix if whole else matrix[np.ix_(complete, kept)],
                       sum(bank.questions[c].points for c in kept))
    return QuizAnalysis(bank, results, items, stats, options, pass_mark)


def option_counts(question: Question, codes: np.ndarray) -> Counter:
    """How many learners chose each option ("未答" for no answer), from the response codes."""
    counts: Counter = Counter()
    blank = int((codes == 0).sum())
    if blank:
        counts["未答"] = blank
    keys = list(question.options)
    if question.type == "single":
        for code, n in zip(*np.unique(codes[codes > 0], return_counts=True), strict=True):
            counts[keys[code - 1]] = int(n)
    elif question.type == "truefalse":
        counts.update({name: int((codes == code).sum()) for code, name in ((1, "正确"), (2, "错误"))
                       if (codes == code).any()})
    elif question.type == "multiple":
        for bit, key in enumerate(keys[:7]):
            n = int(((codes & (1 << bit)) > 0).sum())
            if n:
                counts[key] = n
    return counts


def weakest_items(analyses: list[QuizAnalysis], count: int = 3) -> list[tuple[QuizAnalysis, ItemStats]]:
    pairs = [(a, i) for a in analyses for i in a.items if i.facility is not None]
    return sorted(pairs, key=lambda p: (p[1].facility, p[1].question_id))[:count]


# ---------------------------------------------------------------- tables

RESULT_HEADER = ["工号", "姓名", "测验", "得分", "满分", "百分比", "是否及格", "需核实", "作答次数", "备注"]
ITEM_HEADER = [
    "层级", "测验", "题目", "题型", "题干", "人数", "满分", "得分率%", "标准差%", "区分度%", "区分效率%",
    "选项分布", "需要改进", "平均分%", "中位数%", "偏度", "α系数%", "误差比%", "标准误%",
]


def _num(value: float | None) -> str | int | float:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return int(value) if float(value).is_integer() else value


def _mark_cells(marks: array) -> list[str | int | float]:
    """:func:`_num` of each mark, written out: a results table has a cell per learner and question."""
    return ["" if m != m else int(m) if m.is_integer() else m for m in marks]  # m != m: NaN, not asked


def result_notes(result: LearnerResult) -> list[str]:
    notes = [*result.notes, *result.graded.notes]
    if result.attempts > 1:
        notes.append(f"共 {result.attempts} 次作答，计 {result.graded.source}")
    return notes


def result_rows(analyses: list[QuizAnalysis], mock_calls: list | None = None) -> Iterator[list]:
    """The results table, header first, one row per learner and quiz (a generator); the mock calls last."""
    question_ids = [(a.bank, q.id) for a in analyses for q in a.bank.questions]
    yield RESULT_HEADER + [qid for _, qid in question_ids]
    offset = 0
    for a in analyses:
        # this quiz's columns are its questions in bank order, the order of its marks; other quizzes'
        # columns stay empty
        before, after = [""] * offset, [""] * (len(question_ids) - offset - len(a.bank.questions))
        offset += len(a.bank.questions)
        for r in a.results:
            g = r.graded
            yield [
                r.learner_id, r.learner_name, r.quiz, _num(g.score), _num(g.max_points), _num(g.percent),
                "是" if r.passed else "否", "是" if r.check else "", r.attempts, "；".join(result_notes(r)),
                *before, *_mark_cells(g.marks), *after,
            ]
    for m in mock_calls or []:
        yield [m.learner_id, m.learner_name, MOCK_CALL_QUIZ, _num(m.average), 100, _num(m.average),
               "是" if m.passed else "否", "是" if m.check else "", len(m.observers),
               "；".join([f"场景 {m.scenario}" if m.scenario else "", *m.notes]).strip("；"),
               *("" for _ in question_ids)]


MOCK_CALL_QUIZ = "mock-call（模拟接听考核）"
MOCK_CALL_HEADER = ["工号", "姓名", "场景", "考官", "总分", "来源"]


def mock_call_rows(mock_calls: list) -> Iterator[list]:
    yield MOCK_CALL_HEADER
    for m in mock_calls:
        for (observer, total), source in zip(m.observers, m.sources, strict=True):
            yield [m.learner_id, m.learner_name, m.scenario, observer, _num(total), source]


def _options_text(counts: Counter) -> str:
    return " ".join(f"{k}:{v}" for k, v in sorted(counts.items(), key=lambda kv: (kv[0] == "未答", kv[0])))


def item_rows(analyses: list[QuizAnalysis]) -> Iterator[list]:
    yield ITEM_HEADER
    for a in analyses:
        for i in a.items:
            q = a.bank.by_id[i.question_id]
            yield [
                "题目", a.bank.id, q.id, TYPE_NAMES[q.type], q.stem, i.n, _num(i.max_mark), _num(i.facility),
                _num(i.sd), _num(i.discrimination), _num(i.efficiency), _options_text(a.options[q.id]),
                "；".join(i.flags), "", "", "", "", "", "",
            ]
        s = a.stats
        yield [
            "整卷", a.bank.id, "", "", a.bank.title, s.n, _num(s.max_score), "", _num(s.sd), "", "", "", "",
            _num(s.mean), _num(s.median), _num(s.skewness), _num(s.alpha), _num(s.error_ratio),
            _num(s.standard_error),
        ]


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: object) -> object:
    """A text cell that a spreadsheet will not run: a leading = + - @ tab or CR gets a ' in front."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def write_csv(path: Path, rows: Iterable[list]) -> None:
    """UTF-8 with a BOM (Excel then shows Chinese correctly), every text cell made safe."""
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        for row in rows:  # (numbers, most of a results row, need no guarding)
            writer.writerow([safe_text(cell) if isinstance(cell, str) else cell for cell in row])


def csv_bytes(rows: Iterable[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([safe_text(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def write_xlsx(path: Path, rows: Iterable[list], sheet_name: str = "成绩") -> None:
    """An XLSX written row by row in constant memory; texts are string cells, never formulas."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                           "strings_to_numbers": False, "strings_to_urls": False})
    sheet = book.add_worksheet(sheet_name)
    # write_string/write_number minus their decorator (which accepts "A1" cell names, never used here):
    # a results table has millions of cells, and the decorator costs a sixth of the writing time.
    write_string = getattr(sheet, "_write_string", sheet.write_string)
    write_number = getattr(sheet, "_write_number", sheet.write_number)
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            kind = type(cell)
            if kind is str:
                if cell:
                    write_string(r, c, cell)
            elif kind is int or kind is float:
                write_number(r, c, cell)
            elif isinstance(cell, str):
                if cell:
                    sheet.write_string(r, c, cell)
            elif isinstance(cell, bool):
                sheet.write_boolean(r, c, cell)
            elif isinstance(cell, int | float):
                sheet.write_number(r, c, cell)
            elif cell is not None:
                sheet.write_string(r, c, str(cell))
    book.close()


# ---------------------------------------------------------------- HTML report

_env = Environment(loader=PackageLoader("kefu.grading", "templates"), autoescape=select_autoescape(("html", "j2")),
                   trim_blocks=True, lstrip_blocks=True)
_env.filters["fmt"] = lambda value: "—" if value is None else f"{value:g}"


def histogram(percents: list[float]) -> list[dict]:
    """Ten bars of 10 % each (100 % in the last), with the bar heights the template draws."""
    bins = [0] * 10
    for p in percents:
        bins[min(int(p // 10), 9)] += 1
    top = max(bins) or 1
    return [{"low": 10 * i, "high": 10 * i + 9 if i < 9 else 100, "count": n, "height": round(160 * n / top)}
            for i, n in enumerate(bins)]


def report_html(analyses: list[QuizAnalysis], rejected: list[Rejection], generated: str,
                assignment: dict | None = None, mock_calls: list | None = None) -> str:
    """The trainer's report; ``assignment`` (from kefu.grading.assignments.status_table) comes first."""
    return "".join(_report_parts(analyses, rejected, generated, assignment, mock_calls))


def write_report_html(path: Path, analyses: list[QuizAnalysis], rejected: list[Rejection], generated: str,
                      assignment: dict | None = None, mock_calls: list | None = None) -> None:
    """:func:`report_html` written as it is rendered: with a row per learner the page is large, and
    rendering it into one string first took several times its size in memory."""
    parts = _report_parts(analyses, rejected, generated, assignment, mock_calls)
    with open(path, "w", encoding="utf-8") as handle:
        # joined a few thousand pieces at a time: millions of tiny writes cost more than the rendering
        while chunk := list(islice(parts, 4096)):
            handle.write("".join(chunk))


class _Learners:
    """The learner rows of one quiz for the template, made as they are iterated (it goes over them
    twice: the ones to check, then all), so there is never a dict per learner for the whole run."""

    def __init__(self, results: list[LearnerResult]) -> None:
        self.results = results

    def __iter__(self) -> Iterator[dict]:
        return ({"r": r, "notes": "；".join(result_notes(r))} for r in self.results)


def _report_parts(analyses: list[QuizAnalysis], rejected: list[Rejection], generated: str,
                  assignment: dict | None = None, mock_calls: list | None = None) -> Iterator[str]:
    css = (Path(__file__).with_name("report.css")).read_text(encoding="utf-8")
    quizzes = [{
        "a": a, "histogram": histogram([r.graded.percent for r in a.results]),
        "questions": [{"stat": i, "question": a.bank.by_id[i.question_id],
                   "options": _options_text(a.options[i.question_id]),
                   "width": round(300 * i.facility / 100) if i.facility is not None else 0} for i in a.items],
        "learners": _Learners(a.results),
    } for a in analyses]
    return _env.get_template("report.html.j2").generate(
        quizzes=quizzes, rejected=rejected, generated=generated, css=css, assignment=assignment,
        type_names=TYPE_NAMES, mock_calls=mock_calls or [])


# ---------------------------------------------------------------- writing


class OutputError(Exception):
    """The output folder cannot be used; the message says why and what to do."""


def check_output(out: Path, inputs: Iterable[Path], force: bool) -> None:
    """Refuse an output folder that would lose or mix up files, before anything is graded."""
    resolved = out.resolve()
    if out.exists() and not out.is_dir():
        raise OutputError(f"--out {out} 是一个文件：请给一个文件夹（不存在的会自动创建）")
    parent = next((p for p in [resolved, *resolved.parents] if p.exists()), None)
    if parent is not None and not parent.is_dir():
        raise OutputError(f"--out {out}：{parent} 是一个文件，不能在它下面建文件夹")
    for item in inputs:
        path = item.resolve()
        if path == resolved or resolved in path.parents:
            raise OutputError(f"--out {out} 是输入 {item} 所在的文件夹：报告不能写在答卷中间，请换一个输出文件夹")
        if path.is_dir() and path in resolved.parents and force:
            raise OutputError(f"--out {out} 在输入文件夹 {item} 里面：--force 会把它改名，请换一个输出文件夹")
    if resolved == Path.cwd().resolve() or resolved in Path.cwd().resolve().parents:
        raise OutputError(f"--out {out} 是当前文件夹（或它的上级）：请换一个专门放报告的文件夹")
    if out.exists() and any(out.iterdir()) and not force:
        raise OutputError(f"输出文件夹 {out} 已存在且不为空：换一个文件夹，或加 --force（旧文件夹会改名保留）")


def free_backup_name(out: Path) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    candidate = out.with_name(f"{out.name}.old-{stamp}")
    number = 2
    while candidate.exists():
        candidate = out.with_name(f"{out.name}.old-{stamp}-{number}")
        number += 1
    return candidate


BACKGROUND_ROWS = 5000  # fewer results rows are written sooner than a process is started


def write_reports(out: Path, analyses: list[QuizAnalysis], rejected: list[Rejection], *,
                  force: bool = False, extra: dict[str, Iterable[list]] | None = None,
                  assignment: dict | None = None, seconds: dict[str, float] | None = None,
                  mock_calls: list | None = None, written: Callable[[str], None] | None = None,
                  alongside: set[str] | None = None) -> Path | None:
    """Write every report file to ``out``, whole or not at all; returns where an old folder was moved.

    ``seconds`` receives the time each file took; ``written`` is called with each file's name once it
    is written (scripts/bench_grade.py measures memory per file through it); ``alongside`` receives
    the names of the files written by a second process while this one wrote the others.
    """
    generated = time.strftime("%Y-%m-%d %H:%M")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    timing = seconds if seconds is not None else {}
    writers = {
        "results.csv": lambda path: write_csv(path, result_rows(analyses, mock_calls)),
        "results.xlsx": lambda path: write_xlsx(path, result_rows(analyses, mock_calls)),
        **({"mock-call.csv": lambda path: write_csv(path, mock_call_rows(mock_calls))} if mock_calls else {}),
        "items.csv": lambda path: write_csv(path, item_rows(analyses)),
        "rejected.csv": lambda path: write_csv(path, [["来源", "原因"], *([r.source, r.reason] for r in rejected)]),
        **{name: (lambda path, rows=rows: (write_xlsx if path.suffix == ".xlsx" else write_csv)(path, rows))
           for name, rows in (extra or {}).items()},
        "report.html": lambda path: write_report_html(path, analyses, rejected, generated, assignment, mock_calls),
    }
    # The largest file, written by XlsxWriter in pure Python, takes longer than all the others
    # together: on a second core it is written alongside them (parallel.Background).
    rows = sum(len(a.results) for a in analyses)
    in_background = {"results.xlsx"} if rows >= BACKGROUND_ROWS and parallel.processes() > 1 else set()
    if alongside is not None:
        alongside |= in_background
    children: dict[str, tuple[parallel.Background, float]] = {}
    try:
        for name in in_background:
            children[name] = parallel.Background(writers[name], staging / name), time.perf_counter()
        for name, write in writers.items():
            if name in children:
                continue
            started = time.perf_counter()
            write(staging / name)
            timing[name] = time.perf_counter() - started
            if written is not None:
                written(name)
        for name, (child, started) in children.items():
            if not child.wait():
                writers[name](staging / name)  # once more here: the same file, or the error it meets
            if written is not None:
                written(name)
            timing[name] = time.perf_counter() - started  # from its start: it ran alongside the others
        backup = None
        if out.exists():
            if not any(out.iterdir()):
                out.rmdir()
            elif force:
                backup = free_backup_name(out)
                os.replace(out, backup)
            else:
                raise OutputError(f"输出文件夹 {out} 已存在且不为空：换一个文件夹，或加 --force（旧文件夹会改名保留）")
        os.replace(staging, out)
        return backup
    except BaseException:
        for child, _ in children.values():
            child.cancel()
        shutil.rmtree(staging, ignore_errors=True)
        raise
