"""From graded attempts to a trainer's reports: results, item statistics, HTML report.

The output folder is written whole or not at all: files go to a temporary folder
beside it, which is renamed into place at the end.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from html import escape
from pathlib import Path

import numpy as np

from kefu.bank import TYPE_NAMES, Bank
from kefu.grading.answers import Rejection
from kefu.grading.grade import GradingRun, LearnerResult, option_counts
from kefu.grading.itemstats import ItemStats, QuizStats, item_stats, quiz_stats


@dataclass
class QuizAnalysis:
    bank: Bank
    results: list[LearnerResult]
    items: list[ItemStats]
    stats: QuizStats
    options: dict[str, Counter]
    pass_mark: float

    @property
    def pass_rate(self) -> float:
        return 100 * sum(r.passed for r in self.results) / len(self.results) if self.results else 0.0


def analyse(banks: dict[str, Bank], run: GradingRun, pass_marks: dict[str, float] | None = None
            ) -> list[QuizAnalysis]:
    by_quiz: dict[str, list[LearnerResult]] = {}
    for result in run.results:
        by_quiz.setdefault(result.quiz, []).append(result)
    return [_analyse_quiz(banks[quiz], results, (pass_marks or {}).get(quiz, banks[quiz].pass_mark))
            for quiz, results in sorted(by_quiz.items())]


def _analyse_quiz(bank: Bank, results: list[LearnerResult], pass_mark: float) -> QuizAnalysis:
    # learners × questions, NaN where a learner was not shown (or not graded on) a question
    ids = [q.id for q in bank.questions]
    matrix = np.array([[r.graded.marks.get(qid, np.nan) for qid in ids] for r in results], float)
    totals = np.array([r.graded.score for r in results], float)
    shown = ~np.isnan(matrix)
    answer_sets = [r.graded.attempt.answers for r in results]
    items, options, kept = [], {}, []
    for col, q in enumerate(bank.questions):
        rows = shown[:, col]
        if not rows.any():
            continue
        kept.append(col)
        items.append(item_stats(q.id, matrix[rows, col], totals[rows], q.points))
        qid = q.id
        responses = ([a.get(qid) for a in answer_sets] if rows.all()
                     else [a.get(qid) for a, seen in zip(answer_sets, rows, strict=True) if seen])
        options[qid] = option_counts(q, responses)
    # whole-test statistics over the learners graded on every question that anyone was shown
    complete = shown[:, kept].all(axis=1)
    stats = quiz_stats(matrix[np.ix_(complete, kept)], sum(bank.questions[c].points for c in kept))
    return QuizAnalysis(bank, results, items, stats, options, pass_mark)


def weakest_items(analyses: list[QuizAnalysis], count: int = 3) -> list[tuple[QuizAnalysis, ItemStats]]:
    pairs = [(a, i) for a in analyses for i in a.items if i.facility is not None]
    return sorted(pairs, key=lambda p: (p[1].facility, p[1].question_id))[:count]


# ---------------------------------------------------------------- tables

RESULT_HEADER = ["工号", "姓名", "测验", "得分", "满分", "百分比", "是否及格", "作答次数", "备注"]
ITEM_HEADER = [
    "层级", "测验", "题目", "题型", "题干", "人数", "满分", "得分率%", "标准差%", "区分度%", "区分效率%",
    "选项分布", "需要改进", "平均分%", "中位数%", "偏度", "α系数%", "误差比%", "标准误%",
]


def _num(value: float | None) -> str | float:
    return "" if value is None else (int(value) if float(value).is_integer() else value)


def result_rows(analyses: list[QuizAnalysis]) -> list[list]:
    question_ids = [q.id for a in analyses for q in a.bank.questions]
    rows = [RESULT_HEADER + question_ids]
    for a in analyses:
        for r in a.results:
            g = r.graded
            notes = list(g.notes)
            if r.attempts > 1:
                notes.append(f"共 {r.attempts} 次作答，计 {g.attempt.source}")
            rows.append([
                r.learner_id, r.learner_name, r.quiz, _num(g.score), _num(g.max_points), _num(g.percent),
                "是" if r.passed else "否", r.attempts, "；".join(notes),
                *(_num(g.marks.get(qid)) for qid in question_ids),
            ])
    return rows


def _options_text(counts: Counter) -> str:
    return " ".join(f"{k}:{v}" for k, v in sorted(counts.items(), key=lambda kv: (kv[0] == "未答", kv[0])))


def item_rows(analyses: list[QuizAnalysis]) -> list[list]:
    rows = [ITEM_HEADER]
    for a in analyses:
        for i in a.items:
            q = a.bank.question(i.question_id)
            rows.append([
                "题目", a.bank.id, q.id, TYPE_NAMES[q.type], q.stem, i.n, _num(i.max_mark), _num(i.facility),
                _num(i.sd), _num(i.discrimination), _num(i.efficiency), _options_text(a.options[q.id]),
                "；".join(i.flags), "", "", "", "", "", "",
            ])
        s = a.stats
        rows.append([
            "整卷", a.bank.id, "", "", a.bank.title, s.n, _num(s.max_score), "", _num(s.sd), "", "", "", "",
            _num(s.mean), _num(s.median), _num(s.skewness), _num(s.alpha), _num(s.error_ratio),
            _num(s.standard_error),
        ])
    return rows


def csv_bytes(rows: list[list]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")  # BOM: Excel then opens Chinese text correctly


def xlsx_bytes(rows: list[list], sheet_name: str = "成绩") -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_name)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- HTML report


def _histogram_svg(percents: list[float]) -> str:
    bins = [0] * 10
    for p in percents:
        bins[min(int(p // 10), 9)] += 1
    top = max(bins) or 1
    width, height, bar, top_pad = 440, 160, 40, 24
    view = f"0 0 {width} {height + top_pad + 46}"
    parts = [f'<svg role="img" aria-label="成绩分布直方图" viewBox="{view}" class="chart">']
    for index, count in enumerate(bins):
        h = round(height * count / top)
        x = 20 + index * bar
        parts.append(f'<rect x="{x}" y="{height - h + top_pad}" width="{bar - 6}" height="{h}" class="bar">'
                     f"<title>{index * 10}–{index * 10 + 9 if index < 9 else 100}%：{count} 人</title></rect>")
        parts.append(f'<text x="{x + (bar - 6) / 2}" y="{height + top_pad + 16}" '
                     f'text-anchor="middle">{index * 10}</text>')
        if count:
            parts.append(f'<text x="{x + (bar - 6) / 2}" y="{height - h + top_pad - 6}" '
                         f'text-anchor="middle">{count}</text>')
    parts.append(f'<text x="{width / 2}" y="{height + top_pad + 40}" text-anchor="middle">'
                 "得分率（%）分段 · 柱上数字为人数</text>")
    parts.append("</svg>")
    return "".join(parts)


def _items_svg(a: QuizAnalysis) -> str:
    rows = [i for i in a.items if i.facility is not None]
    line, label_w, bar_w = 22, 110, 300
    height = line * len(rows) + 30
    parts = [f'<svg role="img" aria-label="逐题得分率" viewBox="0 0 {label_w + bar_w + 60} {height}" class="chart">']
    for n, i in enumerate(rows):
        y = 10 + n * line
        w = round(bar_w * i.facility / 100)
        cls = "bar flag" if i.flags else "bar"
        parts.append(f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">{escape(i.question_id)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{w}" height="{line - 6}" class="{cls}">'
                     f"<title>{escape(i.question_id)}：得分率 {i.facility}%</title></rect>")
        parts.append(f'<text x="{label_w + w + 4}" y="{y + 14}">{i.facility:.0f}%</text>')
    for mark in (20, 95):
        x = label_w + bar_w * mark / 100
        parts.append(f'<line x1="{x}" x2="{x}" y1="4" y2="{height - 20}" class="guide"/>')
    parts.append("</svg>")
    return "".join(parts)


_CSS = (Path(__file__).with_name("report.css")).read_text(encoding="utf-8")


def report_html(analyses: list[QuizAnalysis], rejected: list[Rejection], generated: str,
                intro_html: str = "") -> str:
    """The trainer's report; ``intro_html`` (already escaped) goes first, e.g. a 培训任务 summary."""
    out = [
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">",
        '<meta name="viewport" content="width=device-width,initial-scale=1">',
        f"<title>测验成绩报告 · {escape(generated)}</title><style>{_CSS}</style></head><body>",
        f"<h1>测验成绩报告</h1><p>生成时间：{escape(generated)}。分数均由评分脚本根据答案重新计算。</p>",
    ]
    if rejected:
        out.append(f'<p class="fail">有 {len(rejected)} 份输入未能评分，原因见文末和 rejected.csv。</p>')
    out.append(intro_html)
    for a in analyses:
        s = a.stats
        out.append(f"<h2>{escape(a.bank.title)}（{escape(a.bank.id)}）</h2>")
        out.append(
            f'<p><span class="card">参加人数<br><b>{len(a.results)}</b></span>'
            f'<span class="card">及格率<br><b>{a.pass_rate:.0f}%</b></span>'
            f'<span class="card">平均分<br><b>{_fmt(s.mean)}%</b></span>'
            f'<span class="card">中位数<br><b>{_fmt(s.median)}%</b></span>'
            f'<span class="card">及格线<br><b>{a.pass_mark:g}%</b></span></p>'
        )
        out.append(
            "<table><tr><th>标准差</th><th>偏度</th><th>α 系数（信度）</th><th>误差比</th><th>标准误</th></tr>"
            f"<tr><td>{_fmt(s.sd)}%</td><td>{_fmt(s.skewness)}</td><td>{_fmt(s.alpha)}%</td>"
            f"<td>{_fmt(s.error_ratio)}%</td><td>{_fmt(s.standard_error)}%</td></tr></table>"
        )
        out.append("<h3>成绩分布</h3>" + _histogram_svg([r.graded.percent for r in a.results]))
        out.append("<h3>逐题得分率</h3><p>橙色为需要改进的题；两条虚线分别是 20% 和 95%。</p>" + _items_svg(a))
        out.append("<h3>逐题统计</h3><table><tr><th>题目</th><th>题型</th><th>题干</th><th>人数</th><th>得分率</th>"
                   "<th>标准差</th><th>区分度</th><th>区分效率</th><th>选项分布</th></tr>")
        for i in a.items:
            q = a.bank.question(i.question_id)
            out.append(f"<tr><td>{escape(q.id)}</td><td>{TYPE_NAMES[q.type]}</td><td>{escape(q.stem)}</td>"
                       f"<td>{i.n}</td><td>{_fmt(i.facility)}%</td><td>{_fmt(i.sd)}%</td>"
                       f"<td>{_fmt(i.discrimination)}%</td><td>{_fmt(i.efficiency)}%</td>"
                       f"<td>{escape(_options_text(a.options[q.id]))}</td></tr>")
        out.append("</table>")
        flagged = [i for i in a.items if i.flags]
        out.append(f"<h3>需要改进的题目（{len(flagged)}）</h3>")
        if flagged:
            out.append("<table><tr><th>题目</th><th>题干</th><th>得分率</th><th>区分度</th><th>原因</th></tr>")
            for i in flagged:
                q = a.bank.question(i.question_id)
                out.append(f"<tr><td>{escape(q.id)}</td><td>{escape(q.stem)}</td><td>{_fmt(i.facility)}%</td>"
                           f"<td>{_fmt(i.discrimination)}%</td><td>{escape('；'.join(i.flags))}</td></tr>")
            out.append("</table>")
        else:
            out.append("<p>没有。</p>")
        out.append("<h3>每位学员</h3><table><tr><th>工号</th><th>姓名</th><th>得分</th><th>百分比</th>"
                   "<th>结果</th><th>作答次数</th><th>备注</th></tr>")
        for r in a.results:
            g = r.graded
            verdict = '<span class="pass">及格</span>' if r.passed else '<span class="fail">未及格</span>'
            out.append(f"<tr><td>{escape(r.learner_id)}</td><td>{escape(r.learner_name)}</td>"
                       f"<td>{g.score:g} / {g.max_points:g}</td><td>{g.percent:g}%</td><td>{verdict}</td>"
                       f"<td>{r.attempts}</td><td>{escape('；'.join(g.notes))}</td></tr>")
        out.append("</table>")
    if rejected:
        out.append("<h2>未能评分的输入</h2><table><tr><th>来源</th><th>原因</th></tr>")
        out += [f"<tr><td>{escape(r.source)}</td><td>{escape(r.reason)}</td></tr>" for r in rejected]
        out.append("</table>")
    out.append("</body></html>")
    return "\n".join(out)


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


# ---------------------------------------------------------------- writing


class OutputExistsError(Exception):
    pass


def write_reports(out: Path, analyses: list[QuizAnalysis], rejected: list[Rejection], *,
                  force: bool = False, extra: dict[str, bytes] | None = None, intro_html: str = "") -> Path | None:
    """Write all report files to ``out``; returns where an existing folder was moved (with force)."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())) and not force:
        raise OutputExistsError(f"输出文件夹 {out} 已存在且不为空：换一个文件夹，或加 --force（旧文件夹会改名保留）")
    generated = time.strftime("%Y-%m-%d %H:%M")
    results = result_rows(analyses)
    files = {
        "results.csv": csv_bytes(results),
        "results.xlsx": xlsx_bytes(results),
        "items.csv": csv_bytes(item_rows(analyses)),
        "rejected.csv": csv_bytes([["来源", "原因"]] + [[r.source, r.reason] for r in rejected]),
        "report.html": report_html(analyses, rejected, generated, intro_html).encode("utf-8"),
        **(extra or {}),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        for name, data in files.items():
            (staging / name).write_bytes(data)
        backup = None
        if out.exists():
            if out.is_dir() and not any(out.iterdir()):
                out.rmdir()
            else:
                backup = out.with_name(f"{out.name}.old-{time.strftime('%Y%m%d-%H%M%S')}")
                os.replace(out, backup)
        os.replace(staging, out)
        return backup
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
