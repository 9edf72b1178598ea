/* 客服培训课程站 · 测验页脚本
 * Learner form, seeded draw and shuffle (same algorithm as kefu/bank/seeding.py), autosave to
 * localStorage that two tabs can share, practice feedback that shows the right answers (same
 * scoring as kefu/bank/scoring.py), export as quiz-answers/1. Storage keys, seeds and the
 * normalisation of ids and fill answers come from the page data (kefu/rules.py), not from here.
 * Loaded only on pages that hold a quiz. */
(function () {
  "use strict";

  // ---- seeded randomness: FNV-1a 32 → mulberry32 → Fisher–Yates (mirrors kefu/bank/seeding.py)
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
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, name) { return values[name] === undefined ? "" : values[name]; });
  }

  // ---- the rules handed over by the page (kefu/rules.py page_rules)
  function Rules(r) { this.r = r; }
  Rules.prototype.learnerKey = function (id) {
    var k = String(id).normalize(this.r.learner_key.normalize);
    if (this.r.learner_key.trim) k = k.trim();
    return this.r.learner_key.case === "upper" ? k.toUpperCase() : k;
  };
  Rules.prototype.normFill = function (s) {
    var t = String(s).normalize(this.r.fill.normalize);
    if (this.r.fill.case === "lower") t = t.toLowerCase();
    return this.r.fill.collapse_spaces ? t.split(/\s+/).filter(Boolean).join(" ") : t;
  };
  Rules.prototype.values = function (quiz, learner, assignment) {
    return { prefix: this.r.storage.prefix, quiz: quiz, learner: this.learnerKey(learner),
             at_assignment: assignment ? "@" + assignment : "" };
  };
  Rules.prototype.storageKey = function (quiz, learner, assignment) {
    return fill(this.r.storage.answers, this.values(quiz, learner, assignment));
  };
  Rules.prototype.drawSeed = function (quiz, learner, assignment) {
    return fill(this.r.seeds.draw, this.values(quiz, learner, assignment));
  };
  Rules.prototype.arrangeSeed = function (quiz, learner, question) {
    var v = this.values(quiz, learner); v.question = question;
    return fill(this.r.seeds.arrange, v);
  };
  Rules.prototype.drawnIds = function (ids, quiz, learner, draw, assignment) {
    if (!draw || draw >= ids.length) return ids.slice();
    var chosen = {};
    shuffled(ids, this.drawSeed(quiz, learner, assignment)).slice(0, draw).forEach(function (id) { chosen[id] = 1; });
    return ids.filter(function (id) { return chosen[id]; });
  };

  // ---- scoring (mirrors kefu/bank/scoring.py)
  function sameSet(a, b) { return a.length === b.length && a.every(function (x) { return b.indexOf(x) >= 0; }); }
  function fraction(rules, q, r) {
    var key = q.key;
    if (r === undefined || r === null) return 0;
    switch (q.type) {
      case "single": case "truefalse": return r === key ? 1 : 0;
      case "fill": return key.some(function (k) { return rules.normFill(k) === rules.normFill(r); }) ? 1 : 0;
      case "multiple":
        if (q.scoring === "partial") return r.some(function (x) { return key.indexOf(x) < 0; }) ? 0 : r.length / key.length;
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
  function scoreQuestion(rules, q, r) { return Math.round(q.points * fraction(rules, q, r) * 10000) / 10000; }

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
  // points as people read them: whole, or one decimal
  function pts(n) { return String(Math.round(n * 10) / 10); }

  function Quiz(root) {
    this.root = root;
    this.data = JSON.parse(root.querySelector(".kq-data").textContent);
    this.rules = new Rules(this.data.rules);
    this.byId = {};
    this.data.questions.forEach(function (q) { this.byId[q.id] = q; }, this);
    this.items = {};
    root.querySelectorAll(".kq-q").forEach(function (li) { this.items[li.dataset.qid] = li; }, this);
    this.initialOrder = {};
    root.querySelectorAll(".kq-order").forEach(function (box) {
      this.initialOrder[box.dataset.name] = [].map.call(box.children, function (n) { return n.dataset.item; });
    }, this);
    this.list = root.querySelector(".kq-questions");
    this.applyAssignment();
    this.bind();
    var learner = load(this.data.rules.storage.learner);
    if (learner && learner.name && learner.id) this.start(learner); else this.showForm();
  }

  Quiz.prototype.$ = function (sel) { return this.root.querySelector(sel); };

  // Opened from a 培训任务 page (?assignment=ID): that assignment's pass mark and draw apply,
  // answers are kept apart from free practice, the export records the assignment id, and links
  // to the assignment's other quizzes keep it.
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
    keepAssignment(id, a.quizzes || []);
  };

  // links on this page to the assignment's other quizzes carry ?assignment= (下一页, 下一步 …)
  function keepAssignment(id, quizzes) {
    document.querySelectorAll("a[href]").forEach(function (link) {
      var url;
      try { url = new URL(link.getAttribute("href"), window.location.href); } catch (e) { return; }
      var m = url.pathname.match(/quizzes\/([a-z0-9-]+)\/(?:index\.html)?$/);
      if (m && quizzes.indexOf(m[1]) >= 0 && url.origin === window.location.origin && !url.searchParams.get("assignment")) {
        url.searchParams.set("assignment", id);
        link.setAttribute("href", url.pathname + url.search + url.hash);
      }
    });
  }

  Quiz.prototype.showForm = function () {
    var form = this.$(".kq-learner"), who = load(this.data.rules.storage.learner) || {};
    form.hidden = false;
    form.elements.name.value = who.name || "";
    form.elements.id.value = who.id || "";
    this.$(".kq-body").hidden = true;
    this.$(".kq-who").hidden = true;
    form.elements.name.focus();
  };

  Quiz.prototype.start = function (learner, focus) {
    var d = this.data, self = this;
    this.resetAll();  // nothing of the previous learner stays on the page
    this.learner = learner;
    this.storeKey = this.rules.storageKey(d.quiz, learner.id, this.assignmentId);
    this.$(".kq-learner").hidden = true;
    var who = this.$(".kq-who");
    who.hidden = false;
    who.textContent = "学员：" + learner.name + "（工号 " + learner.id + "） ";
    var change = document.createElement("button");
    change.type = "button"; change.className = "kq-link"; change.textContent = "更换学员";
    change.addEventListener("click", function () { self.showForm(); });
    who.appendChild(change);

    var allIds = d.questions.map(function (q) { return q.id; });
    this.shown = this.rules.drawnIds(allIds, d.quiz, learner.id, d.draw, this.assignmentId);
    var shownSet = {};
    this.shown.forEach(function (id, i) {
      shownSet[id] = 1;
      var li = self.items[id];
      li.querySelector(".kq-num").textContent = "第 " + (i + 1) + " 题 · ";
      self.list.appendChild(li);
      self.arrange(li, self.byId[id]);
    });
    allIds.forEach(function (id) { self.items[id].hidden = !shownSet[id]; });
    this.state = { started_at: isoLocal(new Date()), answers: {}, changed: {} };
    this.merge(load(this.storeKey) || {});
    this.$(".kq-body").hidden = false;
    this.persist();
    this.progress();
    if (this.state.checked && d.mode === "practice") this.check();
    if (focus) this.items[this.shown[0]].querySelector("legend").focus();
  };

  // take in a stored record: per question, the newer change wins (another tab may have saved)
  Quiz.prototype.merge = function (stored) {
    var self = this, kept = stored.answers || {}, versions = stored.versions || {}, changed = stored.changed || {};
    if (stored.started_at && stored.started_at < this.state.started_at) this.state.started_at = stored.started_at;
    var touched = [];
    this.shown.forEach(function (id) {
      var theirs = changed[id] || "", mine = self.state.changed[id] || "";
      // keep an earlier answer only while the question still reads the same
      if (versions[id] !== undefined && versions[id] !== self.byId[id].v) return;
      if (theirs > mine || (!mine && id in kept)) {
        if (id in kept) self.state.answers[id] = kept[id]; else delete self.state.answers[id];
        self.state.changed[id] = theirs;
        touched.push(id);
      }
    });
    // "checked" follows another tab only when that tab saved after this one
    if (stored.checked !== undefined && (stored.updated_at || "") > (this.state.updated_at || "")) this.state.checked = stored.checked;
    touched.forEach(function (id) { self.resetQuestion(id); self.restore(id); });
    return touched.length;
  };

  Quiz.prototype.resetQuestion = function (id) {
    var li = this.items[id], q = this.byId[id];
    li.querySelectorAll("input[type=radio], input[type=checkbox]").forEach(function (i) { i.checked = false; });
    li.querySelectorAll(".kq-fill").forEach(function (i) { i.value = ""; });
    li.querySelectorAll("select").forEach(function (s) { s.value = ""; });
    if (q.type === "order") {
      var box = li.querySelector(".kq-order");
      this.initialOrder[id].forEach(function (item) { box.appendChild(box.querySelector('[data-item="' + item + '"]')); });
      this.orderState(id, false);
    }
    this.clearFeedback(id);
  };

  Quiz.prototype.clearFeedback = function (id) {
    var li = this.items[id];
    li.classList.remove("kq-right", "kq-wrong", "kq-part");
    li.querySelector(".kq-feedback").hidden = true;
    li.querySelectorAll(".kq-correct, .kq-chosen-wrong").forEach(function (n) { n.classList.remove("kq-correct", "kq-chosen-wrong"); });
    var ex = li.querySelector(".kq-explain"); if (ex) ex.hidden = true;
  };

  Quiz.prototype.resetAll = function () {
    var self = this;
    Object.keys(this.items).forEach(function (id) { self.resetQuestion(id); self.items[id].hidden = false; });
    this.$(".kq-copybox").hidden = true;
    this.$(".kq-result").textContent = "";
    this.$(".kq-filter").hidden = true;
    this.$(".kq-only-wrong").checked = false;
    this.root.classList.remove("kq-filtered");
  };

  // Per learner: options of choice questions (when the bank shuffles) and match choices.
  // Ordering items start in the page's order, which the build made different from the answer.
  Quiz.prototype.arrange = function (li, q) {
    var seed = this.rules.arrangeSeed(this.data.quiz, this.learner.id, q.id), box;
    if ((q.type === "single" || q.type === "multiple") && this.data.shuffle) {
      box = li.querySelector(".kq-options");
      var nodes = [].slice.call(box.children).sort(function (a, b) { return a.dataset.key < b.dataset.key ? -1 : 1; });
      shuffled(nodes, seed).forEach(function (n) { box.appendChild(n); });
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
      case "order":  // answered only once the learner confirms the order
        if (!li.dataset.confirmed) return undefined;
        return this.currentOrder(id);
      case "match":
        var out = {}, any = false;
        li.querySelectorAll("select").forEach(function (s) { if (s.value) { out[s.dataset.left] = s.value; any = true; } });
        return any ? out : undefined;
    }
  };

  Quiz.prototype.currentOrder = function (id) {
    return [].map.call(this.items[id].querySelectorAll(".kq-item"), function (n) { return n.dataset.item; });
  };

  Quiz.prototype.orderState = function (id, confirmed) {
    var li = this.items[id];
    if (confirmed) li.dataset.confirmed = "1"; else delete li.dataset.confirmed;
    li.querySelector(".kq-order-state").textContent = confirmed ? "已确认这个顺序" : "尚未确认（不计入作答）";
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
      this.orderState(id, true);
    } else if (q.type === "match") {
      li.querySelectorAll("select").forEach(function (s) { s.value = a[s.dataset.left] || ""; });
    }
  };

  Quiz.prototype.update = function (id) {
    var v = this.read(id);
    if (v === undefined) delete this.state.answers[id]; else this.state.answers[id] = v;
    this.state.changed[id] = new Date().toISOString();
    this.clearFeedback(id);
    this.state.checked = false;
    this.persist();
    this.progress();
  };

  Quiz.prototype.persist = function () {
    var versions = {}, self = this;
    // another tab may have saved meanwhile: keep its newer answers
    var stored = load(this.storeKey);
    if (stored) this.merge(stored);
    this.shown.forEach(function (id) { versions[id] = self.byId[id].v; });
    this.state.updated_at = new Date().toISOString();
    var ok = save(this.storeKey, {
      quiz: this.data.quiz, learner: this.rules.learnerKey(this.learner.id), learner_name: this.learner.name,
      started_at: this.state.started_at, answers: this.state.answers, changed: this.state.changed, versions: versions,
      checked: !!this.state.checked, bank_version: this.data.bank_version,
      title: this.data.title, mode: this.data.mode, total: this.shown.length,
      score: this.state.score, pass_mark: this.data.pass_mark, assignment: this.assignmentId,
      updated_at: this.state.updated_at
    });
    this.$(".kq-progress").classList.toggle("kq-unsaved", !ok);
  };

  Quiz.prototype.progress = function () {
    var n = Object.keys(this.state.answers).length;
    var el = this.$(".kq-progress");
    el.textContent = "已答 " + n + " / " + this.shown.length +
      (el.classList.contains("kq-unsaved") ? "（注意：浏览器禁止保存，刷新会丢失作答，请尽快导出）" : "（已自动保存）");
  };

  // after checking: the right option(s), order or pairs beside the learner's, then the explanation
  Quiz.prototype.showKey = function (id) {
    var q = this.byId[id], li = this.items[id], a = this.state.answers[id], box = li.querySelector(".kq-key");
    box.textContent = "";
    if (q.type === "single" || q.type === "multiple" || q.type === "truefalse") {
      var right = [].concat(q.key).map(String), chosen = a === undefined ? [] : [].concat(a).map(String);
      li.querySelectorAll(".kq-option").forEach(function (label) {
        var k = label.dataset.key;
        if (right.indexOf(k) >= 0) label.classList.add("kq-correct");
        else if (chosen.indexOf(k) >= 0) label.classList.add("kq-chosen-wrong");
      });
      var texts = [].filter.call(li.querySelectorAll(".kq-option"), function (l) { return right.indexOf(l.dataset.key) >= 0; })
        .map(function (l) { return l.textContent.trim(); });
      line(box, "正确答案：", texts.join("；"));
    } else if (q.type === "fill") {
      line(box, "参考答案：", q.key.join(" / "));
    } else if (q.type === "order") {
      var names = {};
      li.querySelectorAll(".kq-item").forEach(function (n) { names[n.dataset.item] = n.querySelector(".kq-item-text").textContent; });
      var ol = document.createElement("ol");
      q.key.forEach(function (k) { var item = document.createElement("li"); item.textContent = names[k]; ol.appendChild(item); });
      line(box, "正确顺序：", ""); box.appendChild(ol);
    } else if (q.type === "match") {
      var ul = document.createElement("ul");
      li.querySelectorAll("select").forEach(function (s) {
        var opt = s.querySelector('option[value="' + q.key[s.dataset.left] + '"]'), item = document.createElement("li");
        var left = s.closest("label").querySelector(".kq-left").textContent;
        item.textContent = left + " → " + (opt ? opt.textContent : "");
        ul.appendChild(item);
      });
      line(box, "正确配对：", ""); box.appendChild(ul);
    }
  };
  function line(box, label, text) {
    var p = document.createElement("p"), b = document.createElement("strong");
    b.textContent = label; p.appendChild(b); p.appendChild(document.createTextNode(text)); box.appendChild(p);
  }

  Quiz.prototype.check = function () {
    var self = this, got = 0, max = 0, blank = 0, wrong = 0;
    this.shown.forEach(function (id) {
      var q = self.byId[id], li = self.items[id], a = self.state.answers[id];
      var s = scoreQuestion(self.rules, q, a), fb = li.querySelector(".kq-feedback");
      got += s; max += q.points;
      if (a === undefined) blank++;
      self.clearFeedback(id);
      var cls = s >= q.points ? "kq-right" : s > 0 ? "kq-part" : "kq-wrong";
      if (cls !== "kq-right") wrong++;
      li.classList.add(cls);
      fb.textContent = (a === undefined ? "未作答" : cls === "kq-right" ? "✔ 回答正确" : cls === "kq-part" ? "◑ 部分正确" : "✘ 回答错误") +
        "，得 " + pts(s) + " / " + pts(q.points) + " 分";
      fb.hidden = false;
      self.showKey(id);
      li.querySelector(".kq-explain").hidden = false;
    });
    var pct = max ? (got / max) * 100 : 0, passed = pct >= this.data.pass_mark;
    this.state.checked = true;
    this.state.score = { points: got, max: max, percent: Math.round(pct * 10) / 10 };
    this.persist();
    this.$(".kq-filter").hidden = !wrong;
    var r = this.$(".kq-result");
    r.className = "kq-result " + (passed ? "kq-pass" : "kq-fail");
    r.textContent = "得分 " + pts(got) + " / " + pts(max) + " 分（" + pts(pct) + "%），" +
      (passed ? "达到" : "未达到") + "及格线 " + this.data.pass_mark + "%。" +
      (blank ? "还有 " + blank + " 题未作答。" : "") + "每题下方有正确答案和解析，可改答后再次检查。";
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
    return !left || window.confirm("还有 " + left + " 题未作答（排序题要点“确认顺序”才算作答）。仍然导出吗？");
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
    this.resetAll();
    this.state = { started_at: isoLocal(new Date()), answers: {}, changed: {} };
    this.persist(); this.progress();
    this.say("已清除作答。");
  };

  Quiz.prototype.say = function (text) {
    var r = this.$(".kq-result"); r.className = "kq-result"; r.textContent = text;
  };

  Quiz.prototype.move = function (button) {
    var item = button.closest(".kq-item"), box = item.parentNode, li = item.closest(".kq-q"), id = li.dataset.qid;
    var up = button.classList.contains("kq-up");
    if (up && item.previousElementSibling) box.insertBefore(item, item.previousElementSibling);
    else if (!up && item.nextElementSibling) box.insertBefore(item.nextElementSibling, item);
    button.focus();
    var position = [].indexOf.call(box.children, item) + 1;
    li.querySelector(".kq-announce").textContent = "“" + item.querySelector(".kq-item-text").textContent + "”现在是第 " + position + " 项";
    if (li.dataset.confirmed) { this.orderState(id, false); this.update(id); }  // a moved order needs confirming again
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
      save(self.data.rules.storage.learner, { name: name, id: id });
      self.start({ name: name, id: id }, true);
    });
    root.addEventListener("change", function (ev) {
      if (ev.target.classList.contains("kq-only-wrong")) { root.classList.toggle("kq-filtered", ev.target.checked); return; }
      var li = ev.target.closest(".kq-q"); if (li) self.update(li.dataset.qid);
    });
    root.addEventListener("input", function (ev) {
      if (ev.target.classList.contains("kq-fill")) self.update(ev.target.closest(".kq-q").dataset.qid);
    });
    root.addEventListener("click", function (ev) {
      var t = ev.target.closest("button"); if (!t) return;
      if (t.classList.contains("kq-up") || t.classList.contains("kq-down")) self.move(t);
      else if (t.classList.contains("kq-confirm")) {
        var id = t.closest(".kq-q").dataset.qid;
        self.orderState(id, true); self.update(id);
      }
      else if (t.classList.contains("kq-check")) self.check();
      else if (t.classList.contains("kq-export")) self.exportFile();
      else if (t.classList.contains("kq-copy")) self.copyText();
      else if (t.classList.contains("kq-clear")) self.clear();
    });
    // another tab of this quiz saved: take its newer answers into this page
    window.addEventListener("storage", function (ev) {
      if (!self.storeKey || ev.key !== self.storeKey || !ev.newValue) return;
      var stored; try { stored = JSON.parse(ev.newValue); } catch (e) { return; }
      if (self.merge(stored)) self.progress();
    });
  };

  // exposed for tests and the progress page: the same algorithms the grader uses
  window.kefuQuiz = {
    fnv1a32: fnv1a32, shuffled: shuffled, instances: [],
    rules: function (data) { return new Rules(data); },
    scoreQuestion: function (rules, q, r) { return scoreQuestion(new Rules(rules), q, r); }
  };
  function init() {
    document.querySelectorAll(".kq-quiz").forEach(function (el) {
      if (!el.dataset.ready) { el.dataset.ready = "1"; window.kefuQuiz.instances.push(new Quiz(el)); }
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
