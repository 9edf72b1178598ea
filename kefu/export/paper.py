"""Printable paper tests: an A4 question paper and its answer key, from one bank and a seed.

The seed decides which questions are drawn and how options and items are arranged, so the
same bank, seed and draw always give the same paper, and the key always matches it.
Everything shown comes from the bank and is escaped here.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from kefu.bank import TYPE_NAMES, Bank, Question
from kefu.bank.seeding import shuffled

SECTION_ORDER = ("single", "multiple", "truefalse", "fill", "order", "match")
NUMERALS = "一二三四五六"
INSTRUCTIONS = {
    "single": "每题只有一个正确答案，把选项字母填在括号内",
    "multiple": "每题有两个或两个以上正确答案，把选项字母全部填在括号内",
    "truefalse": "正确的在括号内打“√”，错误的打“×”",
    "fill": "在横线上填写答案",
    "order": "把各项的字母按正确顺序填在方框内",
    "match": "在每个左项后的括号内填写对应右项的字母",
}


def _letters(count: int) -> list[str]:
    return [chr(ord("A") + i) for i in range(count)]


@dataclass(frozen=True)
class PaperQuestion:
    number: int
    question: Question
    shown: tuple[str, ...]  # option / item / right keys in the order printed (A, B, C …)

    def letter(self, key: str) -> str:
        return _letters(len(self.shown))[self.shown.index(key)]

    @property
    def key_text(self) -> str:
        q = self.question
        if q.type == "single":
            return self.letter(q.answer)
        if q.type == "multiple":
            return "".join(sorted(self.letter(k) for k in q.answer))
        if q.type == "truefalse":
            return "√" if q.answer else "×"
        if q.type == "fill":
            return " / ".join(q.answer)
        if q.type == "order":
            return " → ".join(self.letter(k) for k in q.answer)
        return "；".join(f"{i}-{self.letter(r)}" for i, r in enumerate(q.answer.values(), start=1))


@dataclass(frozen=True)
class Paper:
    bank: Bank
    seed: int
    sections: tuple[tuple[str, tuple[PaperQuestion, ...]], ...]

    @property
    def code(self) -> str:
        """Printed on paper and key alike, so a key is never used with another paper."""
        return f"{self.bank.id}-{self.seed}"

    @property
    def questions(self) -> list[PaperQuestion]:
        return [pq for _, qs in self.sections for pq in qs]

    @property
    def max_points(self) -> float:
        return sum(pq.question.points for pq in self.questions)


def make_paper(bank: Bank, seed: int, draw: int | None = None) -> Paper:
    """Draw ``draw`` questions (default: the bank's draw, else all) and arrange them by ``seed``."""
    count = draw or bank.draw or len(bank.questions)
    if not 1 <= count <= len(bank.questions):
        raise ValueError(f"抽题数应在 1 到 {len(bank.questions)} 之间（题库 {bank.id} 共 {len(bank.questions)} 题）")
    ids = [q.id for q in bank.questions]
    chosen = set(shuffled(ids, f"{bank.id}|paper|{seed}")[:count])
    sections, number = [], 0
    for qtype in SECTION_ORDER:
        group = []
        for q in bank.questions:
            if q.id in chosen and q.type == qtype:
                number += 1
                group.append(PaperQuestion(number, q, _arrangement(bank, q, seed)))
        if group:
            sections.append((qtype, tuple(group)))
    return Paper(bank, seed, tuple(sections))


def _arrangement(bank: Bank, q: Question, seed: int) -> tuple[str, ...]:
    salt = f"{bank.id}|paper|{seed}|{q.id}"
    if q.type in ("single", "multiple"):
        return tuple(shuffled(list(q.options), salt) if bank.shuffle else q.options)
    if q.type == "order":
        keys = shuffled(sorted(q.items), salt)
        if keys == list(q.answer):  # a printed order must never already be the answer
            keys = keys[1:] + keys[:1]
        return tuple(keys)
    if q.type == "match":
        return tuple(shuffled(sorted(q.right), salt))
    return ()


# --------------------------------------------------------------------------- HTML

CSS = """
@page { size: A4; margin: 16mm 15mm 18mm; @bottom-center { content: "第 " counter(page) " 页"; font-size: 9pt; } }
* { box-sizing: border-box; }
body { font-family: "Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", "SimSun", "STSong", serif;
  font-size: 11pt; line-height: 1.65; color: #000; background: #fff; max-width: 180mm; margin: 0 auto; padding: 8mm 0; }
h1 { font-size: 17pt; text-align: center; margin: 0 0 2mm; letter-spacing: .1em; }
.code { text-align: center; font-size: 9pt; color: #444; margin: 0 0 4mm; }
.learner { display: flex; gap: 6mm; justify-content: center; margin: 0 0 3mm; flex-wrap: wrap; }
.learner span { white-space: nowrap; }
.learner i { display: inline-block; width: 26mm; border-bottom: 1px solid #000; }
.notice { border: 1px solid #000; padding: 2mm 4mm; font-size: 10pt; margin: 0 0 5mm; }
.notice p { margin: 0; }
h2 { font-size: 12pt; margin: 5mm 0 2mm; break-after: avoid; }
ol.qs { list-style: none; padding: 0; margin: 0; }
.q { break-inside: avoid; margin: 0 0 3.5mm; }
.stem { margin: 0; }
.box { display: inline-block; min-width: 16mm; text-align: center; }
.opts { display: grid; grid-template-columns: repeat(auto-fill, minmax(80mm, 1fr)); gap: 0 6mm; margin: 1mm 0 0 6mm; }
.blank { display: inline-block; min-width: 28mm; border-bottom: 1px solid #000; }
.slots { margin: 1.5mm 0 0 6mm; }
.slots b { display: inline-block; width: 9mm; height: 7mm; border: 1px solid #000;
  vertical-align: middle; margin-right: 1.5mm; }
table.match { border-collapse: collapse; margin: 1mm 0 0 6mm; width: calc(100% - 6mm); }
table.match td { vertical-align: top; padding: .5mm 2mm; width: 50%; }
.key .answer { font-weight: bold; }
.key .explain { margin: .5mm 0 0 6mm; font-size: 10pt; }
.key .source { color: #444; font-size: 9pt; }
@media screen { body { padding: 10mm; } }
"""


def _points(value: float) -> str:
    return f"{value:g}"


def _page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title><style>{CSS}</style></head><body>{body}</body></html>\n")


def _section_heading(index: int, qtype: str, group: tuple[PaperQuestion, ...], with_note: bool) -> str:
    total = sum(pq.question.points for pq in group)
    note = f"{INSTRUCTIONS[qtype]}；" if with_note else ""
    return (f"<h2>{NUMERALS[index]}、{TYPE_NAMES[qtype]}（{note}共 {len(group)} 题，"
            f"{_points(total)} 分）</h2>")


def _header(paper: Paper, kind: str) -> str:
    bank = paper.bank
    return f"<h1>{escape(bank.title)}{kind}</h1><p class='code'>试卷编号 {escape(paper.code)}</p>"


def paper_html(paper: Paper) -> str:
    bank, total = paper.bank, paper.max_points
    notice = [f"本试卷共 {len(paper.questions)} 题，满分 {_points(total)} 分，"
              f"{_points(round(total * bank.pass_mark / 100, 1))} 分（{_points(bank.pass_mark)}%）及格。"]
    if bank.time_limit:
        notice.append(f"考试时间 {bank.time_limit} 分钟。")
    notice.append("请用黑色或蓝色笔作答，字迹清楚；答案写在括号、横线或方框内。")
    parts = [
        _header(paper, " · 试卷"),
        '<div class="learner"><span>姓名 <i></i></span><span>工号 <i></i></span>'
        '<span>日期 <i></i></span><span>得分 <i></i></span></div>',
        f'<div class="notice">{"".join(f"<p>{escape(n)}</p>" for n in notice)}</div>',
    ]
    for index, (qtype, group) in enumerate(paper.sections):
        parts.append(_section_heading(index, qtype, group, with_note=True))
        parts.append('<ol class="qs">' + "".join(_paper_question(pq) for pq in group) + "</ol>")
    return _page(f"{bank.title} 试卷 {paper.code}", "".join(parts))


def _stem(pq: PaperQuestion, tail: str = "") -> str:
    q = pq.question
    return (f'<p class="stem">{pq.number}. {escape(q.stem)}{tail}'
            f"<span class='pts'>（{_points(q.points)} 分）</span></p>")


def _paper_question(pq: PaperQuestion) -> str:
    q, letters = pq.question, _letters(len(pq.shown))
    if q.type in ("single", "multiple", "truefalse"):
        body = _stem(pq, ' <span class="box">（　　　）</span>')
        if q.type != "truefalse":
            body += '<div class="opts">' + "".join(
                f"<span>{letter}. {escape(q.options[key])}</span>"
                for letter, key in zip(letters, pq.shown, strict=True)
            ) + "</div>"
    elif q.type == "fill":
        stem = escape(q.stem).replace("____", '<span class="blank"></span>')
        body = f'<p class="stem">{pq.number}. {stem}<span class="pts">（{_points(q.points)} 分）</span></p>'
    elif q.type == "order":
        body = _stem(pq) + '<div class="opts">' + "".join(
            f"<span>{letter}. {escape(q.items[key])}</span>" for letter, key in zip(letters, pq.shown, strict=True)
        ) + "</div>" + '<p class="slots">正确顺序：' + "→".join("<b></b>" for _ in pq.shown) + "</p>"
    else:
        rows = []
        lefts = list(q.left.values())
        for i in range(max(len(lefts), len(pq.shown))):
            left = f"{i + 1}. {escape(lefts[i])}（　　）" if i < len(lefts) else ""
            right = f"{letters[i]}. {escape(q.right[pq.shown[i]])}" if i < len(pq.shown) else ""
            rows.append(f"<tr><td>{left}</td><td>{right}</td></tr>")
        body = _stem(pq) + f'<table class="match">{"".join(rows)}</table>'
    return f'<li class="q">{body}</li>'


def _scoring_note(paper: Paper) -> str:
    notes = []
    kinds = {pq.question.type for pq in paper.questions}
    if "multiple" in kinds:
        partial = any(paper.bank.scoring_for(pq.question) == "partial" for pq in paper.questions
                      if pq.question.type == "multiple")
        notes.append("多选题少选按选对的比例给分、错选不得分" if partial else "多选题全部选对才得分")
    if "fill" in kinds:
        notes.append("填空题写出斜线分隔的任一答案即可")
    return "".join(f"{n}。" for n in notes)


def key_html(paper: Paper) -> str:
    bank = paper.bank
    parts = [
        _header(paper, " · 答案与解析"),
        f'<div class="notice"><p>本答案只用于试卷编号 {escape(paper.code)}：选项和排序项的字母按这份试卷的排列。'
        f"满分 {_points(paper.max_points)} 分，及格线 {_points(bank.pass_mark)}%。{_scoring_note(paper)}</p>"
        "<p>培训师留存，勿发给学员。</p></div>",
    ]
    for index, (qtype, group) in enumerate(paper.sections):
        parts.append(_section_heading(index, qtype, group, with_note=False))
        items = "".join(
            f'<li class="q"><p class="stem">{pq.number}. 答案：<span class="answer">{escape(pq.key_text)}</span>'
            f"（{_points(pq.question.points)} 分）<span class='source'>　题目 {escape(pq.question.id)}</span></p>"
            f'<p class="explain">{escape(pq.question.explanation)}'
            f'<span class="source">（出处：{escape(pq.question.source)}）</span></p></li>'
            for pq in group
        )
        parts.append(f'<ol class="qs key">{items}</ol>')
    return _page(f"{bank.title} 答案 {paper.code}", "".join(parts))
