"""Loading and checking question banks: the field tables of :mod:`kefu.bank.format`, then the rules
that relate fields (an answer among the options, a process that exists, ids used once …).

Every problem of every bank is collected in one pass as ``file:line: question-id: reason``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from kefu.bank.format import ALL_QUESTION_FIELDS, BANK, BY_TYPE, QUESTIONS
from kefu.bank.model import Bank, Question
from kefu.fields import Where
from kefu.problems import DataError, DataFile, Problem
from kefu.yamlio import LineDict

Expand = Callable[[Any, Callable[[int, str, str], None]], Any]  # company placeholders → values
DEFAULT_PASS_MARKS = {"practice": 80.0, "exam": 80.0}
_ID_LEAK = "考试题的 id 泄露了答案：页面源码里能看到 id，请给 id 换成与答案无关的名字"


def bank_files(folder: Path) -> list[Path]:
    """Bank files in ``folder``; names starting with ``_`` are not banks (e.g. shared settings)."""
    return sorted(p for p in folder.glob("*.yml") if not p.name.startswith("_"))


def load_banks(folder: Path, *, only: Iterable[Path] | None = None, flows: Mapping | None = None,
               expand: Expand | None = None, pass_marks: Mapping[str, float] | None = None) -> dict[str, Bank]:
    """Every bank in ``folder``; raises :class:`DataError` listing all problems."""
    banks, problems = check_banks(folder, only=only, flows=flows, expand=expand, pass_marks=pass_marks)
    if problems:
        raise DataError(problems, "题库")
    return banks


def check_banks(folder: Path, *, only: Iterable[Path] | None = None, flows: Mapping | None = None,
                expand: Expand | None = None, pass_marks: Mapping[str, float] | None = None,
                ) -> tuple[dict[str, Bank], list[Problem]]:
    """The valid banks and every problem found.

    ``flows`` (from :mod:`kefu.org.flows`) lets ``order`` questions take their items from a process;
    ``expand`` fills in ``{{ company.… }}`` placeholders; ``pass_marks`` are the default pass marks
    by mode (the company profile's).
    """
    files = list(only) if only is not None else bank_files(folder)
    banks: dict[str, Bank] = {}
    problems: list[Problem] = []
    seen_ids: dict[str, str] = {}  # question id -> "file:line" of its first use
    for path in files:
        checker = _BankChecker(path, flows or {}, expand, {**DEFAULT_PASS_MARKS, **(pass_marks or {})})
        bank = checker.load_bank()
        for qid, line in checker.seen:
            if qid in seen_ids:
                checker.add(line, qid, f"题目 id 重复：已在 {seen_ids[qid]} 使用")
            else:
                seen_ids[qid] = f"{path}:{line}"
        problems += checker.problems
        if bank is not None and not checker.problems:
            banks[bank.id] = bank
    return banks, problems


class _BankChecker(DataFile):
    """One bank file: field tables first, then the rules across fields."""

    def __init__(self, path: Path, flows: Mapping, expand: Expand | None, pass_marks: Mapping[str, float]) -> None:
        super().__init__(path)
        self.flows, self.expand, self.pass_marks = flows, expand, pass_marks
        self.seen: list[tuple[str, int]] = []  # every (question id, line), valid or not

    def load_bank(self) -> Bank | None:
        data = self.load()
        if data is None:
            return None
        if self.expand is not None:
            data = self.expand(data, self.add)
        if not isinstance(data, LineDict):
            self.add(1, "-", "题库应以“键: 值”开头（schema、id、title、questions …）")
            return None
        header = BANK.check(data.without("questions"), Where(1, "-", self.add))
        raw_questions = data.get("questions")
        if header is not None and header["id"] and header["id"] != self.path.stem:
            self.add(data.line_of("id"), "-", f"id “{header['id']}” 与文件名 “{self.path.stem}” 不一致")
        if not isinstance(raw_questions, list) or not raw_questions:
            self.add(data.line_of("questions"), "-", "缺少 questions 列表，或列表为空")
            raw_questions = []
        exam = data.get("mode") == "exam"
        self.seen = [(raw["id"], raw.line) for raw in raw_questions
                     if isinstance(raw, LineDict) and isinstance(raw.get("id"), str)]
        questions = [q for q in (self._question(raw, exam) for raw in raw_questions) if q]
        draw = header and header["draw"]
        if draw and draw > len(questions) and len(questions) == len(raw_questions):
            self.add(data.line_of("draw"), "-", f"draw: {draw} 大于题库中的题目数（{len(questions)}）")
        if self.problems or header is None:
            return None
        return Bank(
            id=header["id"], title=header["title"], mode=header["mode"],
            pass_mark=header["pass_mark"] if header["pass_mark"] is not None else self.pass_marks[header["mode"]],
            questions=tuple(questions), path=self.path, description=header["description"],
            shuffle=header["shuffle"], draw=header["draw"], scoring=header["scoring"],
            time_limit=header["time_limit"],
        )

    def _question(self, raw: Any, exam: bool) -> Question | None:
        if not isinstance(raw, LineDict):
            self.add(getattr(raw, "line", 0), "-", "每道题应是“键: 值”的映射（以 - id: … 开头）")
            return None
        qid = raw.get("id")
        label = qid if isinstance(qid, str) and qid else "(缺少 id)"
        qtype = raw.get("type")
        before = len(self.problems)
        if qtype not in QUESTIONS:
            message = QUESTIONS["single"].field("type").message.format(value=qtype)
            self.add(raw.line_of("type"), label, message)
            return None

        def report(line: int, item: str, message: str) -> None:
            if message.startswith("未知字段") and _other_type_field(message, qtype):
                message = message.split("（")[0] + f"（{qtype} 题不使用该字段）"
            self.add(line, label, message)

        if qtype == "order" and "process" in raw:
            raw = self._from_process(raw, label)
            if raw is None:
                return None
        values = QUESTIONS[qtype].check(raw, Where(raw.line, label, report))
        if raw.get("answer") is None and (qtype != "order" or "items" in raw):
            self.add(raw.line, label, "缺少 answer（答案）")
        if values is None:
            return None
        # the rules across fields run even when another field is wrong (every problem in one pass);
        # each looks only at fields that passed their own check
        getattr(self, f"_rules_{qtype}")(raw, values, label, exam)
        if len(self.problems) > before:
            return None
        return Question(
            id=values["id"], type=qtype, stem=values["stem"], answer=values["answer"],
            explanation=values["explanation"], source=values["source"], points=values["points"],
            tags=tuple(values["tags"]), options=values.get("options") or {}, items=values.get("items") or {},
            left=values.get("left") or {}, right=values.get("right") or {}, scoring=values.get("scoring"),
            partial=bool(values.get("partial")), process=values.get("process"), line=raw.line,
            source_line=raw.line_of("source"),
        )

    # ------------------------------------------------------------ rules across fields, by type
    def _rules_single(self, raw: LineDict, v: dict, label: str, exam: bool) -> None:
        if v["answer"] is not None and v["options"] is not None and v["answer"] not in v["options"]:
            self.add(raw.line_of("answer"), label, _not_among(v["answer"], v["options"], "options"))

    def _rules_multiple(self, raw: LineDict, v: dict, label: str, exam: bool) -> None:
        if v["answer"] is None or v["options"] is None:
            return
        for key in v["answer"]:
            if key not in v["options"]:
                self.add(raw.line_of("answer"), label, _not_among(key, v["options"], "options"))

    def _rules_truefalse(self, raw: LineDict, v: dict, label: str, exam: bool) -> None:
        pass

    def _rules_fill(self, raw: LineDict, v: dict, label: str, exam: bool) -> None:
        if v["stem"] is not None and "____" not in v["stem"]:
            self.add(raw.line_of("stem"), label, "填空题的题干里要用 ____（四个下划线）标出空位")

    def _rules_order(self, raw: LineDict, v: dict, label: str, exam: bool) -> None:
        if not v["items"]:
            if "items" not in raw:
                self.add(raw.line, label, "order（排序）题要写 items 和 answer，或写 process: <流程 id>")
            return
        if v["answer"] is None:
            return
        if sorted(v["answer"]) != sorted(v["items"]):
            self.add(raw.line_of("answer"), label, BY_TYPE["order"][1].message)
        elif exam and not v["process"] and v["answer"] == sorted(v["items"]):
            self.add(raw.line_of("answer"), label, _ID_LEAK + "（正确顺序恰好是 id 的字母顺序）")

    def _rules_match(self, raw: LineDict, v: dict, label: str, exam: bool) -> None:
        left, right, answer = v["left"], v["right"], v["answer"]
        if left is None or right is None or answer is None:
            return
        if set(answer) != set(left):
            self.add(raw.line_of("answer"), label, "answer 要为 left 的每一项各给出一个配对")
        for value in answer.values():
            if value not in right:
                self.add(raw.line_of("answer"), label, _not_among(value, right, "right"))
        if len(set(answer.values())) != len(answer):
            self.add(raw.line_of("answer"), label, "answer 中两个左项配到了同一个右项")
        elif exam and len(answer) > 1 and all(
            sorted(left).index(k) == sorted(right).index(r) for k, r in answer.items() if r in right and k in left
        ):
            self.add(raw.line_of("answer"), label, _ID_LEAK + "（l1 配 r1、l2 配 r2 …）")

    def _from_process(self, raw: LineDict, label: str) -> LineDict | None:
        """``process: <flow-id>``: the items and answer are the process's usual course (a copy of raw)."""
        flow = self.flows.get(raw["process"])
        if flow is None:
            self.add(raw.line_of("process"), label, f"未知流程 “{raw['process']}”：应为 flows/ 中的流程 id")
            return None
        if "items" in raw or "answer" in raw:
            self.add(raw.line_of("process"), label, "写了 process 就不要再写 items 和 answer：它们由流程数据生成")
            return None
        steps = [s for s in flow.main_path() if s.kind != "decision"]
        copy = LineDict(raw)
        copy.line, copy.key_lines = raw.line, dict(raw.key_lines)
        items = LineDict({s.id.replace("-", "_"): s.label for s in steps})
        items.line, items.key_lines = raw.line_of("process"), {}
        copy["items"], copy["answer"] = items, list(items)
        return copy


def _other_type_field(message: str, qtype: str) -> bool:
    name = message.split("“", 1)[1].split("”", 1)[0]
    return name in ALL_QUESTION_FIELDS and "是不是" not in message


def _not_among(answer: Any, choices: dict[str, str], where: str) -> str:
    return f"答案 “{answer}” 不在 {where} 中（可选：{', '.join(choices) or '无'}）"


def _shown(text: str) -> str:
    return re.sub(r"[\s\W_]+", "", unicodedata.normalize("NFKC", text).casefold())


def _key_signature(q: Question) -> tuple | None:
    """What a practice page reveals of a question's key, as texts (ids and order aside)."""
    if q.type in ("single", "multiple"):
        keys = [q.answer] if q.type == "single" else q.answer
        return (q.type, frozenset(map(_shown, q.options.values())), frozenset(_shown(q.options[k]) for k in keys))
    if q.type == "order":
        return ("order", tuple(_shown(q.items[k]) for k in q.answer))
    if q.type == "match":
        return ("match", frozenset((_shown(q.left[k]), _shown(q.right[v])) for k, v in q.answer.items()))
    return None


def exam_key_leaks(banks: Mapping[str, Bank]) -> list[Problem]:
    """Exam questions whose key a practice page shows: the same process, or the same options/items
    with the same answer as a practice question (practice pages carry their keys)."""
    by_process: dict[str, tuple[Bank, Question]] = {}
    by_signature: dict[tuple, tuple[Bank, Question]] = {}
    for bank in banks.values():
        if bank.mode == "practice":
            for q in bank.questions:
                if q.process:
                    by_process.setdefault(q.process, (bank, q))
                if (signature := _key_signature(q)) is not None:
                    by_signature.setdefault(signature, (bank, q))
    problems = []
    for bank in banks.values():
        if bank.mode != "exam":
            continue
        for q in bank.questions:
            found = by_process.get(q.process) if q.process else None
            what = f"用了同一个流程（process: {q.process}）"
            if found is None and (signature := _key_signature(q)) is not None:
                found, what = by_signature.get(signature), "选项（或各项）和答案都相同"
            if found is not None:
                other_bank, other = found
                problems.append(Problem(str(bank.path), q.line, q.id,
                                        f"考试题与练习题 {other.id}（{other_bank.path}:{other.line}）{what}："
                                        "练习页面带答案，考生能在那里看到这道考试题的答案；请换一个流程或改写"))
    return problems
