"""Which handbook chapters the course covers, from the sources its pages, processes and questions cite.

Citations are read as written for learners: 《书名》第X章 (Chinese or Arabic numerals, several
chapters joined by 、和及), or 《书名》前言. A citation of a chapter a handbook does not have is a
problem to fix, reported with the file and line like every other data problem.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kefu.bank.model import Bank
from kefu.org.flows import Flow, Role
from kefu.problems import Problem
from kefu.yamlio import load_yaml_file

_DIGITS = {"零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CHAPTER = r"(?:第\s*([0-9]+|[一二三四五六七八九十]+)\s*章|(前言))"
_CITATION = re.compile(r"《([^》]+)》((?:\s*[、和及与]?\s*" + _CHAPTER + r")+)")
_ONE_CHAPTER = re.compile(_CHAPTER)
PREFACE = 0


def chinese_number(text: str) -> int:
    """第十三章 → 13; Arabic digits pass through."""
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[ones] if ones else 0)
    return _DIGITS[text]


def chinese_numeral(number: int) -> str:
    """13 → 十三 (1–99), as the handbooks number their chapters."""
    names = "零一二三四五六七八九"
    tens, ones = divmod(number, 10)
    if not tens:
        return names[ones]
    return f"{names[tens] if tens > 1 else ''}十{names[ones] if ones else ''}"


@dataclass(frozen=True)
class Chapter:
    number: int
    title: str
    arabic: bool = False

    @property
    def label(self) -> str:
        if self.number == PREFACE:
            return "前言"
        return f"第{self.number}章" if self.arabic else f"第{chinese_numeral(self.number)}章"


@dataclass(frozen=True)
class Handbook:
    title: str
    aliases: tuple[str, ...]
    chapters: tuple[Chapter, ...]

    def chapter(self, number: int) -> Chapter | None:
        return next((c for c in self.chapters if c.number == number), None)


def load_handbooks(path: Path) -> list[Handbook]:
    data = load_yaml_file(path)
    return [Handbook(h["title"], tuple(h.get("aliases") or ()),
                     tuple(Chapter(int(n), str(t), bool(h.get("arabic"))) for n, t in h["chapters"])) for h in data]


@dataclass(frozen=True)
class Citation:
    book: str
    chapter: int
    line: int


def citations(text: str) -> list[Citation]:
    found = []
    for match in _CITATION.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        for number, preface in _ONE_CHAPTER.findall(match.group(2)):
            found.append(Citation(match.group(1).strip(), PREFACE if preface else chinese_number(number), line))
    return found


@dataclass(frozen=True)
class Citer:
    """Something in the course that cites a chapter: a page, a process or a question."""

    kind: str  # page / flow / question
    id: str  # docs path, flow id or question id
    title: str
    bank: str = ""  # questions: their bank


@dataclass
class ChapterCoverage:
    chapter: Chapter
    citers: list[Citer] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[Citer]:
        seen, out = set(), []
        for citer in self.citers:
            if citer.kind == kind and citer.id not in seen:
                seen.add(citer.id)
                out.append(citer)
        return out


@dataclass
class Coverage:
    books: list[tuple[Handbook, list[ChapterCoverage]]]
    problems: list[Problem]

    @property
    def chapters_total(self) -> int:
        return sum(len(chapters) for _, chapters in self.books)

    @property
    def chapters_covered(self) -> int:
        return sum(bool(c.citers) for _, chapters in self.books for c in chapters)


def page_title(text: str, fallback: str) -> str:
    match = re.search(r"^title:\s*(.+?)\s*$", text, re.MULTILINE) or re.search(r"^#\s+(.+?)\s*$", text, re.MULTILINE)
    return match.group(1).strip("\"'") if match else fallback


def course_citations(docs: Path, pages: Iterable[Path], flows: dict[str, Flow], roles: dict[str, Role],
                     banks: dict[str, Bank]) -> list[tuple[Citer, str, Citation]]:
    """(who cites, which file, the citation) for every citation in the course."""
    out = []
    for path in pages:
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(docs).as_posix()
        citer = Citer("page", rel, page_title(text, rel))
        out += [(citer, f"docs/{rel}", c) for c in citations(text)]
    for flow in flows.values():
        out += [(Citer("flow", flow.id, flow.title), f"flows/{flow.id}.yml", c) for c in citations(flow.source)]
    for role in roles.values():
        if role.has_page:
            out += [(Citer("page", f"roles/{role.id}.md", role.title), f"roles/{role.id}.yml", c)
                    for c in citations(role.source)]
    for bank in banks.values():
        for q in bank.questions:
            cited = citations(q.source)
            out += [(Citer("question", q.id, q.stem, bank.id), f"{bank.path.name}",
                     Citation(c.book, c.chapter, q.line)) for c in cited]
    return out


def coverage(handbooks: list[Handbook], cited: list[tuple[Citer, str, Citation]]) -> Coverage:
    by_name = {name: book for book in handbooks for name in (book.title, *book.aliases)}
    table = {book.title: {c.number: ChapterCoverage(c) for c in book.chapters} for book in handbooks}
    problems = []
    for citer, file, citation in cited:
        book = by_name.get(citation.book)
        if book is None:
            continue  # laws and standards (《劳动法》 …) are cited too; only the handbooks are mapped
        entry = table[book.title].get(citation.chapter)
        if entry is None:
            problems.append(Problem(file, citation.line, citer.id,
                                    f"《{citation.book}》没有第{citation.chapter}章（目录见 data/handbooks.yml）"))
            continue
        entry.citers.append(citer)
    books = [(book, list(table[book.title].values())) for book in handbooks]
    return Coverage(books, problems)
