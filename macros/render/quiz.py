"""Quiz pages and the quiz index, rendered through ``macros/templates/quiz*.html`` (autoescaped).

The page is usable without JavaScript as a printed list of questions; ``quiz.js`` adds the learner
form, seeded drawing and shuffling, autosave, feedback (practice only) and export, following the
rules handed to it as data (:func:`kefu.rules.page_rules`). Exam pages carry no key and no
explanation at all.
"""

from __future__ import annotations

from kefu.bank import MODE_NAMES, TYPE_NAMES, Bank, Question
from kefu.bank.seeding import shuffled
from kefu.grading.assignments import Assignment
from kefu.rules import page_rules
from macros.registry import PageContext, macro
from macros.render.templating import render

MODE_NOTES = {
    "practice": "练习模式：作答后点“检查答案”，可看到对错、正确答案、解析和得分；可以反复修改。",
    "exam": "考试模式：页面不显示答案和得分。答完后导出答案文件，交给培训师评分。",
}


def render_quiz(bank: Bank, assignments: dict[str, dict] | None = None) -> str:
    """The quiz widget for one bank, as a single line of HTML.

    ``assignments``: settings of each 培训任务 that includes this bank; the page applies one
    when opened with ``?assignment=<id>``.
    """
    return render(
        "quiz.html", bank=bank, practice=bank.mode == "practice", type_names=TYPE_NAMES, facts=quiz_facts(bank),
        mode_note=MODE_NOTES[bank.mode], payload=_payload(bank, assignments or {}),
        order_start={q.id: order_start(q) for q in bank.questions if q.type == "order"},
        match_right={q.id: shuffled(sorted(q.right), f"{q.id}|right") for q in bank.questions if q.type == "match"},
    )


def order_start(question: Question) -> list[str]:
    """The order an ordering question starts in: seeded, never the answer's order (nor the ids' order,
    which would give an exam's answer away when ids were written in answer order)."""
    keys = sorted(question.items)
    for attempt in range(50):
        start = shuffled(keys, f"{question.id}|items|{attempt}" if attempt else f"{question.id}|items")
        if start != list(question.answer) and (start != keys or len(keys) < 3):
            return start
    return keys[1:] + keys[:1]  # a rotation: differs from every order of two or more items


def quiz_facts(bank: Bank, draw: int | None = None, pass_mark: float | None = None) -> str:
    """“练习 · 20 题（从 45 题中随机抽取） · 及格线 70%”: the bank's, or under a 培训任务's draw and pass mark."""
    draw = draw or bank.draw
    facts = [
        f"{MODE_NAMES[bank.mode]}",
        f"{draw or len(bank.questions)} 题" + (f"（从 {len(bank.questions)} 题中随机抽取）" if draw else ""),
        f"及格线 {bank.pass_mark if pass_mark is None else pass_mark:g}%",
    ]
    if bank.time_limit:
        facts.append(f"建议用时 {bank.time_limit} 分钟")
    return " · ".join(facts)


def _payload(bank: Bank, assignments: dict[str, dict]) -> dict:
    """What quiz.js needs. Practice pages carry the key; exam pages never do."""
    questions = []
    for q in bank.questions:
        entry = {"id": q.id, "type": q.type, "points": q.points, "v": q.fingerprint}
        if q.type == "multiple":
            entry["scoring"] = bank.scoring_for(q)
        if q.type in ("order", "match"):
            entry["partial"] = q.partial
        if bank.mode == "practice":
            entry["key"] = q.answer
        questions.append(entry)
    return {
        "format": "quiz-page/2", "quiz": bank.id, "title": bank.title, "mode": bank.mode,
        "bank_version": bank.version, "pass_mark": bank.pass_mark, "shuffle": bank.shuffle,
        "draw": bank.draw, "assignments": assignments, "questions": questions, "rules": page_rules(),
    }


def quiz_assignments(assignments: dict[str, Assignment], bank: Bank) -> dict[str, dict]:
    """What a quiz page needs to apply each assignment that includes it (no key, nothing secret):
    the pass mark and draw in force under it, and its other quizzes (links keep the assignment)."""
    out = {}
    for assignment in assignments.values():
        item = assignment.item(bank.id)
        if item:
            out[assignment.id] = {"cohort": assignment.cohort, "pass_mark": item.pass_mark,
                                  "draw": item.draw, "due": item.due.isoformat(),
                                  "facts": quiz_facts(bank, item.draw, item.pass_mark),
                                  "quizzes": [i.quiz for i in assignment.items]}
    return out


def render_quiz_index(banks: dict[str, Bank], page_of: dict[str, str]) -> str:
    """Every bank as a table; titles and descriptions are plain text (never Markdown links)."""
    rows = [{"bank": bank, "link": page_of.get(bank.id), "mode": MODE_NAMES[bank.mode]}
            for bank in sorted(banks.values(), key=lambda b: (b.mode, b.id))]
    return render("quiz_index.html", rows=rows)


@macro
def quiz(ctx: PageContext, bank_id: str) -> str:
    bank = ctx.course.bank(bank_id)
    return render_quiz(bank, quiz_assignments(ctx.course.assignments, bank))


@macro
def quiz_index(ctx: PageContext) -> str:
    course = ctx.course
    return render_quiz_index(course.banks, {b: ctx.url(course.quiz_page(b)) for b in course.banks})
