"""Training assignments (``assignments/<id>.yml``): which quizzes a cohort must take, by when.

One file per cohort. The site renders a 培训任务 page from it and the quiz pages apply its
settings (pass mark, draw) when opened from that page; the grader reads the same file
(``--assignment ID``) to grade against its pass marks and report who handed in on time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from kefu.bank import ID_PATTERN, MODES, Bank
from kefu.fields import Choice, Const, Date, Field, Integer, ListOf, Number, Record, Text, Where, document_schema
from kefu.grading.answers import ID_HEADERS, NAME_HEADERS, csv_rows, decode_text, xlsx_rows
from kefu.grading.grade import LearnerResult
from kefu.org.flows import Role, check_id_is_file_name
from kefu.problems import DataError, DataFile, Problem
from kefu.rules import learner_key
from kefu.yamlio import LineDict

SCHEMA_VERSION = 1
_ID = Text(ID_PATTERN, noun="小写字母、数字和连字符组成的 id")

ITEM = Record((
    Field("quiz", _ID, "测验（题库）id，quizzes/ 中的文件名", required=True),
    Field("mode", Choice(MODES), "practice 练习 / exam 考试，须与题库的 mode 一致", required=True,
          message="mode 应为 practice（练习）或 exam（考试）"),
    Field("pass_mark", Number(maximum=100, exclusive_minimum=0), "及格线（%），覆盖题库的",
          message="pass_mark 应为 1～100 之间的数（百分比）"),
    Field("due", Date(), "截止日期，如 2026-12-15；按路线布置的任务可不写（取路线安排这个测验那一周的周五）",
          message="due 应为日期，写成 2026-12-15"),
    Field("draw", Integer(), "抽题数，覆盖题库的 draw（1～题库题数）", message="draw（抽题数）应为正整数"),
    Field("note", Text(), "给学员的一句说明", default=""),
), item_key="quiz")
ASSIGNMENT = Record((
    Field("schema", Const(SCHEMA_VERSION), "培训任务格式版本", required=True, message=f"schema 应为 {SCHEMA_VERSION}"),
    Field("id", _ID, "任务编号 = 文件名", required=True),
    Field("cohort", Text(), "班级名称，如“2026 年 12 月一线新员工班”", required=True),
    Field("roles", ListOf(Text()), "适用岗位 id（roles/ 中的核心岗位）", default=()),
    Field("description", Text(), "任务说明", default=""),
    Field("hand_in", Text(), "怎样交答案文件（不写则用公司资料中的交卷方式）"),
    Field("route", Text(), "按哪条学习路线（data/company.yml 的 routes，如 frontline）"),
    Field("start", Date(), "开班日期（按路线推算各测验的截止日期）"),
))  # items: checked one by one (ITEM), then against the banks


def assignment_json_schema() -> dict:
    schema = ASSIGNMENT.schema()
    schema["properties"]["items"] = {"type": "array", "minItems": 1, "items": ITEM.schema(),
                                     "description": "要完成的测验"}
    schema["required"].append("items")
    return document_schema(schema, schema_id=f"assignment-{SCHEMA_VERSION}.schema.json",
                           title=f"客服培训课程站培训任务（第 {SCHEMA_VERSION} 版）")


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


def check_assignments(folder: Path, banks: dict[str, Bank], roles: dict[str, Role] | None, *,
                      expand=None, hand_in: str = "", routes: dict | None = None,
                      ) -> tuple[dict[str, Assignment], list[Problem]]:
    """Every assignment file in ``folder`` (none is fine) and every problem in them.

    ``roles`` None skips checking role ids (the grader needs only quizzes and dates); ``hand_in``
    is the company's default way to hand in answer files.
    """
    assignments: dict[str, Assignment] = {}
    problems: list[Problem] = []
    for path in assignment_files(folder):
        assignment, found = _check_file(path, banks, roles, expand, hand_in, routes or {})
        problems += found
        if assignment is not None:
            assignments[assignment.id] = assignment
    return assignments, problems


def _check_file(path: Path, banks: dict[str, Bank], roles: dict[str, Role] | None, expand, hand_in: str,
                routes: dict) -> tuple[Assignment | None, list[Problem]]:
    file = DataFile(path)
    problems, add, data = file.problems, file.add, file.load()
    if data is None:
        return None, problems
    if not isinstance(data, LineDict):
        return None, [Problem(str(path), 1, "-", "培训任务文件应以“键: 值”开头（schema、id、cohort、items …）")]
    if expand is not None:
        data = expand(data, add)
    values = ASSIGNMENT.check(data.without("items"), Where(data.line, "-", add))
    check_id_is_file_name(data, path, add)
    if values is not None and not (values["hand_in"] or hand_in):
        add(data.line, "-", "缺少 hand_in（怎样交答案文件），公司资料里也没有写交卷方式")
    for role_id in (values or {}).get("roles") or () if roles is not None else ():
        role = roles.get(role_id)
        if role is None or not role.has_page:
            add(data.line_of("roles"), "-", f"未知岗位 “{role_id}”（见 roles/ 中 kind: core 的岗位）")
    route = None
    if values is not None and values["route"]:
        route = routes.get(values["route"])
        if route is None:
            add(data.line_of("route"), "-", f"没有学习路线 “{values['route']}”（data/company.yml 的 routes："
                                            f"{'、'.join(sorted(routes)) or '无'}）")
        elif not values["start"]:
            add(data.line_of("route"), "-", "按路线布置的任务要写 start（开班日期），截止日期据此推算")
    raw_items = data.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        add(data.line_of("items"), "-", "items 应列出至少一项测验")
        raw_items = []
    items: list[AssignmentItem] = []
    seen: set[str] = set()
    for raw in raw_items:
        before = len(problems)
        item = ITEM.check(raw, Where(getattr(raw, "line", data.line_of("items")), "-", add))
        if item and item["due"] is None and item["quiz"]:
            if route is not None and values["start"]:
                item = {**item, "due": route.due(item["quiz"], values["start"])}
            if item["due"] is None:
                add(raw.line, item["quiz"], "缺少 due（截止日期）" if route is None
                    else f"路线 {route.id} 没有安排测验 {item['quiz']}：写明 due，或把它加进路线")
        elif item and route is not None and item["quiz"] and route.week_of(item["quiz"]) is None:
            add(raw.line_of("quiz"), item["quiz"], f"路线 {route.id} 没有安排这个测验")
        checked = _check_item(item, raw, banks, seen, add) if item else None
        if checked and len(problems) == before:
            items.append(checked)
    if values is None or problems:
        return None, problems
    return Assignment(
        id=values["id"], cohort=values["cohort"], roles=tuple(values["roles"]),
        hand_in=values["hand_in"] or hand_in, items=tuple(items), path=path, description=values["description"],
    ), []


def _check_item(item: dict, raw: LineDict, banks: dict[str, Bank], seen: set[str], add) -> AssignmentItem | None:
    """The rules across files: the quiz exists, its mode matches, the draw fits the bank.

    Fields that failed their own check are None here and are not checked again.
    """
    quiz = item["quiz"]
    if quiz is None:
        return None
    bank = banks.get(quiz)
    if bank is None:
        add(raw.line_of("quiz"), quiz, f"没有 id 为 “{quiz}” 的题库（quizzes/{quiz}.yml）")
        return None
    if quiz in seen:
        add(raw.line_of("quiz"), quiz, "同一测验在本任务中出现了两次")
        return None
    seen.add(quiz)
    if item["mode"] is not None and item["mode"] != bank.mode:
        add(raw.line_of("mode"), quiz,
            f"题库 {bank.id} 是{'考试' if bank.mode == 'exam' else '练习'}题库（mode: {bank.mode}）："
            + ("考试要用考试题库，练习题库的页面带有答案" if item["mode"] == "exam"
               else "考试题库的页面没有答案，不能给练习反馈"))
        return None
    if item["draw"] is not None and not 1 <= item["draw"] <= len(bank.questions):
        add(raw.line_of("draw"), quiz, f"draw（抽题数）应为 1～{len(bank.questions)}")
        return None
    return AssignmentItem(quiz=quiz, mode=item["mode"],
                          pass_mark=item["pass_mark"] if item["pass_mark"] is not None else bank.pass_mark,
                          due=item["due"], draw=item["draw"], note=item["note"])


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
    entries, seen = [], {}
    for number, row in enumerate(rows[1:], start=2):
        learner_id = row[id_col].strip() if id_col < len(row) else ""
        if not learner_id:
            raise RosterError(f"名单 {path} 第 {number} 行没有工号")
        key = learner_key(learner_id)
        if key in seen:
            raise RosterError(f"名单 {path} 第 {number} 行：工号 {learner_id} 与第 {seen[key]} 行重复"
                              "（工号不分大小写和全角半角）")
        seen[key] = number
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
    check: bool = False  # the graded file needs checking (question list, version, identity)


def assignment_status(assignment: Assignment, results: list[LearnerResult],
                      roster: list[RosterEntry] | None) -> list[ItemStatus]:
    """One row per learner and assignment item: passed, failed or not handed in; late or not.

    Learners are matched by id without case or width. Those who handed in but are not on the
    roster are listed too (marked), so nothing a learner sent is left out of the trainer's view.
    """
    # each id's identity worked out once (it is compared three times per learner below)
    result_keys = [learner_key(r.learner_id) for r in results]
    by_key: dict[tuple[str, str], LearnerResult] = {}
    for r, learner in zip(results, result_keys, strict=True):
        key = (r.quiz, learner)  # with two names under one id, the better attempt stands for the id here
        if key not in by_key or r.graded.percent > by_key[key].graded.percent:
            by_key[key] = r
    learners = [(e.id, e.name, True, learner_key(e.id)) for e in roster] if roster is not None else []
    known = {learner for _, _, _, learner in learners}
    quizzes = {i.quiz for i in assignment.items}
    for index in sorted(range(len(results)), key=result_keys.__getitem__):
        r, learner = results[index], result_keys[index]
        if r.quiz in quizzes and learner not in known:
            learners.append((r.learner_id, r.learner_name, roster is None, learner))
            known.add(learner)
    items = [(item, item.due.isoformat()) for item in assignment.items]
    rows = []
    for learner_id, name, on_roster, learner in learners:
        for item, due in items:
            result = by_key.get((item.quiz, learner))
            if result is None:
                rows.append(ItemStatus(learner_id, name, item.quiz, "未交", on_roster=on_roster))
                continue
            submitted = result.graded.submitted_at
            late = submitted[:10] > due if submitted[:10] else None
            rows.append(ItemStatus(learner_id, name or result.learner_name, item.quiz,
                                   "已通过" if result.passed else "未通过", result.graded.percent,
                                   submitted, late, on_roster, result.check))
    return rows


def status_rows(assignment: Assignment, statuses: list[ItemStatus]) -> list[list]:
    """The assignment table for CSV/XLSX (header first)."""
    due = {i.quiz: i.due.isoformat() for i in assignment.items}
    rows: list[list] = [["工号", "姓名", "测验", "状态", "得分率(%)", "提交时间", "截止日期", "是否逾期", "备注"]]
    for s in statuses:
        late = "" if s.late is None else ("逾期" if s.late else "按时")
        if s.status != "未交" and s.late is None:
            late = "提交时间不明"
        notes = [] if s.on_roster else ["不在名单中"]
        if s.check:
            notes.append("答卷需核实（见 results.csv 的备注）")
        rows.append([s.learner_id, s.learner_name, s.quiz, s.status,
                     "" if s.percent is None else s.percent, s.submitted_at, due[s.quiz], late, "；".join(notes)])
    return rows


def draw_lookup(assignments: dict[str, Assignment]):
    """For the grader: the draw an attempt was taken under, from the assignment it names."""

    def draw(attempt) -> int | None:
        assignment = assignments.get(attempt.assignment)
        item = assignment.item(attempt.quiz) if assignment else None
        return item.draw if item else None

    return draw


def status_table(assignment: Assignment, statuses: list[ItemStatus]) -> dict:
    """A learners × quizzes table for the top of report.html (rendered by its template)."""
    cells: dict[str, dict[str, ItemStatus]] = {}
    names: dict[str, str] = {}
    for s in statuses:
        cells.setdefault(s.learner_id, {})[s.quiz] = s
        names[s.learner_id] = s.learner_name + ("" if s.on_roster else "（不在名单中）")
    rows = []
    for learner_id, by_quiz in cells.items():
        row_cells = []
        for item in assignment.items:
            s = by_quiz[item.quiz]
            text = s.status if s.percent is None else f"{s.status} {s.percent:g}%"
            if s.late:
                text += "（逾期）"
            row_cells.append({"css": "pass" if s.status == "已通过" else "fail", "text": text})
        rows.append({"learner_id": learner_id, "name": names[learner_id], "cells": row_cells})
    return {"id": assignment.id, "cohort": assignment.cohort, "rows": rows,
            "quizzes": [{"quiz": i.quiz, "due": i.due.isoformat(), "pass_mark": i.pass_mark} for i in assignment.items]}
