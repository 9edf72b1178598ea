"""One reported problem in a data file, printed as ``file:line: item: what is wrong``."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    item: str  # question id, term, step id … or "-" when the problem concerns the whole file
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.item}: {self.message}"


class DataFile:
    """One data file being checked: its YAML and every problem found in it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def add(self, line: int, item: str, message: str) -> None:
        self.problems.append(Problem(str(self.path), line, item, message))

    def load(self) -> Any | None:
        """The file's YAML (with line numbers), or None with the reason recorded as a problem."""
        from kefu.yamlio import YamlFileError, load_yaml_file

        try:
            return load_yaml_file(self.path)
        except YamlFileError as exc:
            self.add(exc.line, "-", exc.message)
        except OSError as exc:
            self.add(0, "-", f"无法读取文件：{exc.strerror}")
        return None


class DataError(Exception):
    """Raised when data files have problems; carries every problem found in one pass."""

    def __init__(self, problems: list[Problem], what: str = "数据文件") -> None:
        self.problems = sorted(problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"{what}有 {len(self.problems)} 处问题：\n{lines}")


def report(problems: list[Problem], ok_message: str, stream: TextIO | None = None) -> int:
    """Print every problem (or the all-clear) for a command-line check; return its exit status."""
    stream = stream or sys.stdout
    for problem in problems:
        print(problem, file=stream)
    if problems:
        print(f"\n发现 {len(problems)} 处问题；请按上面的 文件:行号 逐条修改后再运行本命令。", file=stream)
        return 1
    print(ok_message, file=stream)
    return 0
