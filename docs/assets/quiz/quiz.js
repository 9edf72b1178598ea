/* 客服培训课程站 · 测验页脚本
 * Learner form, seeded draw and shuffle (same algorithm as kefu/seeding.py),
 * autosave to localStorage, practice feedback (same rules as kefu/scoring.py),
 * export as quiz-answers/1. Loaded only on pages that hold a quiz. */
(function () {
  "use strict";
  var STORE = "kq:v1:";
  var LEARNER_KEY = STORE + "learner";

  // ---- seeded randomness: FNV-1a 32 → mulberry32 → Fisher–Yates (mirrors kefu/seeding.py)
  function fnv1a32(text) {
    var bytes = new TextEncoder().encode(text), h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) { h ^= bytes[i]; h = Math.imul(h, 0x01000193) >>> 0; }
    return h;
  }
  function mulberry32(seed) {
    var a = seed >>> 0;
    return function () {
      a = (a + 0x6d2b79f5) >>> 0;
      var t = Math.imul(a ^ (a >>> 15), a | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  function shuffled(list, seedText) {
    var out = list.slice(), rnd = mulberry32(fnv1a32(seedText));
    for (var i = out.length - 1; i > 0; i--) {
      var j = Math.floor(rnd() * (i + 1)), tmp = out[i]; out[i] = out[j]; out[j] = tmp;
    }
    return out;
  }
  function drawnIds(ids, bank, learner, draw) {
    if (!draw || draw >= ids.length) return ids.slice();
    var chosen = {};
    shuffled(ids, bank + "|" + learner + "|draw").slice(0, draw).forEach(function (id) { chosen[id] = 1; });
    return ids.filter(function (id) { return chosen[id]; });
  }

  // ---- scoring (mirrors kefu/scoring.py)
  function normFill(s) { return s.normalize("NFKC").toLowerCase().split(/\s+/).filter(Boolean).join(" "); }
  function sameSet(a, b) { return a.length === b.length && a.every(function (x) { return b.indexOf(x) >= 0; }); }
  function fraction(q, r) {
    var key = q.key;
    if (r === undefined || r === null) return 0;
    switch (q.type) {
      case "single": case "truefalse": return r === key ? 1 : 0;
      case "fill": return key.some(function (k) { return normFill(k) === normFill(r); }) ? 1 : 0;
      case "multiple":
        if (q.scoring === "partial") {
          return r.some(function (x) { return key.indexOf(x) < 0; }) ? 0 : r.length / key.length;
        }
        return sameSet(r, key) ? 1 : 0;
      case "order":
        var hits = key.filter(function (k, i) { return r[i] === k; }).length;
        return q.partial ? hits / key.length : (hits === key.length ? 1 : 0);
      case "match":
        var lefts = Object.keys(key), ok = lefts.filter(function (l) { return r[l] === key[l]; }).length;
        return q.partial ? ok / lefts.length : (ok === lefts.length ? 1 : 0);
    }
    return 0;
  }
  function scoreQuestion(q, r) { return Math.round(q.points * fraction(q, r) * 10000) / 10000; }

  // ---- storage that survives private mode and full quotas
  function load(key) { try { return JSON.parse(localStorage.getItem(key)); } catch (e) { return null; } }
  function save(key, value) {
    try { localStorage.setItem(key, JSON.stringify(value)); return true; } catch (e) { return false; }
  }

  function isoLocal(d) {
    var off = -d.getTimezoneOffset(), sign = off >= 0 ? "+" : "-", p = function (n) { return String(Math.abs(n)).padStart(2, "0"); };
    return d.getFullYear() + "-" + p(d.getMonth() + 1) + "-" + p(d.getDate()) + "T" + p(d.getHours()) + ":" +
      p(d.getMinutes()) + ":" + p(d.getSeconds()) + sign + p(Math.floor(Math.abs(off) / 60)) + ":" + p(off % 60);
  }
  function fmt(n) { return String(Math.round(n * 100) / 100); }

  function Quiz(root) {
    this.root = root;
    this.data = JSON.parse(root.querySelector(".kq-data").textContent);
    this.byId = {};
    this.data.questions.forEach(function (q) { this.byId[q.id] = q; }, this);
    this.items = {};
    root.querySelectorAll(".kq-q").forEach(function (li) { this.items[li.dataset.qid] = li; }, this);
    this.list = root.querySelector(".kq-questions");
    this.applyAssignment();
    this.bind();
    var learner = load(LEARNER_KEY);
    if (learner && learner.name && learner.id) this.start(learner); else this.showForm();
  }

  Quiz.prototype.$ = function (sel) { return this.root.querySelector(sel); };

  // Opened from a 培训任务 page (?assignment=ID): that assignment's pass mark and draw apply,
  // answers are kept apart from free practice, and the export records the assignment id.
  Quiz.prototype.applyAssignment = function () {
    var d = this.data, id = new URLSearchParams(window.location.search).get("assignment");
    var note = this.$(".kq-assignment"), a = id && d.assignments ? d.assignments[id] : null;
    this.assignmentId = null;
    if (!id) return;
    note.hidden = false;
    if (!a) {
      note.classList.add("kq-assignment-unknown");
      note.textContent = "链接中的培训任务“" + id + "”不包含这个测验（可能已结束或链接有误）：本次按测验的默认设置作答，" +
        "导出的文件不带任务编号。请回到培训任务页重新进入，或询问培训师。";
      return;
    }
    this.assignmentId = id;
    d.pass_mark = a.pass_mark;
    if (a.draw) d.draw = a.draw;
    this.$(".kq-facts").textContent = a.facts;
    var today = isoLocal(new Date()).slice(0, 10);
    var days = Math.round((Date.parse(a.due) - Date.parse(today)) / 86400000);
    var when = days > 0 ? "还有 " + days + " 天" : days === 0 ? "今天截止" : "已过截止日期 " + (-days) + " 天，仍可作答，导出后记为逾期";
    note.textContent = "培训任务：" + a.cohort + "（编号 " + id + "）· 截止 " + a.due + "（" + when + "）";
  };

  Quiz.prototype.showForm = function () {
    var form = this.$(".kq-learner"), who = load(LEARNER_KEY) || {};
    form.hidden = false;
    form.elements.name.value = who.name || "";
    form.elements.id.value = who.id || "";
    this.$(".kq-body").hidden = true;
    this.$(".kq-who").hidden = true;
  };

  Quiz.prototype.start = function (learner) {
    var d = this.data, self = this;
    this.learner = learner;
    this.storeKey = STORE + d.quiz + (this.assignmentId ? "@" + this.assignmentId : "") + ":" + learner.id;
    this.$(".kq-learner").hidden = true;
    var who = this.$(".kq-who");
    who.hidden = false;
    who.textContent = "学员：" + learner.name + "（工号 " + learner.id + "） ";
    var change = document.createElement("button");
    change.type = "button"; change.className = "kq-link"; change.textContent = "更换学员";
    change.addEventListener("click", function () { self.showForm(); });
    who.appendChild(change);

    var allIds = d.questions.map(function (q) { return q.id; });
    this.shown = drawnIds(allIds, d.quiz, learner.id, d.draw);
    var shownSet = {};
    this.shown.forEach(function (id, i) {
      shownSet[id] = 1;
      var li = self.items[id];
      li.querySelector(".kq-num").textContent = "第 " + (i + 1) + " 题 · ";
      self.list.appendChild(li);
      self.arrange(li, self.byId[id]);
    });
    allIds.forEach(function (id) { self.items[id].hidden = !shownSet[id]; });

    var stored = load(this.storeKey) || {};
    this.state = { started_at: stored.started_at || isoLocal(new Date()), answers: {} };
    var kept = stored.answers || {}, versions = stored.versions || {};
    this.shown.forEach(function (id) {
      // keep an earlier answer only while the question still reads the same
      if (id in kept && versions[id] === self.byId[id].v) self.state.answers[id] = kept[id];
    });
    this.shown.forEach(function (id) { self.restore(id); });
    this.$(".kq-body").hidden = false;
    this.persist();
    this.progress();
    if (stored.checked && d.mode === "practice") this.check();
  };

  // Seeded per learner: options of choice questions (when the bank shuffles),
  // order items and match choices (always, so their order gives nothing away).
  Quiz.prototype.arrange = function (li, q) {
    var seed = this.data.quiz + "|" + this.learner.id + "|" + q.id, box, nodes;
    if ((q.type === "single" || q.type === "multiple") && this.data.shuffle) {
      box = li.querySelector(".kq-options");
      shuffled([].slice.call(box.children), seed).forEach(function (n) { box.appendChild(n); });
    } else if (q.type === "order") {
      box = li.querySelector(".kq-order");
      nodes = [].slice.call(box.children).sort(function (a, b) { return a.dataset.item < b.dataset.item ? -1 : 1; });
      var ids = nodes.map(function (n) { return n.dataset.item; });
      var order = shuffled(ids, seed);
      // never start in an order that is already the answer's id order
      if (order.join() === ids.join() && ids.length > 1) order.push(order.shift());
      order.forEach(function (id) { box.appendChild(box.querySelector('[data-item="' + id + '"]')); });
    } else if (q.type === "match") {
      li.querySelectorAll("select").forEach(function (sel) {
        var opts = [].slice.call(sel.options, 1).sort(function (a, b) { return a.value < b.value ? -1 : 1; });
        shuffled(opts, seed).forEach(function (o) { sel.appendChild(o); });
      });
    }
  };

  Quiz.prototype.read = function (id) {
    var q = this.byId[id], li = this.items[id];
    switch (q.type) {
      case "single": case "truefalse":
        var c = li.querySelector("input:checked");
        if (!c) return undefined;
        return q.type === "truefalse" ? c.value === "true" : c.value;
      case "multiple":
        var vals = [].map.call(li.querySelectorAll("input:checked"), function (i) { return i.value; });
        return vals.length ? vals.sort() : undefined;
      case "fill":
        var v = li.querySelector(".kq-fill").value;
        return v.trim() ? v : undefined;
      case "order":
        if (!li.dataset.touched) return undefined;
        return [].map.call(li.querySelectorAll(".kq-item"), function (n) { return n.dataset.item; });
      case "match":
        var out = {}, any = false;
        li.querySelectorAll("select").forEach(function (s) { if (s.value) { out[s.dataset.left] = s.value; any = true; } });
        return any ? out : undefined;
    }
  };

  Quiz.prototype.restore = function (id) {
    var q = this.byId[id], li = this.items[id], a = this.state.answers[id];
    if (a === undefined) return;
    if (q.type === "single" || q.type === "truefalse" || q.type === "multiple") {
      var chosen = [].concat(a).map(String);
      li.querySelectorAll("input").forEach(function (i) { i.checked = chosen.indexOf(i.value) >= 0; });
    } else if (q.type === "fill") {
      li.querySelector(".kq-fill").value = a;
    } else if (q.type === "order") {
      var box = li.querySelector(".kq-order");
      a.forEach(function (item) { var n = box.querySelector('[data-item="' + item + '"]'); if (n) box.appendChild(n); });
      li.dataset.touched = "1";
    } else if (q.type === "match") {
      li.querySelectorAll("select").forEach(function (s) { s.value = a[s.dataset.left] || ""; });
    }
  };

  Quiz.prototype.update = function (id) {
    var v = this.read(id);
    if (v === undefined) delete this.state.answers[id]; else this.state.answers[id] = v;
    this.items[id].classList.remove("kq-right", "kq-wrong", "kq-part");
    this.items[id].querySelector(".kq-feedback").hidden = true;
    var ex = this.items[id].querySelector(".kq-explain");
    if (ex) ex.hidden = true;
    this.state.checked = false;
    this.persist();
    this.progress();
  };

  Quiz.prototype.persist = function () {
    var versions = {}, self = this;
    this.shown.forEach(function (id) { versions[id] = self.byId[id].v; });
    var ok = save(this.storeKey, {
      started_at: this.state.started_at, answers: this.state.answers, versions: versions,
      checked: !!this.state.checked, bank_version: this.data.bank_version,
      title: this.data.title, mode: this.data.mode, total: this.shown.length,
      score: this.state.score, pass_mark: this.data.pass_mark, assignment: this.assignmentId,
      updated_at: isoLocal(new Date())
    });
    this.$(".kq-progress").classList.toggle("kq-unsaved", !ok);
  };

  Quiz.prototype.progress = function () {
    var n = Object.keys(this.state.answers).length;
    var el = this.$(".kq-progress");
    el.textContent = "已答 " + n + " / " + this.shown.length +
      (el.classList.contains("kq-unsaved") ? "（注意：浏览器禁止保存，刷新会丢失作答，请尽快导出）" : "（已自动保存）");
  };

  Quiz.prototype.check = function () {
    var self = this, got = 0, max = 0, blank = 0;
    this.shown.forEach(function (id) {
      var q = self.byId[id], li = self.items[id], a = self.state.answers[id];
      var s = scoreQuestion(q, a), fb = li.querySelector(".kq-feedback");
      got += s; max += q.points;
      if (a === undefined) blank++;
      li.classList.remove("kq-right", "kq-wrong", "kq-part");
      var cls = s >= q.points ? "kq-right" : s > 0 ? "kq-part" : "kq-wrong";
      li.classList.add(cls);
      fb.textContent = (a === undefined ? "未作答" : cls === "kq-right" ? "✔ 回答正确" : cls === "kq-part" ? "◑ 部分正确" : "✘ 回答错误") +
        "，得 " + fmt(s) + " / " + fmt(q.points) + " 分";
      fb.hidden = false;
      li.querySelector(".kq-explain").hidden = false;
    });
    var pct = max ? (got / max) * 100 : 0, passed = pct >= this.data.pass_mark;
    this.state.checked = true;
    this.state.score = { points: got, max: max, percent: Math.round(pct * 10) / 10 };
    this.persist();
    var r = this.$(".kq-result");
    r.className = "kq-result " + (passed ? "kq-pass" : "kq-fail");
    r.textContent = "得分 " + fmt(got) + " / " + fmt(max) + "（" + fmt(pct) + "%），" +
      (passed ? "达到" : "未达到") + "及格线 " + this.data.pass_mark + "%。" +
      (blank ? "还有 " + blank + " 题未作答。" : "") + "每题下方有解析，可改答后再次检查。";
  };

  Quiz.prototype.exportData = function () {
    var self = this, answers = {}, versions = {};
    this.shown.forEach(function (id) {
      if (id in self.state.answers) answers[id] = self.state.answers[id];
      versions[id] = self.byId[id].v;
    });
    var out = {
      format: "quiz-answers/1", quiz: this.data.quiz, bank_version: this.data.bank_version,
      question_versions: versions, mode: this.data.mode,
      learner: { name: this.learner.name, id: this.learner.id },
      questions: this.shown.slice(), answers: answers,
      started_at: this.state.started_at, submitted_at: isoLocal(new Date())
    };
    if (this.assignmentId) out.assignment = this.assignmentId;
    return out;
  };

  Quiz.prototype.confirmIncomplete = function () {
    var left = this.shown.length - Object.keys(this.state.answers).length;
    return !left || window.confirm("还有 " + left + " 题未作答。仍然导出吗？");
  };

  Quiz.prototype.exportFile = function () {
    if (!this.confirmIncomplete()) return;
    var data = this.exportData();
    var stamp = data.submitted_at.slice(0, 19).replace(/[-:]/g, "").replace("T", "-");
    var name = data.quiz + "-" + data.learner.id + "-" + stamp + ".json";
    var blob = new Blob([JSON.stringify(data, null, 2)], { type: "application/json" });
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob); a.download = name;
    document.body.appendChild(a); a.click(); a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
    this.say("已导出 " + name + "。请把这个文件交给培训师（如未自动下载，可用“复制答案文本”）。");
  };

  Quiz.prototype.copyText = function () {
    var text = JSON.stringify(this.exportData(), null, 2), box = this.$(".kq-copybox"), self = this;
    box.value = text; box.hidden = false; box.select();
    var done = function () { self.say("答案文本已复制，可粘贴到邮件或聊天中发给培训师。"); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { self.say("无法自动复制：请在下方文本框中全选后手动复制。"); });
    } else {
      try { document.execCommand("copy"); done(); } catch (e) { self.say("请在下方文本框中全选后手动复制。"); }
    }
  };

  Quiz.prototype.clear = function () {
    if (!window.confirm("确定清除本测验的全部作答吗？清除后无法恢复（已导出的文件不受影响）。")) return;
    try { localStorage.removeItem(this.storeKey); } catch (e) { /* nothing stored */ }
    var self = this;
    this.root.querySelectorAll(".kq-q input[type=radio], .kq-q input[type=checkbox]").forEach(function (i) { i.checked = false; });
    this.root.querySelectorAll(".kq-fill").forEach(function (i) { i.value = ""; });
    this.root.querySelectorAll(".kq-q select").forEach(function (s) { s.value = ""; });
    this.root.querySelectorAll(".kq-q").forEach(function (li) {
      delete li.dataset.touched;
      li.classList.remove("kq-right", "kq-wrong", "kq-part");
      li.querySelector(".kq-feedback").hidden = true;
      var ex = li.querySelector(".kq-explain"); if (ex) ex.hidden = true;
    });
    this.$(".kq-copybox").hidden = true;
    this.$(".kq-result").textContent = "";
    this.state = { started_at: isoLocal(new Date()), answers: {} };
    this.shown.forEach(function (id) { self.arrange(self.items[id], self.byId[id]); });
    this.persist(); this.progress();
    this.say("已清除作答。");
  };

  Quiz.prototype.say = function (text) {
    var r = this.$(".kq-result"); r.className = "kq-result"; r.textContent = text;
  };

  Quiz.prototype.bind = function () {
    var self = this, root = this.root;
    root.querySelector(".kq-learner").addEventListener("submit", function (ev) {
      ev.preventDefault();
      var f = ev.target, name = f.elements.name.value.trim(), id = f.elements.id.value.trim();
      var err = f.querySelector(".kq-learner-error");
      if (!name || !/^[A-Za-z0-9_-]+$/.test(id)) {
        err.textContent = "请填写姓名，工号只能用字母、数字、下划线或连字符。"; err.hidden = false; return;
      }
      err.hidden = true;
      save(LEARNER_KEY, { name: name, id: id });
      self.start({ name: name, id: id });
    });
    root.addEventListener("change", function (ev) {
      var li = ev.target.closest(".kq-q"); if (li) self.update(li.dataset.qid);
    });
    root.addEventListener("input", function (ev) {
      if (ev.target.classList.contains("kq-fill")) self.update(ev.target.closest(".kq-q").dataset.qid);
    });
    root.addEventListener("click", function (ev) {
      var t = ev.target.closest("button"); if (!t) return;
      if (t.classList.contains("kq-up") || t.classList.contains("kq-down")) {
        var item = t.closest(".kq-item"), box = item.parentNode, li = item.closest(".kq-q");
        if (t.classList.contains("kq-up") && item.previousElementSibling) box.insertBefore(item, item.previousElementSibling);
        else if (t.classList.contains("kq-down") && item.nextElementSibling) box.insertBefore(item.nextElementSibling, item);
        li.dataset.touched = "1";
        t.focus();
        self.update(li.dataset.qid);
      } else if (t.classList.contains("kq-check")) self.check();
      else if (t.classList.contains("kq-export")) self.exportFile();
      else if (t.classList.contains("kq-copy")) self.copyText();
      else if (t.classList.contains("kq-clear")) self.clear();
    });
  };

  // exposed for tests and the progress page: the same algorithms the grader uses
  window.kefuQuiz = { fnv1a32: fnv1a32, shuffled: shuffled, drawnIds: drawnIds, scoreQuestion: scoreQuestion, instances: [] };
  function init() {
    document.querySelectorAll(".kq-quiz").forEach(function (el) {
      if (!el.dataset.ready) { el.dataset.ready = "1"; window.kefuQuiz.instances.push(new Quiz(el)); }
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
