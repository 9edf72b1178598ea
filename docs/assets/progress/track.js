/* 客服培训课程站 · 记录本浏览器读过哪些页面（只存在 localStorage 里，供“我的进度”页显示）。 */
(function () {
  "use strict";
  var KEY = "kp:v1:visits";
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
    var visits;
    try { visits = JSON.parse(localStorage.getItem(KEY)) || {}; } catch (e) { visits = {}; }
    var now = new Date().toISOString(), entry = visits[key] || { first: now, count: 0 };
    entry.last = now; entry.count += 1;
    visits[key] = entry;
    try { localStorage.setItem(KEY, JSON.stringify(visits)); } catch (e) { /* private mode or full: not recorded */ }
  }
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(record);
  else record();
})();
