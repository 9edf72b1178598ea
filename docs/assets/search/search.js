/* 客服培训课程站 · 站内搜索（kefu/search.py 建的索引）
 * 第一次打开搜索框时才下载索引；查询按索引里的词表以概率最大的方式切分（与建索引时 jieba 的切分一致），
 * 中英文分开，全角标点也是分隔符，同音错字按拼音找回原词；标题和小标题里的词比正文里的分量重。 */
(function () {
  "use strict";
  var root = document.querySelector("[data-kefu-search]");
  if (!root) return;
  var toggle = document.getElementById("__search"), input = root.querySelector("input[name=query]");
  var meta = root.querySelector(".md-search-result__meta"), list = root.querySelector(".md-search-result__list");
  var base = new URL(root.dataset.base.replace(/\/?$/, "/"), window.location.href);
  var index = null, loading = null, timer = null;

  function load() {
    if (loading) return loading;
    meta.textContent = "正在载入搜索索引……";
    if (window.location.protocol === "file:") {  // opened from disk: a script tag works where fetch does not
      loading = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = new URL("search/kefu-index.js", base).href;
        s.onload = function () { resolve(window.__kefuSearchIndex); };
        s.onerror = reject;
        document.head.appendChild(s);
      });
    } else {
      loading = fetch(new URL("search/kefu-index.json", base).href).then(function (r) { return r.json(); });
    }
    loading = loading.then(prepare).then(function (ix) { index = ix; meta.textContent = "输入要找的内容"; return ix; },
      function () { meta.textContent = "搜索索引载入失败：请刷新页面后重试。"; loading = null; });
    return loading;
  }

  function prepare(data) {
    var words = new Map(), total = 0, pinyin = {}, byPinyin = new Map(), synonyms = new Map(), pages = [], pageOf = [];
    data.words.forEach(function (row) {  // section numbers are stored as gaps: turn them back
      for (var i = 2, at = 0; i < row.length; i += 2) { at += row[i]; row[i] = at; }
      words.set(row[0], row); total += row[1];
    });
    data.pinyin.split(",").forEach(function (pair) { var i = pair.indexOf(":"); pinyin[pair.slice(0, i)] = pair.slice(i + 1); });
    words.forEach(function (row, word) {
      var key = toPinyin(word, pinyin);
      if (key && (!byPinyin.has(key) || byPinyin.get(key)[1] < row[1])) byPinyin.set(key, row);
    });
    data.synonyms.forEach(function (group) { group.forEach(function (w) { synonyms.set(w, group); }); });
    data.docs.forEach(function (d, n) {  // sections of one page are neighbours: number the pages
      var page = d[0].split("#")[0];
      if (!pages.length || pages[pages.length - 1] !== page) pages.push(page);
      pageOf[n] = pages.length - 1;
    });
    return { docs: data.docs, words: words, total: total, pinyin: pinyin, byPinyin: byPinyin, common: data.common,
             synonyms: synonyms, homes: data.homes, pages: pages, pageOf: pageOf };
  }
  function toPinyin(word, table) {
    var out = [];
    for (var i = 0; i < word.length; i++) { var p = table[word[i]]; if (!p) return null; out.push(p); }
    return out.join(" ");
  }

  // ---- the query: chunks → Latin and Chinese runs → the most probable split over the index's words
  var SEPARATORS = /[\s!-\/:-@\[-`{-~\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65“”‘’…—·]+/;
  // words that only make a query a question: they neither help nor hurt
  var QUESTION = new Set(["怎么", "怎么办", "怎样", "如何", "什么", "是什么", "为什么", "吗", "呢", "的", "了", "要", "该", "怎么算"]);
  // words that ask for a quiz rather than a lesson: 投诉练习题 → the complaints quiz
  var QUIZ = new Set(["练习", "练习题", "测验", "测试", "习题", "题目", "做题", "题", "考题", "考试", "试题"]);
  function runs(chunk) { return chunk.match(/[\u3400-\u9fff]+|[a-z0-9]+(?:\.[0-9]+)?/g) || []; }
  function known(word, ix) { return ix.words.has(word) || ix.synonyms.has(word); }
  function split(run, ix) {
    var n = run.length, best = [0], back = [0], unknown = Math.log(1 / ix.total) - 8;
    for (var i = 1; i <= n; i++) {
      best[i] = -Infinity;
      for (var j = Math.max(0, i - 8); j < i; j++) {
        var w = run.slice(j, i), row = ix.words.get(w);
        var s = best[j] + (row ? Math.log(row[1] / ix.total) : ix.synonyms.has(w) ? Math.log(5 / ix.total)
          : (i - j === 1 ? unknown : -Infinity));
        if (s > best[i]) { best[i] = s; back[i] = j; }
      }
    }
    var out = [];
    for (var k = n; k > 0; k = back[k]) out.unshift(run.slice(back[k], k));
    return out;
  }
  // a word and its other names in the glossary (FCR = 一次解决率 = 首次解决率), those the index holds
  function same(word, ix) {
    var group = ix.synonyms.get(word) || [word];
    return group.filter(function (w) { return ix.words.has(w); }).map(function (w) { return { word: w, factor: w === word ? 1 : 0.9 }; });
  }
  // words of the index that begin with (or, for Chinese, contain) ``part``, the commonest first
  function completions(part, ix, anywhere, limit) {
    var found = [];
    ix.words.forEach(function (row, word) {
      if (word.length > part.length && (anywhere ? word.indexOf(part) >= 0 : word.indexOf(part) === 0)) found.push(row);
    });
    found.sort(function (a, b) { return b[1] - a[1]; });
    return found.slice(0, limit).map(function (row) { return row[0]; });
  }
  // each group is one thing the learner asked for; its alternatives are words of the index
  function groups(query, ix) {
    var out = [], text = query.normalize("NFKC").toLowerCase(), typing = !/\s$/.test(query);
    function add(part, alternatives, partial) {
      if (!alternatives.length) return;
      var home = ix.homes[part] || (partial ? undefined : ix.homes[alternatives[0].word]);  // 首问负责只 → 首问负责制's page
      out.push({ text: part, words: alternatives, partial: partial, home: home });
    }
    function word(part, factor) { return { word: part, factor: factor }; }
    var chunks = text.split(SEPARATORS).filter(Boolean);
    chunks.forEach(function (chunk, c) {
      var pieces = runs(chunk);
      pieces.forEach(function (run, r) {
        var latin = /^[a-z0-9]/.test(run), last = typing && c === chunks.length - 1 && r === pieces.length - 1;
        if (QUESTION.has(run)) return;
        if (QUIZ.has(run)) { out.quiz = true; return; }
        if (latin || known(run, ix)) {
          if (known(run, ix)) { add(run, same(run, ix), false); return; }
          add(run, completions(run, ix, false, 30).map(function (w) { return word(w, 0.7); }), true);  // CR → crm
          return;
        }
        var sounds = ix.byPinyin.get(toPinyin(run, ix.pinyin) || "");  // 抱修 → 报修
        if (sounds) { add(run, same(sounds[0], ix), false); return; }
        if (last && run.length > 1) {  // still typing: 满意度调 → 满意度调查
          var begun = completions(run, ix, false, 10);
          if (begun.length) { add(run, begun.map(function (w) { return word(w, 0.9); }), true); return; }
        }
        var parts = split(run, ix);
        parts.forEach(function (part, i) {
          if (QUESTION.has(part)) return;
          if (QUIZ.has(part)) { out.quiz = true; return; }
          if (known(part, ix)) {
            var alternatives = same(part, ix);
            if (last && i === parts.length - 1 && part.length === 1) {  // 投诉专 → 专员
              completions(part, ix, false, 10).forEach(function (w) { alternatives.push(word(w, 0.8)); });
            }
            add(part, alternatives, false);
            return;
          }
          var inside = completions(part, ix, true, 30);  // a part of a word: 投诉专 → 投诉专员
          if (!inside.length && part.length > 1) {
            inside = part.split("").filter(function (ch) { return ix.words.has(ch); });
          }
          add(part, inside.map(function (w) { return word(w, 0.6); }), true);
        });
      });
    });
    // a rare word also finds the words built on its rare characters (骂人 → 辱骂): learners say it differently
    out.forEach(function (group) {
      if (group.partial || group.words[0].word !== group.text || !/^[\u3400-\u9fff]{2}$/.test(group.text)) return;
      var row = ix.words.get(group.text);
      if (row && (row.length - 2) / 2 > 3) return;
      group.text.split("").forEach(function (ch) {
        var family = completions(ch, ix, true, 13);
        if (family.length && family.length <= 12) family.forEach(function (w) {
          if (!group.words.some(function (a) { return a.word === w; })) group.words.push(word(w, 0.5));
        });
      });
    });
    return out;
  }

  function idf(word, ix) {
    var row = ix.words.get(word), df = ix.common[word] || (row.length - 2) / 2, n = ix.docs.length;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }
  function inTitle(group, title) {
    return group.words.some(function (a) { return a.factor >= 0.8 && title.indexOf(a.word) >= 0; });
  }
  function search(query, ix) {
    var wanted = groups(query, ix), byPage = new Map();
    var phrase = query.normalize("NFKC").toLowerCase().replace(/\s+/g, "");
    if (!wanted.length) return { groups: wanted, pages: [] };
    var worth = wanted.map(function (group) {  // what finding this group is worth: its rarest word
      return Math.max.apply(null, group.words.map(function (a) { return idf(a.word, ix); }));
    });
    wanted.forEach(function (group, g) {
      group.words.forEach(function (a) {
        var row = ix.words.get(a.word), weight = idf(a.word, ix) * a.factor;
        for (var i = 2; i < row.length; i += 2) {
          var doc = row[i], page = ix.pageOf[doc], s = weight * row[i + 1] / 3 * ix.docs[doc][4];
          var entry = byPage.get(page);
          if (!entry) { entry = { page: page, sections: new Map() }; byPage.set(page, entry); }
          var per = entry.sections.get(doc);
          if (!per) { per = new Array(wanted.length).fill(0); entry.sections.set(doc, per); }
          if (per[g] < s) per[g] = s;
        }
      });
    });
    var ranked = [], all = worth.reduce(function (a, b) { return a + b; }, 0);
    byPage.forEach(function (entry) {
      var score = 0, found = 0, sections = [];
      wanted.forEach(function (group, g) {
        var best = [];  // the page's three best sections for this group: one strong section, then support
        entry.sections.forEach(function (per) { if (per[g] > 0) best.push(per[g]); });
        if (!best.length) return;
        best.sort(function (a, b) { return b - a; });
        score += best[0] + 0.25 * (best[1] || 0) + 0.1 * (best[2] || 0);
        found += worth[g];
      });
      entry.sections.forEach(function (per, doc) { sections.push({ doc: doc, score: per.reduce(function (a, b) { return a + b; }, 0) }); });
      sections.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
      var cover = found / all, page = ix.pages[entry.page], first = ix.docs[sections[0].doc];
      score *= cover * cover;
      var title = (first[2] || first[1]).toLowerCase();
      if (title === phrase) score *= 2.5;  // the page's name typed in full
      else if (phrase.length > 1 && title.indexOf(phrase) >= 0) score *= 1.6;  // the query is in the title
      else if (wanted.length > 1 && wanted.every(function (g) { return inTitle(g, title); })) score *= 2;
      // the page the glossary names for a term (strongest when the term is the whole query); not when the
      // learner asked for a quiz
      var taught = wanted.filter(function (g) { return g.home === page; }).length / wanted.length;
      if (wanted.quiz) score *= /^quizzes\/./.test(page) ? 4 : 1;
      else score *= 1 + 1.5 * taught * taught;
      ranked.push({ page: page, score: score, sections: sections });
    });
    ranked.sort(function (a, b) { return b.score - a.score; });
    return { groups: wanted, pages: ranked };
  }

  // ---- showing the results in Material's result list
  function highlight(text, words) {
    var frag = document.createDocumentFragment(), lower = text.toLowerCase(), i = 0;
    var marks = words.filter(function (w) { return w.length; }).sort(function (a, b) { return b.length - a.length; });
    while (i < text.length) {
      var next = -1, word = "";
      marks.forEach(function (w) { var at = lower.indexOf(w, i); if (at >= 0 && (next < 0 || at < next)) { next = at; word = w; } });
      if (next < 0) { frag.appendChild(document.createTextNode(text.slice(i))); break; }
      frag.appendChild(document.createTextNode(text.slice(i, next)));
      var m = document.createElement("mark"); m.textContent = text.slice(next, next + word.length); frag.appendChild(m);
      i = next + word.length;
    }
    return frag;
  }
  function article(doc, words, level) {
    var a = document.createElement("a"), art = document.createElement("article"), h = document.createElement(level);
    a.href = new URL(doc[0], base).href; a.className = "md-search-result__link"; a.tabIndex = -1;
    art.className = "md-search-result__article md-typeset";
    h.appendChild(highlight(level === "h1" ? (doc[2] || doc[1]) : doc[1], words));
    art.appendChild(h);
    if (level === "h1" && doc[2] && doc[2] !== doc[1]) {
      var sub = document.createElement("p"); sub.className = "kefu-search__section"; sub.appendChild(highlight(doc[1], words));
      art.appendChild(sub);
    }
    var p = document.createElement("p"); p.appendChild(highlight(doc[3], words)); art.appendChild(p);
    a.appendChild(art);
    return a;
  }
  function show(query) {
    if (!index) { load().then(function () { show(input.value); }); return; }
    list.textContent = "";
    list.dataset.query = query;  // which query the list shows (tests and scripts wait for it)
    if (!query.trim()) { meta.textContent = "输入要找的内容"; return; }
    var found = search(query, index), words = [];
    found.groups.forEach(function (g) {
      if (g.partial) words.push(g.text); else g.words.forEach(function (a) { words.push(a.word); });
    });
    var pages = found.pages.slice(0, 12);
    meta.textContent = pages.length ? "找到 " + found.pages.length + " 个相关页面" : "没有找到相关内容：换个说法试试，或查术语表";
    pages.forEach(function (p) {
      var li = document.createElement("li");
      li.className = "md-search-result__item";
      li.appendChild(article(index.docs[p.sections[0].doc], words, "h1"));
      p.sections.slice(1, 3).forEach(function (s) { li.appendChild(article(index.docs[s.doc], words, "h2")); });
      list.appendChild(li);
    });
  }

  function open() { load(); setTimeout(function () { input.focus(); }, 50); }
  toggle.addEventListener("change", function () { if (toggle.checked) open(); });
  input.addEventListener("focus", function () {  // wide screens show the box in the header: focusing it opens the results
    if (!toggle.checked) toggle.checked = true;
    load();
  });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { show(input.value); }, 120);
  });
  root.querySelector("form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var first = list.querySelector("a");
    if (first) window.location.href = first.href;
  });
  root.querySelector("button[type=reset]").addEventListener("click", function () {
    setTimeout(function () { show(""); input.focus(); }, 0);
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape" && toggle.checked) { toggle.checked = false; input.blur(); }
    var typing = /input|textarea|select/i.test((ev.target.tagName || "")) || ev.target.isContentEditable;
    if (!typing && (ev.key === "/" || ev.key === "s") && !toggle.checked) { ev.preventDefault(); toggle.checked = true; open(); }
  });
  list.addEventListener("keydown", function (ev) {
    if (ev.key !== "ArrowDown" && ev.key !== "ArrowUp") return;
    var links = Array.prototype.slice.call(list.querySelectorAll("a")), at = links.indexOf(document.activeElement);
    var next = links[Math.max(0, Math.min(links.length - 1, at + (ev.key === "ArrowDown" ? 1 : -1)))];
    if (next) { ev.preventDefault(); next.focus(); }
  });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "ArrowDown") { var first = list.querySelector("a"); if (first) { ev.preventDefault(); first.focus(); } }
  });
  window.kefuSearch = { load: load, search: function (q) { return load().then(function (ix) { return search(q, ix); }); } };
})();
