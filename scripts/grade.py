"""Grade exported quiz answers and form-tool spreadsheets.

    python scripts/grade.py answers/ more.json results.xlsx --out reports/2026-11-cohort

Exit status: 0 everything graded; 1 some inputs rejected (the rest are graded and
written); 2 usage error or invalid banks (nothing written).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TextIO

from kefu.bank import SCORING_RULES, check_banks
from kefu.grading.answers import Rejection, find_answer_files
from kefu.grading.assignments import (
    Assignment,
    ItemStatus,
    RosterError,
    assignment_status,
    check_assignments,
    draw_lookup,
    read_roster,
    status_html,
    status_rows,
)
from kefu.grading.grade import ATTEMPT_RULES, select
from kefu.grading.pipeline import gc_paused, grade_files
from kefu.grading.reports import OutputExistsError, analyse, csv_bytes, weakest_items, write_reports, xlsx_bytes
from kefu.org.flows import valid_flows

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2
ROOT = Path(__file__).resolve().parent.parent


class Progress:
    """A one-line progress bar on a terminal; silent when output is redirected or short."""

    def __init__(self, total: int, stream: TextIO, label: str = "读取答卷") -> None:
        self.total, self.stream, self.label = total, stream, label
        self.enabled = stream.isatty() and total >= 200
        self.last = 0.0

    def update(self, done: int) -> None:
        now = time.monotonic()
        if not self.enabled or (now - self.last < 0.1 and done < self.total):
            return
        self.last = now
        filled = int(30 * done / self.total)
        self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (30 - filled)}] "
                          f"{100 * done / self.total:5.1f}%  {done}/{self.total}")
        if done >= self.total:
            self.stream.write("\n")
        self.stream.flush()


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="grade.py", description="为测验答卷评分，生成成绩表、逐题统计和报告。")
    parser.add_argument("inputs", nargs="+", type=Path, help="答案文件（.json）、表格（.csv/.xlsx）或文件夹")
    parser.add_argument("--out", type=Path, required=True, help="输出文件夹（须不存在或为空）")
    parser.add_argument("--banks", type=Path, default=Path("quizzes"), help="题库文件夹（默认 quizzes/）")
    parser.add_argument("--quiz", help="表格中没有 quiz 列时，整份表格属于哪个测验")
    parser.add_argument("--attempt", choices=ATTEMPT_RULES, default="best",
                        help="同一学员多次作答时计哪一次（默认 best：最高分）")
    parser.add_argument("--scoring", choices=SCORING_RULES, help="多选题计分规则，覆盖题库设置")
    parser.add_argument("--assignment", metavar="ID",
                        help="按培训任务（assignments/ID.yml）的及格线评分，并列出谁已交、逾期、通过")
    parser.add_argument("--roster", type=Path, help="学员名单（CSV 或 XLSX，列：工号、姓名），用来找出未交的人")
    parser.add_argument("--assignments", type=Path, default=Path("assignments"),
                        help="培训任务文件夹（默认 assignments/）")
    parser.add_argument("--force", action="store_true", help="输出文件夹已有内容时，先把它改名保留再写入")
    parser.add_argument("--quiet", action="store_true", help="不显示进度条")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None, stdout: TextIO = sys.stdout, stderr: TextIO = sys.stderr) -> int:
    try:
        args = parse_args(sys.argv[1:] if argv is None else argv)
    except SystemExit as exc:
        return EXIT_OK if exc.code == 0 else EXIT_USAGE
    if not args.banks.is_dir():
        print(f"找不到题库文件夹 {args.banks}：用 --banks 指定", file=stderr)
        return EXIT_USAGE
    banks, problems = check_banks(args.banks, flows=valid_flows(ROOT))
    if problems:
        print("题库有问题，未评分：", file=stderr)
        for problem in problems:
            print(f"  {problem}", file=stderr)
        return EXIT_USAGE
    if args.quiz and args.quiz not in banks:
        print(f"--quiz {args.quiz}：没有这个测验。现有：{'、'.join(sorted(banks))}", file=stderr)
        return EXIT_USAGE
    assignments, assignment_problems = check_assignments(args.assignments, banks, None)
    assignment = None
    if args.assignment:
        if assignment_problems:
            print("培训任务文件有问题，未评分：", file=stderr)
            for problem in assignment_problems:
                print(f"  {problem}", file=stderr)
            return EXIT_USAGE
        assignment = assignments.get(args.assignment)
        if assignment is None:
            known = "、".join(sorted(assignments)) or "（无）"
            print(f"--assignment {args.assignment}：{args.assignments}/ 中没有这个培训任务。现有：{known}", file=stderr)
            return EXIT_USAGE
    elif args.roster:
        print("--roster 要与 --assignment 一起用（名单用来核对某个培训任务谁没有交）", file=stderr)
        return EXIT_USAGE
    roster = None
    if args.roster:
        try:
            roster = read_roster(args.roster)
        except RosterError as exc:
            print(exc, file=stderr)
            return EXIT_USAGE
    if args.out.exists() and any(args.out.iterdir()) and not args.force:
        print(f"输出文件夹 {args.out} 已存在且不为空：换一个文件夹，或加 --force（旧文件夹会改名保留）", file=stderr)
        return EXIT_USAGE

    files, rejected = find_answer_files(args.inputs)
    progress = Progress(len(files), stderr)
    progress.enabled = progress.enabled and not args.quiet
    with gc_paused():
        graded, bad = grade_files(files, banks, quiz=args.quiz, scoring_override=args.scoring,
                                  progress=progress.update, draws=draw_lookup(assignments))
        pass_marks = assignment.pass_marks if assignment else None
        run = select(banks, graded, rejected + bad, attempt_rule=args.attempt, pass_marks=pass_marks)
        rejected = run.rejected
        analyses = analyse(banks, run, pass_marks)
    extra, statuses, intro = {}, [], ""
    if assignment:
        statuses = assignment_status(assignment, run.results, roster)
        rows = status_rows(assignment, statuses)
        extra = {"assignment.csv": csv_bytes(rows), "assignment.xlsx": xlsx_bytes(rows, "培训任务")}
        intro = status_html(assignment, statuses)
    try:
        backup = write_reports(args.out, analyses, rejected, force=args.force, extra=extra, intro_html=intro)
    except OutputExistsError as exc:
        print(exc, file=stderr)
        return EXIT_USAGE
    print_summary(stdout, args.out, run.results, rejected, analyses, backup)
    if assignment:
        print_assignment(stdout, assignment, statuses, roster is not None)
    return EXIT_REJECTED if rejected else EXIT_OK


def print_assignment(out: TextIO, assignment: Assignment, statuses: list[ItemStatus], has_roster: bool) -> None:
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


def print_summary(out: TextIO, folder: Path, results, rejected: list[Rejection], analyses, backup) -> None:
    passed = sum(r.passed for r in results)
    rate = f"{100 * passed / len(results):.0f}%" if results else "—"
    print(f"已评分 {len(results)} 人次（及格 {passed}，及格率 {rate}），未能评分 {len(rejected)} 份。", file=out)
    for rejection in rejected[:10]:
        print(f"  未评分：{rejection.source}：{rejection.reason}", file=out)
    if len(rejected) > 10:
        print(f"  …… 其余 {len(rejected) - 10} 份见 rejected.csv", file=out)
    weakest = weakest_items(analyses)
    if weakest:
        print("得分率最低的题：", file=out)
        for analysis, item in weakest:
            stem = analysis.bank.question(item.question_id).stem
            print(f"  {analysis.bank.id} / {item.question_id}：{item.facility:g}%  {stem[:40]}", file=out)
    if backup:
        print(f"原输出文件夹已改名保留为 {backup}", file=out)
    print(f"报告已写入 {folder}/（report.html、results.csv、results.xlsx、items.csv、rejected.csv）", file=out)


if __name__ == "__main__":
    sys.exit(main())
