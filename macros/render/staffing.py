"""HTML for the call-centre staffing calculator; the page script is docs/assets/staffing/staffing.js."""

from macros.registry import PageContext, macro

# The Erlang C calculator (docs/assets/staffing/staffing.js); defaults are the classic worked example.
STAFFING_FORM = (
    '<div class="ks-staffing"><form>'
    '<label>每半小时来电量（通）<input name="calls" type="number" min="1" step="1" value="100" inputmode="numeric">'
    "</label>"
    '<label>平均处理时长 AHT（秒）<input name="aht" type="number" min="1" step="1" value="180" inputmode="numeric">'
    "<small>通话时长 + 话后处理时长</small></label>"
    '<label>目标服务水平（%）<input name="level" type="number" min="1" max="99" step="1" value="80">'
    "</label>"
    '<label>目标应答时间（秒）<input name="target" type="number" min="0" step="1" value="20">'
    "<small>如 80/20：80% 的来电在 20 秒内接通</small></label>"
    '<label>缺勤与休息率（%）<input name="shrinkage" type="number" min="0" max="90" step="1" value="30">'
    "<small>培训、休假、休息等不在线的时间占比</small></label>"
    '</form><div class="ks-result" role="status" aria-live="polite"></div>'
    '<noscript><p>计算器需要启用 JavaScript。</p></noscript></div>'
)


@macro
def staffing_calculator(ctx: PageContext) -> str:
    return STAFFING_FORM
