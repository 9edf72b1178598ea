"""The printable mock-call scoring sheet and scenario cards, from data/mock-call.yml."""

from __future__ import annotations

from kefu.org.mockcall import SCORES
from macros.registry import PageContext, macro
from macros.render.templating import render


def _marks(ctx: PageContext) -> tuple[str, str]:
    marks = ctx.course.company.root.get("pass_marks", {})
    return (str(marks["mock_call"]) if "mock_call" in marks else "85",
            f"{marks['calibration_gap'].value:g}" if "calibration_gap" in marks else "10")


@macro
def mock_call_sheet(ctx: PageContext) -> str:
    pass_mark, gap = _marks(ctx)
    return render("mock_call_sheet.html", rubric=ctx.course.rubric, scores=SCORES, pass_mark=pass_mark, gap=gap)


@macro
def mock_call_cards(ctx: PageContext) -> str:
    return render("mock_call_cards.html", rubric=ctx.course.rubric)
