"""HTML for quiz pages and the quiz index. Every bank text is escaped here.

The page is usable without JavaScript as a printed list of questions; ``quiz.js``
adds the learner form, seeded drawing and shuffling, autosave, feedback (practice
only) and export. Exam pages carry no key and no explanation at all.
"""

from __future__ import annotations

from html import escape

from kefu.bank import MODE_NAMES, TYPE_NAMES, Bank, Question
from kefu.bank.seeding import shuffled
from kefu.grading.assignments import Assignment
from macros.registry import PageContext, macro
from macros.render.text import md_cell, script_json


def _points(value: float) -> str:
    return f"{value:g}"


def render_quiz(bank: Bank, assignments: dict[str, dict] | None = None) -> str:
    """The quiz widget for one bank, as a single line of HTML.

    ``assignments``: settings of each 培训任务 that includes this bank; the page applies one
    when opened with ``?assignment=<id>``.
    """
    practice = bank.mode == "practice"
    parts = [
        f'<div class="kq-quiz" id="kq-{escape(bank.id)}" data-quiz="{escape(bank.id)}">',
        _intro(bank),
        '<p class="kq-assignment" role="note" hidden></p>',
        _learner_form(bank),
        '<div class="kq-body" hidden>',
        '<p class="kq-progress" role="status" aria-live="polite"></p>',
        '<ol class="kq-questions">',
        *(_question(q, practice) for q in bank.questions),
        "</ol>",
        _actions(practice),
        '<div class="kq-result" role="status" aria-live="polite"></div>',
        "</div>",
        _noscript(),
        f'<script type="application/json" class="kq-data">{script_json(_payload(bank, assignments or {}))}</script>',
        "</div>",
    ]
    return "".join(parts)


def quiz_facts(bank: Bank, draw: int | None = None, pass_mark: float | None = None) -> str:
    """“练习 · 20 题（从 45 题中随机抽取） · 及格线 70%”: the bank's, or under a 培训任务's draw and pass mark."""
    draw = draw or bank.draw
    facts = [
        f"{MODE_NAMES[bank.mode]}",
        f"{draw or len(bank.questions)} 题" + (f"（从 {len(bank.questions)} 题中随机抽取）" if draw else ""),
        f"及格线 {_points(bank.pass_mark if pass_mark is None else pass_mark)}%",
    ]
    if bank.time_limit:
        facts.append(f"建议用时 {bank.time_limit} 分钟")
    return " · ".join(facts)


def _intro(bank: Bank) -> str:
    mode_note = (
        "练习模式：作答后点“检查答案”，可看到对错、解析和得分；可以反复修改。"
        if bank.mode == "practice"
        else "考试模式：页面不显示答案和得分。答完后导出答案文件，交给培训师评分。"
    )
    return (
        f'<p class="kq-facts">{escape(quiz_facts(bank))}</p>'
        f'<p class="kq-mode-note">{escape(mode_note)}作答会自动保存在本浏览器中，刷新页面不会丢失。</p>'
    )


def _learner_form(bank: Bank) -> str:
    return (
        '<form class="kq-learner" autocomplete="on">'
        "<fieldset><legend>开始前请填写学员信息（导出的答案文件会带上它们）</legend>"
        '<p><label>姓名 <input name="name" required maxlength="40" autocomplete="name"></label></p>'
        '<p><label>工号 <input name="id" required maxlength="40" pattern="[A-Za-z0-9_\\-]+" '
        'title="字母、数字、下划线或连字符，如 E1024" autocomplete="off"></label></p>'
        '<p class="kq-learner-error" role="alert" hidden></p>'
        '<button type="submit" class="md-button md-button--primary">开始作答</button>'
        "</fieldset></form>"
        '<p class="kq-who" hidden></p>'
    )


def _question(q: Question, practice: bool) -> str:
    qid = escape(q.id)
    legend = (
        f'<legend><span class="kq-num"></span><span class="kq-type">{TYPE_NAMES[q.type]}</span> '
        f'<span class="kq-stem">{escape(q.stem)}</span> '
        f'<span class="kq-points">（{_points(q.points)} 分）</span></legend>'
    )
    body = getattr(_Inputs, q.type)(q)
    feedback = '<div class="kq-feedback" role="status" hidden></div>'
    explain = ""
    if practice:
        explain = (
            f'<div class="kq-explain" hidden><p><strong>解析：</strong>{escape(q.explanation)}</p>'
            f'<p class="kq-source">出处：{escape(q.source)}</p></div>'
        )
    return (
        f'<li class="kq-q" id="q-{qid}" data-qid="{qid}" data-type="{q.type}">'
        f"<fieldset>{legend}{body}</fieldset>{feedback}{explain}</li>"
    )


class _Inputs:
    """Form controls per question type; ``name`` is always the question id."""

    @staticmethod
    def _choices(q: Question, kind: str) -> str:
        rows = "".join(
            f'<label class="kq-option"><input type="{kind}" name="{escape(q.id)}" '
            f'value="{escape(key)}"> <span>{escape(text)}</span></label>'
            for key, text in q.options.items()
        )
        return f'<div class="kq-options">{rows}</div>'

    @staticmethod
    def single(q: Question) -> str:
        return _Inputs._choices(q, "radio")

    @staticmethod
    def multiple(q: Question) -> str:
        return '<p class="kq-hint">（可多选）</p>' + _Inputs._choices(q, "checkbox")

    @staticmethod
    def truefalse(q: Question) -> str:
        name = escape(q.id)
        return (
            '<div class="kq-options">'
            f'<label class="kq-option"><input type="radio" name="{name}" value="true"> <span>正确</span></label>'
            f'<label class="kq-option"><input type="radio" name="{name}" value="false"> <span>错误</span></label>'
            "</div>"
        )

    @staticmethod
    def fill(q: Question) -> str:
        return (
            f'<p><label>填写答案 <input type="text" class="kq-fill" name="{escape(q.id)}" '
            'maxlength="200" autocomplete="off"></label></p>'
        )

    @staticmethod
    def order(q: Question) -> str:
        # Never in key order: the page source would give the answer away.
        rows = "".join(
            f'<li class="kq-item" data-item="{escape(key)}"><span class="kq-item-text">'
            f"{escape(q.items[key])}</span>"
            '<span class="kq-move"><button type="button" class="kq-up" aria-label="上移">↑</button>'
            '<button type="button" class="kq-down" aria-label="下移">↓</button></span></li>'
            for key in shuffled(sorted(q.items), f"{q.id}|items")
        )
        return (
            '<p class="kq-hint">用 ↑ ↓ 按钮把各项排成正确的顺序（第一项在最上面）。</p>'
            f'<ol class="kq-order" data-name="{escape(q.id)}">{rows}</ol>'
        )

    @staticmethod
    def match(q: Question) -> str:
        right_keys = shuffled(sorted(q.right), f"{q.id}|right")
        options = '<option value="">请选择…</option>' + "".join(
            f'<option value="{escape(key)}">{escape(q.right[key])}</option>' for key in right_keys
        )
        rows = "".join(
            f'<li><label><span class="kq-left">{escape(text)}</span> '
            f'<select name="{escape(q.id)}" data-left="{escape(key)}">{options}</select>'
            "</label></li>"
            for key, text in q.left.items()
        )
        return f'<p class="kq-hint">为左边每一项选出对应的右项。</p><ul class="kq-match">{rows}</ul>'


def _actions(practice: bool) -> str:
    check = (
        '<button type="button" class="md-button md-button--primary kq-check">检查答案</button>'
        if practice
        else ""
    )
    return (
        f'<div class="kq-actions">{check}'
        '<button type="button" class="md-button kq-export">导出答案文件</button>'
        '<button type="button" class="md-button kq-copy">复制答案文本</button>'
        '<button type="button" class="md-button kq-clear">清除作答</button>'
        "</div>"
        '<textarea class="kq-copybox" readonly hidden aria-label="答案文本（可全选后复制）"></textarea>'
    )


def _noscript() -> str:
    return (
        '<noscript><p class="kq-noscript">此测验需要启用 JavaScript 才能作答和导出。'
        "题目列表见上方，可打印后作答。</p></noscript>"
    )


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
        "format": "quiz-page/1", "quiz": bank.id, "title": bank.title, "mode": bank.mode,
        "bank_version": bank.version, "pass_mark": bank.pass_mark, "shuffle": bank.shuffle,
        "draw": bank.draw, "assignments": assignments, "questions": questions,
    }


def render_quiz_index(banks: dict[str, Bank], page_of: dict[str, str]) -> str:
    """Markdown table of every bank. ``page_of`` maps bank id → page path (for links)."""
    rows = [
        "| 测验 | 题数 | 模式 | 及格线 | 内容 |",
        "|---|---|---|---|---|",
    ]
    for bank in sorted(banks.values(), key=lambda b: b.id):
        count = f"{bank.shown_count}"
        if bank.draw:
            count += f"（题库 {len(bank.questions)}）"
        title = md_cell(bank.title)
        link = f"[{title}]({page_of[bank.id]})" if bank.id in page_of else title
        rows.append(
            f"| {link} | {count} | {MODE_NAMES[bank.mode]} | {_points(bank.pass_mark)}% "
            f"| {md_cell(bank.description)} |"
        )
    return "\n".join(rows)


def quiz_assignments(assignments: dict[str, Assignment], bank: Bank) -> dict[str, dict]:
    """What a quiz page needs to apply each assignment that includes it (no key, nothing secret)."""
    out = {}
    for assignment in assignments.values():
        item = assignment.item(bank.id)
        if item:
            out[assignment.id] = {"cohort": assignment.cohort, "pass_mark": item.pass_mark,
                                  "draw": item.draw, "due": item.due.isoformat(),
                                  "facts": quiz_facts(bank, item.draw, item.pass_mark)}
    return out


@macro
def quiz(ctx: PageContext, bank_id: str) -> str:
    bank = ctx.course.bank(bank_id)
    return render_quiz(bank, quiz_assignments(ctx.course.assignments, bank))


@macro
def quiz_index(ctx: PageContext) -> str:
    return render_quiz_index(ctx.course.banks, ctx.course.quiz_links(ctx.src_uri))
