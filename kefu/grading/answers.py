"""Reading learners' answers: the quiz pages' JSON exports and form tools' spreadsheets.

Everything that cannot be read becomes a :class:`Rejection` naming the file (and row) and
what to do; nothing here raises on bad input, whatever a file holds (:func:`read_file`).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kefu.bank import ID_PATTERN, MODES, Bank, Question
from kefu.fields import Anything, Choice, Const, Field, Keyed, ListOf, Record, Text, Where, document_schema
from kefu.org.mockcall import NOTE_HEADERS, OBSERVER_HEADERS, SCENARIO_HEADERS, ObserverScore, Rubric
from kefu.rules import normalize_fill

EXPORT_FORMAT = "quiz-answers/1"
_QID = Text(ID_PATTERN, noun="题目 id")
# The file a quiz page exports (docs/assets/quiz/quiz.js writes it; schemas/quiz-answers-1.schema.json).
EXPORT = Record((
    Field("format", Const(EXPORT_FORMAT), "导出格式与版本", required=True,
          message=f"不认识的导出格式 “{{value}}”（本脚本读取 {EXPORT_FORMAT}）"),
    Field("quiz", _QID, "测验（题库）id", required=True, message="导出文件缺少 quiz（测验 id）"),
    Field("bank_version", Text(), "导出时题库的版本：题目与选项（不含答案）的摘要"),
    Field("question_versions", Keyed(ID_PATTERN, value=Text()), "每道题导出时的版本 {题目 id: 摘要}"),
    Field("mode", Choice(MODES), "practice 练习 / exam 考试"),
    Field("learner", Record((
        Field("name", Text(), "姓名", default=""),
        Field("id", Text(), "工号", required=True,
              message="导出文件缺少学员工号（learner.id），或工号不是文字：请学员填写工号后重新导出"),
    )), "学员", required=True, message="导出文件缺少学员工号（learner.id），或工号不是文字：请学员填写工号后重新导出"),
    Field("questions", ListOf(_QID, min_items=1), "页面显示的题目 id，按显示顺序", required=True,
          message="导出文件的 questions 不是题目 id 列表"),
    Field("answers", Keyed(ID_PATTERN, value=Anything()), "{题目 id: 答案}；未答的题不出现", required=True,
          message="导出文件的 answers 不是 {题目 id: 答案} 的映射"),
    Field("started_at", Text(), "开始作答的时间（ISO 8601，带时区）"),
    Field("submitted_at", Text(), "导出的时间（ISO 8601，带时区）"),
    Field("assignment", Text(), "从哪个培训任务页进入（任务编号）"),
), closed=False)  # a file from a newer page may carry more fields; this reader ignores them


def export_json_schema() -> dict:
    schema = document_schema(EXPORT, schema_id="quiz-answers-1.schema.json",
                             title="测验页导出的答案文件（quiz-answers/1）")
    return schema
SPREADSHEET_SUFFIXES = {".csv", ".xlsx", ".txt", ".tsv"}
ANSWER_SUFFIXES = {".json", *SPREADSHEET_SUFFIXES}

NAME_HEADERS = {"姓名", "name", "名字", "学员", "学员姓名"}
ID_HEADERS = {"工号", "id", "员工编号", "员工号", "学号", "employee_id", "learner_id", "编号"}
QUIZ_HEADERS = {"quiz", "测验", "测验编号", "题库", "quiz_id"}
IGNORED_HEADERS = {
    "序号", "提交时间", "开始时间", "结束时间", "答题时间", "所用时间", "用时", "submitted_at", "started_at",
    "timestamp", "时间戳", "ip", "ip地址", "来源", "来源详情", "总分", "得分", "分数", "score", "部门",
}
_QUESTION_HEADER = re.compile(r"^([a-z0-9]+(?:-[a-z0-9]+)*)(?:$|[\s:：.．、)）(（])")


@dataclass(slots=True)
class Attempt:
    """One learner's answers to one quiz, from one file (or one spreadsheet row)."""

    source: str
    quiz: str
    learner_id: str
    learner_name: str
    questions: list[str]  # as the file lists them; the grader decides what was asked
    answers: dict[str, Any]
    submitted_at: str = ""
    bank_version: str | None = None
    question_versions: dict[str, str] | None = None
    notes: list[str] = field(default_factory=list)
    assignment: str | None = None  # the 培训任务 the quiz was opened from, if any
    order: int = 0  # position in the input, for "first"/"last" when times are missing
    digest: str = ""  # the content, for telling a copied file from a second attempt
    from_sheet: bool = False  # a form tool's row: its columns are the form the trainer built


REASON_LENGTH = 300  # a reason longer than this is cut: rejected.csv stays readable


@dataclass(frozen=True)
class Rejection:
    source: str
    reason: str

    def __post_init__(self) -> None:
        if len(self.reason) > REASON_LENGTH:
            object.__setattr__(self, "reason", self.reason[:REASON_LENGTH - 1] + "…")


def listed(items: Iterable[str], limit: int = 8) -> str:
    """``a、b、c 等 12 个`` — a list that stays short in a message."""
    items = list(items)
    shown = "、".join(items[:limit])
    return shown + (f" 等 {len(items)} 个" if len(items) > limit else "")


HIDDEN = "隐藏文件或文件夹（名字以 . 开头，多为系统或同步软件生成），未读取"


def find_answer_files(paths: Iterable[Path]) -> tuple[list[str], list[Rejection]]:
    """Expand folders recursively. Files named on the command line are always tried; inside
    folders only answer-like files are taken, and hidden ones are listed as skipped."""
    files: list[str] = []
    rejected: list[Rejection] = []
    for path in paths:
        if path.is_dir():
            for folder, subfolders, names in os.walk(path):
                hidden = [d for d in sorted(subfolders) if d.startswith(".")]
                rejected += [Rejection(os.path.join(folder, d), HIDDEN) for d in hidden]
                subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
                for name in sorted(names):
                    full = os.path.join(folder, name)
                    if name.startswith("."):
                        rejected.append(Rejection(full, HIDDEN))
                        continue
                    if os.path.splitext(name)[1].lower() in ANSWER_SUFFIXES:
                        files.append(full)
                    else:
                        rejected.append(Rejection(full, "不是答案文件（只读取 .json 导出文件和 .csv/.xlsx 表格）"))
        elif path.is_file():
            files.append(str(path))
        else:
            rejected.append(Rejection(str(path), "找不到这个文件或文件夹"))
    return files, rejected


Entry = Attempt | ObserverScore | Rejection


@dataclass(frozen=True)
class Unreadable:
    """Ends a file's entries when it failed part-way: nothing read from it counts, only this rejection."""

    rejection: Rejection


def read_file(path: str | Path, banks: dict[str, Bank], quiz: str | None = None, rubric: Rubric | None = None
              ) -> tuple[list[Attempt | ObserverScore], list[Rejection]]:
    """Read one input file of any supported kind; never raises, whatever the file holds.

    A spreadsheet with a 考官 column holds observers' mock-call scores (:class:`ObserverScore`).
    """
    return _collect(iter_file(path, banks, quiz, rubric))


def iter_file(path: str | Path, banks: dict[str, Bank], quiz: str | None = None, rubric: Rubric | None = None
              ) -> Iterator[Entry | Unreadable]:
    """:func:`read_file`'s entries one at a time, in order, so that a spreadsheet of a hundred thousand
    rows is never held whole. A file that fails part-way ends with an :class:`Unreadable`: the caller
    drops what it took from that file (:func:`read_file` then gives only its rejection)."""
    name = os.fspath(path)
    try:
        raw = _read_bytes(name)
    except OSError as exc:
        yield Rejection(name, f"无法读取：{exc.strerror}")
        return
    try:
        yield from _iter_bytes(name, raw, banks, quiz, rubric)
    except RecursionError:
        yield Unreadable(Rejection(name, "文件的数据嵌套过深，不是测验导出文件或表格：请学员重新导出"))
    except Exception as exc:  # a damaged or hostile file must not stop the other files being graded
        yield Unreadable(Rejection(name, f"无法读取这个文件（{type(exc).__name__}）：请学员重新导出，或另存后再试"))


def _read_bytes(name: str) -> bytes:
    """The whole file, through the bare file descriptor: for a 3 KB export, Python's buffered file
    object took longer to set up than the reading itself."""
    fd = os.open(name, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        parts = [os.read(fd, os.fstat(fd).st_size + 1)]  # all of it in one read, whatever its size
        while chunk := os.read(fd, 1 << 20):  # (a file that grew meanwhile)
            parts.append(chunk)
        return parts[0] if len(parts) == 1 else b"".join(parts)
    finally:
        os.close(fd)


def _collect(entries: Iterable[Entry | Unreadable]) -> tuple[list[Attempt | ObserverScore], list[Rejection]]:
    found: list[Attempt | ObserverScore] = []
    rejected: list[Rejection] = []
    for entry in entries:
        if isinstance(entry, Unreadable):
            return [], [entry.rejection]
        (rejected if isinstance(entry, Rejection) else found).append(entry)
    return found, rejected


def read_bytes(name: str, raw: bytes, banks: dict[str, Bank], quiz: str | None = None, rubric: Rubric | None = None
               ) -> tuple[list[Attempt | ObserverScore], list[Rejection]]:
    return _collect(_iter_bytes(name, raw, banks, quiz, rubric))


def _iter_bytes(name: str, raw: bytes, banks: dict[str, Bank], quiz: str | None = None,
                rubric: Rubric | None = None) -> Iterator[Entry | Unreadable]:
    if not raw or raw.isspace():
        yield Rejection(name, "文件是空的（可能导出或复制时中断了）：请学员重新导出")
        return
    suffix = os.path.splitext(name)[1].lower()
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):  # Excel's "Unicode 文本": UTF-16, tab-separated
        yield from _iter_rows(name, _iter_csv_rows(raw.decode("utf-16")), banks, quiz, rubric)
        return
    if raw[:2] == b"PK":
        if suffix not in (".xlsx", ".xlsm"):
            yield Rejection(name, "这是一个压缩包或 Excel 文件，但扩展名不是 .xlsx：请改名或另存为 .xlsx")
        else:
            yield from _iter_xlsx(name, raw, banks, quiz, rubric)
        return
    if b"\x00" in raw[:4096]:
        yield Rejection(name, "这是二进制文件，不是答案导出文件或 CSV/XLSX 表格")
        return
    if suffix == ".json" or raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{":
        attempt, rejection = read_export(name, raw, banks)
        if attempt:
            attempt.digest = content_digest(raw)
        yield attempt or rejection
        return
    text = decode_text(raw)
    if text is None:
        yield Rejection(name, "无法识别文字编码（不是 UTF-8 或 GBK）：请在 Excel 中另存为“CSV UTF-8”")
        return
    entries = _iter_rows(name, _iter_csv_rows(text), banks, quiz, rubric)
    if suffix not in (".xlsx", ".xlsm"):
        yield from entries
        return
    for entry in entries:
        if isinstance(entry, Attempt):  # (an observer's sheet has no notes: its scores are read the same)
            entry.notes.append("此 .xlsx 文件其实是 CSV 文本，已按 CSV 读取")
        yield entry


def decode_text(raw: bytes) -> str | None:
    """UTF-8 (with or without BOM), else GB18030 (a superset of GBK, as Excel writes on Chinese Windows)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


# ---------------------------------------------------------------- JSON exports


def read_export(name: str, raw: bytes, banks: dict[str, Bank]) -> tuple[Attempt | None, Rejection]:
    def reject(reason: str) -> tuple[None, Rejection]:
        return None, Rejection(name, reason)

    try:
        # bytes straight to json (it decodes UTF-8 itself); a BOM from a text editor is allowed
        data = json.loads(raw[3:] if raw[:3] == b"\xef\xbb\xbf" else raw)
    except UnicodeDecodeError:
        return reject("文件不是 UTF-8 编码：请学员用测验页的“导出答案文件”重新导出，不要另存")
    except json.JSONDecodeError as exc:
        return reject(f"JSON 格式错误（第 {exc.lineno} 行第 {exc.colno} 列）：文件可能不完整或被改动，请学员重新导出")
    if not isinstance(data, dict) or "format" not in data:
        return reject("不是测验导出文件（缺少 format 字段）")
    attempt = _well_formed_export(name, data, banks)
    if attempt is not None:
        return attempt, Rejection(name, "")
    problems: list[str] = []
    values = EXPORT.check(data, Where(0, "-", lambda line, item, m: problems.append(m)))
    if problems or values is None:
        return reject(problems[0] if problems else "不是测验导出文件")
    quiz = values["quiz"]
    if quiz not in banks:
        return reject(f"没有测验 “{quiz}” 的题库：检查 --banks 指向的文件夹")
    learner, questions, answers = values["learner"], values["questions"], values["answers"]
    bank = banks[quiz]
    version = values["bank_version"]
    # Per-question versions matter only when the bank has changed since the export.
    versions = values["question_versions"] if version != bank.version else None
    # The bank's own id strings: 100,000 exports then share one copy of each id.
    canonical = bank.canonical_ids
    attempt = Attempt(
        source=name, quiz=quiz, learner_id=learner["id"], learner_name=learner["name"],
        questions=[canonical.get(q, q) for q in questions],
        answers={canonical.get(q, q): a for q, a in answers.items()},
        submitted_at=values["submitted_at"] or "", bank_version=version,
        question_versions=versions if isinstance(versions, dict) else None, assignment=values["assignment"],
    )
    return attempt, Rejection(name, "")


_LEARNER_FIELDS = frozenset({"name", "id"})


def _text(value: Any, pattern: re.Pattern[str] | None = None) -> str | None:
    """``value`` as :class:`kefu.fields.Text` cleans it, or None where Text would object (or might)."""
    if type(value) is not str:
        return None
    stripped = value.strip()
    if not stripped or (pattern is not None and not pattern.match(value)):
        return None
    return stripped


def _optional_text(data: dict, key: str) -> tuple[bool, str | None]:
    value = data.get(key)
    if value is None:
        return True, None
    text = _text(value)
    return text is not None, text


def _fingerprints(bank: Bank) -> dict[str, str]:
    """{question id: version} as the current bank's exports carry them (cached on the bank)."""
    cached = bank.__dict__.get("_fingerprints")
    if cached is None:
        cached = bank.__dict__["_fingerprints"] = {q.id: q.fingerprint for q in bank.questions}
    return cached


def _well_formed_export(name: str, data: dict, banks: dict[str, Bank]) -> Attempt | None:
    """The attempt of an export that EXPORT.check would pass without a word, read without the
    generic field checker (most of the reading time of a large run); None for anything else,
    which :func:`read_export` then checks field by field, so every message stays the checker's.

    It accepts only what EXPORT.check accepts and gives the values it gives: texts stripped,
    ids matching ID_PATTERN, the learner record closed, answers any JSON under valid ids.
    """
    quiz = _text(data.get("quiz"), ID_PATTERN)
    bank = banks.get(quiz) if quiz is not None else None
    if bank is None or data["format"] != EXPORT_FORMAT or data.get("mode", "exam") not in (*MODES, None):
        return None
    learner = data.get("learner")
    if type(learner) is not dict or not learner.keys() <= _LEARNER_FIELDS:
        return None
    learner_id = _text(learner.get("id"))
    learner_name = "" if learner.get("name") is None else _text(learner["name"])
    if learner_id is None or learner_name is None:
        return None
    ok_version, version = _optional_text(data, "bank_version")
    ok_started, _ = _optional_text(data, "started_at")
    ok_submitted, submitted_at = _optional_text(data, "submitted_at")
    ok_assignment, assignment = _optional_text(data, "assignment")
    if not (ok_version and ok_started and ok_submitted and ok_assignment):
        return None
    canonical = bank.canonical_ids
    questions = data.get("questions")
    if type(questions) is not list or not questions:
        return None
    if tuple(questions) == bank.ids:  # the usual case: every question, in bank order
        questions = list(bank.ids)  # the bank's own strings, shared by every attempt
    else:
        cleaned = []
        for qid in questions:
            text = _text(qid, ID_PATTERN)
            if text is None:
                return None
            cleaned.append(canonical.get(text, text))
        questions = cleaned
    answers = data.get("answers")
    # the bank's ids are valid ids; any other key is checked as Keyed checks it
    if type(answers) is not dict or not (answers.keys() <= canonical.keys()
                                         or all(ID_PATTERN.match(key) for key in answers)):
        return None
    versions = data.get("question_versions")
    if versions is not None:
        if type(versions) is not dict:
            return None
        if versions != _fingerprints(bank):  # else valid as they are: the bank's own ids and versions
            if not (versions.keys() <= canonical.keys() or all(ID_PATTERN.match(key) for key in versions)):
                return None
            versions = {key: _text(value) for key, value in versions.items()}
            if None in versions.values():
                return None
        # Per-question versions matter only when the bank has changed since the export.
        if version == bank.version:
            versions = None
    return Attempt(source=name, quiz=quiz, learner_id=learner_id, learner_name=learner_name,
                   questions=questions, answers=answers, submitted_at=submitted_at or "", bank_version=version,
                   question_versions=versions, assignment=assignment)


# ---------------------------------------------------------------- spreadsheets


def csv_rows(text: str) -> list[list[str]]:
    return list(_iter_csv_rows(text))


def _iter_csv_rows(text: str) -> Iterator[list[str]]:
    """The non-empty rows of a CSV text, parsed as they are asked for."""
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    return (row for row in csv.reader(_lines(text), dialect) if any(c.strip() for c in row))


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` as ``io.StringIO(text)`` gives them (split after each "\\n"), without the
    copy of the whole text that StringIO makes (four bytes a character)."""
    start, end = 0, len(text)
    while start < end:
        stop = text.find("\n", start) + 1 or end
        yield text[start:stop]
        start = stop


def xlsx_rows(raw: bytes) -> list[list[str]]:
    return [row for row in _iter_xlsx_rows(raw) if any(row)]


def _iter_xlsx_rows(raw: bytes) -> Iterator[list[str]]:
    """Every row of the first sheet as texts, read as it is asked for; the workbook is closed at the end."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield ["" if cell is None else str(cell).strip() for cell in row]
    finally:
        book.close()


_XLSX_ERRORS = (zipfile.BadZipFile, KeyError, ValueError, OSError)


class _XlsxUnreadable(Exception):
    def __init__(self, exc: Exception) -> None:
        super().__init__(type(exc).__name__)
        self.kind = type(exc).__name__


def _guarded(rows: Iterator[list[str]]) -> Iterator[list[str]]:
    """``rows``, with the errors of a damaged workbook told apart from errors in reading its rows."""
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except _XLSX_ERRORS as exc:
            raise _XlsxUnreadable(exc) from exc
        if any(row):
            yield row


def read_xlsx(name: str, raw: bytes, banks: dict[str, Bank], quiz: str | None, rubric: Rubric | None = None
              ) -> tuple[list[Attempt | ObserverScore], list[Rejection]]:
    return _collect(_iter_xlsx(name, raw, banks, quiz, rubric))


def _iter_xlsx(name: str, raw: bytes, banks: dict[str, Bank], quiz: str | None, rubric: Rubric | None = None
               ) -> Iterator[Entry | Unreadable]:
    try:
        yield from _iter_rows(name, _guarded(_iter_xlsx_rows(raw)), banks, quiz, rubric)
    except _XlsxUnreadable as exc:
        yield Unreadable(Rejection(name, f"无法打开这个 Excel 文件（{exc.kind}）：请在 Excel 中重新另存为 .xlsx"))


def _header_key(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().lower()


def read_rows(name: str, rows: Iterable[list[str]], banks: dict[str, Bank], quiz: str | None,
              rubric: Rubric | None = None) -> tuple[list[Attempt | ObserverScore], list[Rejection]]:
    """Wide layout: one row per learner; 姓名, 工号, optional quiz, one column per question id."""
    return _collect(_iter_rows(name, rows, banks, quiz, rubric))


def _iter_rows(name: str, rows: Iterable[list[str]], banks: dict[str, Bank], quiz: str | None,
               rubric: Rubric | None = None) -> Iterator[Entry]:
    """:func:`read_rows` one row at a time."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        yield Rejection(name, "表格里没有数据")
        return
    header = [_header_key(h) for h in first]
    if OBSERVER_HEADERS & set(header):
        yield from _iter_observer_rows(name, first, rows, header, rubric)
        return
    roles: dict[int, str] = {}
    question_cols: dict[int, str] = {}
    unknown = []
    for col, head in enumerate(header):
        if head in NAME_HEADERS:
            roles[col] = "name"
        elif head in ID_HEADERS:
            roles[col] = "id"
        elif head in QUIZ_HEADERS:
            roles[col] = "quiz"
        elif head in IGNORED_HEADERS or not head:
            continue
        elif match := _QUESTION_HEADER.match(head):
            question_cols[col] = match.group(1)
        else:
            unknown.append(first[col])
    if "id" not in roles.values():
        yield Rejection(name, "表头里没有“工号”列（也可写作 id、员工编号）：无法知道每行是谁")
        return
    if unknown:
        yield Rejection(name, f"表头有无法识别的列：{'、'.join(unknown)}。"
                              "题目列的表头应以题目 id 开头（如 kb-001），其余可用：姓名、工号、quiz")
        return
    if not question_cols:
        yield Rejection(name, "表头里没有题目列（列名应以题目 id 开头，如 kb-001）")
        return
    col_of = {role: col for col, role in roles.items()}
    guessed: str | None = None  # the quiz whose bank holds every question column, worked out once
    # per quiz: the question columns its bank has, those it lacks, and each column's question
    per_quiz: dict[str, tuple[list[str], list[str], list[tuple[int, str, Question]]]] = {}
    for number, row in enumerate(rows, start=2):
        where = f"{name}（第 {number} 行）"
        def cell(col: int, row: list[str] = row) -> str:
            return row[col].strip() if col < len(row) else ""

        learner_id = cell(col_of["id"])
        if not learner_id:
            yield Rejection(where, "这一行没有工号")
            continue
        quiz_id = quiz or (cell(col_of["quiz"]) if "quiz" in col_of else "")
        if not quiz_id:
            if guessed is None:
                guessed = _guess_quiz(question_cols.values(), banks)
            quiz_id = guessed
        bank = banks.get(quiz_id)
        if bank is None:
            reason = (f"没有测验 “{quiz_id}” 的题库" if quiz_id
                      else "无法判断这是哪个测验：加一列 quiz，或运行时加 --quiz 测验id")
            yield Rejection(where, reason)
            continue
        if quiz_id not in per_quiz:
            shown = [qid for qid in question_cols.values() if bank.question(qid)]
            missing = sorted(set(question_cols.values()) - set(shown))
            columns = [] if missing else [(col, qid, bank.by_id[qid]) for col, qid in question_cols.items()]
            per_quiz[quiz_id] = shown, missing, columns
        shown, missing, columns = per_quiz[quiz_id]
        if missing:
            yield Rejection(where, f"测验 “{quiz_id}” 的题库里没有这些题：{listed(missing)}")
            continue
        attempt = Attempt(source=where, quiz=quiz_id, learner_id=learner_id,
                          learner_name=cell(col_of["name"]) if "name" in col_of else "",
                          questions=list(shown), answers={}, from_sheet=True,
                          digest=content_digest("\x1f".join(map(str, row)).encode("utf-8")))
        for col, qid, question in columns:
            text = cell(col)
            if not text:
                continue
            value = _parse_cell_remembered(question, text)
            if value is None:
                attempt.notes.append(f"{qid} 的答案 “{text}” 无法识别，按未答计")
            else:
                attempt.answers[qid] = value
        yield attempt


def read_observer_rows(name: str, rows: list[list[str]], header: list[str], rubric: Rubric | None
                       ) -> tuple[list[Attempt | ObserverScore], list[Rejection]]:
    """A mock-call score sheet: 工号, 姓名, 考官, 场景, one column per rubric item (0–3), 备注."""
    return _collect(_iter_observer_rows(name, rows[0], iter(rows[1:]), header, rubric))


def _iter_observer_rows(name: str, first: list[str], rows: Iterator[list[str]], header: list[str],
                        rubric: Rubric | None) -> Iterator[Entry]:
    """:func:`read_observer_rows` one row at a time; ``first`` is the header row as written."""
    if rubric is None or not rubric.items:
        yield Rejection(name, "这是模拟接听考核的评分表（有“考官”列），但课程没有评分项（data/mock-call.yml）")
        return
    items = {item.id for item in rubric.items}
    scenarios = {s.id for s in rubric.scenarios}
    columns: dict[str, int] = {}
    unknown = []
    for col, head in enumerate(header):
        role = ("id" if head in ID_HEADERS else "name" if head in NAME_HEADERS
                else "observer" if head in OBSERVER_HEADERS else "scenario" if head in SCENARIO_HEADERS
                else "note" if head in NOTE_HEADERS else head if head in items else None)
        if role is None and head and head not in IGNORED_HEADERS:
            unknown.append(first[col])
        elif role:
            columns[role] = col
    missing = [i for i in sorted(items) if i not in columns] + [h for h in ("id", "observer") if h not in columns]
    if unknown or missing:
        yield Rejection(name, "考官评分表的表头不对："
                        + (f"无法识别的列 {'、'.join(unknown)}；" if unknown else "")
                        + (f"缺少 {'、'.join(missing)} 列；" if missing else "")
                        + f"应为 工号、姓名、考官、场景、{'、'.join(i.id for i in rubric.items)}、备注")
        return
    for number, row in enumerate(rows, start=2):
        where = f"{name}（第 {number} 行）"

        def cell(key: str, row: list[str] = row) -> str:
            col = columns.get(key)
            return row[col].strip() if col is not None and col < len(row) else ""

        scores, bad = {}, []
        for item in rubric.items:
            text = unicodedata.normalize("NFKC", cell(item.id))
            if text in ("0", "1", "2", "3"):
                scores[item.id] = int(text)
            else:
                bad.append(f"{item.id}“{text}”" if text else f"{item.id}（空）")
        scenario = cell("scenario")
        if not cell("id") or not cell("observer"):
            yield Rejection(where, "这一行缺少工号或考官姓名")
        elif bad:
            yield Rejection(where, f"这些项的分数不是 0～3 的整数：{listed(bad, 5)}")
        elif scenario and scenario not in scenarios:
            known = listed(sorted(scenarios))
            yield Rejection(where, f"没有场景 “{scenario}”（data/mock-call.yml 中为 {known}）")
        else:
            yield ObserverScore(where, cell("id"), cell("name"), cell("observer"), scenario, scores, cell("note"))


def _guess_quiz(question_ids: Iterable[str], banks: dict[str, Bank]) -> str:
    ids = set(question_ids)
    owners = [b.id for b in banks.values() if ids <= {q.id for q in b.questions}]
    return owners[0] if len(owners) == 1 else ""


_SPLIT = re.compile(r"[\s,，、;；/|┋>＞→]+")
_TRUE = {"对", "正确", "√", "✓", "✔", "t", "true", "是", "y", "yes", "1"}
_FALSE = {"错", "错误", "×", "✗", "✘", "x", "f", "false", "否", "n", "no", "0"}


CELL_MEMO_LIMIT = 1024  # distinct cell texts remembered per question (free-text fill answers can be many)
_NOT_YET = object()


def _parse_cell_remembered(question: Question, text: str) -> Any | None:
    """:func:`parse_cell`, remembered per question: a form's cells repeat the same few texts (an
    option's text, 对/错), and parsing each anew took most of the reading time of a large sheet.
    Lists and mappings are handed out as copies, so no two attempts share one."""
    memo = question.__dict__.get("_cells")
    if memo is None:
        memo = question.__dict__["_cells"] = {}
    value = memo.get(text, _NOT_YET)
    if value is _NOT_YET:
        value = parse_cell(question, text)
        if len(memo) < CELL_MEMO_LIMIT:
            memo[text] = value
    if type(value) is list:
        return list(value)
    if type(value) is dict:
        return dict(value)
    return value


def parse_cell(question: Question, text: str) -> Any | None:
    """What a person typed in a form tool's cell → the export's answer shape, or None."""
    norm = unicodedata.normalize("NFKC", text).strip()
    low = norm.lower()
    t = question.type
    if t == "fill":
        return norm
    if t == "truefalse":
        return True if low in _TRUE else False if low in _FALSE else None
    if t == "single":
        return _option_key(question, low, norm)
    if t == "multiple":
        parts = [p for p in _SPLIT.split(low) if p]
        if len(parts) == 1 and len(parts[0]) > 1 and all(ch in question.options for ch in parts[0]):
            parts = list(parts[0])  # "AC"
        keys = [_option_key(question, p, p) for p in parts]
        return sorted(set(keys)) if keys and None not in keys else None
    if t == "order":
        parts = [p for p in _SPLIT.split(low) if p]
        return parts if sorted(parts) == sorted(question.items) else None
    if t == "match":
        pairs = {}
        low = re.sub(r"\s*([:=>\-])\s*", r"\1", low)  # "l1: r3", "l1：r3" (NFKC made it ":")
        for chunk in filter(None, re.split(r"[,;\s]+", low)):
            parts = re.split(r"[:=>\-]", chunk, maxsplit=1)  # l1:r2  l1=r2  l1-r2  l1>r2
            if len(parts) != 2 or parts[0] not in question.left or parts[1] not in question.right:
                return None
            pairs[parts[0]] = parts[1]
        return pairs or None
    return None


def _option_key(question: Question, low: str, original: str) -> str | None:
    if low in question.options:
        return low
    return _option_keys(question).get(_option_text(original))  # the option's text typed or pasted in full


def _option_keys(question: Question) -> dict[str, str]:
    """{option text as compared: option key}, the first option winning a tie (cached on the question)."""
    cached = question.__dict__.get("_option_keys")
    if cached is None:
        cached = {}
        for key, text in question.options.items():
            cached.setdefault(_option_text(text), key)
        question.__dict__["_option_keys"] = cached
    return cached


def _option_text(text: str) -> str:
    """An option's text as compared on both sides: NFKC, case and spaces ignored, end punctuation dropped."""
    return normalize_fill(text).rstrip("。.；;，,！!")


def content_digest(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()
