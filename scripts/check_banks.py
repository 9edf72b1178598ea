"""Check every question bank without building the site.

    python scripts/check_banks.py [FOLDER_OR_FILE ...]     (default: quizzes/)

Prints every problem as ``file:line: question-id: what is wrong``.
Exit status: 0 all banks valid, 1 problems found, 2 nothing to check.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kefu.bank import bank_files, check_banks
from kefu.org.flows import valid_flows
from kefu.problems import report

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="检查题库（quizzes/*.yml），列出全部问题。")
    parser.add_argument("paths", nargs="*", type=Path, default=[Path("quizzes")],
                        help="题库文件或文件夹（默认 quizzes/）")
    args = parser.parse_args(argv)
    files: list[Path] = []
    for path in args.paths:
        if path.is_dir():
            files += bank_files(path)
        elif path.is_file():
            files.append(path)
        else:
            print(f"{path}: 找不到这个文件或文件夹", file=sys.stderr)
            return 2
    if not files:
        print("没有找到题库文件（*.yml）", file=sys.stderr)
        return 2
    banks, problems = check_banks(Path("."), only=files, flows=valid_flows(ROOT))
    count = sum(len(b.questions) for b in banks.values())
    return report(problems, f"全部 {len(banks)} 个题库、{count} 道题检查通过。")

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
