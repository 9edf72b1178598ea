"""Check question banks without building the site, with their item-quality figures.

    python scripts/check_banks.py [FOLDER_OR_FILE ...]     (default: the course's quizzes/)

Prints every problem as ``file:line: question-id: what is wrong``, then the quality table.
Exit status: 0 all banks valid, 1 problems found, 2 nothing to check.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from kefu.bank import bank_files, check_banks
from kefu.bank.quality import check_quality, report_lines
from kefu.org.flows import valid_flows
from kefu.paths import PROJECT_ROOT
from kefu.problems import report


def main(argv: list[str] | None = None, stdout: TextIO = sys.stdout, stderr: TextIO = sys.stderr) -> int:
    parser = argparse.ArgumentParser(description="检查题库（quizzes/*.yml），列出全部问题和题目质量。")
    parser.add_argument("paths", nargs="*", type=Path, default=[PROJECT_ROOT / "quizzes"],
                        help="题库文件或文件夹（默认本课程的 quizzes/）")
    args = parser.parse_args(argv)
    files: list[Path] = []
    for path in args.paths:
        if path.is_dir():
            files += bank_files(path)
        elif path.is_file():
            files.append(path)
        else:
            print(f"{path}: 找不到这个文件或文件夹", file=stderr)
            return 2
    if not files:
        print("没有找到题库文件（*.yml）", file=stderr)
        return 2
    banks, problems = check_banks(Path("."), only=files, flows=valid_flows(PROJECT_ROOT))
    count = sum(len(b.questions) for b in banks.values())
    status = report(problems, f"全部 {len(banks)} 个题库、{count} 道题检查通过。", stdout)
    if banks:
        print("", *report_lines(check_quality(banks)), sep="\n", file=stdout)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
