"""Benchmark of the grader: every stage of ``scripts/grade.py``'s run, timed and measured, at several sizes.

    python scripts/bench_grade.py                      # 25k/50k/100k/200k exports and a 93k-row CSV
    python scripts/bench_grade.py --learners 100000 --sheet-rows 0 --no-baseline

Targets (a 2-core machine like this project's; the script exits 1 when one is missed):

- 100,000 learners × 30 questions: read + grade + select + item statistics in at most 8 s wall;
- 200,000 learners × 30 questions: the whole run, every report included, in at most 1 GB peak RSS;
- a form tool's CSV of 93,000 rows (about 50 MB) × 30 questions, with ALL reports (results.csv,
  results.xlsx, items.csv, rejected.csv, report.html and, with an assignment and a roster,
  assignment.csv/.xlsx): at most 30 s wall and 1 GB peak RSS for the whole run.

A synthetic exam bank (all six question types) and the inputs are written to a temporary folder:
JSON exports as the quiz page writes them (docs/assets/quiz/quiz.js: pretty-printed, every field of
quiz-answers/1, a few retakes), and a CSV in a form tool's layout (submission time, IP, department
columns, option texts typed out, ``┋`` between choices). Each size then runs in a fresh Python
process, through the same ``kefu.grading.run.grade`` that scripts/grade.py calls, so one size's peak
memory cannot carry over into the next.

Memory is the peak resident set size (RSS) per stage: the kernel's high-water mark (VmHWM), reset
with /proc/self/clear_refs before each stage. RSS is what the budget is about and includes what
tracemalloc cannot see (numpy buffers freed back late, allocator fragmentation, C extensions);
tracemalloc also slows allocation-heavy code severalfold, which would falsify the times measured
in the same run. Where the reset is not allowed the column shows the peak so far (ru_maxrss), marked
with ``*``. Reading and grading alternate a chunk of files at a time (so only one chunk's answers
are ever held), so they share one memory figure; their times are given apart, added up over the
processes that did them.

On Linux the grader forks: two workers read and grade the files, and a child writes results.xlsx
while this process writes the other reports (kefu/grading/parallel.py; ``--processes 1`` turns
this off). The children's peak RSS (ru_maxrss of the waited-for children) is shown apart, and the
memory targets are checked against parent + largest child: an upper bound, as a forked child's RSS
counts the pages it still shares with its parent.

Times are comparable within one run only: this machine is shared, and its load average (printed at
the start and the end) slows every figure. CPU seconds per stage, printed after the wall times, vary
less. For scale, the same run also times a plain ``json.loads`` + numpy loop over the same files
(``--no-baseline`` skips it).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Measure the kefu of this checkout, in this process and in the children (which inherit PYTHONPATH),
# whatever copy of the project is installed.
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))

TARGET_GRADE_SECONDS = 8.0  # 100k × 30: read + grade + select + statistics
TARGET_GRADE_LEARNERS = 100_000
TARGET_MEMORY_MB = 1024  # 200k × 30, and the 93k-row sheet: whole run
TARGET_MEMORY_LEARNERS = 200_000
TARGET_SHEET_SECONDS = 30.0  # 93k-row sheet, whole run with all reports
TARGET_SHEET_ROWS = 93_000
CORE_STAGES = ("read+grade", "select", "statistics")
RETAKE_EVERY = 50  # one export in 50 is a learner's second attempt
BANK_ID = "bench"
ASSIGNMENT_ID = "bench-cohort"

OPTIONS = ["倾听并记录要点", "立即给出赔偿", "转交其他部门", "向主管汇报", "核实客户身份", "告知处理时限"]
ORDER_KEY = ["s2", "s4", "s1", "s3"]  # not the ids' own order: an exam bank must not give its key away
TYPES = ("single", "multiple", "truefalse", "fill", "order", "match")


# ------------------------------------------------------------------------------------------ inputs


def make_bank(folder: Path, count: int) -> None:
    """An exam bank of ``count`` questions of every type, valid for check_banks."""
    lines = ["schema: 1", f"id: {BANK_ID}", "title: 基准测试考试", "description: 评分脚本的基准测试题库。",
             "mode: exam", "pass_mark: 60", "shuffle: true", "scoring: partial", "questions:"]
    for i in range(count):
        kind = TYPES[i % len(TYPES)]
        stem = (f"二八法则指约 ____% 的利润来自 20% 的客户（第 {i} 题）。" if kind == "fill"
                else f"基准测试第 {i} 题：客户来电投诉时，坐席应当怎样处理？")
        lines += [f"  - id: bq-{i:03}", f"    type: {kind}", f"    stem: {stem}",
                  "    explanation: 先倾听再处理，按规范核实信息，告知处理时限，这是客户服务的基本要求。",
                  "    source: 基准测试"]
        if kind in ("single", "multiple"):
            options = ", ".join(f"{key}: {text}" for key, text in zip("abcd", OPTIONS[i % 3:], strict=False))
            lines += ["    options: {" + options + "}", "    answer: b" if kind == "single" else "    answer: [a, c]"]
        elif kind == "truefalse":
            lines.append("    answer: true")
        elif kind == "fill":
            lines.append('    answer: ["80", 八十]')
        elif kind == "order":
            lines += ["    items: {s1: 提出解决方案, s2: 倾听并记录, s3: 跟踪回访, s4: 致歉并安抚情绪}",
                      f"    answer: [{', '.join(ORDER_KEY)}]", "    partial: true"]
        else:
            lines += ["    left: {l1: 决策权, l2: 分派权, l3: 监控权}",
                      "    right: {r1: 安排谁值晚班, r2: 决定是否给客户补偿, r3: 抽听通话录音, r4: 调整产品价格}",
                      "    answer: {l1: r2, l2: r1, l3: r3}"]
    (folder / f"{BANK_ID}.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _response(rng: random.Random, question, right: bool):
    """The answer a learner gives: the key, or a typical wrong (or missing) one."""
    if rng.random() < 0.03:
        return None  # left blank
    if right:
        return {"fill": "80"}.get(question.type, question.answer)
    return {"single": "a", "multiple": ["a", "b"], "truefalse": False, "fill": "七十",
            "order": ["s1", "s2", "s3", "s4"], "match": {"l1": "r1", "l2": "r2", "l3": "r3"}}[question.type]


def _learner(n: int) -> tuple[str, str, float]:
    """Learner ``n``'s id, name and ability, the same in every input."""
    ability = random.Random(n).random()
    return f"E{n:06}", f"学员{n:06}", ability


def make_exports(folder: Path, bank, first: int, count: int) -> None:
    """Exports ``first`` … ``first + count - 1`` as the quiz page writes them; every RETAKE_EVERY-th is a
    second attempt by the learner before it."""
    folder.mkdir(parents=True, exist_ok=True)
    versions = {q.id: q.fingerprint for q in bank.questions}
    ids = [q.id for q in bank.questions]
    for n in range(first, first + count):
        retake = n % RETAKE_EVERY == RETAKE_EVERY - 1
        learner_id, name, ability = _learner(n - 1 if retake else n)
        rng = random.Random(n * 7919)
        answers = {}
        for q in bank.questions:
            response = _response(rng, q, rng.random() < 0.25 + 0.7 * ability)
            if response is not None:
                answers[q.id] = response
        day = 23 if retake else 22
        data = {"format": "quiz-answers/1", "quiz": BANK_ID, "bank_version": bank.version,
                "question_versions": versions, "mode": "exam", "learner": {"name": name, "id": learner_id},
                "questions": ids, "answers": answers, "started_at": f"2026-11-{day}T09:00:00+08:00",
                "submitted_at": f"2026-11-{day}T09:{20 + n % 30}:00+08:00"}
        if n % 3 == 0:
            data["assignment"] = ASSIGNMENT_ID
        name = f"{BANK_ID}-{learner_id}-202611{day}-09{20 + n % 30}00.json"
        # JSON.stringify(data, null, 2): two-space indent, non-ASCII as is
        (folder / name).write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def _cell(rng: random.Random, question, right: bool) -> str:
    """What a form tool writes in a question's column: option texts, ┋ between choices."""
    response = _response(rng, question, right)
    if response is None:
        return ""
    if question.type == "single":
        return question.options[response] if rng.random() < 0.8 else response.upper()
    if question.type == "multiple":
        return "┋".join(question.options[k] for k in response)
    if question.type == "truefalse":
        return "对" if response else "错"
    if question.type == "order":
        return ">".join(response)
    if question.type == "match":
        return " ".join(f"{k}:{v}" for k, v in response.items())
    return response


def make_sheet(path: Path, bank, rows: int) -> None:
    """A form tool's CSV export (UTF-8 with BOM) of ``rows`` learners, one column per question."""
    header = ["序号", "提交时间", "所用时间", "来源", "来源详情", "IP地址", "姓名", "工号", "部门",
              *(f"{q.id} {q.stem}" for q in bank.questions)]
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for n in range(rows):
            learner_id, name, ability = _learner(n)
            rng = random.Random(n * 104729)
            right = 0.25 + 0.7 * ability
            writer.writerow([n + 1, f"2026/11/22 {9 + n % 8}:{n % 60:02}:{n % 53:02}", f"{300 + n % 900}秒",
                             "手机提交", "直接访问", f"10.{n % 250}.{n % 199}.{n % 97}（上海-上海）", name,
                             learner_id, "客户服务中心呼叫中心一组",
                             *(_cell(rng, q, rng.random() < right) for q in bank.questions)])


def make_assignment(folder: Path, roster: Path, rows: int) -> None:
    """An assignment over the bench bank, and a roster with everyone in the sheet and a few more."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{ASSIGNMENT_ID}.yml").write_text(
        f"schema: 1\nid: {ASSIGNMENT_ID}\ncohort: 基准测试班\nitems:\n"
        f"  - quiz: {BANK_ID}\n    mode: exam\n    due: 2026-11-22\n", encoding="utf-8")
    with open(roster, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["工号", "姓名"])
        for n in range(rows + rows // 100):
            learner_id, name, _ = _learner(n)
            writer.writerow([learner_id, name])


# ------------------------------------------------------------------------------------------ memory


def _status_mb(field: str) -> float | None:
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _reset_peak() -> bool:
    """Reset the kernel's peak-RSS mark to the current RSS (Linux); False where not allowed."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as handle:
            handle.write("5")
        return True
    except OSError:
        return False


def _children_peak_mb() -> float:
    """The largest peak RSS of the child processes the run started and waited for (0 if none)."""
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)


def _peak_mb() -> float:
    peak = _status_mb("VmHWM")
    if peak is None:  # not Linux: the process's peak so far (kB on Linux, bytes on macOS)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return peak


def _cpu_seconds() -> float:
    """CPU time of this process (all its threads) and of the children it has waited for."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


class StageMeter:
    """Wall time, CPU time and peak RSS of each stage, the stages being told by ``kefu.grading.run.grade``.

    CPU time does not count the time other programs had the cores, so it varies less than wall time
    on a busy machine; a child's CPU time is counted when it is waited for.
    """

    def __init__(self) -> None:
        self.stages: list[dict] = []
        self.start_mb = _status_mb("VmRSS") or _peak_mb()  # the process before the run: imports, interpreter
        self.resets = _reset_peak()
        self.last, self.last_cpu = time.perf_counter(), _cpu_seconds()

    def __call__(self, stage: str) -> None:
        now, cpu = time.perf_counter(), _cpu_seconds()
        self.stages.append({"stage": stage, "seconds": now - self.last, "cpu": cpu - self.last_cpu,
                            "peak_mb": _peak_mb(), "cumulative": not self.resets})
        self.resets = _reset_peak()
        self.last, self.last_cpu = time.perf_counter(), _cpu_seconds()


# ------------------------------------------------------------------------------------------ one size


def child(kind: str, root: Path, size: int, processes: int | None) -> dict:
    """One measured run in this (fresh) process; returns what the parent prints."""
    from kefu.grading import parallel
    from kefu.grading.run import GradeOptions, grade

    parallel.PROCESSES = processes

    out = root / "out" / f"{kind}-{size}"
    if kind == "sheet":
        inputs = [root / "sheet.csv"]
        options = GradeOptions(inputs=inputs, out=out, banks=root / "banks", assignments=root / "assignments",
                               assignment=ASSIGNMENT_ID, roster=root / "roster.csv")
    else:
        inputs = [root / "answers" / part for part in sorted(os.listdir(root / "answers"))
                  if int(part.split("-")[1]) < size]
        options = GradeOptions(inputs=inputs, out=out, banks=root / "banks", assignments=root / "assignments")
    meter = StageMeter()
    started, started_cpu = time.perf_counter(), _cpu_seconds()
    report = grade(options, stage=meter)
    total, total_cpu = time.perf_counter() - started, _cpu_seconds() - started_cpu
    attempts = len(report.run.graded_attempts)
    expected = size - (size + 1) // RETAKE_EVERY if kind == "exports" else size
    # a benchmark that silently graded nothing would look fast: check it did the work
    if report.rejected or len(report.run.results) != expected or report.analyses[0].stats.n == 0:
        raise SystemExit(f"bench: {kind} {size}: {len(report.run.results)} results, expected {expected}; "
                         f"{len(report.rejected)} rejected, e.g. {report.rejected[:2]}")
    seconds = report.seconds
    for entry in meter.stages:
        # the library's own time for a stage: for a file written by a second process, from its start
        # to its end (the meter only sees the wait for it after the stages in between)
        entry["seconds"] = seconds.get(entry["stage"], entry["seconds"])
        entry["alongside"] = entry["stage"] in report.alongside
        if entry["stage"] == "read+grade":
            entry["split"] = {"read": seconds.get("read", 0.0), "grade": seconds.get("grade", 0.0)}
    return {"kind": kind, "size": size, "attempts": attempts, "learners": len(report.run.results),
            "start_mb": meter.start_mb, "stages": meter.stages, "total": total, "cpu": total_cpu,
            "peak_mb": max(s["peak_mb"] for s in meter.stages), "children_mb": _children_peak_mb(),
            "processes": parallel.processes()}


def baseline(root: Path, size: int) -> dict:
    """A plain reader for scale: json.loads every export and add up right answers into a numpy matrix."""
    import numpy as np

    meter = StageMeter()
    files = sorted(str(p) for part in sorted((root / "answers").iterdir()) if int(part.name.split("-")[1]) < size
                   for p in part.iterdir())
    keys: dict[str, object] | None = None
    marks = np.zeros((len(files), 0))
    for row, name in enumerate(files):
        with open(name, "rb") as handle:
            data = json.loads(handle.read())
        if keys is None:
            keys = {qid: None for qid in data["questions"]}
            marks = np.zeros((len(files), len(keys)))
        answers = data["answers"]
        marks[row] = [1.0 if qid in answers else 0.0 for qid in keys]
    meter("read+grade")
    totals = marks.sum(axis=1)
    np.corrcoef(marks, rowvar=False)
    meter("statistics")
    return {"kind": "baseline", "size": size, "start_mb": meter.start_mb, "stages": meter.stages, "children_mb": 0.0,
            "total": sum(s["seconds"] for s in meter.stages), "cpu": sum(s["cpu"] for s in meter.stages),
            "peak_mb": max(s["peak_mb"] for s in meter.stages), "learners": int(totals.size)}


def run_child(script: Path, *args: str) -> dict:
    done = subprocess.run([sys.executable, str(script), "--child", *args], capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        raise SystemExit(f"bench: child {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------------------------------ table


def print_table(runs: list[dict]) -> None:
    stages: list[str] = []
    for r in runs:
        for s in r["stages"]:
            if s["stage"] not in stages:
                stages.append(s["stage"])
    head = f"{'stage':<22}" + "".join(f"{r['label']:>19}" for r in runs)
    print(head)
    print(" " * 22 + "".join(f"{'s':>10}{'peak MB':>9}" for _ in runs))
    for stage in stages:
        line = f"{stage:<22}"
        for r in runs:
            s = next((s for s in r["stages"] if s["stage"] == stage), None)
            if s is None:
                line += " " * 19
                continue
            star = "*" if s["cumulative"] else " "
            mark = "‖" if s.get("alongside") else " "
            line += f"{mark}{s['seconds']:>9.2f}{s['peak_mb']:>8.0f}{star}"
        print(line)
        split = [next((s.get("split") for s in r["stages"] if s["stage"] == stage), None) for r in runs]
        if any(split):
            for part in ("read", "grade"):  # added up over the worker processes
                print(f"{'  ' + part + ' (Σ)':<22}" + "".join(f"{p[part]:>10.2f}{'':>9}" if p else " " * 19
                                                           for p in split))
    print(f"{'core (read…statistics)':<22}" + "".join(f"{core_seconds(r):>10.2f}{'':>9}" for r in runs))
    print(f"{'whole run':<22}" + "".join(f"{r['total']:>10.2f}{r['peak_mb']:>8.0f} " for r in runs))
    print(f"{'  child processes':<22}" + "".join(f"{r.get('processes', 1):>9}p{r['children_mb']:>8.0f} "
                                                 for r in runs))
    print(f"{'  parent + children':<22}" + "".join(f"{'':>10}{total_mb(r):>8.0f} " for r in runs))
    # growth per 1000 inputs: time of the whole run, peak memory above the process before the run
    print(f"{'per 1000 inputs':<22}" + "".join(f"{1000 * r['total'] / r['size']:>10.3f}"
                                               f"{1000 * (r['peak_mb'] - r['start_mb']) / r['size']:>8.2f} "
                                               for r in runs))


def print_cpu_table(runs: list[dict]) -> None:
    """CPU seconds per stage (this process and its children): steadier than wall time on a busy machine."""
    stages: list[str] = []
    for r in runs:
        stages += [s["stage"] for s in r["stages"] if s["stage"] not in stages]
    print(f"{'CPU seconds':<22}" + "".join(f"{r['label']:>19}" for r in runs))
    for stage in stages:
        cells = [next((s["cpu"] for s in r["stages"] if s["stage"] == stage), None) for r in runs]
        print(f"{stage:<22}" + "".join(" " * 19 if c is None else f"{c:>19.2f}" for c in cells))
    print(f"{'core (read…statistics)':<22}" + "".join(
        f"{sum(s['cpu'] for s in r['stages'] if s['stage'] in CORE_STAGES):>19.2f}" for r in runs))
    print(f"{'whole run':<22}" + "".join(f"{r['cpu']:>19.2f}" for r in runs))


def total_mb(run: dict) -> float:
    """Peak memory of the whole run, counted high: the parent's peak plus the largest child's, as if
    they came at the same moment and shared no page (forked children share most of theirs)."""
    return run["peak_mb"] + run["children_mb"]


def core_seconds(run: dict) -> float:
    return sum(s["seconds"] for s in run["stages"] if s["stage"] in CORE_STAGES)


def check_targets(runs: list[dict]) -> list[str]:
    """Each target met or missed, as lines; a missed one starts with MISSED."""
    lines = []
    for r in runs:
        if r["kind"] == "exports" and r["size"] == TARGET_GRADE_LEARNERS:
            core = core_seconds(r)
            lines.append(f"{'ok' if core <= TARGET_GRADE_SECONDS else 'MISSED'}: {r['size']:,} exports, "
                         f"read+grade+select+statistics {core:.2f} s (target ≤ {TARGET_GRADE_SECONDS:g} s)")
        if r["kind"] == "exports" and r["size"] == TARGET_MEMORY_LEARNERS:
            lines.append(f"{'ok' if total_mb(r) <= TARGET_MEMORY_MB else 'MISSED'}: {r['size']:,} exports, "
                         f"whole run peak {total_mb(r):.0f} MB, children included "
                         f"(target ≤ {TARGET_MEMORY_MB} MB)")
        if r["kind"] == "sheet" and r["size"] >= TARGET_SHEET_ROWS:
            ok = r["total"] <= TARGET_SHEET_SECONDS and total_mb(r) <= TARGET_MEMORY_MB
            lines.append(f"{'ok' if ok else 'MISSED'}: {r['size']:,}-row sheet ({r['megabytes']:.0f} MB) with all "
                         f"reports, {r['total']:.2f} s and peak {total_mb(r):.0f} MB, children included "
                         f"(target ≤ {TARGET_SHEET_SECONDS:g} s, ≤ {TARGET_MEMORY_MB} MB)")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", default="25000,50000,100000,200000",
                        help="export counts, comma-separated (default 25000,50000,100000,200000)")
    parser.add_argument("--questions", type=int, default=30)
    parser.add_argument("--sheet-rows", type=int, default=TARGET_SHEET_ROWS, help="0: no spreadsheet run")
    parser.add_argument("--no-baseline", action="store_true", help="skip the plain json + numpy loop")
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it (reused if complete)")
    parser.add_argument("--processes", type=int, help="processes the grader may use (default: its own choice; "
                                                      "1 = all in one process)")
    parser.add_argument("--child", nargs=4, metavar=("KIND", "ROOT", "SIZE", "PROCESSES"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, root, size, processes = args.child
        result = (baseline(Path(root), int(size)) if kind == "baseline"
                  else child(kind, Path(root), int(size), int(processes) or None))
        print(json.dumps(result))
        return 0
    sizes = sorted({int(s) for s in args.learners.split(",") if s.strip() and int(s) > 0})
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        return measure(args.keep, sizes, args)
    with tempfile.TemporaryDirectory(prefix="bench-grade-") as tmp:
        return measure(Path(tmp), sizes, args)


def measure(root: Path, sizes: list[int], args: argparse.Namespace) -> int:
    from kefu.bank import load_banks

    script = Path(__file__).resolve()
    started = time.perf_counter()
    stamp = root / f"made-{args.questions}-{','.join(map(str, sizes))}-{args.sheet_rows}"
    if not stamp.exists():
        for folder in ("banks", "answers", "assignments", "out"):
            (root / folder).mkdir(exist_ok=True)
        make_bank(root / "banks", args.questions)
        bank = load_banks(root / "banks")[BANK_ID]
        # parts answers/part-<first>-<end>: a size takes every part that ends at or below it
        previous = 0
        for size in sizes:
            make_exports(root / "answers" / f"part-{previous:07}-{size:07}", bank, previous, size - previous)
            previous = size
        if args.sheet_rows:
            make_sheet(root / "sheet.csv", bank, args.sheet_rows)
        make_assignment(root / "assignments", root / "roster.csv", args.sheet_rows)
        stamp.touch()
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} (other work on it slows every "
          f"figure below)")
    print(f"inputs made in {time.perf_counter() - started:.0f} s: {sizes[-1] if sizes else 0:,} exports × "
          f"{args.questions} questions" + (f", a {args.sheet_rows:,}-row CSV of "
                                          f"{(root / 'sheet.csv').stat().st_size / 2**20:.0f} MB" if args.sheet_rows
                                          else ""), flush=True)
    runs = []
    for size in sizes:
        shutil_rmtree(root / "out")
        result = run_child(script, "exports", str(root), str(size), str(args.processes or 0))
        result["label"] = f"{size // 1000}k exports" if size >= 1000 else f"{size} exports"
        runs.append(result)
        print(f"  {result['label']}: {result['total']:.2f} s, peak {result['peak_mb']:.0f} MB", flush=True)
    if args.sheet_rows:
        shutil_rmtree(root / "out")
        result = run_child(script, "sheet", str(root), str(args.sheet_rows), str(args.processes or 0))
        result["megabytes"] = (root / "sheet.csv").stat().st_size / 2**20
        result["label"] = f"{args.sheet_rows // 1000}k-row CSV" if args.sheet_rows >= 1000 else "CSV"
        runs.append(result)
        print(f"  {result['label']}: {result['total']:.2f} s, peak {result['peak_mb']:.0f} MB", flush=True)
    if not args.no_baseline and sizes:
        size = TARGET_GRADE_LEARNERS if TARGET_GRADE_LEARNERS in sizes else sizes[-1]
        result = run_child(script, "baseline", str(root), str(size), "1")
        result["label"] = f"plain {size // 1000}k" if size >= 1000 else f"plain {size}"
        runs.append(result)
        graded = next(r for r in runs if r["kind"] == "exports" and r["size"] == size)
        print(f"  {result['label']} (json.loads + numpy, no checks, no reports): {result['total']:.2f} s, "
              f"peak {result['peak_mb']:.0f} MB — the grader's read+grade+select+statistics takes "
              f"{core_seconds(graded) / result['total']:.1f}× as long", flush=True)
    shutil_rmtree(root / "out")
    print()
    print_table(runs)
    print()
    print_cpu_table(runs)
    print(f"\nload average now {os.getloadavg()[0]:.2f}; ‖ = written by a second process alongside the "
          "stages after it (its time runs from its start to its end)")
    print()
    lines = check_targets(runs)
    for line in lines:
        print(line)
    return 1 if any(line.startswith("MISSED") for line in lines) else 0


def shutil_rmtree(folder: Path) -> None:
    import shutil

    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)


if __name__ == "__main__":
    sys.exit(main())
