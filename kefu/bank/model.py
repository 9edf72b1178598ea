"""Question banks: the model, loading and validation (``quizzes/<bank-id>.yml``).

The site, ``scripts/check_banks.py`` and ``scripts/grade.py`` all load banks here,
so a question id, a key or a bank version can never mean two different things.
Validation collects every problem of every bank in one pass.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from kefu.problems import DataError, Problem
from kefu.yamlio import LineDict, YamlFileError, load_yaml_file

SCHEMA_VERSION = 1
QUESTION_TYPES = ("single", "multiple", "truefalse", "fill", "order", "match")
MODES = ("practice", "exam")
TYPE_NAMES = {
    "single": "单选题", "multiple": "多选题", "truefalse": "判断题",
    "fill": "填空题", "order": "排序题", "match": "配对题",
}
MODE_NAMES = {"practice": "练习", "exam": "考试"}
SCORING_RULES = ("all_or_nothing", "partial")
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KEY_PATTERN = re.compile(r"^[a-z0-9_]+$")

BANK_FIELDS = {
    "schema", "id", "title", "description", "mode", "pass_mark", "shuffle", "draw",
    "scoring", "questions", "time_limit", "source",
}
COMMON_QUESTION_FIELDS = {
    "id", "type", "stem", "answer", "explanation", "source", "points", "tags",
}
FIELDS_BY_TYPE = {
    "single": {"options"},
    "multiple": {"options", "scoring"},
    "truefalse": set(),
    "fill": set(),
    "order": {"items", "partial", "process"},
    "match": {"left", "right", "partial"},
}

Answer = str | bool | list[str] | dict[str, str]


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    stem: str
    answer: Answer
    explanation: str
    source: str
    points: float = 1.0
    tags: tuple[str, ...] = ()
    options: dict[str, str] = field(default_factory=dict)  # single, multiple
    items: dict[str, str] = field(default_factory=dict)  # order
    left: dict[str, str] = field(default_factory=dict)  # match
    right: dict[str, str] = field(default_factory=dict)  # match
    scoring: str | None = None  # multiple: overrides the bank's default
    partial: bool = False  # order, match: credit per correct position / pair
    process: str | None = None  # order: the process its items come from
    line: int = 0

    @cached_property
    def fingerprint(self) -> str:
        """Identifies what the learner saw (not the key): stable while the text is unchanged."""
        shown = {
            "id": self.id, "type": self.type, "stem": self.stem, "options": self.options,
            "items": self.items, "left": self.left, "right": self.right,
        }
        return _digest(shown, 10)


@dataclass(frozen=True)
class Bank:
    id: str
    title: str
    mode: str
    pass_mark: float
    questions: tuple[Question, ...]
    path: Path
    description: str = ""
    shuffle: bool = True
    draw: int | None = None
    scoring: str = "all_or_nothing"
    time_limit: int | None = None  # minutes, shown to the learner; not enforced

    @cached_property
    def version(self) -> str:
        """``bank_version`` of the export format: a hash of question ids and what they show.

        Answer keys are left out on purpose: exam pages carry this value, and a hash
        of a short key could be brute-forced back into the key.
        """
        return _digest([[q.id, q.fingerprint] for q in self.questions], 12)

    @property
    def max_points(self) -> float:
        return sum(q.points for q in self.questions)

    @property
    def shown_count(self) -> int:
        return self.draw or len(self.questions)

    def question(self, question_id: str) -> Question | None:
        return self.by_id.get(question_id)

    @cached_property
    def by_id(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions}

    @cached_property
    def canonical_ids(self) -> dict[str, str]:
        """Each question id mapped to the bank's own string object (for sharing, not meaning)."""
        return {q.id: q.id for q in self.questions}

    def scoring_for(self, question: Question, override: str | None = None) -> str:
        """The rule for a ``multiple`` question: command line > question > bank."""
        return override or question.scoring or self.scoring


def _digest(value: Any, length: int) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


# --------------------------------------------------------------------------- loading


def bank_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.yml") if not p.name.startswith("_"))


def load_banks(folder: Path, *, only: Iterable[Path] | None = None, flows: dict | None = None) -> dict[str, Bank]:
    """Load every bank in ``folder``; raise :class:`DataError` listing all problems.

    Files whose name starts with ``_`` are not banks (e.g. shared settings). ``flows``
    (from :mod:`kefu.org.flows`) lets ``order`` questions take their items from a process.
    """
    banks, problems = check_banks(folder, only=only, flows=flows)
    if problems:
        raise DataError(problems, "题库")
    return banks


def check_banks(
    folder: Path, *, only: Iterable[Path] | None = None, flows: dict | None = None
) -> tuple[dict[str, Bank], list[Problem]]:
    """Load and validate; return the valid banks and every problem found."""
    files = list(only) if only is not None else bank_files(folder)
    banks: dict[str, Bank] = {}
    problems: list[Problem] = []
    seen_ids: dict[str, str] = {}  # question id -> "file:line" of its first use
    for path in files:
        bank, bank_problems, seen_here = _load_bank(path, flows or {})
        for qid, line in seen_here:
            if qid in seen_ids:
                bank_problems.append(
                    Problem(str(path), line, qid, f"题目 id 重复：已在 {seen_ids[qid]} 使用")
                )
            else:
                seen_ids[qid] = f"{path}:{line}"
        problems += bank_problems
        if bank is not None and not bank_problems:
            banks[bank.id] = bank
    return banks, problems


def _load_bank(path: Path, flows: dict) -> tuple[Bank | None, list[Problem], list[tuple[str, int]]]:
    """The bank (None if it has problems), its problems, and every (question id, line) seen."""
    name = str(path)
    try:
        data = load_yaml_file(path)
    except YamlFileError as exc:
        return None, [Problem(name, exc.line, "-", exc.message)], []
    except OSError as exc:
        return None, [Problem(name, 0, "-", f"无法读取文件：{exc.strerror}")], []
    if not isinstance(data, LineDict):
        return None, [Problem(name, 1, "-", "题库应以“键: 值”开头（schema、id、title、questions …）")], []
    check = _Checker(name, flows)
    check.bank_header(data, path)
    raw_questions = _question_list(data, check)
    seen = [
        (raw["id"], raw.line) for raw in raw_questions
        if isinstance(raw, LineDict) and isinstance(raw.get("id"), str)
    ]
    questions = [q for q in map(check.question, raw_questions) if q]
    draw = data.get("draw")
    if isinstance(draw, int) and not isinstance(draw, bool) and draw > len(questions):
        check.add(data.line_of("draw"), "-",
                  f"draw: {draw} 大于题库中的题目数（{len(questions)}）")
    if check.problems:
        return None, check.problems, seen
    bank = Bank(
        id=data["id"], title=data["title"].strip(), mode=data.get("mode", "practice"),
        pass_mark=float(data.get("pass_mark", 80)), questions=tuple(questions), path=path,
        description=str(data.get("description") or "").strip(),
        shuffle=bool(data.get("shuffle", True)), draw=data.get("draw"),
        scoring=data.get("scoring", "all_or_nothing"), time_limit=data.get("time_limit"),
    )
    return bank, [], seen


def _question_list(data: LineDict, check: _Checker) -> list[Any]:
    raw = data.get("questions")
    if not isinstance(raw, list) or not raw:
        check.add(data.line_of("questions"), "-", "缺少 questions 列表，或列表为空")
        return []
    return raw


class _Checker:
    """Collects problems for one file; each rule adds a message and carries on."""

    def __init__(self, file: str, flows: dict) -> None:
        self.file = file
        self.flows = flows
        self.problems: list[Problem] = []
        self.exam = False

    def add(self, line: int, item: str, message: str) -> None:
        self.problems.append(Problem(self.file, line, item, message))

    # ---------------------------------------------------------------- bank header
    def bank_header(self, data: LineDict, path: Path) -> None:
        schema = data.get("schema")
        if schema != SCHEMA_VERSION:
            self.add(data.line_of("schema"), "-",
                     f"schema 应为 {SCHEMA_VERSION}（现为 {schema!r}）：本站只认识第 {SCHEMA_VERSION} 版题库格式")
        for key in sorted(set(data) - BANK_FIELDS):
            self.add(data.line_of(key), "-", f"未知字段 “{key}”{_did_you_mean(key, BANK_FIELDS)}")
        bank_id = data.get("id")
        if not isinstance(bank_id, str) or not ID_PATTERN.match(bank_id):
            self.add(data.line_of("id"), "-", "id 只能由小写字母、数字和连字符组成，如 complaint-handling")
        elif bank_id != path.stem:
            self.add(data.line_of("id"), "-", f"id “{bank_id}” 与文件名 “{path.stem}” 不一致")
        if not _text(data.get("title")):
            self.add(data.line_of("title"), "-", "缺少 title（测验标题）")
        self.exam = data.get("mode") == "exam"
        if data.get("mode", "practice") not in MODES:
            self.add(data.line_of("mode"), "-", "mode 只能是 practice（练习）或 exam（考试）")
        pass_mark = data.get("pass_mark", 80)
        if not _number(pass_mark) or not 0 <= pass_mark <= 100:
            self.add(data.line_of("pass_mark"), "-", "pass_mark 应为 0–100 之间的数（百分比）")
        if not isinstance(data.get("shuffle", True), bool):
            self.add(data.line_of("shuffle"), "-", "shuffle 只能是 true 或 false")
        draw = data.get("draw")
        if draw is not None and (not isinstance(draw, int) or isinstance(draw, bool) or draw < 1):
            self.add(data.line_of("draw"), "-", "draw 应为正整数（每位学员抽取的题数）")
        if data.get("scoring", "all_or_nothing") not in SCORING_RULES:
            self.add(data.line_of("scoring"), "-", "scoring 只能是 all_or_nothing 或 partial")
        limit = data.get("time_limit")
        if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 1):
            self.add(data.line_of("time_limit"), "-", "time_limit 应为正整数（分钟）")

    # ---------------------------------------------------------------- one question
    def question(self, raw: Any) -> Question | None:
        if not isinstance(raw, LineDict):
            self.add(getattr(raw, "line", 0), "-", "每道题应是“键: 值”的映射（以 - id: … 开头）")
            return None
        before = len(self.problems)
        qid = raw.get("id")
        label = qid if isinstance(qid, str) and qid else "(缺少 id)"
        if not isinstance(qid, str) or not ID_PATTERN.match(qid):
            self.add(raw.line_of("id"), label, "题目 id 只能由小写字母、数字和连字符组成，如 ch-001")
        qtype = raw.get("type")
        if qtype not in QUESTION_TYPES:
            self.add(raw.line_of("type"), label,
                     f"未知题型 “{qtype}”：应为 {' | '.join(QUESTION_TYPES)}")
            return None
        allowed = COMMON_QUESTION_FIELDS | FIELDS_BY_TYPE[qtype]
        for key in sorted(set(raw) - allowed):
            hint = _did_you_mean(key, allowed)
            if not hint and any(key in f for f in FIELDS_BY_TYPE.values()):
                hint = f"（{qtype} 题不使用该字段）"
            self.add(raw.line_of(key), label, f"未知字段 “{key}”{hint}")
        if not _text(raw.get("stem")):
            self.add(raw.line_of("stem"), label, "题干 stem 为空")
        for key, what in (("explanation", "解析"), ("source", "出处")):
            if not _text(raw.get(key)):
                self.add(raw.line_of(key), label, f"缺少 {key}（{what}）：每道题都要有")
        points = raw.get("points", 1)
        if not _number(points) or points <= 0:
            self.add(raw.line_of("points"), label, "points 应为正数")
        tags = raw.get("tags", [])
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            self.add(raw.line_of("tags"), label, "tags 应为文字列表，如 [投诉, 礼仪]")
        for key in ("scoring",):
            if key in raw and raw[key] not in SCORING_RULES:
                self.add(raw.line_of(key), label, "scoring 只能是 all_or_nothing 或 partial")
        if "partial" in raw and not isinstance(raw["partial"], bool):
            self.add(raw.line_of("partial"), label, "partial 只能是 true 或 false")
        getattr(self, f"_answer_{qtype}")(raw, label)
        if len(self.problems) > before:
            return None
        return Question(
            id=qid, type=qtype, stem=raw["stem"].strip(), answer=self._answer(raw, qtype),
            explanation=raw["explanation"].strip(), source=raw["source"].strip(),
            points=float(points), tags=tuple(tags), options=_texts(raw.get("options")),
            items=_texts(raw.get("items")), left=_texts(raw.get("left")),
            right=_texts(raw.get("right")), scoring=raw.get("scoring"),
            partial=bool(raw.get("partial", False)), process=raw.get("process"), line=raw.line,
        )

    @staticmethod
    def _answer(raw: LineDict, qtype: str) -> Answer:
        answer = raw["answer"]
        if qtype == "fill":
            return [str(a).strip() for a in answer]
        if qtype == "match":
            return {str(k): str(v) for k, v in answer.items()}
        if qtype in ("multiple", "order"):
            return [str(a) for a in answer]
        return answer

    def _choices(self, raw: LineDict, label: str, key: str, minimum: int) -> dict[str, str]:
        value = raw.get(key)
        if not isinstance(value, dict) or len(value) < minimum:
            self.add(raw.line_of(key), label, f"{key} 至少要有 {minimum} 项，写成 {{a: …, b: …}}")
            return {}
        for k, text in value.items():
            if not KEY_PATTERN.match(k):
                self.add(raw.line_of(key), label, f"{key} 的键 “{k}” 只能用小写字母、数字或下划线")
            if not _text(text):
                self.add(raw.line_of(key), label, f"{key} 的 “{k}” 内容为空")
        return value

    def _missing_answer(self, raw: LineDict, label: str) -> bool:
        if "answer" not in raw or raw["answer"] is None:
            self.add(raw.line, label, "缺少 answer（答案）")
            return True
        return False

    def _answer_single(self, raw: LineDict, label: str) -> None:
        options = self._choices(raw, label, "options", 2)
        if self._missing_answer(raw, label):
            return
        answer = raw["answer"]
        if isinstance(answer, list):
            self.add(raw.line_of("answer"), label,
                     "single（单选）题只能有一个答案；多个正确选项请用 type: multiple")
        elif str(answer) not in options:
            self.add(raw.line_of("answer"), label, _not_among(answer, options, "options"))

    def _answer_multiple(self, raw: LineDict, label: str) -> None:
        options = self._choices(raw, label, "options", 2)
        if self._missing_answer(raw, label):
            return
        answer = raw["answer"]
        if not isinstance(answer, list) or not answer:
            self.add(raw.line_of("answer"), label, "multiple（多选）题的 answer 应为列表，如 [a, c]")
            return
        for a in answer:
            if str(a) not in options:
                self.add(raw.line_of("answer"), label, _not_among(a, options, "options"))
        if len(set(map(str, answer))) != len(answer):
            self.add(raw.line_of("answer"), label, "answer 中有重复的选项")

    def _answer_truefalse(self, raw: LineDict, label: str) -> None:
        if self._missing_answer(raw, label):
            return
        if not isinstance(raw["answer"], bool):
            self.add(raw.line_of("answer"), label,
                     f"truefalse（判断）题的 answer 只能是 true 或 false（现为 {raw['answer']!r}）")

    def _answer_fill(self, raw: LineDict, label: str) -> None:
        if self._missing_answer(raw, label):
            return
        answer = raw["answer"]
        if not isinstance(answer, list) or not answer or not all(_text(str(a)) for a in answer):
            self.add(raw.line_of("answer"), label,
                     "fill（填空）题的 answer 应为可接受答案的列表，如 [倾听, 聆听]")
        if "____" not in str(raw.get("stem", "")):
            self.add(raw.line_of("stem"), label, "填空题的题干里要用 ____（四个下划线）标出空位")

    def _from_process(self, raw: LineDict, label: str) -> None:
        """``process: <flow-id>``: the items and answer are the process's usual course."""
        flow = self.flows.get(raw["process"])
        if flow is None:
            self.add(raw.line_of("process"), label, f"未知流程 “{raw['process']}”：应为 flows/ 中的流程 id")
            return
        if "items" in raw or "answer" in raw:
            self.add(raw.line_of("process"), label, "写了 process 就不要再写 items 和 answer：它们由流程数据生成")
            return
        steps = [s for s in flow.main_path() if s.kind != "decision"]
        raw["items"] = {s.id.replace("-", "_"): s.label for s in steps}
        raw["answer"] = list(raw["items"])

    def _answer_order(self, raw: LineDict, label: str) -> None:
        if "process" in raw:
            self._from_process(raw, label)
            if "items" not in raw:
                return
        items = self._choices(raw, label, "items", 2)
        if self._missing_answer(raw, label):
            return
        answer = raw["answer"]
        if not isinstance(answer, list) or sorted(map(str, answer)) != sorted(items):
            self.add(raw.line_of("answer"), label,
                     "order（排序）题的 answer 应把 items 的每个 id 按正确顺序各列一次")
        elif self.exam and list(map(str, answer)) == sorted(items):
            self.add(raw.line_of("answer"), label, _ID_LEAK + "（正确顺序恰好是 id 的字母顺序）")

    def _answer_match(self, raw: LineDict, label: str) -> None:
        left = self._choices(raw, label, "left", 2)
        right = self._choices(raw, label, "right", 2)
        if self._missing_answer(raw, label):
            return
        answer = raw["answer"]
        if not isinstance(answer, dict):
            self.add(raw.line_of("answer"), label, "match（配对）题的 answer 应为映射，如 {l1: r2, l2: r1}")
            return
        if set(map(str, answer)) != set(left):
            self.add(raw.line_of("answer"), label, "answer 要为 left 的每一项各给出一个配对")
        for value in answer.values():
            if str(value) not in right:
                self.add(raw.line_of("answer"), label, _not_among(value, right, "right"))
        if len(set(map(str, answer.values()))) != len(answer):
            self.add(raw.line_of("answer"), label, "answer 中两个左项配到了同一个右项")
        elif self.exam and len(answer) > 1 and all(
            sorted(left).index(str(k)) == sorted(right).index(str(v))
            for k, v in answer.items() if str(v) in right and str(k) in left
        ):
            self.add(raw.line_of("answer"), label, _ID_LEAK + "（l1 配 r1、l2 配 r2 …）")


_ID_LEAK = "考试题的 id 泄露了答案：页面源码里能看到 id，请给 id 换成与答案无关的名字"


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _texts(value: Any) -> dict[str, str]:
    return {str(k): str(v).strip() for k, v in value.items()} if isinstance(value, dict) else {}


def _not_among(answer: Any, choices: dict[str, str], where: str) -> str:
    return f"答案 “{answer}” 不在 {where} 中（可选：{', '.join(choices) or '无'}）"


def _did_you_mean(key: str, allowed: Iterable[str]) -> str:
    import difflib

    match = difflib.get_close_matches(key, sorted(allowed), n=1, cutoff=0.7)
    return f"（是不是 “{match[0]}”？）" if match else ""
