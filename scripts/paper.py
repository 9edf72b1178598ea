"""Print a quiz on paper: an A4 question paper and a separate answer key with explanations.

    python scripts/paper.py complaints-exam --seed 7 [--draw 15] [--out papers/]

The same bank, seed and draw always give the same paper (the seed is printed on both
files as the paper code). Without --seed a random one is chosen and printed.
Exit status: 0 written; 2 usage error, invalid bank or files exist (nothing written).
"""

from __future__ import annotations

import argparse
import secrets
import sys
from pathlib import Path
from typing import TextIO

from kefu.bank.arg import EXIT_OK, EXIT_USAGE, parse_with_bank
from kefu.export.paper import key_html, make_paper, paper_html

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None, stdout: TextIO = sys.stdout, stderr: TextIO = sys.stderr) -> int:
    parser = argparse.ArgumentParser(prog="paper.py", description="生成可打印的纸质试卷（A4）和答案。")
    parser.add_argument("bank", help="题库 id（如 complaints-exam）或题库文件路径")
    parser.add_argument("--seed", type=int, help="试卷种子：同一种子总是生成同一份试卷（默认随机并显示）")
    parser.add_argument("--draw", type=int, help="抽题数（默认用题库的 draw，没有则全部）")
    parser.add_argument("--out", type=Path, default=Path("."), help="输出文件夹（默认当前文件夹）")
    parser.add_argument("--force", action="store_true", help="同名文件已存在时覆盖")
    parsed = parse_with_bank(parser, sys.argv[1:] if argv is None else argv, ROOT, stderr)
    if isinstance(parsed, int):
        return parsed
    args, bank = parsed
    seed = args.seed if args.seed is not None else secrets.randbelow(9000) + 1000
    try:
        paper = make_paper(bank, seed, args.draw)
    except ValueError as exc:
        print(f"--draw {args.draw}：{exc}", file=stderr)
        return EXIT_USAGE
    files = {args.out / f"{paper.code}-试卷.html": paper_html(paper),
             args.out / f"{paper.code}-答案.html": key_html(paper)}
    existing = [str(p) for p in files if p.exists()]
    if existing and not args.force:
        print(f"{'、'.join(existing)} 已存在，未覆盖：换一个 --out 或 --seed，或加 --force", file=stderr)
        return EXIT_USAGE
    args.out.mkdir(parents=True, exist_ok=True)
    for path, html in files.items():
        path.write_text(html, encoding="utf-8")
    print(f"试卷编号 {paper.code}：{len(paper.questions)} 题，满分 {paper.max_points:g} 分", file=stdout)
    for path in files:
        print(f"  已写入 {path}", file=stdout)
    if args.seed is None:
        print(f"种子 {seed} 是随机选的；用 --seed {seed} 可再次生成同一份试卷。", file=stdout)
    print("用浏览器打开后按 Ctrl+P 打印（纸张 A4）。", file=stdout)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
