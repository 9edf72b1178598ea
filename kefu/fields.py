"""Field tables: one declaration per data format gives its checks, its defaults and its JSON Schema.

A format is a :class:`Record` of :class:`Field` s. ``Record.check`` walks a YAML mapping loaded by
:mod:`kefu.yamlio` (which remembers the line of every key) and reports every problem as
``(line, item, message)`` in one pass; ``Record.schema()`` gives the JSON Schema that editors use
for autocomplete. Only rules that relate several fields or files (an answer among the options,
an id used twice, a step that leads nowhere) are written by hand, next to the format.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from kefu.yamlio import LineDict

Report = Callable[[int, str, str], None]  # (line, item, message)
MISSING: Any = object()


class Invalid(Exception):
    """A value of the wrong kind; the field turns it into a message with its name and help."""


@dataclass(frozen=True)
class Where:
    """Where a value sits, for problems found inside it (list items, nested records)."""

    line: int
    item: str
    report: Report


class Kind:
    noun = "值"

    def check(self, value: Any, where: Where) -> Any:
        """The cleaned value; raises :class:`Invalid` if it is not of this kind."""
        raise NotImplementedError

    def schema(self) -> dict:
        raise NotImplementedError


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@dataclass(frozen=True)
class Text(Kind):
    pattern: re.Pattern[str] | None = None
    noun: str = "文字"

    def check(self, value: Any, where: Where) -> str:
        if _number(value):
            raise Invalid(f"{self.noun}（{value!r} 是数字：请加引号写成 '{value}'）")
        if not isinstance(value, str) or not value.strip():
            raise Invalid(self.noun)
        if self.pattern is not None and not self.pattern.match(value):
            raise Invalid(self.noun)
        return value.strip()

    def schema(self) -> dict:
        out = {"type": "string", "minLength": 1}
        if self.pattern is not None:
            out["pattern"] = self.pattern.pattern
        return out


@dataclass(frozen=True)
class Scalar(Kind):
    """Text, or a number written without quotes (kept as its text: ``80`` → ``"80"``)."""

    noun: str = "文字"

    def check(self, value: Any, where: Where) -> str:
        if _number(value):
            return f"{value:g}" if isinstance(value, float) else str(value)
        if not isinstance(value, str) or not value.strip():
            raise Invalid(self.noun)
        return value.strip()

    def schema(self) -> dict:
        return {"type": ["string", "number"]}


@dataclass(frozen=True)
class Const(Kind):
    value: Any = None

    @property
    def noun(self) -> str:  # type: ignore[override]
        return str(self.value)

    def check(self, value: Any, where: Where) -> Any:
        if value != self.value or isinstance(value, bool) != isinstance(self.value, bool):
            raise Invalid(self.noun)
        return value

    def schema(self) -> dict:
        return {"const": self.value}


@dataclass(frozen=True)
class Anything(Kind):
    noun: str = "值"

    def check(self, value: Any, where: Where) -> Any:
        return value

    def schema(self) -> dict:
        return {}


@dataclass(frozen=True)
class Pair(Kind):
    """A two-item list such as a chapter ``[3, 客户信息管理]``."""

    first: Kind = field(default_factory=Text)
    second: Kind = field(default_factory=Text)

    @property
    def noun(self) -> str:  # type: ignore[override]
        return f"两项的列表 [{self.first.noun}, {self.second.noun}]"

    def check(self, value: Any, where: Where) -> tuple:
        if not isinstance(value, list) or len(value) != 2:
            raise Invalid(self.noun)
        try:
            return self.first.check(value[0], where), self.second.check(value[1], where)
        except Invalid:
            raise Invalid(self.noun) from None

    def schema(self) -> dict:
        return {"type": "array", "prefixItems": [self.first.schema(), self.second.schema()],
                "minItems": 2, "maxItems": 2}


@dataclass(frozen=True)
class Integer(Kind):
    minimum: int | None = None
    maximum: int | None = None

    @property
    def noun(self) -> str:  # type: ignore[override]
        if self.minimum == 1 and self.maximum is None:
            return "正整数"
        return _range_noun("整数", self.minimum, self.maximum)

    def check(self, value: Any, where: Where) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or not _in_range(value, self.minimum, self.maximum):
            raise Invalid(self.noun)
        return value

    def schema(self) -> dict:
        return {"type": "integer", **_bounds(self.minimum, self.maximum)}


@dataclass(frozen=True)
class Number(Kind):
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: float | None = None

    @property
    def noun(self) -> str:  # type: ignore[override]
        if self.exclusive_minimum == 0 and self.maximum is None:
            return "正数"
        low = self.minimum if self.exclusive_minimum is None else self.exclusive_minimum + 1
        return _range_noun("数", low, self.maximum)

    def check(self, value: Any, where: Where) -> float:
        if not _number(value) or not _in_range(value, self.minimum, self.maximum) or (
                self.exclusive_minimum is not None and value <= self.exclusive_minimum):
            raise Invalid(self.noun)
        return float(value)

    def schema(self) -> dict:
        out = {"type": "number", **_bounds(self.minimum, self.maximum)}
        if self.exclusive_minimum is not None:
            out["exclusiveMinimum"] = self.exclusive_minimum
        return out


@dataclass(frozen=True)
class Boolean(Kind):
    noun: str = "true 或 false"

    def check(self, value: Any, where: Where) -> bool:
        if not isinstance(value, bool):
            raise Invalid(self.noun)
        return value

    def schema(self) -> dict:
        return {"type": "boolean"}


@dataclass(frozen=True)
class Choice(Kind):
    values: tuple[str, ...] = ()

    @property
    def noun(self) -> str:  # type: ignore[override]
        return " 或 ".join(self.values)

    def check(self, value: Any, where: Where) -> str:
        if value not in self.values:
            raise Invalid(self.noun)
        return value

    def schema(self) -> dict:
        return {"enum": list(self.values)}


@dataclass(frozen=True)
class Date(Kind):
    noun: str = "日期，写成 2026-12-15"

    def check(self, value: Any, where: Where) -> dt.date:
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            raise Invalid(self.noun)
        return value

    def schema(self) -> dict:
        return {"type": "string", "format": "date"}


@dataclass(frozen=True)
class ListOf(Kind):
    item: Kind = field(default_factory=Text)
    min_items: int = 0
    unique: bool = False

    @property
    def noun(self) -> str:  # type: ignore[override]
        return f"{self.item.noun}的列表" + (f"（至少 {self.min_items} 项）" if self.min_items > 1 else "")

    def check(self, value: Any, where: Where) -> list:
        if not isinstance(value, list) or len(value) < self.min_items:
            raise Invalid(self.noun)
        out = []
        for entry in value:
            line = getattr(entry, "line", where.line)
            try:
                out.append(self.item.check(entry, Where(line, where.item, where.report)))
            except Invalid:
                raise Invalid(self.noun) from None
        if self.unique and len(set(map(repr, out))) != len(out):
            raise Invalid(f"{self.noun}，不能有重复")
        return out

    def schema(self) -> dict:
        out = {"type": "array", "items": self.item.schema()}
        if self.min_items:
            out["minItems"] = self.min_items
        if self.unique:
            out["uniqueItems"] = True
        return out


@dataclass(frozen=True)
class Keyed(Kind):
    """A mapping of short keys to texts, e.g. options ``{a: …, b: …}``."""

    key_pattern: re.Pattern[str] = re.compile(r"^[a-z0-9_]+$")
    min_items: int = 0
    value: Kind = field(default_factory=Text)

    @property
    def noun(self) -> str:  # type: ignore[override]
        least = f"至少 {self.min_items} 项，" if self.min_items else ""
        return f"映射（{least}写成 {{a: …, b: …}}）"

    def check(self, value: Any, where: Where) -> dict[str, Any]:
        if not isinstance(value, dict) or len(value) < self.min_items:
            raise Invalid(self.noun)
        out = {}
        for key, text in value.items():
            if not isinstance(key, str):
                raise Invalid(f"映射：键 {key!r} 是数字或布尔值，请加引号写成 '{key}'")
            if not self.key_pattern.match(key):
                raise Invalid(f"映射：键 “{key}” 只能用小写字母、数字或下划线")
            try:
                out[key] = self.value.check(text, where)
            except Invalid as exc:
                raise Invalid(f"映射：“{key}” 的内容应为{exc}") from None
        return out

    def schema(self) -> dict:
        out = {"type": "object", "propertyNames": {"pattern": self.key_pattern.pattern},
               "additionalProperties": self.value.schema()}
        if self.min_items:
            out["minProperties"] = self.min_items
        return out


@dataclass(frozen=True)
class AnyOf(Kind):
    kinds: tuple[Kind, ...] = ()
    noun: str = "值"

    def check(self, value: Any, where: Where) -> Any:
        for kind in self.kinds:
            try:
                return kind.check(value, Where(where.line, where.item, lambda *_: None))
            except Invalid:
                continue
        raise Invalid(self.noun)

    def schema(self) -> dict:
        return {"oneOf": [k.schema() for k in self.kinds]}


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind
    help: str = ""  # what the field holds, in the learner-facing language of the maintainers
    required: bool = False
    default: Any = MISSING
    # replaces the generic "name 应为 …" when the value is invalid or missing; {value} is what was written
    message: str = ""
    nullable: bool = False  # may be written as null (same as leaving it out)

    def schema(self) -> dict:
        out = self.kind.schema()
        if self.nullable and "type" in out:
            out["type"] = [out["type"], "null"]
        if self.help:
            out["description"] = self.help
        if self.default is not MISSING and self.default is not None:
            default = self.default
            out["default"] = list(default) if isinstance(default, tuple) else default
        return out


@dataclass(frozen=True)
class Record(Kind):
    """A mapping with known fields; unknown fields are problems (with a did-you-mean)."""

    fields: tuple[Field, ...] = ()
    noun: str = "“键: 值”的映射"
    item_key: str | None = None  # the field that names an entry in messages (question id, step id …)
    closed: bool = True  # unknown fields are problems (a file written by a newer page may add fields: False)

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    @property
    def names(self) -> set[str]:
        return {f.name for f in self.fields}

    def check(self, value: Any, where: Where) -> dict[str, Any] | None:
        """Cleaned values of every field, defaults filled in, or None when ``value`` is not a mapping.

        A field with a problem is reported and set to its default (or None), so the caller can still
        check the rest across fields; it knows the record is valid when nothing was reported.
        """
        if not isinstance(value, dict):
            where.report(getattr(value, "line", where.line), where.item, f"应为{self.noun}")
            return None
        if not isinstance(value, LineDict):  # JSON (an answer export): no line numbers to give
            value = _unlined(value, where.line)
        item = where.item
        if self.item_key and isinstance(value.get(self.item_key), str) and value[self.item_key]:
            item = value[self.item_key]
        report = where.report

        for key in sorted(map(str, set(value) - self.names)) if self.closed else ():
            report(value.line_of(key), item, f"未知字段 “{key}”{did_you_mean(key, self.names)}")
        out: dict[str, Any] = {}
        for f in self.fields:
            if f.name not in value or value[f.name] is None:
                if f.required:
                    missing = f"缺少 {f.name}" + (f"（{f.help}）" if f.help else "")
                    report(value.line_of(f.name) if f.name in value else value.line, item,
                           _fill(f.message, None) if f.message else missing)
                out[f.name] = None if f.default is MISSING else f.default
                continue
            inner = Where(value.line_of(f.name), item, report)
            try:
                out[f.name] = f.kind.check(value[f.name], inner)
            except Invalid as exc:
                message = _fill(f.message, value[f.name]) if f.message else _invalid(f, str(exc))
                report(value.line_of(f.name), item, message)
                out[f.name] = None if f.default is MISSING else f.default
        return out

    def schema(self) -> dict:
        return {
            "type": "object",
            "properties": {f.name: f.schema() for f in self.fields},
            "required": [f.name for f in self.fields if f.required],
            "additionalProperties": not self.closed,
        }


def _fill(message: str, value: Any) -> str:
    """A field's own message with what was written in place of {value} (other braces stay as they are)."""
    return message.replace("{value!r}", repr(value)).replace("{value}", str(value))


def _unlined(value: dict, line: int) -> LineDict:
    out = LineDict(value)
    out.line, out.key_lines = line, {}
    return out


def _invalid(f: Field, noun: str) -> str:
    help_text = f"（{f.help}）" if f.help and "（" not in noun else ""
    return f"{f.name} 应为{noun}{help_text}"


def _range_noun(noun: str, low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return f"{low:g}～{high:g} 之间的{noun}"
    if low is not None:
        return f"不小于 {low:g} 的{noun}"
    if high is not None:
        return f"不大于 {high:g} 的{noun}"
    return noun


def _in_range(value: float, low: float | None, high: float | None) -> bool:
    return (low is None or value >= low) and (high is None or value <= high)


def _bounds(low: float | None, high: float | None) -> dict:
    out = {}
    if low is not None:
        out["minimum"] = low
    if high is not None:
        out["maximum"] = high
    return out


def did_you_mean(key: str, allowed: Iterable[str]) -> str:
    match = difflib.get_close_matches(key, sorted(allowed), n=1, cutoff=0.7)
    return f"（是不是 “{match[0]}”？）" if match else f"（可用：{'、'.join(sorted(allowed))}）"


def document_schema(body: Record | dict, *, schema_id: str, title: str) -> dict:
    """A whole JSON Schema document for a top-level format (a record, or its schema adjusted by hand)."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_id,
        "title": title,
        **(body.schema() if isinstance(body, Record) else body),
    }
