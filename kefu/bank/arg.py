"""The ``BANK`` argument of the trainer scripts: a bank id (``complaints``) or a bank file."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from kefu.bank import Bank, bank_files, check_banks
from kefu.org.flows import valid_flows


class BankArgError(Exception):
    """The named bank cannot be used; the message says why and what to do."""


def resolve_bank(arg: str, root: Path, banks_folder: Path | None = None) -> Bank:
    folder = banks_folder or root / "quizzes"
    path = Path(arg)
    if path.suffix in (".yml", ".yaml"):
        if not path.is_file():
            raise BankArgError(f"找不到题库文件 {arg}")
    else:
        path = folder / f"{arg}.yml"
        if not path.is_file():
            known = "、".join(p.stem for p in bank_files(folder)) or "（无）"
            raise BankArgError(f"没有 id 为 “{arg}” 的题库（{path}）。现有：{known}")
    banks, problems = check_banks(folder, only=[path], flows=valid_flows(root))
    if problems:
        lines = "\n".join(f"  {p}" for p in problems)
        raise BankArgError(f"题库 {path} 有问题，请先修正（python scripts/check_banks.py {path}）：\n{lines}")
    return next(iter(banks.values()))


EXIT_OK, EXIT_USAGE = 0, 2


def parse_with_bank(parser: argparse.ArgumentParser, argv: list[str], root: Path, stderr: TextIO
                    ) -> tuple[argparse.Namespace, Bank] | int:
    """Parse a trainer script's arguments and load its ``bank``; or the exit status to return.

    ``-h`` gives 0; a usage error or an unusable bank (reported on ``stderr``) gives 2.
    """
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return EXIT_OK if exc.code == 0 else EXIT_USAGE
    try:
        return args, resolve_bank(args.bank, root)
    except BankArgError as exc:
        print(exc, file=stderr)
        return EXIT_USAGE
