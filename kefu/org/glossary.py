"""The glossary (术语表): one data file that feeds the glossary page, the search
segmenter's user words and the abbreviation tooltips."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kefu.problems import DataError, Problem
from kefu.yamlio import LineDict, YamlFileError, load_yaml_file

CATEGORIES = (
    "服务理念", "服务礼仪", "客户管理", "投诉处理", "售后服务",
    "呼叫中心", "客户关系", "团队与绩效", "质量与满意度",
)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_ABBR = re.compile(r"^[A-Z][A-Z0-9]{1,9}$")


@dataclass(frozen=True)
class Term:
    term: str
    definition: str
    category: str
    abbr: str | None = None
    en: str | None = None
    source: str | None = None

    @property
    def anchor(self) -> str:
        return "term-" + (self.abbr.lower() if self.abbr else self.term)


def load_glossary(path: Path) -> list[Term]:
    """Load and check the glossary; raises DataError listing every problem."""
    terms, problems = check_glossary(path)
    if problems:
        raise DataError(problems, "术语表")
    return terms


def check_glossary(path: Path) -> tuple[list[Term], list[Problem]]:
    """The glossary's terms and every problem in it."""
    name = str(path)
    try:
        data = load_yaml_file(path)
    except YamlFileError as exc:
        return [], [Problem(name, exc.line, "-", exc.message)]
    except OSError as exc:
        return [], [Problem(name, 0, "-", f"无法读取术语表：{exc.strerror}")]
    problems: list[Problem] = []
    if not isinstance(data, LineDict) or data.get("schema") != 1:
        return [], [Problem(name, 1, "-", "开头需要 schema: 1")]
    raw_terms = data.get("terms")
    if not isinstance(raw_terms, list) or not raw_terms:
        return [], [Problem(name, data.line_of("terms"), "-", "缺少 terms 列表")]
    terms: list[Term] = []
    seen: dict[str, int] = {}
    for raw in raw_terms:
        if not isinstance(raw, LineDict):
            problems.append(Problem(name, data.line_of("terms"), "-", "每个术语应是“键: 值”的映射"))
            continue
        label = str(raw.get("term", "-"))
        unknown = set(raw) - {"term", "definition", "category", "abbr", "en", "source"}
        for key in sorted(unknown):
            problems.append(Problem(name, raw.line_of(key), label, f"未知字段 “{key}”"))
        term, definition = raw.get("term"), raw.get("definition")
        if not isinstance(term, str) or not _CJK.search(term) or " " in term:
            problems.append(Problem(name, raw.line, label, "term 必须是不含空格的中文词"))
            continue
        if not isinstance(definition, str) or not definition.strip():
            problems.append(Problem(name, raw.line, label, "缺少 definition（释义）"))
        if raw.get("category") not in CATEGORIES:
            problems.append(
                Problem(name, raw.line_of("category"), label,
                        f"category 应为其中之一：{'、'.join(CATEGORIES)}")
            )
        abbr = raw.get("abbr")
        if abbr is not None and not (isinstance(abbr, str) and _ABBR.match(abbr)):
            problems.append(Problem(name, raw.line_of("abbr"), label, "abbr 应为大写字母缩写，如 FCR"))
        for key in (term, abbr):
            if key is None:
                continue
            if key in seen:
                problems.append(
                    Problem(name, raw.line, label, f"“{key}” 与第 {seen[key]} 行重复")
                )
            seen[key] = raw.line
        terms.append(
            Term(term=term, definition=str(definition or "").strip(),
                 category=str(raw.get("category")), abbr=abbr,
                 en=raw.get("en"), source=raw.get("source"))
        )
    return (terms if not problems else []), problems


def search_words(terms: list[Term]) -> list[str]:
    """Words the Chinese segmenter must keep whole, longest first."""
    return sorted({t.term for t in terms}, key=lambda w: (-len(w), w))


def abbreviation_lines(terms: list[Term]) -> str:
    """Markdown ``abbr`` definitions (``*[FCR]: 首次解决率 …``) for every page."""
    lines = []
    for t in terms:
        if t.abbr:
            full = f"{t.term}（{t.en}）" if t.en else t.term
            lines.append(f"*[{t.abbr}]: {full}")
    return "\n".join(lines)
