/* 客服培训课程站 · 流程图：页面里有图时才加载，而且等图快滚到眼前才加载 Mermaid（本站自带的 ESM 版本，
 * 只取画流程图需要的分块），不阻塞页面显示，不请求任何其他网站。深色模式切换时重画。
 * 每张图下面有“放大查看”：在全屏层里按原大小显示，手机上可以拖动和双指缩放。 */
(function () {
  "use strict";
  var script = document.currentScript;
  var moduleUrl = new URL("../vendor/mermaid/mermaid.esm.min.js", script.src).href;
  var loading = null, count = 0;

  function dark() { return document.body.getAttribute("data-md-color-scheme") === "slate"; }
  function load() {
    if (!loading) {
      loading = import(moduleUrl).then(function (m) {
        var mermaid = m.default;
        window.kefuDiagrams.mermaid = mermaid;
        return mermaid;
      });
    }
    return loading;
  }

  function render(box) {
    var source = box.dataset.source;
    return load().then(function (mermaid) {
      mermaid.initialize({
        startOnLoad: false, securityLevel: "strict", theme: dark() ? "dark" : "default",
        fontFamily: getComputedStyle(document.body).fontFamily, flowchart: { htmlLabels: false, useMaxWidth: false }
      });
      return mermaid.render("kf-diagram-" + (++count), source);
    }).then(function (result) {
      var view = box.querySelector(".kf-view");
      view.innerHTML = result.svg;
      var svg = view.querySelector("svg");
      // natural width kept as the minimum: labels never shrink below 12 px (Mermaid draws them at 16 px)
      var width = parseFloat(svg.getAttribute("width")) || svg.viewBox.baseVal.width;
      svg.style.maxWidth = "100%"; svg.style.minWidth = Math.ceil(width * 0.75) + "px"; svg.style.height = "auto";
      svg.setAttribute("role", "img");
      svg.setAttribute("aria-label", box.dataset.label || "流程图");
      view.style.minHeight = "";
      box.dataset.drawn = dark() ? "dark" : "light";
      box.classList.add("kf-drawn");
    }).catch(function (error) {
      box.querySelector(".kf-view").textContent = "流程图无法显示：" + (error && error.message ? error.message : error);
      box.classList.add("kf-failed");
    });
  }

  // A flowchart's height, estimated before Mermaid draws it: its longest path of steps (ranks) times a
  // rank's height (134–198 px measured over the course's processes, times the 75% a phone draws at).
  // The box keeps that height until the diagram is drawn, so the text below does not jump on screen.
  function ranks(source) {
    var next = {}, nodes = {}, edge = /^\s*([\w-]+)\s*(?:[\[\{\(][^\n]*?[\]\}\)])?\s*-+>(?:\|[^|]*\|)?\s*([\w-]+)/gm, m;
    while ((m = edge.exec(source))) { (next[m[1]] = next[m[1]] || []).push(m[2]); nodes[m[1]] = nodes[m[2]] = 1; }
    var depth = {}, visiting = {};
    function longest(n) {  // longest path from n, back edges (loops) ignored
      if (depth[n] !== undefined) return depth[n];
      if (visiting[n]) return 0;
      visiting[n] = true;
      var best = 0;
      (next[n] || []).forEach(function (k) { best = Math.max(best, 1 + longest(k)); });
      visiting[n] = false;
      return (depth[n] = best);
    }
    var most = 0;
    Object.keys(nodes).forEach(function (n) { most = Math.max(most, longest(n) + 1); });
    return most;
  }
  function estimate(source, width) {
    var count = /^\s*(flowchart|graph)\s+(TD|TB)/m.test(source) ? ranks(source) : 0;
    return count ? Math.round(count * 134 * (width < 600 ? 0.75 : 1)) : 0;
  }

  function prepare(pre) {
    var source = pre.textContent, box = document.createElement("figure");
    box.className = "kf-diagram-box";
    box.dataset.source = source;
    var heading = pre.closest(".md-content") && (pre.closest("article").querySelector("h1") || {}).textContent;
    box.dataset.label = "流程图：" + (heading || "").trim();
    box.innerHTML = '<div class="kf-view" tabindex="0"></div>' +
      '<figcaption><button type="button" class="kf-zoom">放大查看</button></figcaption>';
    pre.parentNode.insertBefore(box, pre);
    pre.hidden = true;
    box.appendChild(pre);
    // a process page's diagram already has its place from the build (--kf-ranks, diagrams.css)
    var reserve = box.closest("[style*='--kf-ranks']") ? 0 : estimate(source, box.clientWidth);
    if (reserve) box.querySelector(".kf-view").style.minHeight = reserve + "px";
    box.querySelector(".kf-zoom").addEventListener("click", function () { zoom(box); });
    return box;
  }

  function zoom(box) {
    var svg = box.querySelector(".kf-view svg");
    if (!svg) return;
    var dialog = document.createElement("dialog");
    dialog.className = "kf-zoomed";
    dialog.setAttribute("aria-label", box.dataset.label + "（放大）");
    dialog.innerHTML = '<button type="button" class="kf-close">关闭</button><div class="kf-pan"></div>';
    var copy = svg.cloneNode(true);
    copy.style.minWidth = ""; copy.style.maxWidth = "none"; copy.style.width = copy.getAttribute("width") + "px";
    dialog.querySelector(".kf-pan").appendChild(copy);
    dialog.querySelector(".kf-close").addEventListener("click", function () { dialog.close(); });
    dialog.addEventListener("close", function () { dialog.remove(); box.querySelector(".kf-zoom").focus(); });
    document.body.appendChild(dialog);
    dialog.showModal();
  }

  function init() {
    var boxes = [].map.call(document.querySelectorAll("pre.kf-mermaid"), prepare);
    if (!boxes.length) return;
    var draw = function (box) { if (!box.dataset.queued) { box.dataset.queued = "1"; render(box); } };
    if ("IntersectionObserver" in window) {
      var seen = new IntersectionObserver(function (entries) {
        entries.forEach(function (e) { if (e.isIntersecting) { seen.unobserve(e.target); draw(e.target); } });
      }, { rootMargin: "300px" });
      boxes.forEach(function (box) { seen.observe(box); });
    } else {
      boxes.forEach(draw);
    }
    // Material's palette toggle: redraw in the other theme
    new MutationObserver(function () {
      boxes.forEach(function (box) {
        if (box.dataset.drawn && box.dataset.drawn !== (dark() ? "dark" : "light")) render(box);
      });
    }).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
  }

  window.kefuDiagrams = {
    load: load,
    parse: function (source) { return load().then(function (m) { return m.parse(source); }); }
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
