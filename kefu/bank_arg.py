"""The ``BANK`` argument of the trainer scripts: a bank id (``complaints``) or a bank file."""

from __future__ import annotations

from pathlib import Path

from kefu.banks import Bank, bank_files, check_banks
from kefu.flows import valid_flows


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
