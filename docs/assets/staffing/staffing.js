/* 客服培训课程站 · 呼叫中心人力计算器（Erlang C）。算法与 kefu/erlang.py 相同。 */
(function () {
  "use strict";
  var MAX_AGENTS = 2000;

  function erlangC(agents, traffic) {
    if (agents <= traffic) return 1;
    var b = 1;
    for (var k = 1; k <= agents; k++) b = traffic * b / (k + traffic * b);
    return agents * b / (agents - traffic * (1 - b));
  }
  function serviceLevel(agents, traffic, aht, target) {
    if (agents <= traffic) return 0;
    return 1 - erlangC(agents, traffic) * Math.exp(-(agents - traffic) * target / aht);
  }
  function staffing(calls, aht, level, target, interval, shrinkage) {
    interval = interval || 1800; shrinkage = shrinkage || 0;
    if (!(calls > 0 && aht > 0 && interval > 0)) throw new Error("来电量、平均处理时长和时段长度都必须大于 0");
    if (!(level > 0 && level < 1) || !(target >= 0) || !(shrinkage >= 0 && shrinkage < 1)) {
      throw new Error("目标服务水平应在 0–100% 之间（不含端点），缺勤率应在 0–100% 之间");
    }
    var traffic = calls * aht / interval, agents = Math.max(1, Math.floor(traffic) + 1);
    while (serviceLevel(agents, traffic, aht, target) < level) {
      agents++;
      if (agents > MAX_AGENTS) throw new Error("需要超过 " + MAX_AGENTS + " 名坐席：请检查输入");
    }
    var wait = erlangC(agents, traffic);
    return {
      traffic: traffic, agents: agents, service_level: serviceLevel(agents, traffic, aht, target),
      wait_probability: wait, asa: wait * aht / (agents - traffic), occupancy: traffic / agents,
      scheduled: Math.ceil(agents / (1 - shrinkage) - 1e-9)
    };
  }

  function pct(x) { return (Math.round(x * 1000) / 10) + "%"; }
  function num(form, name) { return parseFloat(String(form.elements[name].value).replace(/[，,\s]/g, "")); }

  function render(root) {
    var form = root.querySelector("form"), out = root.querySelector(".ks-result");
    function update() {
      var calls = num(form, "calls"), aht = num(form, "aht"), level = num(form, "level") / 100,
        target = num(form, "target"), shrink = num(form, "shrinkage") / 100;
      out.textContent = "";
      try {
        var r = staffing(calls, aht, level, target, 1800, isNaN(shrink) ? 0 : shrink);
        var rows = [
          ["话务量", (Math.round(r.traffic * 100) / 100) + " Erlang（每半小时 " + calls + " 通 × " + aht + " 秒 ÷ 1800 秒）"],
          ["需要在线坐席", r.agents + " 人"],
          ["可达到的服务水平", pct(r.service_level) + " 的来电在 " + target + " 秒内接通"],
          ["来电需要排队的概率", pct(r.wait_probability)],
          ["平均应答速度（ASA）", (Math.round(r.asa * 10) / 10) + " 秒"],
          ["坐席占用率", pct(r.occupancy)],
          ["考虑缺勤与休息后应排班", r.scheduled + " 人"]
        ];
        var table = document.createElement("table");
        rows.forEach(function (row) {
          var tr = table.insertRow(), th = document.createElement("th");
          th.textContent = row[0]; tr.appendChild(th); tr.insertCell().textContent = row[1];
        });
        out.appendChild(table);
        var near = document.createElement("p");
        near.className = "ks-near";
        near.textContent = "对比：" + [r.agents - 1, r.agents, r.agents + 1].filter(function (n) { return n > r.traffic; })
          .map(function (n) { return n + " 人 → " + pct(serviceLevel(n, r.traffic, aht, target)); }).join("；");
        out.appendChild(near);
      } catch (e) {
        var p = document.createElement("p");
        p.className = "ks-error"; p.setAttribute("role", "alert");
        p.textContent = isNaN(calls) || isNaN(aht) || isNaN(level) || isNaN(target) ? "请把每一项都填上数字。" : e.message;
        out.appendChild(p);
      }
    }
    form.addEventListener("input", update);
    form.addEventListener("submit", function (ev) { ev.preventDefault(); update(); });
    update();
  }

  window.kefuStaffing = { erlangC: erlangC, serviceLevel: serviceLevel, staffing: staffing };
  function init() { document.querySelectorAll(".ks-staffing").forEach(render); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
