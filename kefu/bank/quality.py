"""Item quality: can a bank be passed by test-taking tricks instead of knowledge?

Measured per bank and over all banks, as ``scripts/check_banks.py`` prints it:

- single choice: where the key sits in the file (a/b/c/d by position), how often the key is
  the strictly longest option, and how much longer keys are than distractors on average;
- true/false: the share of true keys;
- multiple choice: questions with fewer than two wrong options;
- three guessing strategies — pick the longest option, always answer 错, choose every
  option — and the share of the bank's marks they earn together before a word is read;
- scenario questions (tagged ``情景``) as a share of the bank;
- questions whose stem or option set repeats one in another bank.

Exam banks fail the limits below (:data:`LIMITS`); practice banks get warnings. The
limits are explained, with an item-writing guide, in ``docs/modules/WRITING.md.txt``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from itertools import combinations

from kefu.bank.model import Bank, Question

SCENARIO_TAG = "情景"


@dataclass(frozen=True)
class Limits:
    longest_key_bank: float = 0.40  # single: key strictly the longest option, in any one bank
    longest_key_overall: float = 0.30
    key_position_overall: tuple[float, float] = (0.15, 0.35)  # each of a–d, over all banks
    key_position_bank: float = 0.50  # no position holds more than this in a bank of 6+ singles
    true_share_overall: tuple[float, float] = (0.40, 0.60)
    true_share_bank: tuple[float, float] = (0.30, 0.70)  # banks with 10+ true/false items
    true_share_bank_min_items: int = 10
    two_wrong_multiple: float = 0.70  # multiple: share with at least two wrong options
    guessing: float = 0.35  # share of a bank's marks the strategies earn together
    scenario_exam: float = 0.50  # exams: share of questions that are scenarios
    similar_stem: float = 0.80  # SequenceMatcher ratio of normalised stems


LIMITS = Limits()
POSITIONS = "abcd"


def _norm(text: str) -> str:
    """Text compared as a reader sees it: NFKC, no spaces or punctuation."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\s\W_]+", "", text)


def _length(text: str) -> int:
    return len(_norm(text))


@dataclass
class BankQuality:
    bank: Bank
    singles: int = 0
    key_positions: Counter = field(default_factory=Counter)  # "a".."d"/"e+" → count
    longest_keys: int = 0
    key_length_ratio: float | None = None  # mean key length / mean distractor length
    truefalse: int = 0
    true_keys: int = 0
    multiples: int = 0
    multiples_two_wrong: int = 0
    scenarios: int = 0
    guessing_points: float = 0.0
    max_points: float = 0.0
    questions: int = 0

    @property
    def longest_share(self) -> float | None:
        return self.longest_keys / self.singles if self.singles else None

    @property
    def true_share(self) -> float | None:
        return self.true_keys / self.truefalse if self.truefalse else None

    @property
    def two_wrong_share(self) -> float | None:
        return self.multiples_two_wrong / self.multiples if self.multiples else None

    @property
    def guessing_share(self) -> float:
        return self.guessing_points / self.max_points if self.max_points else 0.0

    @property
    def scenario_share(self) -> float:
        return self.scenarios / self.questions if self.questions else 0.0


@dataclass(frozen=True)
class Finding:
    """One limit a bank (or the course) exceeds; ``error`` for exams and course-wide figures."""

    bank: str  # bank id, or "全部题库"
    file: str
    line: int
    message: str
    error: bool

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.bank}: {self.message}"


@dataclass(frozen=True)
class Repeat:
    first: Question
    first_bank: Bank
    second: Question
    second_bank: Bank
    what: str  # 题干 / 选项

    def __str__(self) -> str:
        return (f"{self.second_bank.path}:{self.second.line}: {self.second.id}: {self.what}与 "
                f"{self.first_bank.path}:{self.first.line} 的 {self.first.id} 重复或几乎相同")


@dataclass
class QualityReport:
    banks: list[BankQuality]
    overall: BankQuality
    repeats: list[Repeat]
    findings: list[Finding]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.error]


def measure(bank: Bank) -> BankQuality:
    q = BankQuality(bank)
    key_lengths: list[int] = []
    distractor_lengths: list[int] = []
    for question in bank.questions:
        q.questions += 1
        q.max_points += question.points
        if SCENARIO_TAG in question.tags:
            q.scenarios += 1
        q.guessing_points += _guess(question, bank)
        if question.type == "single":
            _single(question, q, key_lengths, distractor_lengths)
        elif question.type == "truefalse":
            q.truefalse += 1
            q.true_keys += question.answer is True
        elif question.type == "multiple":
            q.multiples += 1
            q.multiples_two_wrong += len(question.options) - len(question.answer) >= 2
    if key_lengths and distractor_lengths:
        mean_key = sum(key_lengths) / len(key_lengths)
        mean_other = sum(distractor_lengths) / len(distractor_lengths)
        q.key_length_ratio = mean_key / mean_other if mean_other else None
    return q


def _single(question: Question, q: BankQuality, key_lengths: list[int], others: list[int]) -> None:
    q.singles += 1
    keys = list(question.options)
    index = keys.index(question.answer)
    q.key_positions[POSITIONS[index] if index < len(POSITIONS) else "e+"] += 1
    lengths = {k: _length(t) for k, t in question.options.items()}
    key_length = lengths[question.answer]
    key_lengths.append(key_length)
    others += [n for k, n in lengths.items() if k != question.answer]
    if all(key_length > n for k, n in lengths.items() if k != question.answer):
        q.longest_keys += 1


def _guess(question: Question, bank: Bank) -> float:
    """Marks the three strategies earn on one question (expected value where they must pick at random)."""
    if question.type == "single":
        lengths = {k: _length(t) for k, t in question.options.items()}
        top = max(lengths.values())
        longest = [k for k, n in lengths.items() if n == top]
        return question.points / len(longest) if question.answer in longest else 0.0
    if question.type == "truefalse":
        return question.points if question.answer is False else 0.0
    if question.type == "multiple":
        if set(question.answer) == set(question.options):
            return question.points
        if bank.scoring_for(question) == "partial":
            return 0.0  # a wrong option chosen voids the question
        return 0.0
    return 0.0


def _combined(parts: Iterable[BankQuality]) -> BankQuality:
    parts = list(parts)
    total = BankQuality(Bank(id="全部题库", title="全部题库", mode="practice", pass_mark=0, questions=(),
                             path=parts[0].bank.path.parent if parts else __import__("pathlib").Path(".")))
    ratios = []
    for p in parts:
        total.singles += p.singles
        total.key_positions.update(p.key_positions)
        total.longest_keys += p.longest_keys
        total.truefalse += p.truefalse
        total.true_keys += p.true_keys
        total.multiples += p.multiples
        total.multiples_two_wrong += p.multiples_two_wrong
        total.scenarios += p.scenarios
        total.questions += p.questions
        total.guessing_points += p.guessing_points
        total.max_points += p.max_points
        if p.key_length_ratio is not None:
            ratios.append((p.key_length_ratio, p.singles))
    if ratios:
        total.key_length_ratio = sum(r * n for r, n in ratios) / sum(n for _, n in ratios)
    return total


def _similar(a: str, b: str, limit: float) -> bool:
    if not a or not b:
        return False
    if a == b:
        return True
    shorter, longer = sorted((len(a), len(b)))
    if shorter / longer < limit:
        return False
    return SequenceMatcher(None, a, b, autojunk=False).ratio() >= limit


def repeats(banks: dict[str, Bank], limits: Limits = LIMITS) -> list[Repeat]:
    """Questions in two different banks with the same (or nearly the same) stem or option texts."""
    entries = []
    for bank in sorted(banks.values(), key=lambda b: b.id):
        for question in bank.questions:
            texts = question.options or question.items or {**question.left, **question.right}
            options = frozenset(_norm(t) for t in texts.values())
            bigrams = {_norm(question.stem)[i:i + 2] for i in range(len(_norm(question.stem)) - 1)}
            entries.append((bank, question, _norm(question.stem), options, bigrams))
    found = []
    for (b1, q1, s1, o1, g1), (b2, q2, s2, o2, g2) in combinations(entries, 2):
        if b1.id == b2.id:
            continue
        if g1 and g2 and len(g1 & g2) / len(g1 | g2) >= 0.5 and _similar(s1, s2, limits.similar_stem):
            found.append(Repeat(q1, b1, q2, b2, "题干"))
        elif len(o1) >= 3 and len(o1 & o2) >= max(3, len(o1) - 1) and len(o1 & o2) >= len(o2) - 1:
            found.append(Repeat(q1, b1, q2, b2, "选项"))
    return found


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.0f}%"


def check_quality(banks: dict[str, Bank], limits: Limits = LIMITS) -> QualityReport:
    measured = [measure(b) for b in sorted(banks.values(), key=lambda b: (b.mode, b.id))]
    overall = _combined(measured)
    findings: list[Finding] = []
    for m in measured:
        bank, exam = m.bank, m.bank.mode == "exam"

        def add(message: str, bank: Bank = bank, exam: bool = exam) -> None:
            findings.append(Finding(bank.id, str(bank.path), 1, message, exam))

        if m.longest_share is not None and m.longest_share > limits.longest_key_bank:
            add(f"单选题中答案是唯一最长选项的占 {_pct(m.longest_share)}（上限 {_pct(limits.longest_key_bank)}）："
                "把干扰项写得和答案一样具体，或把答案写短")
        if m.singles >= 6:
            position, count = max(m.key_positions.items(), key=lambda kv: kv[1])
            if count / m.singles > limits.key_position_bank:
                add(f"单选题答案有 {_pct(count / m.singles)} 写在第 {position} 个位置（上限 "
                    f"{_pct(limits.key_position_bank)}）：调换选项顺序")
        share = m.true_share
        low, high = limits.true_share_bank
        if share is not None and m.truefalse >= limits.true_share_bank_min_items and not low <= share <= high:
            add(f"判断题中“正确”占 {_pct(share)}（应在 {_pct(low)}～{_pct(high)}）：改写几道为正确的陈述")
        if m.two_wrong_share is not None and m.two_wrong_share < limits.two_wrong_multiple:
            add(f"多选题中至少有两个错误选项的只占 {_pct(m.two_wrong_share)}（下限 "
                f"{_pct(limits.two_wrong_multiple)}）：补上新手真会选的错误做法")
        if m.guessing_share > limits.guessing:
            add(f"只靠“选最长、判断都选错、多选全选”就能得 {_pct(m.guessing_share)} 的分（上限 "
                f"{_pct(limits.guessing)}）")
        if exam and m.scenario_share < limits.scenario_exam:
            add(f"情景题（tags 含“{SCENARIO_TAG}”）只占 {_pct(m.scenario_share)}（考试至少 "
                f"{_pct(limits.scenario_exam)}）")
    folder = str(measured[0].bank.path.parent) if measured else "quizzes"

    def overall_error(message: str) -> None:
        findings.append(Finding("全部题库", folder, 0, message, True))

    if overall.longest_share is not None and overall.longest_share > limits.longest_key_overall:
        overall_error(f"全部单选题中答案是唯一最长选项的占 {_pct(overall.longest_share)}"
                      f"（上限 {_pct(limits.longest_key_overall)}）")
    low, high = limits.key_position_overall
    for position in POSITIONS:
        share = overall.key_positions[position] / overall.singles if overall.singles else 0
        if overall.singles and not low <= share <= high:
            overall_error(f"全部单选题中答案在第 {position} 个位置的占 {_pct(share)}（应在 {_pct(low)}～{_pct(high)}）")
    low, high = limits.true_share_overall
    if overall.true_share is not None and not low <= overall.true_share <= high:
        overall_error(f"全部判断题中“正确”占 {_pct(overall.true_share)}（应在 {_pct(low)}～{_pct(high)}）")
    if overall.two_wrong_share is not None and overall.two_wrong_share < limits.two_wrong_multiple:
        overall_error(f"全部多选题中至少有两个错误选项的只占 {_pct(overall.two_wrong_share)}"
                      f"（下限 {_pct(limits.two_wrong_multiple)}）")
    return QualityReport(measured, overall, repeats(banks, limits), findings)


def report_lines(report: QualityReport) -> list[str]:
    """The table ``make check`` prints: one row per bank, then the course, then findings."""
    head = f"{'题库':<22}{'模式':<5}{'题数':>4}{'最长即答案':>9}{'答案位置 a/b/c/d':>18}{'判断为真':>7}" \
           f"{'多选≥2错':>8}{'猜题得分':>7}{'情景题':>7}"
    lines = ["题目质量（出题技巧能否代替知识）：", head]
    for m in [*report.banks, report.overall]:
        positions = "/".join(str(m.key_positions[p]) for p in POSITIONS)
        count = m.questions
        mode = "" if m is report.overall else ("考试" if m.bank.mode == "exam" else "练习")
        lines.append(f"{m.bank.id:<24}{mode:<5}{count:>5}{_pct(m.longest_share):>10}{positions:>18}"
                     f"{_pct(m.true_share):>10}{_pct(m.two_wrong_share):>10}{_pct(m.guessing_share):>10}"
                     f"{_pct(m.scenario_share):>9}")
    for finding in report.findings:
        lines.append(("错误 " if finding.error else "提醒 ") + str(finding))
    for repeat in report.repeats:
        lines.append("提醒 " + str(repeat))
    return lines
