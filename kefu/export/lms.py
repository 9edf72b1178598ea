"""Question banks in the formats an LMS imports: Moodle GIFT, Moodle XML and Aiken.

Each format says, per question, whether it can carry it; what it cannot is skipped
with the reason (never silently changed into an easier or different question).
Question ids become question names (GIFT ``::id::``, Moodle ``<name>`` and ``<idnumber>``),
so results exported from the LMS can be matched with the bank again.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from xml.etree import ElementTree as ET

from kefu.bank import Bank, Question

FORMATS = ("gift", "moodle-xml", "aiken")
SUFFIXES = {"gift": ".gift.txt", "moodle-xml": ".moodle.xml", "aiken": ".aiken.txt"}


@dataclass
class LmsExport:
    format: str
    text: str
    exported: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (question id, why)
    warnings: list[str] = field(default_factory=list)


def export_bank(bank: Bank, fmt: str) -> LmsExport:
    if fmt not in FORMATS:
        raise ValueError(f"未知格式 {fmt}：可用 {'、'.join(FORMATS)}")
    return {"gift": _gift, "moodle-xml": _moodle_xml, "aiken": _aiken}[fmt](bank)


def multiple_fractions(question: Question) -> dict[str, float]:
    """Moodle fractions (percent) for a ``multiple`` question's options.

    Each correct option earns an equal share; each wrong one takes away 100%, so choosing
    any wrong option scores 0 (Moodle never goes below 0) -- our ``partial`` rule.
    """
    key = set(question.answer)
    share = 100 / len(key)
    return {k: (share if k in key else -100.0) for k in question.options}


def _percent(value: float) -> str:
    """Moodle's own notation: at most 5 decimals, no trailing zeros (33.33333, 50, -100)."""
    return f"{value:.5f}".rstrip("0").rstrip(".")


def _feedback(q: Question) -> str:
    return f"{q.explanation}（出处：{q.source}）"


def _scoring_warnings(bank: Bank) -> list[str]:
    warnings = []
    strict = [q.id for q in bank.questions if q.type == "multiple" and bank.scoring_for(q) == "all_or_nothing"]
    if strict:
        warnings.append("多选题按部分得分导出（选对一项得相应比例，选错任一项得 0 分）；"
                        "Moodle 标准题型不能“全对才得分”，"
                        f"这些题在题库中是全对才得分：{', '.join(strict)}")
    return warnings


# --------------------------------------------------------------------------- GIFT

_GIFT_SPECIAL = re.compile(r"([~=#{}:\\])")


def _g(text: str) -> str:
    """GIFT text: special characters escaped, line breaks kept inside one question."""
    return _GIFT_SPECIAL.sub(r"\\\1", text.strip()).replace("\n", "\\n")


def _gift(bank: Bank) -> LmsExport:
    out = LmsExport("gift", "", warnings=_scoring_warnings(bank))
    blocks = [f"// {bank.title}（{bank.id}）· 由客服培训课程站导出\n$CATEGORY: $course$/top/{bank.title}"]
    for q in bank.questions:
        body = _gift_answers(q)
        if isinstance(body, _Skip):
            out.skipped.append((q.id, body.reason))
            continue
        tags = f"// 标签：{'、'.join(q.tags)}\n" if q.tags else ""
        blocks.append(f"{tags}::{q.id}::{_g(q.stem)} {{\n{body}\n\t####{_g(_feedback(q))}\n}}")
        out.exported.append(q.id)
    out.text = "\n\n".join(blocks) + "\n"
    return out


@dataclass(frozen=True)
class _Skip:
    reason: str


def _gift_answers(q: Question) -> str | _Skip:
    if q.type == "single":
        return "\n".join(f"\t{'=' if k == q.answer else '~'}{_g(t)}" for k, t in q.options.items())
    if q.type == "multiple":
        fractions = multiple_fractions(q)
        return "\n".join(f"\t~%{_percent(fractions[k])}%{_g(t)}" for k, t in q.options.items())
    if q.type == "truefalse":
        return "\tTRUE" if q.answer else "\tFALSE"
    if q.type == "fill":
        return "\n".join(f"\t={_g(a)}" for a in q.answer)
    if q.type == "match":
        extra = set(q.right) - set(q.answer.values())
        if extra:
            return _Skip("GIFT 的配对题不能有多余的干扰项（右边有 "
                         f"{len(extra)} 项不与任何左项配对）：请用 --format moodle-xml")
        if len(q.left) < 3:
            return _Skip("GIFT 的配对题至少要 3 对：请用 --format moodle-xml")
        return "\n".join(f"\t={_g(q.left[left])} -> {_g(q.right[r])}" for left, r in q.answer.items())
    return _Skip("GIFT 没有排序题型：请用 --format moodle-xml（Moodle 4.4 起自带“排序”题型）")


# --------------------------------------------------------------------------- Moodle XML


def _moodle_xml(bank: Bank) -> LmsExport:
    out = LmsExport("moodle-xml", "", warnings=_scoring_warnings(bank))
    quiz = ET.Element("quiz")
    category = ET.SubElement(quiz, "question", type="category")
    _text(ET.SubElement(category, "category"), f"$course$/top/{bank.title}")
    for q in bank.questions:
        builder = _MOODLE_TYPES[q.type]
        element = ET.SubElement(quiz, "question", type=builder[0])
        _text(ET.SubElement(element, "name"), q.id)
        _html(ET.SubElement(element, "questiontext", format="html"), q.stem)
        _html(ET.SubElement(element, "generalfeedback", format="html"), _feedback(q))
        ET.SubElement(element, "defaultgrade").text = f"{q.points:g}"
        ET.SubElement(element, "penalty").text = "0"
        ET.SubElement(element, "hidden").text = "0"
        ET.SubElement(element, "idnumber").text = q.id
        builder[1](element, q, out)
        if q.tags:
            tags = ET.SubElement(element, "tags")
            for tag in q.tags:
                _text(ET.SubElement(tags, "tag"), tag)
        out.exported.append(q.id)
    ET.indent(quiz)
    out.text = '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="unicode") + "\n"
    return out


def _text(parent: ET.Element, value: str) -> ET.Element:
    ET.SubElement(parent, "text").text = value
    return parent


def _html(parent: ET.Element, value: str) -> ET.Element:
    """Our texts are plain: in a ``format="html"`` field, < and & must show as themselves."""
    return _text(parent, escape(value, quote=False))


def _answer(parent: ET.Element, fraction: str, text: str, fmt: str = "html") -> ET.Element:
    answer = ET.SubElement(parent, "answer", fraction=fraction, format=fmt)
    (_html if fmt == "html" else _text)(answer, text)
    _text(ET.SubElement(answer, "feedback", format="html"), "")
    return answer


def _x_choice(element: ET.Element, q: Question, out: LmsExport) -> None:
    single = q.type == "single"
    ET.SubElement(element, "single").text = "true" if single else "false"
    ET.SubElement(element, "shuffleanswers").text = "true"
    ET.SubElement(element, "answernumbering").text = "abc"
    fractions = {k: (100.0 if k == q.answer else 0.0) for k in q.options} if single else multiple_fractions(q)
    for key, text in q.options.items():
        _answer(element, _percent(fractions[key]), text)


def _x_truefalse(element: ET.Element, q: Question, out: LmsExport) -> None:
    _answer(element, "100" if q.answer else "0", "true", "moodle_auto_format")
    _answer(element, "0" if q.answer else "100", "false", "moodle_auto_format")


def _x_fill(element: ET.Element, q: Question, out: LmsExport) -> None:
    ET.SubElement(element, "usecase").text = "0"
    for accepted in q.answer:
        _answer(element, "100", accepted, "moodle_auto_format")


def _x_order(element: ET.Element, q: Question, out: LmsExport) -> None:
    # qtype_ordering: answers listed in the right order, numbered by their fraction
    for tag, value in (("layouttype", "VERTICAL"), ("selecttype", "ALL"), ("selectcount", "0"),
                       ("gradingtype", "ABSOLUTE_POSITION" if q.partial else "ALL_OR_NOTHING"),
                       ("showgrading", "SHOW"), ("numberingstyle", "none")):
        ET.SubElement(element, tag).text = value
    for position, key in enumerate(q.answer, start=1):
        _answer(element, f"{position}", q.items[key])


def _x_match(element: ET.Element, q: Question, out: LmsExport) -> None:
    ET.SubElement(element, "shuffleanswers").text = "true"
    for left, right in q.answer.items():
        sub = _html(ET.SubElement(element, "subquestion", format="html"), q.left[left])
        _text(ET.SubElement(sub, "answer"), q.right[right])
    for right in q.right:
        if right not in q.answer.values():  # a distractor: a right item with no question
            sub = _text(ET.SubElement(element, "subquestion", format="html"), "")
            _text(ET.SubElement(sub, "answer"), q.right[right])
    if not q.partial:
        out.warnings.append(f"{q.id}：Moodle 的配对题按对数给部分分，题库中这题是全对才得分")


_MOODLE_TYPES: dict[str, tuple[str, Callable[[ET.Element, Question, LmsExport], None]]] = {
    "single": ("multichoice", _x_choice),
    "multiple": ("multichoice", _x_choice),
    "truefalse": ("truefalse", _x_truefalse),
    "fill": ("shortanswer", _x_fill),
    "order": ("ordering", _x_order),
    "match": ("matching", _x_match),
}


# --------------------------------------------------------------------------- Aiken


def _aiken_line(text: str) -> str:
    return " ".join(text.split())


def _aiken(bank: Bank) -> LmsExport:
    out = LmsExport("aiken", "", warnings=["Aiken 格式没有题目名称和解析：题目 id、解析和出处不会带入 LMS"])
    blocks = []
    for q in bank.questions:
        if q.type == "single":
            options = list(q.options.items())
            right = [k for k, _ in options].index(q.answer)
        elif q.type == "truefalse":
            options = [("true", "正确"), ("false", "错误")]
            right = 0 if q.answer else 1
        else:
            out.skipped.append((q.id, "Aiken 只能表示单一答案的选择题（单选、判断）"))
            continue
        letters = [chr(ord("A") + i) for i in range(len(options))]
        lines = [_aiken_line(q.stem)]
        lines += [f"{letter}. {_aiken_line(text)}" for letter, (_, text) in zip(letters, options, strict=True)]
        lines.append(f"ANSWER: {letters[right]}")
        blocks.append("\n".join(lines))
        out.exported.append(q.id)
    out.text = "\n\n".join(blocks) + "\n" if blocks else ""
    return out
