"""One grading run, from input files to the report folder: what ``scripts/grade.py`` calls.

The banks are checked first, the output folder next, and only then is anything read, so a usage
problem never leaves half-written reports; a bad input file becomes a line in rejected.csv and the
rest is graded.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from kefu.bank import check_banks
from kefu.company import check_profile
from kefu.grading import parallel
from kefu.grading.answers import Attempt, Rejection, Unreadable, find_answer_files, iter_file
from kefu.grading.assignments import (
    Assignment,
    ItemStatus,
    RosterEntry,
    RosterError,
    assignment_status,
    check_assignments,
    draw_lookup,
    read_roster,
    status_rows,
    status_table,
)
from kefu.grading.grade import GradedAttempt, GradingRun, grade_each, select
from kefu.grading.reports import OutputError, QuizAnalysis, analyse, check_output, write_reports
from kefu.org.flows import valid_flows
from kefu.org.mockcall import MockCallResult, ObserverScore, check_rubric, score_observers
from kefu.paths import PROJECT_ROOT

CHUNK = 1000  # files between progress reports


class UsageError(Exception):
    """The run cannot start (bad option, broken bank, unusable output folder): nothing is written."""


@dataclass
class GradeOptions:
    inputs: list[Path]
    out: Path
    banks: Path = PROJECT_ROOT / "quizzes"
    assignments: Path = PROJECT_ROOT / "assignments"
    quiz: str | None = None
    attempt: str = "best"
    scoring: str | None = None
    assignment: str | None = None
    roster: Path | None = None
    force: bool = False


@dataclass
class GradeReport:
    run: GradingRun
    analyses: list[QuizAnalysis]
    assignment: Assignment | None = None
    statuses: list[ItemStatus] = field(default_factory=list)
    roster: list[RosterEntry] | None = None
    backup: Path | None = None  # where an old output folder was moved (--force)
    seconds: dict[str, float] = field(default_factory=dict)  # per stage, for scripts/bench_grade.py
    mock_calls: list[MockCallResult] = field(default_factory=list)  # 模拟接听考核, from observers' sheets
    alongside: set[str] = field(default_factory=set)  # report files written by a second process

    @property
    def rejected(self) -> list[Rejection]:
        return self.run.rejected


def grade(options: GradeOptions, progress: Callable[[int, int], None] = lambda done, total: None,
          stage: Callable[[str], None] | None = None) -> GradeReport:
    """Check, read, grade, analyse and write; raises :class:`UsageError` before writing anything.

    ``stage`` is called with each stage's name as it ends (each report file is a stage), so
    scripts/bench_grade.py can measure time and memory per stage; ``GradeReport.seconds`` has the times.
    """
    clock = _Clock(stage)
    profile, problems = check_profile(PROJECT_ROOT / "data" / "company.yml")
    if not options.banks.is_dir():
        raise UsageError(f"找不到题库文件夹 {options.banks}：用 --banks 指定")
    banks, bank_problems = check_banks(options.banks, flows=valid_flows(PROJECT_ROOT), expand=profile.expand,
                                       pass_marks=profile.pass_marks)
    rubric, rubric_problems = check_rubric(PROJECT_ROOT / "data" / "mock-call.yml", expand=profile.expand)
    if problems or bank_problems or rubric_problems:
        found = problems + bank_problems + rubric_problems
        raise UsageError("题库或课程数据有问题，未评分：\n" + "\n".join(f"  {p}" for p in found))
    if not banks:
        raise UsageError(f"{options.banks} 里没有题库文件（*.yml）")
    if options.quiz and options.quiz not in banks:
        raise UsageError(f"--quiz {options.quiz}：没有这个测验。现有：{'、'.join(sorted(banks))}")
    assignments, assignment_problems = check_assignments(options.assignments, banks, None, hand_in="-",
                                                         routes={r.id: r for r in profile.routes})
    assignment = None
    if options.assignment:
        if assignment_problems:
            raise UsageError("培训任务文件有问题，未评分：\n" + "\n".join(f"  {p}" for p in assignment_problems))
        assignment = assignments.get(options.assignment)
        if assignment is None:
            known = "、".join(sorted(assignments)) or "（无）"
            raise UsageError(f"--assignment {options.assignment}：{options.assignments}/ 中没有这个培训任务。"
                             f"现有：{known}")
    elif options.roster:
        raise UsageError("--roster 要与 --assignment 一起用（名单用来核对某个培训任务谁没有交）")
    roster = None
    if options.roster:
        try:
            roster = read_roster(options.roster)
        except RosterError as exc:
            raise UsageError(str(exc)) from None
    try:
        check_output(options.out, options.inputs, options.force)
    except OutputError as exc:
        raise UsageError(str(exc)) from None
    clock.lap("check")

    files, rejected = find_answer_files(options.inputs)
    with gc_paused():  # from the first file read to the last report written
        graded, bad, sheets = grade_files(files, banks, quiz=options.quiz, scoring_override=options.scoring,
                                          draws=draw_lookup(assignments), progress=progress, rubric=rubric,
                                          seconds=clock.seconds)
        clock.lap("read+grade")
        pass_marks = assignment.pass_marks if assignment else None
        run = select(banks, graded, rejected + bad, attempt_rule=options.attempt, pass_marks=pass_marks)
        clock.lap("select")
        analyses = analyse(banks, run, pass_marks)
        clock.lap("statistics")
        report = GradeReport(run, analyses, assignment, roster=roster)
        marks = profile.root.get("pass_marks", {})
        report.mock_calls = score_observers(rubric, sheets, _value(marks, "mock_call", 85),
                                            _value(marks, "calibration_gap", 10))
        extra, table = {}, None
        if assignment:
            report.statuses = assignment_status(assignment, run.results, roster)
            rows = status_rows(assignment, report.statuses)
            extra = {"assignment.csv": rows, "assignment.xlsx": rows}
            table = status_table(assignment, report.statuses)
        clock.lap("mock-call+assignment")
        try:
            report.backup = write_reports(options.out, analyses, run.rejected, force=options.force, extra=extra,
                                          assignment=table, written=clock.lap, seconds=clock.seconds,
                                          mock_calls=report.mock_calls, alongside=report.alongside)
        except OutputError as exc:
            raise UsageError(str(exc)) from None
    report.seconds = clock.seconds
    return report


def grade_files(files: list[str], banks: dict, *, quiz: str | None = None, scoring_override: str | None = None,
                draws=None, progress: Callable[[int, int], None] = lambda done, total: None, rubric=None,
                seconds: dict[str, float] | None = None, processes: int | None = None,
                ) -> tuple[list[GradedAttempt], list[Rejection], list[ObserverScore]]:
    """Graded attempts, rejections and observers' mock-call sheets, in input order.

    Answers are graded as they are read, at most CHUNK attempts at a time (a spreadsheet of a
    hundred thousand rows included), so only the compact graded attempts are kept. Rejections come
    per CHUNK files: those found in reading, then those found in grading. A file that fails part-way
    counts as a whole rejection, none of its rows graded.

    With many files, chunks of them are read and graded in worker processes (``processes``, default
    :func:`kefu.grading.parallel.processes`), in the same order and with the same results.
    ``seconds`` receives the time spent reading ("read") and grading ("grade"), added up over the
    processes.
    """
    graded: list[GradedAttempt] = []
    rejected: list[Rejection] = []
    sheets: list[ObserverScore] = []
    clock = {"read": 0.0, "grade": 0.0}
    chunks = [files[start:start + CHUNK] for start in range(0, len(files), CHUNK)]
    # a few chunks are not worth starting processes for; a single large spreadsheet is one file
    workers = (parallel.processes() if processes is None else processes) if len(chunks) >= 4 else 1
    context = (banks, quiz, scoring_override, draws, rubric)
    done = 0
    results = parallel.map_in_processes(_grade_chunk, context, chunks, workers)
    for chunk, (chunk_graded, chunk_rejected, chunk_sheets, chunk_clock) in zip(chunks, results, strict=True):
        if workers > 1:  # an export's source is its file's name: share this process's copy of it
            names = {name: name for name in chunk}
            for g in chunk_graded:
                g.source = names.get(g.source, g.source)
        graded += chunk_graded
        rejected += chunk_rejected
        sheets += chunk_sheets
        clock["read"] += chunk_clock["read"]
        clock["grade"] += chunk_clock["grade"]
        done += CHUNK
        progress(min(done, len(files)), len(files))
    if seconds is not None:
        seconds["read"], seconds["grade"] = clock["read"], clock["grade"]
    return graded, rejected, sheets


def _grade_chunk(context: tuple, paths: list[str]
                 ) -> tuple[list[GradedAttempt], list[Rejection], list[ObserverScore], dict[str, float]]:
    """Up to CHUNK files read and graded (here or in a worker process): graded attempts, the
    rejections from reading them and then those from grading, sheets, and the time taken."""
    banks, quiz, scoring_override, draws, rubric = context
    clock = {"read": 0.0, "grade": 0.0}
    graded: list[GradedAttempt] = []
    read_rejected: list[Rejection] = []
    grade_rejected: list[Rejection] = []
    sheets: list[ObserverScore] = []
    for path in paths:
        found = _grade_file(path, banks, quiz, scoring_override, draws, rubric, clock)
        if isinstance(found, Rejection):
            read_rejected.append(found)
            continue
        file_graded, file_read_rejected, file_grade_rejected, file_sheets = found
        graded += file_graded
        read_rejected += file_read_rejected
        grade_rejected += file_grade_rejected
        sheets += file_sheets
    return graded, read_rejected + grade_rejected, sheets, clock


def _grade_file(path: str, banks: dict, quiz: str | None, scoring_override: str | None, draws, rubric,
                clock: dict[str, float]
                ) -> tuple[list[GradedAttempt], list[Rejection], list[Rejection], list[ObserverScore]] | Rejection:
    """One file read and graded: graded attempts, reading and grading rejections, sheets; or the
    file's only rejection when it failed part-way."""
    graded: list[GradedAttempt] = []
    read_rejected: list[Rejection] = []
    grade_rejected: list[Rejection] = []
    sheets: list[ObserverScore] = []
    attempts: list[Attempt] = []

    def grade_pending() -> None:
        started = time.perf_counter()
        newly_graded, bad = grade_each(banks, attempts, scoring_override, draws)
        graded.extend(newly_graded)
        grade_rejected.extend(bad)
        attempts.clear()  # their answers are no longer needed
        clock["grade"] += time.perf_counter() - started

    started = time.perf_counter()
    for entry in iter_file(path, banks, quiz, rubric):
        if isinstance(entry, Unreadable):
            clock["read"] += time.perf_counter() - started
            return entry.rejection
        if isinstance(entry, Rejection):
            read_rejected.append(entry)
        elif isinstance(entry, ObserverScore):
            sheets.append(entry)
        else:
            attempts.append(entry)
            if len(attempts) >= CHUNK:
                clock["read"] += time.perf_counter() - started
                grade_pending()
                started = time.perf_counter()
    clock["read"] += time.perf_counter() - started
    grade_pending()
    return graded, read_rejected, grade_rejected, sheets


def _value(section: dict, key: str, default: float) -> float:
    return float(section[key].value) if key in section else default


class _Clock:
    def __init__(self, listener: Callable[[str], None] | None = None) -> None:
        self.seconds: dict[str, float] = {}
        self.listener = listener
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.seconds[stage] = now - self.last
        if self.listener is not None:
            self.listener(stage)
        self.last = time.perf_counter()  # the listener's own time is not charged to the next stage


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector around bulk grading.

    A run builds hundreds of thousands of small objects, none of them in a reference cycle; with
    the collector on, it rescans them again and again and the run slows down more than linearly.
    Reference counting still frees memory as usual.

    On the way out the objects made meanwhile are moved to the oldest generation (freeze, then
    unfreeze, which traverses nothing): left in the youngest, the first collection afterwards would
    scan every one of them (a second or so after a large run); from the oldest, a later full
    collection still finds any cycle among them.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        if was_enabled:
            gc.enable()
