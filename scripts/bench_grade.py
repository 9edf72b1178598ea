"""Benchmark: grade N synthetic exports (default 100,000 learners × 30 questions).

    python scripts/bench_grade.py [--learners N] [--questions Q] [--steps 3]

Writes a synthetic bank and N export files to a temporary folder, then times
reading + grading + item statistics (report writing excluded) at N/4, N/2 and N
learners to show how time grows.
Target on a 2-core machine: 100,000 exports in
at most 10 s wall and at most 1 GB of memory.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from kefu.bank import load_banks
from kefu.grading.answers import find_answer_files
from kefu.grading.grade import select
from kefu.grading.pipeline import gc_paused, grade_files
from kefu.grading.reports import analyse

TARGET_SECONDS, TARGET_MB = 10.0, 1024


def make_bank(folder: Path, count: int) -> None:
    lines = ["schema: 1", "id: bench", "title: 基准测试", "mode: exam", "pass_mark: 60", "questions:"]
    for i in range(count):
        kind = ("single", "multiple", "truefalse", "fill")[i % 4]
        lines += [f"  - id: bq-{i:03}", f"    type: {kind}", f"    stem: 第 {i} 题 ____",
                  "    explanation: 解析", "    source: 基准"]
        if kind in ("single", "multiple"):
            lines.append("    options: {a: 甲, b: 乙, c: 丙, d: 丁}")
        lines.append({"single": "    answer: b", "multiple": "    answer: [a, c]",
                      "truefalse": "    answer: true", "fill": "    answer: [倾听]"}[kind])
    (folder / "bench.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def make_exports(folder: Path, bank, count: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    ids = [q.id for q in bank.questions]
    versions = {q.id: q.fingerprint for q in bank.questions}
    for n in range(count):
        ability = rng.random()
        answers = {}
        for q in bank.questions:
            right = rng.random() < 0.3 + 0.6 * ability
            answers[q.id] = q.answer if right else {"single": "a", "multiple": ["a"], "truefalse": False,
                                                    "fill": "不知道"}[q.type]
            if q.type == "fill" and right:
                answers[q.id] = q.answer[0]
        data = {"format": "quiz-answers/1", "quiz": "bench", "bank_version": bank.version,
                "question_versions": versions, "learner": {"name": f"学员{n}", "id": f"E{n:06}"},
                "questions": ids, "answers": answers, "started_at": "2026-11-22T09:00:00+08:00",
                "submitted_at": "2026-11-22T09:20:00+08:00"}
        (folder / f"bench-E{n:06}.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def run(answers_dir: Path, banks_dir: Path, banks, limit: int) -> dict[str, float]:
    with gc_paused():
        return _run(answers_dir, banks, limit)


def _run(answers_dir: Path, banks, limit: int) -> dict[str, float]:
    t0 = time.perf_counter()
    files, _ = find_answer_files([answers_dir])
    graded, rejected = grade_files(files[:limit], banks)
    t1 = time.perf_counter()
    result = select(banks, graded, rejected)
    t2 = time.perf_counter()
    analyses = analyse(banks, result)
    t3 = time.perf_counter()
    assert len(result.results) == limit and analyses[0].stats.n == limit and not result.rejected
    return {"read": t1 - t0, "grade": t2 - t1, "stats": t3 - t2, "total": t3 - t0}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=100_000)
    parser.add_argument("--questions", type=int, default=30)
    parser.add_argument("--steps", type=int, default=3, help="measure at N/2^(steps-1) … N")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-grade-") as tmp:
        root = Path(tmp)
        (root / "banks").mkdir()
        (root / "answers").mkdir()
        make_bank(root / "banks", args.questions)
        banks = load_banks(root / "banks")
        print(f"生成 {args.learners} 份答卷 × {args.questions} 题 …", flush=True)
        make_exports(root / "answers", banks["bench"], args.learners)
        sizes = [args.learners // 2 ** k for k in reversed(range(args.steps))]
        print(f"{'答卷数':>8} {'读取评分':>7} {'选取':>7} {'统计':>7} {'合计':>7} {'每千份':>7}")
        for size in sizes:
            t = run(root / "answers", root / "banks", banks, size)
            print(f"{size:>8} {t['read']:>6.2f}s {t['grade']:>6.2f}s {t['stats']:>6.2f}s "
                  f"{t['total']:>6.2f}s {1000 * t['total'] / size:>6.3f}s", flush=True)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ok = t["total"] <= TARGET_SECONDS and peak_mb <= TARGET_MB
    print(f"最大内存 {peak_mb:.0f} MB；{args.learners} 份用时 {t['total']:.2f} s"
          f"（目标 ≤ {TARGET_SECONDS:g} s、≤ {TARGET_MB} MB）：{'达标' if ok else '未达标'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
