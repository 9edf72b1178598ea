"""One reported problem in a data file, printed as ``file:line: item: what is wrong``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    item: str  # question id, term, step id … or "-" when the problem concerns the whole file
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.item}: {self.message}"


class DataError(Exception):
    """Raised when data files have problems; carries every problem found in one pass."""

    def __init__(self, problems: list[Problem], what: str = "数据文件") -> None:
        self.problems = sorted(problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"{what}有 {len(self.problems)} 处问题：\n{lines}")
