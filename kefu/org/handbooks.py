"""The five handbooks and the laws the course cites (``data/handbooks.yml``), and which chapters it covers.

Citations are read as written for learners: 《书名》第X章 (Chinese or Arabic numerals, several
chapters joined by 、和及), 《书名》前言, or 《法名》第X条. A citation of a chapter a handbook does not
have is a problem, reported with the file and line like every other data problem; so is a ``source``
field (question, process, role) that cites anything but these books and laws.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kefu.bank import Bank
from kefu.fields import Boolean, Const, Field, Integer, ListOf, Pair, Record, Text, Where, document_schema
from kefu.org.flows import Flow, Role
from kefu.problems import DataError, DataFile, Problem

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
           "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_CHAPTER = r"(?:第\s*([0-9]+|[一二三四五六七八九十]+)\s*章|(前言))"
_NUMERAL = r"[0-9]+|[零〇一二两三四五六七八九十百千]+"
_ARTICLE = re.compile(r"《([^》]+)》\s*第\s*(" + _NUMERAL + r")\s*条")
# a source field: citations separated by 、；; ，and spaces, nothing else
_SOURCE_PART = re.compile(r"《[^》]+》(?:\s*(?:[、和及与]\s*)?(?:第\s*(?:" + _NUMERAL + r")\s*[章条]|前言))+")
_SEPARATORS = re.compile(r"^[\s、；;，,。]*$")
_CITATION = re.compile(r"《([^》]+)》((?:\s*[、和及与]?\s*" + _CHAPTER + r")+)")
_ONE_CHAPTER = re.compile(_CHAPTER)
PREFACE = 0


def chinese_number(text: str) -> int:
    """第十三章 → 13, 第一千零三十四条 → 1034; Arabic digits pass through."""
    if text.isdigit():
        return int(text)
    total, digit = 0, 0
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _UNITS:
            total += (digit or 1) * _UNITS[ch]
            digit = 0
        else:
            raise ValueError(text)
    return total + digit


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


@dataclass(frozen=True)
class Law:
    name: str
    aliases: tuple[str, ...] = ()
    articles: int | None = None  # how many articles it has, when known


@dataclass(frozen=True)
class Library:
    """What the course may cite: the handbooks (by chapter) and the laws (by article)."""

    books: tuple[Handbook, ...] = ()
    laws: tuple[Law, ...] = ()

    def book(self, name: str) -> Handbook | None:
        return next((b for b in self.books if name in (b.title, *b.aliases)), None)

    def law(self, name: str) -> Law | None:
        return next((law for law in self.laws if name in (law.name, *law.aliases)), None)


BOOK = Record((
    Field("title", Text(), "书名", required=True),
    Field("aliases", ListOf(Text()), "别名（引用时也认）", default=()),
    Field("arabic", Boolean(), "目录用阿拉伯数字（第9章）", default=False),
    Field("chapters", ListOf(Pair(Integer(0), Text()), min_items=1), "章目：[章号, 章名]，0 是前言", required=True),
), item_key="title")
LAW = Record((
    Field("name", Text(), "法律法规名称（不带书名号）", required=True),
    Field("aliases", ListOf(Text()), "别名", default=()),
    Field("articles", Integer(1), "条文总数（用来发现写错的条号）"),
), item_key="name")
HANDBOOKS = Record((
    Field("schema", Const(1), "格式版本", required=True, message="开头需要 schema: 1"),
    Field("books", ListOf(BOOK, min_items=1), "课程依据的手册", required=True),
    Field("laws", ListOf(LAW), "课程引用的法律法规", default=()),
))


def handbooks_json_schema() -> dict:
    return document_schema(HANDBOOKS, schema_id="handbooks-1.schema.json", title="课程依据的手册与法律法规（第 1 版）")


def check_handbooks(path: Path) -> tuple[Library, list[Problem]]:
    file = DataFile(path)
    problems, add, data = file.problems, file.add, file.load()
    if data is None:
        return Library(), problems
    values = HANDBOOKS.check(data, Where(getattr(data, "line", 1), "-", add))
    if values is None or problems:
        return Library(), problems
    books = tuple(Handbook(b["title"], tuple(b["aliases"]), tuple(Chapter(n, t, b["arabic"]) for n, t in b["chapters"]))
                  for b in values["books"])
    laws = tuple(Law(law["name"], tuple(law["aliases"]), law["articles"]) for law in values["laws"])
    return Library(books, laws), []


def load_handbooks(path: Path) -> list[Handbook]:
    library, problems = check_handbooks(path)
    if problems:
        raise DataError(problems, "手册目录")
    return list(library.books)


def check_source(text: str, library: Library) -> str | None:
    """Why a ``source`` field is not a list of citations the course knows, or None if it is."""
    rest = _SOURCE_PART.sub("", text)
    if not _SEPARATORS.match(rest):
        return (f"出处只能写手册章节和法律条文，如“《客服管理工具箱》第九章；《消费者权益保护法》第二十五条”"
                f"（多出了：{rest.strip()[:30]}）")
    for name in re.findall(r"《([^》]+)》", text):
        if library.book(name) is None and library.law(name) is None:
            known = "、".join(f"《{b.title}》" for b in library.books)
            return f"《{name}》不在 data/handbooks.yml 中：手册应为 {known}；法律法规请先加到该文件的 laws"
        if library.law(name) is not None and not re.search(f"《{re.escape(name)}》\\s*第", text):
            return f"《{name}》要写明条号，如《{name}》第十条"
    for name, number in _ARTICLE.findall(text):
        law = library.law(name)
        if law is None:
            return f"《{name}》是手册，引用手册写“第X章”，不写“第X条”"
        if law.articles and not 1 <= chinese_number(number) <= law.articles:
            return f"《{name}》只有 {law.articles} 条，没有第{number}条"
    return None


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


def title_of(docs: Path, path: str) -> str:
    """The title of the page docs/``path``: its front matter title, else its first heading, else the path."""
    return page_title((docs / path).read_text(encoding="utf-8"), path)


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
            continue  # laws (《劳动法》 …) are cited too; only the handbooks' chapters are mapped
        entry = table[book.title].get(citation.chapter)
        if entry is None:
            problems.append(Problem(file, citation.line, citer.id,
                                    f"《{citation.book}》没有第{citation.chapter}章（目录见 data/handbooks.yml）"))
            continue
        entry.citers.append(citer)
    books = [(book, list(table[book.title].values())) for book in handbooks]
    return Coverage(books, problems)
