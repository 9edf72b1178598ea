"""Grading attempts against the banks. Scores are always recomputed from the answers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from kefu.bank import Bank, Question
from kefu.bank.scoring import Scorer, scorer, shape_error
from kefu.bank.seeding import drawn_question_ids
from kefu.grading.answers import Attempt, Rejection

ATTEMPT_RULES = ("best", "first", "last")


@dataclass
class GradedAttempt:
    attempt: Attempt
    marks: dict[str, float]  # question id -> marks earned (graded questions only)
    max_points: float
    skipped: list[str] = field(default_factory=list)  # changed since the export: not graded
    notes: list[str] = field(default_factory=list)
    score: float = field(init=False)
    percent: float = field(init=False)

    def __post_init__(self) -> None:
        self.score = round(sum(self.marks.values()), 4)
        self.percent = round(100 * self.score / self.max_points, 2) if self.max_points else 0.0


@dataclass
class LearnerResult:
    """The attempt that counts for one learner at one quiz."""

    learner_id: str
    learner_name: str
    quiz: str
    graded: GradedAttempt
    attempts: int
    passed: bool


@dataclass
class GradingRun:
    results: list[LearnerResult]
    rejected: list[Rejection]
    graded_attempts: list[GradedAttempt]


def grade_attempt(bank: Bank, attempt: Attempt, scoring_override: str | None = None,
                  draw: int | None = None) -> GradedAttempt | Rejection:
    """Grade one attempt; a Rejection says why it cannot be graded at all.

    ``draw`` is how many questions the learner was shown when a 培训任务 changed it
    (default: the bank's own draw).
    """
    by_id, versions = bank.by_id, attempt.question_versions or {}
    changed = attempt.bank_version is not None and attempt.bank_version != bank.version
    if changed and attempt.question_versions is None:
        return Rejection(attempt.source, "题库在导出后改动过，且导出文件没有逐题版本：无法判断哪些题未变，请学员重做")
    notes = list(attempt.notes)
    skipped: list[str] = []
    if changed:
        # grade what still reads as the learner saw it; removed or reworded questions are skipped
        graded_ids = [qid for qid in attempt.questions
                      if qid in by_id and versions.get(qid) == by_id[qid].fingerprint]
        skipped = [qid for qid in attempt.questions if qid not in graded_ids]
        notes.append(f"题库已改动，这些题未计分：{', '.join(skipped)}")
        if not graded_ids:
            return Rejection(attempt.source, "题库改动后，这份答卷没有可以评分的题目")
    else:
        graded_ids = attempt.questions
        draw = draw or bank.draw
        if draw and attempt.bank_version is not None:
            expected = drawn_question_ids([q.id for q in bank.questions], bank.id, attempt.learner_id, draw)
            if graded_ids != expected:
                notes.append("题目与该工号应抽到的题不一致（工号被改过或文件被编辑过），请核实")
    scorers = bank_scorers(bank, scoring_override)
    answers, marks, max_points = attempt.answers, {}, 0.0
    for qid in graded_ids:
        score = scorers.get(qid)
        if score is None:
            unknown = [q for q in graded_ids if q not in scorers]
            return Rejection(attempt.source, f"测验 “{bank.id}” 的题库里没有这些题：{', '.join(unknown)}")
        earned = score(answers.get(qid))
        if earned is None:
            problem = shape_error(by_id[qid], answers[qid])
            return Rejection(attempt.source, f"{qid} 的答案格式不对（{problem}）：文件可能被改动过")
        marks[qid] = earned
        max_points += by_id[qid].points
    return GradedAttempt(attempt, marks, max_points, skipped, notes)


def bank_scorers(bank: Bank, scoring_override: str | None = None) -> dict[str, Scorer]:
    """Question id → compiled scorer under the rule in force (cached per bank and rule)."""
    cache = bank.__dict__.setdefault("_scorers", {})
    if scoring_override not in cache:
        cache[scoring_override] = {q.id: scorer(q, bank.scoring_for(q, scoring_override)) for q in bank.questions}
    return cache[scoring_override]


_CHOOSERS: dict[str, Callable[[list[GradedAttempt]], GradedAttempt]] = {
    # best: highest percentage; among equals the latest submission
    "best": lambda gs: max(gs, key=lambda g: (g.percent, g.attempt.submitted_at, g.attempt.order)),
    "first": lambda gs: min(gs, key=lambda g: (g.attempt.submitted_at or "~", g.attempt.order)),
    "last": lambda gs: max(gs, key=lambda g: (g.attempt.submitted_at, g.attempt.order)),
}


DrawLookup = Callable[[Attempt], "int | None"]


def grade(banks: dict[str, Bank], attempts: list[Attempt], *, attempt_rule: str = "best",
          scoring_override: str | None = None, pass_marks: dict[str, float] | None = None,
          draws: DrawLookup | None = None) -> GradingRun:
    """Grade attempts already read, then keep one per learner and quiz."""
    graded, rejected = grade_each(banks, attempts, scoring_override, draws)
    return select(banks, graded, rejected, attempt_rule=attempt_rule, pass_marks=pass_marks)


def grade_each(banks: dict[str, Bank], attempts: list[Attempt], scoring_override: str | None = None,
               draws: DrawLookup | None = None) -> tuple[list[GradedAttempt], list[Rejection]]:
    """``draws`` tells, per attempt, the draw of the 培训任务 it was taken under (None: the bank's)."""
    graded: list[GradedAttempt] = []
    rejected: list[Rejection] = []
    for attempt in attempts:
        draw = draws(attempt) if draws and attempt.assignment else None
        outcome = grade_attempt(banks[attempt.quiz], attempt, scoring_override, draw)
        (rejected if isinstance(outcome, Rejection) else graded).append(outcome)
    return graded, rejected


def select(banks: dict[str, Bank], graded: list[GradedAttempt], rejected: list[Rejection], *,
           attempt_rule: str = "best", pass_marks: dict[str, float] | None = None) -> GradingRun:
    """Drop duplicate files, then choose the attempt that counts for each learner and quiz."""
    kept: list[GradedAttempt] = []
    seen: dict[tuple, str] = {}
    rejected = list(rejected)
    for order, g in enumerate(graded):
        attempt = g.attempt
        attempt.order = order
        identity = (attempt.quiz, attempt.learner_id, attempt.submitted_at)
        if attempt.submitted_at and identity in seen:
            rejected.append(Rejection(attempt.source, f"与 {seen[identity]} 是同一份答卷（重复文件），只计一次"))
            continue
        seen[identity] = attempt.source
        kept.append(g)
    by_learner: dict[tuple[str, str], list[GradedAttempt]] = {}
    for g in kept:
        by_learner.setdefault((g.attempt.quiz, g.attempt.learner_id), []).append(g)
    choose = _CHOOSERS[attempt_rule]
    results = []
    for (quiz, learner_id), group in sorted(by_learner.items()):
        best = choose(group)
        name = next((g.attempt.learner_name for g in reversed(group) if g.attempt.learner_name), "")
        pass_mark = (pass_marks or {}).get(quiz, banks[quiz].pass_mark)
        results.append(LearnerResult(learner_id, name, quiz, best, len(group), best.percent >= pass_mark))
    return GradingRun(results, rejected, kept)


def option_counts(question: Question, responses: Iterable[Any]) -> Counter:
    """How many learners chose each option ("未答" for no answer), for item statistics."""
    responses = list(responses)
    counts: Counter = Counter()
    blank = sum(r is None for r in responses)
    if blank:
        counts["未答"] = blank
    if question.type in ("single",):
        counts.update(r for r in responses if r is not None)
    elif question.type == "truefalse":
        counts.update("正确" if r else "错误" for r in responses if r is not None)
    elif question.type == "multiple":
        counts.update(chain.from_iterable(r for r in responses if r is not None))
    return counts
