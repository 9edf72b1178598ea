"""Grading attempts against the banks. Scores are always recomputed from the answers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kefu.answers import Attempt, Rejection
from kefu.banks import Bank, Question
from kefu.scoring import score_question, shape_error
from kefu.seeding import drawn_question_ids

ATTEMPT_RULES = ("best", "first", "last")


@dataclass
class GradedAttempt:
    attempt: Attempt
    marks: dict[str, float]  # question id -> marks earned (graded questions only)
    max_points: float
    skipped: list[str] = field(default_factory=list)  # changed since the export: not graded
    notes: list[str] = field(default_factory=list)

    @property
    def score(self) -> float:
        return round(sum(self.marks.values()), 4)

    @property
    def percent(self) -> float:
        return round(100 * self.score / self.max_points, 2) if self.max_points else 0.0


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


def grade_attempt(bank: Bank, attempt: Attempt, scoring_override: str | None = None
                  ) -> GradedAttempt | Rejection:
    """Grade one attempt; a Rejection says why it cannot be graded at all."""
    skipped: list[str] = []
    notes = list(attempt.notes)
    changed = attempt.bank_version is not None and attempt.bank_version != bank.version
    if changed and attempt.question_versions is None:
        return Rejection(attempt.source, "题库在导出后改动过，且导出文件没有逐题版本：无法判断哪些题未变，请学员重做")
    questions: list[Question] = []
    unknown = []
    for qid in attempt.questions:
        q = bank.question(qid)
        seen_version = (attempt.question_versions or {}).get(qid)
        if q is None:
            if changed:
                skipped.append(qid)  # removed from the bank since the export
            else:
                unknown.append(qid)
        elif changed and seen_version != q.fingerprint:
            skipped.append(qid)
        else:
            questions.append(q)
    if unknown:
        return Rejection(attempt.source, f"测验 “{bank.id}” 的题库里没有这些题：{', '.join(unknown)}")
    for qid, response in attempt.answers.items():
        q = bank.question(qid)
        if q is not None and qid not in skipped and (problem := shape_error(q, response)):
            return Rejection(attempt.source, f"{qid} 的答案格式不对（{problem}）：文件可能被改动过")
    if skipped:
        notes.append(f"题库已改动，这些题未计分：{', '.join(skipped)}")
    if not questions:
        return Rejection(attempt.source, "题库改动后，这份答卷没有可以评分的题目")
    if bank.draw and attempt.bank_version is not None and not changed:
        expected = drawn_question_ids([q.id for q in bank.questions], bank.id, attempt.learner_id, bank.draw)
        if attempt.questions != expected:
            notes.append("题目与该工号应抽到的题不一致（工号被改过或文件被编辑过），请核实")
    marks = {
        q.id: score_question(q, attempt.answers.get(q.id), bank.scoring_for(q, scoring_override))
        for q in questions
    }
    return GradedAttempt(attempt, marks, sum(q.points for q in questions), skipped, notes)


_CHOOSERS: dict[str, Callable[[list[GradedAttempt]], GradedAttempt]] = {
    # best: highest percentage; among equals the latest submission
    "best": lambda gs: max(gs, key=lambda g: (g.percent, g.attempt.submitted_at, g.attempt.order)),
    "first": lambda gs: min(gs, key=lambda g: (g.attempt.submitted_at or "~", g.attempt.order)),
    "last": lambda gs: max(gs, key=lambda g: (g.attempt.submitted_at, g.attempt.order)),
}


def grade(banks: dict[str, Bank], attempts: list[Attempt], *, attempt_rule: str = "best",
          scoring_override: str | None = None, pass_marks: dict[str, float] | None = None) -> GradingRun:
    rejected: list[Rejection] = []
    graded: list[GradedAttempt] = []
    seen: dict[tuple, str] = {}
    for order, attempt in enumerate(attempts):
        attempt.order = order
        identity = (attempt.quiz, attempt.learner_id, attempt.submitted_at,
                    repr(sorted(attempt.answers.items())))
        if attempt.submitted_at and identity in seen:
            rejected.append(Rejection(attempt.source, f"与 {seen[identity]} 是同一份答卷（重复文件），只计一次"))
            continue
        seen[identity] = attempt.source
        outcome = grade_attempt(banks[attempt.quiz], attempt, scoring_override)
        if isinstance(outcome, Rejection):
            rejected.append(outcome)
        else:
            graded.append(outcome)
    by_learner: dict[tuple[str, str], list[GradedAttempt]] = {}
    for g in graded:
        by_learner.setdefault((g.attempt.quiz, g.attempt.learner_id), []).append(g)
    choose = _CHOOSERS[attempt_rule]
    results = []
    for (quiz, learner_id), group in sorted(by_learner.items()):
        best = choose(group)
        name = next((g.attempt.learner_name for g in reversed(group) if g.attempt.learner_name), "")
        pass_mark = (pass_marks or {}).get(quiz, banks[quiz].pass_mark)
        results.append(LearnerResult(learner_id, name, quiz, best, len(group), best.percent >= pass_mark))
    return GradingRun(results, rejected, graded)


def response_label(question: Question, response: Any) -> list[str]:
    """The options a response chose, for the per-option counts of item statistics."""
    if response is None:
        return ["未答"]
    if question.type == "single":
        return [str(response)]
    if question.type == "multiple":
        return [str(r) for r in response] or ["未答"]
    if question.type == "truefalse":
        return ["正确" if response else "错误"]
    return []
