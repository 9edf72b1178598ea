"""Grade exported quiz answers and form-tool spreadsheets.

    python scripts/grade.py answers/ more.json results.xlsx --out reports/2026-11-cohort

Works from any folder: the banks and assignments default to this course's own. Exit status:
0 everything graded; 1 some inputs rejected (the rest are graded and written); 2 usage error,
invalid banks or an unusable output folder (nothing written).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TextIO

from kefu.bank import SCORING_RULES
from kefu.grading.grade import ATTEMPT_RULES
from kefu.grading.reports import weakest_items
from kefu.grading.run import GradeOptions, GradeReport, UsageError, grade
from kefu.paths import PROJECT_ROOT

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2


class Progress:
    """A one-line progress bar on a terminal; silent when output is redirected, or for short runs."""

    def __init__(self, stream: TextIO, label: str = "读取答卷", enabled: bool = True) -> None:
        self.stream, self.label, self.enabled = stream, label, enabled
        self.last = 0.0

    def update(self, done: int, total: int) -> None:
        now = time.monotonic()
        if not (self.enabled and total >= 200 and self.stream.isatty()) or (
                now - self.last < 0.1 and done < total):
            return
        self.last = now
        filled = int(30 * done / total)
        self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (30 - filled)}] "
                          f"{100 * done / total:5.1f}%  {done}/{total}")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="grade.py", description="为测验答卷评分，生成成绩表、逐题统计和报告。")
    parser.add_argument("inputs", nargs="+", type=Path, help="答案文件（.json）、表格（.csv/.xlsx）或文件夹")
    parser.add_argument("--out", type=Path, required=True, help="输出文件夹（须不存在或为空）")
    parser.add_argument("--banks", type=Path, default=PROJECT_ROOT / "quizzes",
                        help="题库文件夹（默认本课程的 quizzes/）")
    parser.add_argument("--quiz", help="表格中没有 quiz 列时，整份表格属于哪个测验")
    parser.add_argument("--attempt", choices=ATTEMPT_RULES, default="best",
                        help="同一学员多次作答时计哪一次（默认 best：最高分）")
    parser.add_argument("--scoring", choices=SCORING_RULES, help="多选题计分规则，覆盖题库设置")
    parser.add_argument("--assignment", metavar="ID",
                        help="按培训任务（assignments/ID.yml）的及格线评分，并列出谁已交、逾期、通过")
    parser.add_argument("--roster", type=Path, help="学员名单（CSV 或 XLSX，列：工号、姓名），用来找出未交的人")
    parser.add_argument("--assignments", type=Path, default=PROJECT_ROOT / "assignments",
                        help="培训任务文件夹（默认本课程的 assignments/）")
    parser.add_argument("--force", action="store_true", help="输出文件夹已有内容时，先把它改名保留再写入")
    parser.add_argument("--quiet", action="store_true", help="不显示进度条")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None, stdout: TextIO = sys.stdout, stderr: TextIO = sys.stderr) -> int:
    try:
        args = parse_args(sys.argv[1:] if argv is None else argv)
    except SystemExit as exc:
        return EXIT_OK if exc.code == 0 else EXIT_USAGE
    options = GradeOptions(inputs=args.inputs, out=args.out, banks=args.banks, assignments=args.assignments,
                           quiz=args.quiz, attempt=args.attempt, scoring=args.scoring,
                           assignment=args.assignment, roster=args.roster, force=args.force)
    try:
        report = grade(options, progress=Progress(stderr, enabled=not args.quiet).update)
    except UsageError as exc:
        print(exc, file=stderr)
        return EXIT_USAGE
    print_summary(stdout, args.out, report)
    if report.assignment:
        print_assignment(stdout, report)
    return EXIT_REJECTED if report.rejected else EXIT_OK


def print_assignment(out: TextIO, report: GradeReport) -> None:
    assignment, statuses, has_roster = report.assignment, report.statuses, report.roster is not None
    learners = len({s.learner_id for s in statuses if s.on_roster})
    who = f"名单 {learners} 人" if has_roster else f"交过答卷的 {learners} 人（未给 --roster，无法列出未交的人）"
    print(f"培训任务 {assignment.id}（{assignment.cohort}）：{who}", file=out)
    for item in assignment.items:
        rows = [s for s in statuses if s.quiz == item.quiz and s.on_roster]
        handed = [s for s in rows if s.status != "未交"]
        missing = [s for s in rows if s.status == "未交"]
        late = sum(bool(s.late) for s in handed)
        passed = sum(s.status == "已通过" for s in handed)
        line = (f"  {item.quiz}（截止 {item.due.isoformat()}，及格线 {item.pass_mark:g}%）："
                f"已交 {len(handed)}（逾期 {late}），通过 {passed}")
        if has_roster:
            names = "、".join(f"{s.learner_id} {s.learner_name}".strip() for s in missing[:8])
            more = f" 等 {len(missing)} 人" if len(missing) > 8 else ""
            line += f"，未交 {len(missing)}" + (f"：{names}{more}" if missing else "")
        print(line, file=out)
    strangers = sorted({s.learner_id for s in statuses if not s.on_roster})
    if strangers:
        print(f"  不在名单中但交了答卷：{'、'.join(strangers)}（已计入 assignment.csv，请核对工号）", file=out)
    print("逐人情况见 assignment.csv / assignment.xlsx", file=out)


def print_summary(out: TextIO, folder: Path, report: GradeReport) -> None:
    results, rejected = report.run.results, report.rejected
    passed = sum(r.passed for r in results)
    rate = f"{100 * passed / len(results):.0f}%" if results else "—"
    print(f"已评分 {len(results)} 人次（及格 {passed}，及格率 {rate}），未能评分 {len(rejected)} 份。", file=out)
    if report.mock_calls:
        calls = report.mock_calls
        print(f"模拟接听考核 {len(calls)} 人次（通过 {sum(m.passed for m in calls)}，"
              f"需考官讨论 {sum(m.check for m in calls)}），明细见 mock-call.csv。", file=out)
    checks = [r for r in results if r.check]
    if checks:
        print(f"需核实 {len(checks)} 人次（题目列表、题库版本或姓名与应有的不一致），见 results.csv 的“需核实”和备注。",
              file=out)
    for rejection in rejected[:10]:
        print(f"  未评分：{rejection.source}：{rejection.reason}", file=out)
    if len(rejected) > 10:
        print(f"  …… 其余 {len(rejected) - 10} 份见 rejected.csv", file=out)
    weakest = weakest_items(report.analyses)
    if weakest:
        print("得分率最低的题：", file=out)
        for analysis, item in weakest:
            stem = analysis.bank.by_id[item.question_id].stem
            print(f"  {analysis.bank.id} / {item.question_id}：{item.facility:g}%  {stem[:40]}", file=out)
    if report.backup:
        print(f"原输出文件夹已改名保留为 {report.backup}", file=out)
    print(f"报告已写入 {folder}/（report.html、results.csv、results.xlsx、items.csv、rejected.csv）", file=out)


if __name__ == "__main__":
    sys.exit(main())
