"""Export a question bank for a company LMS (Moodle GIFT, Moodle XML, Aiken).

    python scripts/export_bank.py complaints --format moodle-xml [--out FILE] [--force]

Questions a format cannot express are left out and listed with the reason.
Exit status: 0 every question exported; 1 file written but some questions left out;
2 usage error, invalid bank or output file exists (nothing written).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from kefu.bank.arg import EXIT_OK, EXIT_USAGE, parse_with_bank
from kefu.export.lms import FORMATS, SUFFIXES, export_bank

EXIT_PARTIAL = 1  # EXIT_OK 0 and EXIT_USAGE 2 as in kefu.bank.arg
ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None, stdout: TextIO = sys.stdout, stderr: TextIO = sys.stderr) -> int:
    parser = argparse.ArgumentParser(prog="export_bank.py", description="把题库导出为 LMS 可导入的格式。")
    parser.add_argument("bank", help="题库 id（如 complaints）或题库文件路径")
    parser.add_argument("--format", required=True, choices=FORMATS,
                        help="gift：Moodle GIFT 文本；moodle-xml：Moodle XML；aiken：Aiken（只含单选、判断）")
    parser.add_argument("--out", type=Path, help="输出文件（默认：<题库id> 加格式后缀，写在当前文件夹）")
    parser.add_argument("--force", action="store_true", help="输出文件已存在时覆盖")
    parsed = parse_with_bank(parser, sys.argv[1:] if argv is None else argv, ROOT, stderr)
    if isinstance(parsed, int):
        return parsed
    args, bank = parsed
    out = args.out or Path(f"{bank.id}{SUFFIXES[args.format]}")
    if out.exists() and not args.force:
        print(f"{out} 已存在，未覆盖：换一个 --out，或加 --force 覆盖", file=stderr)
        return EXIT_USAGE
    result = export_bank(bank, args.format)
    if not result.exported:
        print(f"题库 {bank.id} 没有能用 {args.format} 表示的题目，未写入文件。", file=stderr)
        for qid, reason in result.skipped[:5]:
            print(f"  {qid}：{reason}", file=stderr)
        return EXIT_USAGE
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(result.text, encoding="utf-8")
    print(f"已导出 {len(result.exported)} / {len(bank.questions)} 题到 {out}（{args.format}）", file=stdout)
    for warning in result.warnings:
        print(f"注意：{warning}", file=stdout)
    if result.skipped:
        print(f"未导出 {len(result.skipped)} 题：", file=stdout)
        for qid, reason in result.skipped:
            print(f"  {qid}：{reason}", file=stdout)
    return EXIT_PARTIAL if result.skipped else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
