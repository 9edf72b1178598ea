"""Check all course data without building the site, and report item quality.

    python scripts/check.py [--root DIR]      (make check)

Prints every problem as ``file:line: id: reason`` (banks, processes, roles, assignments, glossary,
handbooks, company profile, citations, one set of facts), then the item-quality table
(kefu.bank.quality). Exit status: 0 all valid and every exam within the limits; 1 otherwise.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from kefu.bank.quality import check_quality, report_lines
from kefu.course import Course
from kefu.paths import PROJECT_ROOT
from kefu.problems import report


def main(argv: list[str] | None = None, stdout: TextIO = sys.stdout, stderr: TextIO = sys.stderr) -> int:
    parser = argparse.ArgumentParser(description="检查全部课程数据（不构建站点），并列出题目质量。")
    parser.add_argument("--root", type=Path, default=PROJECT_ROOT, help="课程所在的文件夹（默认本仓库）")
    args = parser.parse_args(argv)
    course = Course.check(args.root)
    status = report(course.problems, f"课程数据检查通过：{len(course.banks)} 个题库、"
                                     f"{sum(len(b.questions) for b in course.banks.values())} 道题、"
                                     f"{len(course.flows)} 个流程、{len(course.roles)} 个岗位。", stdout)
    quality = check_quality(course.banks)
    print("", *report_lines(quality), sep="\n", file=stdout)
    if quality.errors:
        print(f"\n{len(quality.errors)} 项题目质量不达标（“错误”行）：考试题库和全部题库的合计必须在限值内。",
              file=stdout)
        return 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
