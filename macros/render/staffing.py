"""The call-centre staffing calculator (macros/templates/staffing.html; script docs/assets/staffing/staffing.js).

Its defaults are the company's service level and the AHT definition from the company profile.
"""

from __future__ import annotations

from macros.registry import PageContext, macro
from macros.render.templating import render


def render_staffing(company: dict) -> str:
    center, kpis = company.get("call_center", {}), company.get("kpis", {})
    level = center.get("service_level_share")
    seconds = center.get("service_level_seconds")
    aht = kpis.get("aht")
    return render("staffing.html", level=level.value if level else 80, seconds=seconds.value if seconds else 20,
                  aht_formula=aht["formula"] if aht else "通话时长 + 保持时长 + 话后处理时长")


@macro
def staffing_calculator(ctx: PageContext) -> str:
    return render_staffing(ctx.course.company.root)
