"""Grading attempts against the banks. Scores are always recomputed from the answers.

The grader, not the file, decides which questions a learner was asked: every question of the
bank, or for a draw the questions the seed gives that learner under that assignment. A file that
lists other questions, or none of the bank's version, is graded on that set and flagged for the
trainer to check (missing questions count as unanswered), so leaving out questions one got wrong
cannot raise a score.

A graded attempt keeps only what the reports need — marks and a one-byte response code per
question, in bank order — so hundreds of thousands of learners fit in little memory.
"""

from __future__ import annotations

import math
import unicodedata
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from kefu.bank import Bank, Question
from kefu.bank.scoring import Scorer, scorer, shape_error
from kefu.bank.seeding import drawn_question_ids
from kefu.grading.answers import Attempt, Rejection, listed
from kefu.rules import learner_key

ATTEMPT_RULES = ("best", "first", "last")
NOT_SHOWN = math.nan
DrawLookup = Callable[[Attempt], "int | None"]


@dataclass(slots=True)
class GradedAttempt:
    source: str
    quiz: str
    learner_id: str  # as written
    learner_name: str
    submitted_at: str
    assignment: str | None
    marks: array  # float per bank question (bank order); NaN: not asked or not graded
    codes: bytes  # response code per bank question (see response_code), for option counts
    score: float
    max_points: float
    # tuples: most attempts have neither, and the empty tuple is shared (two empty lists took a
    # tenth of an attempt's memory)
    notes: tuple[str, ...] = ()
    check: bool = False  # the trainer should look at this file (question list, version, identity)
    skipped: tuple[str, ...] = ()  # changed since the export: not graded
    order: int = 0
    digest: str = ""

    @property
    def percent(self) -> float:
        return round(100 * self.score / self.max_points, 2) if self.max_points else 0.0

    def __reduce__(self) -> tuple:
        # Graded attempts come back from worker processes pickled (kefu.grading.parallel): as the
        # arguments of a call they pickle in half the time of the generic state of a slots object.
        return GradedAttempt, tuple(getattr(self, name) for name in self.__slots__)

    @property
    def key(self) -> str:
        return learner_key(self.learner_id)

    def mark(self, bank: Bank, question_id: str) -> float | None:
        value = self.marks[bank.index[question_id]]
        return None if math.isnan(value) else value


@dataclass(slots=True)
class LearnerResult:
    """The attempt that counts for one learner at one quiz."""

    learner_id: str
    learner_name: str
    quiz: str
    graded: GradedAttempt
    attempts: int
    passed: bool
    notes: list[str] = field(default_factory=list)  # about the learner (two names for one id …)

    @property
    def check(self) -> bool:
        return self.graded.check or bool(self.notes)


@dataclass
class GradingRun:
    results: list[LearnerResult]
    rejected: list[Rejection]
    graded_attempts: list[GradedAttempt]


def response_code(question: Question, response: Any) -> int:
    """One byte that tells the option chosen (0: no answer): single 1–n, 正确 1 / 错误 2,
    multiple a bit per option (up to 7), other types 1 when answered."""
    if response is None:
        return 0
    keys = list(question.options)
    if question.type == "single":
        return keys.index(response) + 1 if response in question.options else 0
    if question.type == "truefalse":
        return 1 if response else 2
    if question.type == "multiple":
        code = 0
        for key in response:
            if key in question.options and keys.index(key) < 7:
                code |= 1 << keys.index(key)
        return code
    return 1


def expected_questions(bank: Bank, attempt: Attempt, draw: int | None) -> list[str]:
    """What the learner was asked: every question, or the draw the seed gives them; for a form tool's
    spreadsheet, the questions the trainer put on the form (its columns)."""
    if attempt.from_sheet:
        on_form = set(attempt.questions)
        return [qid for qid in bank.ids if qid in on_form]
    ids = bank.ids
    return drawn_question_ids(ids, bank.id, attempt.learner_id, draw, attempt.assignment) if draw else list(ids)


def grade_attempt(bank: Bank, attempt: Attempt, scoring_override: str | None = None,
                  draw: int | None = None) -> GradedAttempt | Rejection:
    """Grade one attempt on the questions it should have; a Rejection says why it cannot be graded.

    ``draw`` is how many questions the learner was shown (the bank's or a 培训任务's).
    """
    plan = _plan(bank, scoring_override)
    answers = attempt.answers
    if ((attempt.from_sheet or (not draw and attempt.bank_version == bank.version
                                and not attempt.question_versions))
            and tuple(attempt.questions) == bank.ids and answers.keys() <= bank.by_id.keys()):
        # The usual export (the whole current bank, listed in bank order) or form (a column for
        # every question, in bank order; a form's questions are its columns, whatever the draw):
        # the checks below would find nothing to say, and skipping them halves the grading time.
        notes, check, skipped, steps, listed_ids = list(attempt.notes), False, [], plan, None
    else:
        checked = _check_questions(bank, attempt, draw)
        if isinstance(checked, Rejection):
            return checked
        notes, check, skipped, graded_ids, listed_ids = checked
        steps = [plan[bank.index[qid]] for qid in graded_ids]
    marks = array("d", [NOT_SHOWN]) * len(bank.questions)
    codes = bytearray(len(bank.questions))
    score = max_points = 0.0
    for qid, index, mark_of, points in steps:
        response = answers.get(qid) if listed_ids is None or qid in listed_ids else None
        outcome = mark_of(response)
        if outcome is None:
            problem = shape_error(bank.by_id[qid], response)
            return Rejection(attempt.source, f"{qid} 的答案格式不对（{problem}）：文件可能被改动过，请学员重新导出")
        earned, codes[index] = outcome
        marks[index] = earned
        score += earned
        max_points += points
    return GradedAttempt(attempt.source, bank.id, attempt.learner_id, attempt.learner_name,
                         attempt.submitted_at, attempt.assignment, marks, bytes(codes), round(score, 4),
                         max_points, tuple(notes), check, tuple(skipped), attempt.order, attempt.digest)


def _check_questions(bank: Bank, attempt: Attempt, draw: int | None
                     ) -> tuple[list[str], bool, list[str], list[str], set[str]] | Rejection:
    """Notes, check flag, skipped and graded question ids, and the ids the file lists: what
    :func:`grade_attempt` needs for any attempt that is not a plain export of the current bank."""
    by_id = bank.by_id
    expected = expected_questions(bank, attempt, draw)
    expected_ids = set(expected)
    listed_ids = set(attempt.questions)
    notes = list(attempt.notes)
    check = False
    if attempt.from_sheet:
        pass  # a form tool knows no bank version; the trainer built the form from the current bank
    elif attempt.bank_version is None:
        notes.append("导出文件没有题库版本（bank_version），按当前题库评分，请核实")
        check = True
    elif attempt.bank_version != bank.version and attempt.question_versions is None:
        notes.append("导出文件的题库版本与当前不同，且没有逐题版本：按当前题库评分，请核实")
        check = True
    # a question reworded since the export is not graded: the learner saw another text
    versions = attempt.question_versions or {}
    skipped = [qid for qid in expected if qid in listed_ids and qid in versions
               and versions[qid] != by_id[qid].fingerprint]
    if skipped:
        notes.append(f"题库在导出后改动过，这些题未计分：{listed(skipped)}")
    skipped_ids = set(skipped)
    graded_ids = [qid for qid in expected if qid not in skipped_ids]
    if not graded_ids:
        return Rejection(attempt.source, "题库改动后，这份答卷没有可以评分的题目：请学员重做")
    missing = [qid for qid in graded_ids if qid not in listed_ids]
    extra = [qid for qid in attempt.questions if qid not in expected_ids]
    if missing or extra:
        check = True
        if missing:
            notes.append(f"文件少了应出的 {len(missing)} 道题（{listed(missing, 5)}），按未答计分，请核实")
        if extra:
            notes.append(f"文件多出 {len(extra)} 道不该出的题（{listed(extra, 5)}），未计分，请核实")
    unknown_answers = [qid for qid in attempt.answers if qid not in by_id]
    if unknown_answers and not extra:
        notes.append(f"答案中有题库里没有的题（{listed(unknown_answers, 5)}），未计分")
    return notes, check, skipped, graded_ids, listed_ids


Outcome = tuple[float, int]  # marks earned, response code
Step = tuple[str, int, Callable[[Any], "Outcome | None"], float]  # id, column, marking, points


def _plan(bank: Bank, scoring_override: str | None) -> list[Step]:
    """Per bank question, in bank order, what grading one response takes (cached per bank and rule)."""
    cache = bank.__dict__.setdefault("_plans", {})
    if scoring_override not in cache:
        scorers = bank_scorers(bank, scoring_override)
        cache[scoring_override] = [(q.id, i, _marking(q, scorers[q.id]), q.points)
                                   for i, q in enumerate(bank.questions)]
    return cache[scoring_override]


MEMO_LIMIT = 4096  # distinct responses remembered per question (free-text fill answers can be many)


def _marking(question: Question, score: Scorer) -> Callable[[Any], Outcome | None]:
    """Marks and response code of one response (None: wrong shape), remembered per distinct response.

    Learners give the same few responses to a question again and again, and a dict lookup costs
    a fraction of a scorer call. Only responses made of texts are remembered (a text, true/false,
    a list of texts, a mapping of texts to texts), so a response found in memory is equal to one
    made of texts and is therefore the same response: 1 == True can never make two different
    responses share an outcome. Anything else is scored every time.
    """
    code = _code_of(question)
    scalars: dict[str | bool, Outcome] = {}  # a text never equals true or false
    lists: dict[tuple, Outcome] = {}
    mappings: dict[frozenset, Outcome] = {}

    def outcome(response: Any) -> Outcome | None:
        earned = score(response)
        return None if earned is None else (earned, code(response))

    blank = outcome(None)

    def marking(response: Any) -> Outcome | None:
        if response is None:
            return blank
        kind = type(response)
        try:
            if kind is str or kind is bool:  # (not int: 1 == True)
                memo, key = scalars, response
            elif kind is list:
                memo, key = lists, tuple(response)
            elif kind is dict:
                memo, key = mappings, frozenset(response.items())  # a mapping's order changes nothing
            else:
                return outcome(response)
            known = memo.get(key)
        except TypeError:  # unhashable inside (a list in a list)
            return outcome(response)
        if known is None:
            known = outcome(response)
            if known is not None and len(memo) < MEMO_LIMIT and _made_of_texts(response):
                memo[key] = known
        return known

    return marking


def _made_of_texts(response: Any) -> bool:
    if type(response) is list:
        return all(type(item) is str for item in response)
    if type(response) is dict:
        return all(type(k) is str and type(v) is str for k, v in response.items())
    return True


def _code_of(question: Question) -> Callable[[Any], int]:
    """:func:`response_code` for one question, its lookups done once; for responses the scorer accepted."""
    keys = list(question.options)
    if question.type == "single":
        numbers = {key: n for n, key in enumerate(keys, start=1)}
        return lambda response: numbers.get(response, 0) if isinstance(response, str) else 0
    if question.type == "truefalse":
        return lambda response: 0 if response is None else 1 if response else 2
    if question.type == "multiple":
        bits = {key: 1 << n for n, key in enumerate(keys[:7])}

        def multiple(response: Any) -> int:
            code = 0
            for key in response or ():
                code |= bits.get(key, 0)
            return code

        return multiple
    return lambda response: 0 if response is None else 1


def bank_scorers(bank: Bank, scoring_override: str | None = None) -> dict[str, Scorer]:
    """Question id → compiled scorer under the rule in force (cached per bank and rule)."""
    cache = bank.__dict__.setdefault("_scorers", {})
    if scoring_override not in cache:
        cache[scoring_override] = {q.id: scorer(q, bank.scoring_for(q, scoring_override)) for q in bank.questions}
    return cache[scoring_override]


_CHOOSERS: dict[str, Callable[[list[GradedAttempt]], GradedAttempt]] = {
    # best: highest percentage; among equals the latest submission
    "best": lambda gs: max(gs, key=lambda g: (g.percent, g.submitted_at, g.order)),
    "first": lambda gs: min(gs, key=lambda g: (g.submitted_at or "~", g.order)),
    "last": lambda gs: max(gs, key=lambda g: (g.submitted_at, g.order)),
}


def grade_each(banks: dict[str, Bank], attempts: Iterable[Attempt], scoring_override: str | None = None,
               draws: DrawLookup | None = None) -> tuple[list[GradedAttempt], list[Rejection]]:
    """``draws`` tells, per attempt, the draw of the 培训任务 it was taken under (None: the bank's)."""
    graded: list[GradedAttempt] = []
    rejected: list[Rejection] = []
    for attempt in attempts:
        bank = banks[attempt.quiz]
        draw = (draws(attempt) if draws and attempt.assignment else None) or bank.draw
        outcome = grade_attempt(bank, attempt, scoring_override, draw)
        (rejected if isinstance(outcome, Rejection) else graded).append(outcome)
    return graded, rejected


def _name(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def select(banks: dict[str, Bank], graded: list[GradedAttempt], rejected: list[Rejection], *,
           attempt_rule: str = "best", pass_marks: dict[str, float] | None = None) -> GradingRun:
    """Drop copies of the same file, then choose the attempt that counts for each learner and quiz.

    Learners are told apart by their id, compared without case or width (e2002 = E2002). One id
    under two different names is a conflict: each name keeps its own row, both marked for checking.
    """
    kept: list[GradedAttempt] = []
    seen: dict[tuple[str, str], str] = {}
    rejected = list(rejected)
    for order, g in enumerate(graded):
        g.order = order
        if g.digest and (g.quiz, g.digest) in seen:
            rejected.append(Rejection(g.source, f"与 {seen[(g.quiz, g.digest)]} 内容完全相同（重复文件），只计一次"))
            continue
        if g.digest:
            seen[(g.quiz, g.digest)] = g.source
        kept.append(g)
    groups: dict[tuple[str, str], list[GradedAttempt]] = {}
    for g in kept:
        groups.setdefault((g.quiz, g.key), []).append(g)
    choose = _CHOOSERS[attempt_rule]
    results = []
    pass_mark_of = {quiz: (pass_marks or {}).get(quiz, banks[quiz].pass_mark) for quiz, _ in groups}
    for (quiz, key), group in sorted(groups.items()):
        if len(group) == 1:  # most learners: one attempt, one name, nothing to choose or to compare
            g = group[0]
            results.append(LearnerResult(g.learner_id, g.learner_name, quiz, g, 1,
                                         g.percent >= pass_mark_of[quiz], []))
            continue
        names = {}
        for g in group:  # the names written for this id, in order of first appearance
            if _name(g.learner_name):
                names.setdefault(_name(g.learner_name), g.learner_name)
        by_name = ({n: [g for g in group if _name(g.learner_name) in (n, "")] for n in names}
                   if len(names) > 1 else {"": group})
        conflict = (f"工号 {key} 用了 {len(names)} 个不同的姓名（{'、'.join(names.values())}），"
                    "分别列出，请核实是否有人填错了工号") if len(names) > 1 else ""
        pass_mark = pass_mark_of[quiz]
        for name_group in by_name.values():
            best = choose(name_group)
            name = next((g.learner_name for g in reversed(name_group) if g.learner_name), "")
            results.append(LearnerResult(best.learner_id, name, quiz, best, len(name_group),
                                         best.percent >= pass_mark, [conflict] if conflict else []))
    return GradingRun(results, rejected, kept)


def grade(banks: dict[str, Bank], attempts: list[Attempt], *, attempt_rule: str = "best",
          scoring_override: str | None = None, pass_marks: dict[str, float] | None = None,
          draws: DrawLookup | None = None) -> GradingRun:
    """Grade attempts already read, then keep one per learner and quiz."""
    graded, rejected = grade_each(banks, attempts, scoring_override, draws)
    return select(banks, graded, rejected, attempt_rule=attempt_rule, pass_marks=pass_marks)
