"""The glossary (术语表): one data file that feeds the glossary page, the search
segmenter's user words and the abbreviation tooltips."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kefu.fields import Choice, Const, Field, ListOf, Record, Text, Where, document_schema
from kefu.problems import DataError, DataFile, Problem

CATEGORIES = (
    "服务理念", "服务礼仪", "客户管理", "投诉处理", "售后服务",
    "呼叫中心", "客户关系", "团队与绩效", "质量与满意度",
)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_ABBR = re.compile(r"^[A-Z][A-Z0-9]{1,9}$")
_CJK_WORD = re.compile(r"^[\u4e00-\u9fff][\u4e00-\u9fffA-Za-z0-9]*$")


@dataclass(frozen=True)
class Term:
    term: str
    definition: str
    category: str
    abbr: str | None = None
    en: str | None = None
    source: str | None = None
    kpi: str | None = None  # a KPI of the company profile this term names
    aka: tuple[str, ...] = ()  # other names learners type for it (search treats them as the same word)
    page: str | None = None  # the course page that teaches it, relative to docs/
    line: int = 0  # where it is in data/glossary.yml

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the term goes by: itself, its abbreviation, its other names."""
        return (self.term, *([self.abbr] if self.abbr else []), *self.aka)

    @property
    def anchor(self) -> str:
        return "term-" + (self.abbr.lower() if self.abbr else self.term)


TERM = Record((
    Field("term", Text(), "术语：不含空格的中文词", required=True, message="term 必须是不含空格的中文词"),
    Field("definition", Text(), "释义", required=True, message="缺少 definition（释义）"),
    Field("category", Choice(CATEGORIES), "分组", required=True,
          message=f"category 应为其中之一：{'、'.join(CATEGORIES)}"),
    Field("abbr", Text(_ABBR, noun="大写字母缩写"), "英文缩写，如 FCR", message="abbr 应为大写字母缩写，如 FCR"),
    Field("en", Text(), "英文名称"),
    Field("source", Text(), "出处"),
    Field("kpi", Text(), "公司资料中的指标 id（data/company.yml 的 kpis）：释义末尾自动加上本公司的计算方法和目标"),
    Field("aka", ListOf(Text(_CJK_WORD, noun="不含空格的中文词")), "又称：课程里或工作中对它的别的叫法，"
          "如首问负责制又称首问负责；站内搜索把它们当作同一个词"),
    Field("page", Text(re.compile(r"^[a-z0-9][a-z0-9_/-]*\.md$"), noun="docs/ 下的页面路径"),
          "讲这个术语的课程页（docs/ 下的路径，如 modules/call-center/metrics-and-quality.md）："
          "术语表链接过去，搜索这个词时它排在前面；页面里要出现这个术语、它的缩写或又称"),
), item_key="term")
GLOSSARY = Record((
    Field("schema", Const(1), "术语表格式版本", required=True, message="开头需要 schema: 1"),
    Field("terms", ListOf(TERM, min_items=1), "术语列表", required=True, message="缺少 terms 列表"),
))


def glossary_json_schema() -> dict:
    return document_schema(GLOSSARY, schema_id="glossary-1.schema.json", title="客服培训课程站术语表（第 1 版）")


def load_glossary(path: Path) -> list[Term]:
    """Load and check the glossary; raises DataError listing every problem."""
    terms, problems = check_glossary(path)
    if problems:
        raise DataError(problems, "术语表")
    return terms


def check_glossary(path: Path, *, expand=None) -> tuple[list[Term], list[Problem]]:
    """The glossary's terms and every problem in it."""
    file = DataFile(path)
    problems, add, data = file.problems, file.add, file.load()
    if data is None:
        return [], problems
    if expand is not None:
        data = expand(data, add)
    values = GLOSSARY.check(data, Where(getattr(data, "line", 1), "-", add))
    if values is None:
        return [], problems
    terms: list[Term] = []
    seen: dict[str, int] = {}
    for raw, t in zip(data["terms"], values["terms"] or [], strict=False):
        if t is None or t["term"] is None:
            continue
        if not _CJK.search(t["term"]) or " " in t["term"]:
            add(raw.line, t["term"], "term 必须是不含空格的中文词")
        for key in (t["term"], t["abbr"], *(t["aka"] or ())):
            if key is None:
                continue
            if key in seen:
                add(raw.line, t["term"], f"“{key}” 与第 {seen[key]} 行重复")
            seen[key] = raw.line
        terms.append(Term(term=t["term"], definition=t["definition"], category=t["category"], abbr=t["abbr"],
                          en=t["en"], source=t["source"], kpi=t["kpi"], aka=tuple(t["aka"] or ()),
                          page=t["page"], line=raw.line))
    return (terms if not problems else []), problems


def search_words(terms: list[Term]) -> list[str]:
    """Words the Chinese segmenter must keep whole, longest first: every term and its other names."""
    return sorted({w for t in terms for w in (t.term, *t.aka)}, key=lambda w: (-len(w), w))


def synonyms(terms: list[Term]) -> list[list[str]]:
    """For search: each term with its abbreviation and other names, as one word."""
    return [[t.term, *([t.abbr.lower()] if t.abbr else []), *t.aka] for t in terms if t.abbr or t.aka]


def abbreviation_lines(terms: list[Term]) -> str:
    """Markdown ``abbr`` definitions (``*[FCR]: 首次解决率 …``) for every page."""
    lines = []
    for t in terms:
        if t.abbr:
            full = f"{t.term}（{t.en}）" if t.en else t.term
            lines.append(f"*[{t.abbr}]: {full}")
    return "\n".join(lines)
