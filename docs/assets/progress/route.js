/* 客服培训课程站 · 学习路线页：按本浏览器的学习记录给每一项打上标记，保存“做”的勾选。只读写 localStorage。 */
(function () {
  "use strict";
  function load(key) { try { return JSON.parse(localStorage.getItem(key)); } catch (e) { return null; } }
  function save(key, value) { try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* not kept */ } }

  function mark(item, state, label) {
    var status = item.querySelector(".kr-status");
    item.dataset.state = state;
    status.textContent = state === "done" ? "●" : state === "doing" ? "◐" : "○";
    status.setAttribute("aria-label", label);
  }

  function init(root) {
    var data = JSON.parse(root.querySelector(".kr-data").textContent), rules = data.rules;
    var visits = load(rules.storage.visits) || {}, me = load(rules.storage.learner) || {};
    var key = function (id) {
      var k = String(id).normalize(rules.learner_key.normalize);
      if (rules.learner_key.trim) k = k.trim();
      return rules.learner_key.case === "upper" ? k.toUpperCase() : k;
    };
    var learner = me.id ? key(me.id) : null, records = {};
    for (var i = 0; i < localStorage.length; i++) {  // this learner's quiz records, by quiz
      var k = localStorage.key(i);
      if (!k || k.indexOf(rules.storage.prefix) !== 0 || k === rules.storage.learner) continue;
      var rec = load(k);
      if (rec && rec.quiz && (!learner || rec.learner === learner)) (records[rec.quiz] = records[rec.quiz] || []).push(rec);
    }
    root.querySelectorAll(".kr-item[data-kind=module], .kr-item[data-kind=flow]").forEach(function (item) {
      var pages = item.dataset.pages.split(" "), read = pages.filter(function (p) { return visits[p]; }).length;
      var detail = item.querySelector(".kr-detail");
      if (item.dataset.kind === "module") detail.textContent = "已读 " + read + " / " + pages.length + " 页";
      mark(item, read === pages.length ? "done" : read ? "doing" : "todo",
           read === pages.length ? "已读完" : read ? "读了一部分" : "未开始");
    });
    root.querySelectorAll(".kr-item[data-kind=quiz]").forEach(function (item) {
      var recs = records[item.dataset.quiz] || [], pass = Number(item.dataset.pass), detail = item.querySelector(".kr-detail");
      if (!recs.length) { mark(item, "todo", "未开始"); return; }
      var answered = Math.max.apply(null, recs.map(function (r) { return Object.keys(r.answers || {}).length; }));
      var best = Math.max.apply(null, recs.map(function (r) { return r.checked && r.score ? r.score.percent : -1; }));
      if (item.dataset.mode === "exam") {
        mark(item, answered ? "done" : "todo", answered ? "已作答" : "未开始");
        detail.textContent = "已答 " + answered + " 题：记得导出答案文件交培训师";
      } else if (best >= pass) {
        mark(item, "done", "已达标"); detail.textContent = "最好 " + best + "%，已达到 " + pass + "%";
      } else {
        mark(item, "doing", "进行中");
        detail.textContent = best >= 0 ? "最近 " + best + "%，要达到 " + pass + "%" : "已答 " + answered + " 题，点“检查答案”看得分";
      }
    });
    var checks = load(rules.storage.checks) || {};
    root.querySelectorAll("input[data-check]").forEach(function (box) {
      box.checked = !!checks[box.dataset.check];
      box.addEventListener("change", function () {
        var now = load(rules.storage.checks) || {};
        if (box.checked) now[box.dataset.check] = new Date().toISOString(); else delete now[box.dataset.check];
        save(rules.storage.checks, now);
      });
    });
  }
  function start() { document.querySelectorAll(".kr-route").forEach(init); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
