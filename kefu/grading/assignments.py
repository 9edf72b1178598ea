"""Training assignments (``assignments/<id>.yml``): which quizzes a cohort must take, by when.

One file per cohort. The site renders a 培训任务 page from it and the quiz pages apply its
settings (pass mark, draw) when opened from that page; the grader reads the same file
(``--assignment ID``) to grade against its pass marks and report who handed in on time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape
from pathlib import Path

from kefu.bank.model import MODES, Bank
from kefu.grading.answers import ID_HEADERS, NAME_HEADERS, csv_rows, decode_text, xlsx_rows
from kefu.grading.grade import LearnerResult
from kefu.org.flows import Role, check_header
from kefu.problems import DataError, Problem
from kefu.yamlio import LineDict, YamlFileError, load_yaml_file

SCHEMA_VERSION = 1
FIELDS = {"schema", "id", "cohort", "roles", "hand_in", "items", "description"}
ITEM_FIELDS = {"quiz", "mode", "pass_mark", "due", "draw", "note"}


@dataclass(frozen=True)
class AssignmentItem:
    quiz: str
    mode: str
    pass_mark: float
    due: dt.date
    draw: int | None = None
    note: str = ""


@dataclass(frozen=True)
class Assignment:
    id: str
    cohort: str
    roles: tuple[str, ...]
    hand_in: str
    items: tuple[AssignmentItem, ...]
    path: Path
    description: str = ""

    def item(self, quiz: str) -> AssignmentItem | None:
        return next((i for i in self.items if i.quiz == quiz), None)

    @property
    def pass_marks(self) -> dict[str, float]:
        return {i.quiz: i.pass_mark for i in self.items}


def assignment_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.yml")) if folder.is_dir() else []


def load_assignments(folder: Path, banks: dict[str, Bank], roles: dict[str, Role] | None) -> dict[str, Assignment]:
    assignments, problems = check_assignments(folder, banks, roles)
    if problems:
        raise DataError(problems, "培训任务")
    return assignments


def check_assignments(folder: Path, banks: dict[str, Bank], roles: dict[str, Role] | None
                      ) -> tuple[dict[str, Assignment], list[Problem]]:
    """Every assignment file in ``folder`` (none is fine) and every problem in them.

    ``roles`` None skips checking role ids (the grader needs only quizzes and dates).
    """
    assignments: dict[str, Assignment] = {}
    problems: list[Problem] = []
    for path in assignment_files(folder):
        assignment, found = _check_file(path, banks, roles)
        problems += found
        if assignment is not None:
            assignments[assignment.id] = assignment
    return assignments, problems


def _check_file(path: Path, banks: dict[str, Bank], roles: dict[str, Role] | None
                ) -> tuple[Assignment | None, list[Problem]]:
    problems: list[Problem] = []

    def add(line: int, item: str, message: str) -> None:
        problems.append(Problem(str(path), line, item, message))

    try:
        data = load_yaml_file(path)
    except YamlFileError as exc:
        return None, [Problem(str(path), exc.line, "-", exc.message)]
    if not isinstance(data, LineDict):
        return None, [Problem(str(path), 1, "-", "培训任务文件应以“键: 值”开头（schema、id、cohort、items …）")]
    check_header(data, path, FIELDS, add, version=SCHEMA_VERSION, titled=False)
    for key, what in (("cohort", "班级名称，如“2026 年 12 月一线新员工班”"), ("hand_in", "怎样交答案文件")):
        if not isinstance(data.get(key), str) or not data[key].strip():
            add(data.line_of(key), "-", f"缺少 {key}（{what}）")
    role_ids = data.get("roles") or []
    if not isinstance(role_ids, list):
        add(data.line_of("roles"), "-", "roles 应为岗位 id 列表")
        role_ids = []
    for role_id in role_ids if roles is not None else ():
        role = roles.get(role_id)
        if role is None or not role.has_page:
            add(data.line_of("roles"), "-", f"未知岗位 “{role_id}”（见 roles/ 中 kind: core 的岗位）")
    raw_items = data.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        add(data.line_of("items"), "-", "items 应列出至少一项测验")
        raw_items = []
    items: list[AssignmentItem] = []
    seen: set[str] = set()
    for raw in raw_items:
        item = _check_item(raw, data, banks, seen, add, problems)
        if item is not None:
            items.append(item)
    if problems:
        return None, problems
    return Assignment(
        id=data["id"], cohort=data["cohort"].strip(), roles=tuple(role_ids), hand_in=data["hand_in"].strip(),
        items=tuple(items), path=path, description=str(data.get("description") or "").strip(),
    ), []


def _check_item(raw, data: LineDict, banks: dict[str, Bank], seen: set[str], add,
                problems: list[Problem]) -> AssignmentItem | None:
    line = getattr(raw, "line", data.line_of("items"))
    if not isinstance(raw, LineDict):
        add(line, "-", "items 的每一项应为“quiz: … / mode: … / pass_mark: … / due: …”")
        return None
    quiz = raw.get("quiz")
    label = quiz if isinstance(quiz, str) else "-"
    before = len(problems)
    for key in sorted(set(raw) - ITEM_FIELDS):
        add(raw.line_of(key), label, f"未知字段 “{key}”（可用：{'、'.join(sorted(ITEM_FIELDS))}）")
    bank = banks.get(quiz) if isinstance(quiz, str) else None
    if bank is None:
        add(raw.line_of("quiz"), label, f"没有 id 为 “{quiz}” 的题库（quizzes/{quiz}.yml）")
    elif quiz in seen:
        add(raw.line_of("quiz"), label, "同一测验在本任务中出现了两次")
    seen.add(label)
    mode = raw.get("mode")
    if mode not in MODES:
        add(raw.line_of("mode"), label, "mode 应为 practice（练习）或 exam（考试）")
    elif bank is not None and mode != bank.mode:
        add(raw.line_of("mode"), label,
            f"题库 {bank.id} 是{'考试' if bank.mode == 'exam' else '练习'}题库（mode: {bank.mode}）："
            + ("考试要用考试题库，练习题库的页面带有答案" if mode == "exam"
               else "考试题库的页面没有答案，不能给练习反馈"))
    pass_mark = raw.get("pass_mark", bank.pass_mark if bank else 80)
    if isinstance(pass_mark, bool) or not isinstance(pass_mark, int | float) or not 0 < pass_mark <= 100:
        add(raw.line_of("pass_mark"), label, "pass_mark 应为 1～100 之间的数（百分比）")
    due = raw.get("due")
    if not isinstance(due, dt.date) or isinstance(due, dt.datetime):
        add(raw.line_of("due"), label, "due 应为日期，写成 2026-12-15")
    draw = raw.get("draw")
    if draw is not None and (isinstance(draw, bool) or not isinstance(draw, int) or draw < 1
                             or (bank is not None and draw > len(bank.questions))):
        limit = f"1～{len(bank.questions)}" if bank else "正整数"
        add(raw.line_of("draw"), label, f"draw（抽题数）应为 {limit}")
    if len(problems) > before:
        return None
    return AssignmentItem(quiz=quiz, mode=mode, pass_mark=float(pass_mark), due=due, draw=draw,
                          note=str(raw.get("note") or "").strip())


# --------------------------------------------------------------------------- rosters


@dataclass(frozen=True)
class RosterEntry:
    id: str
    name: str


class RosterError(Exception):
    """The roster file cannot be used; the message names the file and what to do."""


def read_roster(path: Path) -> list[RosterEntry]:
    """A roster: a CSV or XLSX with a 工号 column and a 姓名 column (UTF-8 or GBK)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RosterError(f"无法读取名单 {path}：{exc.strerror}") from None
    if raw[:2] == b"PK":
        try:
            rows = xlsx_rows(raw)
        except Exception:  # openpyxl raises many kinds of errors on a damaged workbook
            raise RosterError(f"名单 {path} 不是有效的 .xlsx 文件：请在 Excel 中另存后重试") from None
    else:
        text = decode_text(raw)
        if text is None:
            raise RosterError(f"名单 {path} 的文字编码无法识别（不是 UTF-8 或 GBK）：请另存为“CSV UTF-8”")
        rows = csv_rows(text)
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows:
        raise RosterError(f"名单 {path} 是空的")
    header = [cell.strip().lower() for cell in rows[0]]
    id_col = next((i for i, h in enumerate(header) if h in ID_HEADERS), None)
    name_col = next((i for i, h in enumerate(header) if h in NAME_HEADERS), None)
    if id_col is None:
        raise RosterError(f"名单 {path} 第 1 行没有“工号”列（现有列：{'、'.join(rows[0])}）：第一行应为 工号,姓名")
    entries, seen = [], set()
    for number, row in enumerate(rows[1:], start=2):
        learner_id = row[id_col].strip() if id_col < len(row) else ""
        if not learner_id:
            raise RosterError(f"名单 {path} 第 {number} 行没有工号")
        if learner_id in seen:
            raise RosterError(f"名单 {path} 第 {number} 行：工号 {learner_id} 重复")
        seen.add(learner_id)
        name = row[name_col].strip() if name_col is not None and name_col < len(row) else ""
        entries.append(RosterEntry(learner_id, name))
    return entries


# --------------------------------------------------------------------------- status


@dataclass(frozen=True)
class ItemStatus:
    learner_id: str
    learner_name: str
    quiz: str
    status: str  # 已通过 / 未通过 / 未交
    percent: float | None = None
    submitted_at: str = ""
    late: bool | None = None  # None: not handed in, or the submission time is unknown
    on_roster: bool = True


def assignment_status(assignment: Assignment, results: list[LearnerResult],
                      roster: list[RosterEntry] | None) -> list[ItemStatus]:
    """One row per learner and assignment item: passed, failed or not handed in; late or not.

    Learners who handed in but are not on the roster are listed too (marked), so nothing
    a learner sent is left out of the trainer's view.
    """
    by_key = {(r.quiz, r.learner_id): r for r in results}
    learners = [(e.id, e.name, True) for e in roster] if roster is not None else []
    listed = {learner_id for learner_id, _, _ in learners}
    quizzes = {i.quiz for i in assignment.items}
    for r in sorted(results, key=lambda r: r.learner_id):
        if r.quiz in quizzes and r.learner_id not in listed:
            learners.append((r.learner_id, r.learner_name, roster is None))
            listed.add(r.learner_id)
    rows = []
    for learner_id, name, on_roster in learners:
        for item in assignment.items:
            result = by_key.get((item.quiz, learner_id))
            if result is None:
                rows.append(ItemStatus(learner_id, name, item.quiz, "未交", on_roster=on_roster))
                continue
            submitted = result.graded.attempt.submitted_at
            late = submitted[:10] > item.due.isoformat() if submitted[:10] else None
            rows.append(ItemStatus(learner_id, name or result.learner_name, item.quiz,
                                   "已通过" if result.passed else "未通过", result.graded.percent,
                                   submitted, late, on_roster))
    return rows


def status_rows(assignment: Assignment, statuses: list[ItemStatus]) -> list[list]:
    """The assignment table for CSV/XLSX (header first)."""
    due = {i.quiz: i.due.isoformat() for i in assignment.items}
    rows: list[list] = [["工号", "姓名", "测验", "状态", "得分率(%)", "提交时间", "截止日期", "是否逾期", "备注"]]
    for s in statuses:
        late = "" if s.late is None else ("逾期" if s.late else "按时")
        if s.status != "未交" and s.late is None:
            late = "提交时间不明"
        rows.append([s.learner_id, s.learner_name, s.quiz, s.status,
                     "" if s.percent is None else s.percent, s.submitted_at, due[s.quiz], late,
                     "" if s.on_roster else "不在名单中"])
    return rows


def draw_lookup(assignments: dict[str, Assignment]):
    """For the grader: the draw an attempt was taken under, from the assignment it names."""

    def draw(attempt) -> int | None:
        assignment = assignments.get(attempt.assignment)
        item = assignment.item(attempt.quiz) if assignment else None
        return item.draw if item else None

    return draw


def status_html(assignment: Assignment, statuses: list[ItemStatus]) -> str:
    """A learners × quizzes table for the top of report.html."""
    quizzes = [i.quiz for i in assignment.items]
    cells: dict[str, dict[str, ItemStatus]] = {}
    names: dict[str, str] = {}
    for s in statuses:
        cells.setdefault(s.learner_id, {})[s.quiz] = s
        names[s.learner_id] = s.learner_name + ("" if s.on_roster else "（不在名单中）")
    head = "".join(f"<th>{escape(i.quiz)}<br><small>截止 {i.due.isoformat()} · 及格 {i.pass_mark:g}%</small></th>"
                   for i in assignment.items)
    rows = []
    for learner_id, by_quiz in cells.items():
        tds = []
        for quiz in quizzes:
            s = by_quiz[quiz]
            css = {"已通过": "pass", "未通过": "fail"}.get(s.status, "fail")
            text = s.status if s.percent is None else f"{s.status} {s.percent:g}%"
            if s.late:
                text += "（逾期）"
            tds.append(f'<td class="{css}">{escape(text)}</td>')
        rows.append(f"<tr><td>{escape(learner_id)}</td><td>{escape(names[learner_id])}</td>{''.join(tds)}</tr>")
    return (f"<h2>培训任务 {escape(assignment.id)}：{escape(assignment.cohort)}</h2>"
            f"<table><tr><th>工号</th><th>姓名</th>{head}</tr>{''.join(rows)}</table>")
