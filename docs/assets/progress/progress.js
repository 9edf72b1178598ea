/* 客服培训课程站 · “我的进度”页：只读本浏览器的 localStorage（读过的页面、测验作答），不发送任何数据。 */
(function () {
  "use strict";
  var VISITS, PREFIX, LEARNER, RULES;  // storage keys and id rules, from the page data (kefu/rules.py)
  function learnerKey(id) {
    var k = String(id).normalize(RULES.learner_key.normalize);
    if (RULES.learner_key.trim) k = k.trim();
    return RULES.learner_key.case === "upper" ? k.toUpperCase() : k;
  }

  function load(key) { try { return JSON.parse(localStorage.getItem(key)); } catch (e) { return null; } }
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { if (k === "text") node.textContent = attrs[k]; else node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return node;
  }
  function day(iso) { return iso ? iso.slice(0, 10) : "—"; }
  function table(headers, rows) {
    var head = el("tr", {}, headers.map(function (h) { return el("th", { text: h }); }));
    var body = rows.map(function (r) {
      return el("tr", {}, r.map(function (c, i) { return el("td", { "data-label": headers[i] }, [c]); }));
    });
    // Material's own wrappers: a wide table scrolls inside the page instead of widening it;
    // kt-stack (site.css): on a phone each row becomes a card, each cell labelled with its column
    var inner = el("div", { class: "md-typeset__table" }, [el("table", {}, [el("thead", {}, [head]), el("tbody", {}, body)])]);
    return el("div", { class: "kt-stack" }, [el("div", { class: "md-typeset__scrollwrap" }, [inner])]);
  }
  function bar(done, total) {
    var meter = el("meter", { min: "0", max: String(total), value: String(done) });
    return el("span", { class: "kp-bar" }, [meter, " " + done + " / " + total]);
  }

  // Every stored quiz record: the quiz page writes its quiz, learner and assignment into the record
  function quizRecords() {
    var out = [];
    for (var i = 0; i < localStorage.length; i++) {
      var key = localStorage.key(i);
      if (!key || key.indexOf(PREFIX) !== 0 || key === LEARNER) continue;
      var rec = load(key);
      if (rec && typeof rec === "object" && rec.quiz && rec.learner) {
        out.push({ quiz: rec.quiz, assignment: rec.assignment || "", learner: rec.learner, rec: rec });
      }
    }
    return out;
  }

  // What to do next: in the course the learner is on (the one with the most pages read; 一线 if none),
  // the first module not finished: its first unread page, or else its practice quiz not yet passed.
  function nextStep(data, visits, mine) {
    var tracks = {};
    data.modules.forEach(function (m) {
      tracks[m.track] = (tracks[m.track] || 0) + m.pages.filter(function (p) { return visits[p.key]; }).length;
    });
    var track = Object.keys(tracks).sort(function (a, b) { return tracks[b] - tracks[a]; })[0];
    if (!tracks[track]) track = data.modules.length ? data.modules[0].track : track;
    var quizzes = {};
    data.quizzes.forEach(function (q) { quizzes[q.id] = q; });
    var passed = function (id) {
      var q = quizzes[id];
      return mine.some(function (r) {
        return r.quiz === id && (q.mode === "考试" ? Object.keys(r.rec.answers || {}).length
          : r.rec.checked && r.rec.score && r.rec.score.percent >= (r.rec.pass_mark || q.pass_mark));
      });
    };
    var modules = data.modules.filter(function (m) { return m.track === track; });
    for (var i = 0; i < modules.length; i++) {
      var m = modules[i], unread = m.pages.filter(function (p) { return !visits[p.key]; })[0];
      if (unread) return ["读", unread.link, m.title + "：" + unread.title];
      var quiz = m.quizzes.filter(function (id) { return quizzes[id] && !passed(id); })[0];
      if (quiz) return [quizzes[quiz].mode === "考试" ? "参加考试" : "做测验", quizzes[quiz].link, quizzes[quiz].title];
    }
    return null;
  }

  function render(root, data) {
    var body = root.querySelector(".kp-body"), visits = load(VISITS) || {}, records = quizRecords();
    var me = load(LEARNER), learners = {};
    records.forEach(function (r) { learners[r.learner] = 1; });
    var current = me && me.id ? learnerKey(me.id) : Object.keys(learners)[0] || "";
    body.textContent = "";

    var next = nextStep(data, visits, records.filter(function (r) { return r.learner === current; }));
    var box = el("div", { class: "admonition tip kp-next" }, [el("p", { class: "admonition-title", text: "下一步" })]);
    box.appendChild(next ? el("p", {}, [next[0] + "：", el("a", { href: next[1], text: next[2] })])
      : el("p", { text: "这门课的模块都读完了，练习也都达标了。考试按培训任务的要求导出答案文件交培训师。" }));
    body.appendChild(box);

    body.appendChild(el("h2", { text: "课程模块" }));
    var read = 0, total = 0;
    var rows = data.modules.map(function (m) {
      var seen = m.pages.filter(function (p) { return visits[p.key]; });
      var last = seen.map(function (p) { return visits[p.key].last; }).sort().pop();
      read += seen.length; total += m.pages.length;
      var link = el("a", { href: m.link, text: m.title });
      return [link, m.track, bar(seen.length, m.pages.length), day(last)];
    });
    body.appendChild(el("p", { text: "已读 " + read + " / " + total + " 个课程页面。" }));
    body.appendChild(table(["模块", "课程", "已读页面", "最近阅读"], rows));

    body.appendChild(el("h2", { text: "测验" }));
    var others = Object.keys(learners).filter(function (id) { return id !== current; });
    body.appendChild(el("p", { text: current ? "学员工号：" + current + (others.length ? "（本机还有其他工号的记录：" + others.join("、") + "，只显示当前工号）" : "")
      : "还没有作答记录：打开任一测验，填写姓名和工号后开始作答。" }));
    var mine = records.filter(function (r) { return r.learner === current; });
    var quizRows = [];
    data.quizzes.forEach(function (q) {
      mine.filter(function (r) { return r.quiz === q.id; }).forEach(function (r) {
        var rec = r.rec, answered = Object.keys(rec.answers || {}).length, count = rec.total || q.count;
        var score = "—", verdict = "—", pass = rec.pass_mark || q.pass_mark;
        if (q.mode === "练习" && rec.score && rec.checked) {
          score = rec.score.percent + "%";
          verdict = rec.score.percent >= pass ? "✔ 达到 " + pass + "%" : "未达到 " + pass + "%";
        } else if (q.mode === "考试") {
          verdict = "交培训师评分";
        }
        var name = el("a", { href: q.link + (r.assignment ? "?assignment=" + encodeURIComponent(r.assignment) : ""), text: q.title });
        var label = el("span", {}, [name, r.assignment ? " （培训任务 " + r.assignment + "）" : ""]);
        quizRows.push([label, q.mode, bar(answered, count), score, verdict, day(rec.updated_at)]);
      });
    });
    if (quizRows.length) body.appendChild(table(["测验", "模式", "已答", "练习得分", "结果", "最近作答"], quizRows));
    else if (current) body.appendChild(el("p", { text: "这个工号还没有作答过任何测验。" }));
    body.appendChild(el("p", { class: "kp-note", text: "练习得分是最近一次点“检查答案”时的得分；考试的成绩以培训师评分为准。" }));
  }

  function clearAll(root, data) {
    if (!window.confirm("确定清除本浏览器里的全部学习记录吗？包括读过的页面和所有测验的作答（所有工号），清除后无法恢复。已导出的答案文件不受影响。")) return;
    var keys = [];
    for (var i = 0; i < localStorage.length; i++) {
      var key = localStorage.key(i);
      if (key && (key === VISITS || key.indexOf(PREFIX) === 0)) keys.push(key);
    }
    keys.forEach(function (k) { localStorage.removeItem(k); });
    render(root, data);
    root.querySelector(".kp-body").insertBefore(el("p", { class: "kp-done", role: "status", text: "已清除 " + keys.length + " 项本机记录。" }),
      root.querySelector(".kp-body").firstChild);
  }

  function init() {
    document.querySelectorAll(".kp-progress").forEach(function (root) {
      var data = JSON.parse(root.querySelector(".kp-data").textContent);
      RULES = data.rules;
      VISITS = RULES.storage.visits; PREFIX = RULES.storage.prefix; LEARNER = RULES.storage.learner;
      try { render(root, data); } catch (e) {
        root.querySelector(".kp-body").textContent = "无法读取本机记录（浏览器可能禁止了本地存储）。";
      }
      root.querySelector(".kp-clear").addEventListener("click", function () { clearAll(root, data); });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
