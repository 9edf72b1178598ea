"""The ``kefu`` MkDocs plugin: the thin adapter between MkDocs and the course domain (``kefu``).

It owns the one :class:`kefu.course.Course` of a build, which the macros (``macros/__init__.py``)
and every page renderer read, and it

- feeds glossary terms to jieba so search keeps course terms (大客户, 首问负责制 …) whole;
- turns on macro rendering only for pages that call a macro the macros plugin knows (or use
  ``{{ company.… }}``), so Mermaid's ``{{ }}`` and attr_list's ``{#id}`` elsewhere stay as written;
- appends the glossary's abbreviations to every page (Material shows them as tooltips);
- generates one page per process and per 培训任务;
- makes ``mkdocs serve`` watch the data folders and the site code;
- adds page-specific assets (Mermaid, quiz script …) only to the pages that need them.

A data problem stops the build with every ``file:line: id: reason`` and no traceback.
"""

from __future__ import annotations

import contextlib
import copy
import json
import logging
import re
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from kefu.course import Course, relative_link
from kefu.org.glossary import abbreviation_lines, search_words, synonyms
from kefu.problems import DataError
from kefu.search import SearchIndex, Segmenter, load_jieba
from macros.registry import page_url
from macros.render_cache import RenderCache
from macros.sections import page_sections

log = logging.getLogger("mkdocs.plugins.kefu")
# before Material's search plugin imports jieba and its pkg_resources warning reaches the build log;
# without jieba, on_config says what to do
with contextlib.suppress(ImportError):
    load_jieba()
_segmenter: Segmenter | None = None

# marker in the built HTML -> (scripts, stylesheets) that page needs
PAGE_ASSETS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    'class="kf-mermaid"': (("assets/diagrams/diagrams.js",), ("assets/diagrams/diagrams.css",)),
    'class="kq-quiz"': (("assets/quiz/quiz.js",), ("assets/quiz/quiz.css",)),
    'class="ks-staffing"': (("assets/staffing/staffing.js",), ("assets/staffing/staffing.css",)),
    'class="kp-progress"': (("assets/progress/progress.js",), ("assets/progress/progress.css",)),
    'class="kr-route"': (("assets/progress/route.js",), ("assets/progress/progress.css",)),
}


DATA_FOLDERS = ("quizzes", "flows", "roles", "assignments", "data")


class CourseConfig(base.Config):
    # where quizzes/, flows/, roles/, assignments/ and data/ live (default: beside mkdocs.yml)
    data_root = c.Optional(c.Dir(exists=True))
    # one page per process (flows/<id>/) and per 培训任务 (assignments/<id>/)
    generate_pages = c.Type(bool, default=True)


class CoursePlugin(BasePlugin[CourseConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.course: Course | None = None
        self._abbreviations = ""
        self._macro_call: re.Pattern[str] | None = None
        self.module_pages: dict[str, list[str]] = {}  # module slug → its pages in navigation order
        self._render_cache: RenderCache | None = None  # only under mkdocs serve

    def on_startup(self, *, command, dirty):
        """Under ``mkdocs serve`` this plugin lives across rebuilds: keep the converted pages."""
        self._render_cache = RenderCache() if command == "serve" else None

    @event_priority(100)  # before Material's search (jieba words) and mkdocs-macros (define_env)
    def on_config(self, config):
        root = Path(self.config.data_root or Path(config.config_file_path).resolve().parent)
        try:
            self.course = Course.load(root)
            terms = self.course.glossary
        except DataError as exc:
            raise PluginError(str(exc)) from None
        try:
            load_jieba()
        except ImportError:
            raise PluginError("缺少 jieba：中文搜索无法分词。请运行 make serve / make build 安装依赖。") from None
        global _segmenter  # kept across the rebuilds of mkdocs serve: its cuts are cached per text
        if _segmenter is None or _segmenter.glossary != search_words(terms):
            _segmenter = Segmenter(search_words(terms))
        homes = {name: page_url(t.page, config.use_directory_urls) for t in terms if t.page for name in t.names}
        self._index = SearchIndex(_segmenter, synonyms(terms), homes)
        self._abbreviations = abbreviation_lines(terms)
        self._macro_call = None
        if self.config.generate_pages:
            config.nav = self._nav_with_generated_pages(config.nav)
        return config

    def _nav_with_generated_pages(self, nav):
        """Process pages under 流程 (by module) and 培训任务 pages under 培训任务, with sidebar and previous/next."""
        course = self._course()
        flows_by_module = [{module: [{f.title: f"flows/{f.id}.md"} for f in sorted(course.flows.values(),
                                                                                  key=lambda f: f.id)
                                     if f.module == module]} for module in course.module_pages]
        sections = {
            "flows/index.md": ["flows/index.md", *[group for group in flows_by_module if next(iter(group.values()))]],
            "assignments/index.md": ["assignments/index.md", *[{a.cohort: f"assignments/{a.id}.md"}
                                                              for a in course.assignments.values()]],
        }

        def walk(items):
            out = []
            for item in items or []:
                if isinstance(item, dict):
                    (title, value), = item.items()
                    if isinstance(value, str) and value in sections:
                        out.append({title: sections[value]})
                    else:
                        out.append({title: walk(value) if isinstance(value, list) else value})
                else:
                    out.append(item)
            return out

        return walk(nav) if nav else nav

    def on_nav(self, nav, config, files):
        """Each module's pages in the order the navigation lists them, for 下一步 at the end of a module."""
        course = self._course()
        self.module_pages = {m.slug: [p.file.src_uri for p in nav.pages
                                       if p.file.src_uri.startswith(f"modules/{m.slug}/")] for m in course.modules}
        if self._render_cache is not None:  # the file list is final here, and no page is converted yet
            self._render_cache.start_build(config, files)
        return nav

    def on_serve(self, server, config, builder):
        """``mkdocs serve`` rebuilds when course data or the site code changes, not only docs/."""
        root = self._course().root
        for folder in (*DATA_FOLDERS, "kefu", "macros"):
            if (root / folder).is_dir():
                server.watch(str(root / folder))
        return server

    def on_files(self, files, config):
        """One page per process, flows/<id>.md, and per cohort, assignments/<id>.md (no file to forget)."""
        if not self.config.generate_pages:
            return files
        course = self._course()
        for flow in course.flows.values():
            _generate(files, config, f"flows/{flow.id}.md", flow.title, f'process("{flow.id}")')
        for assignment in course.assignments.values():
            _generate(files, config, f"assignments/{assignment.id}.md", f"培训任务：{assignment.cohort}",
                      f'assignment("{assignment.id}")')
        return files

    def on_env(self, env, config, files):
        if self._render_cache is not None:
            env.bytecode_cache = self._render_cache.templates
        return env

    @event_priority(100)  # before mkdocs-macros decides whether to render the page
    def _prepare_markdown(self, markdown, page, config, files):
        if "render_macros" not in page.meta and self._calls_macro(config).search(markdown):
            page.meta["render_macros"] = True
        self._search_weight(page)
        markdown = self._reading_time(markdown, page) + self._next_step(page)
        if self._abbreviations:
            markdown = f"{markdown}\n\n{self._abbreviations}\n"
        return markdown

    @event_priority(-100)  # after mkdocs-macros: the Markdown exactly as it will be converted
    def _reuse_rendered(self, markdown, page, config, files):
        """Under mkdocs serve, a page converted before from the same Markdown is not converted again."""
        if self._render_cache is None:
            return markdown
        key = self._render_cache.key(page, markdown)
        rendered = self._render_cache.lookup(page, key)
        page.kefu_render = (key, rendered)
        return "" if rendered else markdown

    on_page_markdown = CombinedEvent(_prepare_markdown, _reuse_rendered)

    def _reading_time(self, markdown: str, page) -> str:
        """Topic pages say how long they take to read (about 400 Chinese characters a minute)."""
        src = page.file.src_uri
        if not (src.startswith("modules/") and not src.endswith("/index.md")):
            return markdown
        minutes = max(1, round(len(_HAN.findall(markdown)) / 400))
        note = f'<p class="kr-reading">阅读约 {minutes} 分钟</p>'
        return _H1.sub(lambda m: f"{m.group(0)}\n{note}\n", markdown, count=1)

    def _next_step(self, page) -> str:
        """下一步 at the end of a module's last page (to its quizzes) and on a quiz page (back, and on)."""
        course, src = self._course(), page.file.src_uri
        module = next((m for m in course.modules if src.startswith(f"modules/{m.slug}/")), None)
        pages = self.module_pages.get(module.slug, []) if module else []
        if module and pages and src == pages[-1] and module.quizzes:
            quizzes = "、".join(f"[{course.banks[q].title}]({relative_link(course.quiz_page(q), src)})"
                               for q in module.quizzes if q in course.banks)
            return (f'\n\n!!! success "下一步：做本模块的测验"\n    读完{module.name}了。去做{quizzes}，'
                    "练习可以反复检查，看看哪里还没掌握。\n")
        bank_id = src.removeprefix("quizzes/").removesuffix(".md") if src.startswith("quizzes/") else None
        owner = next((m for m in course.modules if bank_id in m.quizzes), None) if bank_id else None
        if owner is None:
            return ""
        track = [m for m in course.modules if m.track == owner.track]
        later = track[track.index(owner) + 1:]
        back = relative_link(owner.overview, src)
        text = f"\n\n!!! info \"这个测验属于{owner.name}\"\n    [回到{owner.name}]({back})"
        if later:
            text += f"；做完后继续下一个模块：[{later[0].name}]({relative_link(later[0].overview, src)})"
        return text + "。\n"

    def _search_weight(self, page) -> None:
        """Quiz pages rank below the pages that teach; exam pages stay out of search altogether."""
        if "search" in page.meta or not page.file.src_uri.startswith("quizzes/"):
            return
        bank = self._course().banks.get(page.file.src_uri.removeprefix("quizzes/").removesuffix(".md"))
        if bank is not None:
            page.meta["search"] = {"exclude": True} if bank.mode == "exam" else {"boost": 0.5}

    def _calls_macro(self, config) -> re.Pattern[str]:
        """A call of any macro the macros plugin registered, or a ``{{ company.… }}`` variable."""
        if self._macro_call is None:
            macros_plugin = config.plugins.get("macros")
            names = sorted(getattr(macros_plugin, "macros", None) or {})
            alternatives = "|".join(map(re.escape, names)) or "(?!)"
            self._macro_call = re.compile(r"\{\{\s*(?:(?:" + alternatives + r")\s*\(|company\.)")
        return self._macro_call

    @event_priority(100)  # first: the other handlers see the page's real HTML
    def on_page_content(self, html, page, config, files):
        key, rendered = getattr(page, "kefu_render", (None, None))
        if rendered is not None:
            html = RenderCache.restore(page, rendered, files)
        elif key is not None:
            self._render_cache.store(page, key, html)
        parts = _PRE.split(html)
        html = "".join(part if i % 2 else _CJK_BREAK.sub("", part) for i, part in enumerate(parts))
        self._add_to_search(html, page)
        return html

    def _add_to_search(self, html: str, page) -> None:
        """The course's own index (kefu.search); Material's index is left empty, so nothing loads it."""
        own = page.meta.get("search") or {}
        page.meta["search"] = {"exclude": True}
        if own.get("exclude") or page.file.src_uri == "404.md":
            return
        quiz = page.file.src_uri.startswith("quizzes/") and page.file.src_uri != "quizzes/index.md"
        title = str(page.meta.get("title") or page.title or "")
        sections = (self._render_cache.page_sections(html, quiz, page_sections) if self._render_cache
                    else page_sections(html, quiz))
        self._index.add_page(page.url, title, sections, float(own.get("boost", 1.0)))

    def on_post_build(self, config):
        """search/kefu-index.json for the search box (and .js for a site opened from disk)."""
        folder = Path(config.site_dir) / "search"
        folder.mkdir(parents=True, exist_ok=True)
        text = self._index.json()
        (folder / "kefu-index.json").write_text(text, encoding="utf-8")
        (folder / "kefu-index.js").write_text(f"window.__kefuSearchIndex={text};\n", encoding="utf-8")

    def on_page_context(self, context, page, config, nav):
        """Long sidebar lists are cut to the part around this page: page size stays flat as the course grows."""
        context["nav"] = sidebar_window(nav, SIDEBAR_LIMIT)
        return context

    def on_post_page(self, output, page, config):
        output = squeeze(output)
        tags = []
        for marker, (scripts, styles) in PAGE_ASSETS.items():
            if marker in output:
                tags += [f'<link rel="stylesheet" href="{_url(s, page)}">' for s in styles]
                tags += [f'<script src="{_url(s, page)}" defer></script>' for s in scripts]
        if not tags:
            return output
        return output.replace("</head>", "\n".join(tags) + "\n</head>", 1)

    def _course(self) -> Course:
        if self.course is None:
            raise PluginError("kefu 插件尚未载入课程数据（on_config 没有运行）")
        return self.course


SIDEBAR_LIMIT = 30  # entries one sidebar list shows; every list of today's course is shorter
# where whitespace is content: left exactly as written
_VERBATIM = re.compile(r"(<(pre|textarea|script|style)\b.*?</\2>)", re.DOTALL | re.IGNORECASE)
_BLANK_RUN = re.compile(r"[ \t]*\n\s*")


def squeeze(html: str) -> str:
    """Runs of whitespace that hold a line break become one line break (the theme's templates indent
    deeply: a third of a page's navigation was spaces); the browser shows the page exactly as before."""
    parts = _VERBATIM.split(html)
    # split() yields text, then for each match the whole element and its tag name
    return "".join(_BLANK_RUN.sub("\n", part) if i % 3 == 0 else part for i, part in enumerate(parts)
                   if i % 3 != 2)


def sidebar_window(nav: Navigation, limit: int) -> Navigation:
    """``nav`` with each list on the current page's path cut to ``limit`` entries around the current one.

    With navigation.prune only those lists are drawn, so a page's navigation no longer grows with the
    number of modules or quizzes; the cut list ends with a link to all of them (the section's index page,
    or its first page). ``nav`` itself is shared by every page and stays untouched.
    """
    items = _window(nav.items, limit)
    if items is nav.items:
        return nav
    trimmed = copy.copy(nav)
    trimmed.items = items
    return trimmed


def _window(items: list, limit: int) -> list:
    out, changed = [], False
    for item in items:
        if isinstance(item, Section) and item.active:
            children = _window(item.children, limit)
            if len(children) > limit:
                children = _cut(item, children, limit)
            if children is not item.children:
                item = copy.copy(item)
                item.children = children
                changed = True
        out.append(item)
    return out if changed else items


def _cut(section: Section, children: list, limit: int) -> list:
    at = next((i for i, child in enumerate(children) if child.active), 0)
    start = max(0, min(at - (limit - 1) // 2, len(children) - (limit - 1)))
    first = next((c for c in section.children if isinstance(c, Page)), None)
    shown = children[start:start + limit - 1]
    if first is not None:
        shown.append(Link(f"查看全部（共 {len(children)} 项）", first.url))
    return shown


# A line break inside a Chinese paragraph becomes a visible space in the browser ("员。 六周里");
# join such lines in the HTML, leaving <pre> blocks (code, Mermaid sources) as they are.
_CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef\u201c\u201d"
_INLINE = r"(?:a|strong|em|code|abbr|span|b|i)\b"
_CJK_BREAK = re.compile(
    f"(?<=[{_CJK}])\\n[ \\t]*(?=[{_CJK}]|<{_INLINE})"  # 中文\n中文, 中文\n<a>
    f"|(?<=</a>)\\n[ \\t]*(?=[{_CJK}])|(?<=</strong>)\\n[ \\t]*(?=[{_CJK}])"  # </a>\n中文
)
_PRE = re.compile(r"(<pre\b.*?</pre>)", re.DOTALL)
_HAN = re.compile(r"[\u4e00-\u9fff]")
_H1 = re.compile(r"^# .+$", re.MULTILINE)


def _generate(files, config, src_uri: str, title: str, macro_call: str) -> None:
    quoted = json.dumps(title, ensure_ascii=False)  # a JSON string is valid YAML
    content = f"---\ntitle: {quoted}\n---\n\n# {title}\n\n{{{{ {macro_call} }}}}\n"
    files.append(File.generated(config, src_uri, content=content, inclusion=InclusionLevel.INCLUDED))


def _url(path: str, page) -> str:
    return get_relative_url(path, page.url)
