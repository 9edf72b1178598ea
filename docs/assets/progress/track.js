/* 客服培训课程站 · 每一页都加载的小脚本（只用本浏览器的 localStorage，不发送任何数据）：
 * 记录读过的页面（供“我的进度”和学习路线打勾）；记住最近打开的培训任务，让去往该任务测验的链接带上任务编号；
 * 给窄屏下改成卡片的表格单元格标上列名。 */
(function () {
  "use strict";
  var KEY = "kp:v1:visits", ASSIGNMENT = "kp:v1:assignment";  // the keys of kefu/rules.py
  function load(key) { try { return JSON.parse(localStorage.getItem(key)); } catch (e) { return null; } }
  function save(key, value) { try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* private mode */ } }
  function siteRoot() {
    try {
      var config = JSON.parse(document.getElementById("__config").textContent);
      return new URL(config.base, window.location.href).pathname;
    } catch (e) { return "/"; }
  }
  function record() {
    var root = siteRoot(), path = window.location.pathname;
    if (path.indexOf(root) !== 0) return;
    var key = decodeURIComponent(path.slice(root.length)).replace(/index\.html$/, "");
    var visits = load(KEY) || {};
    var now = new Date().toISOString(), entry = visits[key] || { first: now, count: 0 };
    entry.last = now; entry.count += 1;
    visits[key] = entry;
    save(KEY, visits);
  }
  // the 培训任务 page names its quizzes; on any later page, links to those quizzes keep the assignment
  function assignment() {
    var marker = document.querySelector("[data-assignment-id]");
    if (marker) save(ASSIGNMENT, { id: marker.dataset.assignmentId, quizzes: marker.dataset.quizzes.split(" ") });
    var current = load(ASSIGNMENT);
    if (!current || !current.id) return;
    document.querySelectorAll(".md-content a[href], .md-footer a[href], .kr-route a[href]").forEach(function (link) {
      var url;
      try { url = new URL(link.getAttribute("href"), window.location.href); } catch (e) { return; }
      var m = url.pathname.match(/quizzes\/([a-z0-9-]+)\/(?:index\.html)?$/);
      if (m && current.quizzes.indexOf(m[1]) >= 0 && url.origin === window.location.origin && !url.searchParams.get("assignment")) {
        url.searchParams.set("assignment", current.id);
        link.setAttribute("href", url.pathname + url.search + url.hash);
      }
    });
  }
  // tables that become cards on a phone: each cell shows its column's name
  function label() {
    document.querySelectorAll(".kt-stack table").forEach(function (table) {
      var heads = [].map.call(table.querySelectorAll("thead th"), function (th) { return th.textContent.trim(); });
      table.querySelectorAll("tbody tr").forEach(function (tr) {
        [].forEach.call(tr.children, function (td, i) { if (heads[i] && !td.dataset.label) td.dataset.label = heads[i]; });
      });
    });
  }
  function run() { record(); assignment(); label(); }
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(run);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run); else run();
})();
