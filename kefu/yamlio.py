"""Load YAML data files with the line number of every mapping and key.

Trainers edit these files by hand, so every error names the file and line: bad
encoding and YAML syntax errors become a :class:`YamlFileError` instead of a traceback.

Parsing uses libyaml (``CSafeLoader``) where PyYAML was built with it — seven times faster
than the pure-Python parser, same data and line numbers — and a parsed file is kept until it
changes on disk, so ``mkdocs serve`` re-reads only the files an author saved. Callers must
treat the returned data as read-only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class LineDict(dict):
    """A dict that remembers where it (``line``) and each key (``key_lines``) start."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)

    def without(self, key: str) -> LineDict:
        """A copy without ``key``, with the same line numbers (the original stays untouched)."""
        copy = LineDict({k: v for k, v in self.items() if k != key})
        copy.line, copy.key_lines = self.line, self.key_lines
        return copy


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    mapping = LineDict()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | bool) or key is None:
            raise yaml.constructor.ConstructorError(
                None, None, f"不支持的键：{key!r}", key_node.start_mark
            )
        if isinstance(key, bool):
            # YAML 1.1 reads the bare key `y`/`n`/`on`/`off` as a boolean; keep the text.
            key = key_node.value
        # A number key (`1: 是`) stays a number, so the format's checks can ask to quote it.
        if key in mapping or str(key) in mapping.key_lines:
            raise yaml.constructor.ConstructorError(
                None, None, f"键 “{key}” 重复出现", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[str(key)] = key_node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping
)


class YamlFileError(Exception):
    def __init__(self, line: int, message: str) -> None:
        self.line = line
        self.message = message
        super().__init__(f"{line}: {message}")


def decode_utf8(raw: bytes) -> str:
    """Decode UTF-8 (with or without BOM); a wrong encoding names the line it breaks on."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        hint = "文件不是 UTF-8 编码（可能是 GBK/ANSI）：请在编辑器中“另存为 UTF-8”后再试"
        raise YamlFileError(line, hint) from None


def load_yaml_text(text: str) -> Any:
    try:
        return yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        reason = exc.problem or str(exc)
        lines = text.splitlines()
        bad_line = lines[line - 1] if 0 < line <= len(lines) else ""
        indent = bad_line[: len(bad_line) - len(bad_line.lstrip())]
        if "\t" in indent or "'\\t'" in reason:
            reason = "这一行用了制表符（Tab）缩进：YAML 只允许空格缩进"
        elif "mapping values are not allowed" in reason:
            reason = "缩进不对或冒号后缺少空格（“键: 值”的冒号后要有一个空格；含冒号的文字请加引号）"
        elif "expected <block end>" in reason or "did not find expected" in reason:
            reason = f"缩进不对：同一层的条目要对齐（YAML 报告：{reason}）"
        else:
            reason = f"YAML 语法错误：{reason}"
        raise YamlFileError(line, reason) from None
    except yaml.YAMLError as exc:
        raise YamlFileError(1, f"YAML 无法解析：{exc}") from None


_cache: dict[Path, tuple[tuple[int, int], Any]] = {}


def load_yaml_file(path: Path) -> Any:
    """Read and parse one YAML file (read-only result); raises :class:`YamlFileError` with a line number."""
    stat = path.stat()
    stamp = (stat.st_mtime_ns, stat.st_size)
    key = path.resolve()
    cached = _cache.get(key)
    if cached is not None and cached[0] == stamp:
        if isinstance(cached[1], YamlFileError):
            raise cached[1]
        return cached[1]
    try:
        data = load_yaml_text(decode_utf8(path.read_bytes()))
    except YamlFileError as exc:
        _cache[key] = (stamp, exc)
        raise
    _cache[key] = (stamp, data)
    return data
