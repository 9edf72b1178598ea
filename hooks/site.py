"""MkDocs hooks: the thin adapter between MkDocs and the ``kefu`` core.

- feeds glossary terms to jieba so search keeps course terms (大客户, 首问负责制 …) whole;
- turns on macro rendering only for pages that call one of our macros, so Mermaid's
  ``{{ }}`` and attr_list's ``{#id}`` on other pages are never touched by Jinja;
- appends the glossary's abbreviations to every page (Material shows them as tooltips);
- adds page-specific assets (Mermaid, quiz script) only to the pages that need them.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.utils import get_relative_url

from kefu.flows import load_flows, load_roles
from kefu.glossary import abbreviation_lines, load_glossary, search_words
from kefu.problems import DataError
from kefu.site_macros import MACROS
from kefu.yamlio import YamlFileError, load_yaml_file

_ROOT = Path(__file__).resolve().parent.parent
_MACRO_CALL = re.compile(r"\{\{\s*(" + "|".join(map(re.escape, MACROS)) + r")\s*\(")
# marker in the built HTML -> (scripts, stylesheets) that page needs
_PAGE_ASSETS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    'class="mermaid"': (("assets/vendor/mermaid/mermaid.min.js",), ()),
    'class="kq-quiz"': (("assets/quiz/quiz.js",), ("assets/quiz/quiz.css",)),
    'class="ks-staffing"': (("assets/staffing/staffing.js",), ("assets/staffing/staffing.css",)),
    'class="kp-progress"': (("assets/progress/progress.js",), ("assets/progress/progress.css",)),
}
_abbreviations = ""


def _glossary_path(config) -> Path:
    return Path(config.config_file_path).resolve().parent / "data" / "glossary.yml"


@event_priority(100)  # before Material's search plugin builds its index with jieba
def on_config(config):
    global _abbreviations
    try:
        terms = load_glossary(_glossary_path(config))
    except DataError as exc:
        raise PluginError(str(exc)) from None
    try:
        import jieba

        jieba.setLogLevel(logging.WARNING)  # its "Building prefix dict" lines are noise
    except ImportError:
        raise PluginError("缺少 jieba：中文搜索无法分词。请运行 make serve / make build 安装依赖。") from None
    for word in search_words(terms):
        jieba.add_word(word)
    _abbreviations = abbreviation_lines(terms)
    return config


@event_priority(100)  # before mkdocs-macros decides whether to render the page
def on_page_markdown(markdown, page, config, files):
    if "render_macros" not in page.meta and _MACRO_CALL.search(markdown):
        page.meta["render_macros"] = True
    if _abbreviations:
        markdown = f"{markdown}\n\n{_abbreviations}\n"
    return markdown


# A line break inside a Chinese paragraph becomes a visible space in the browser ("员。 六周里");
# join such lines in the HTML, leaving <pre> blocks (code, Mermaid sources) as they are.
_CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef\u201c\u201d"
_INLINE = r"(?:a|strong|em|code|abbr|span|b|i)\b"
_CJK_BREAK = re.compile(
    f"(?<=[{_CJK}])\\n[ \\t]*(?=[{_CJK}]|<{_INLINE})"  # 中文\n中文, 中文\n<a>
    f"|(?<=</a>)\\n[ \\t]*(?=[{_CJK}])|(?<=</strong>)\\n[ \\t]*(?=[{_CJK}])"  # </a>\n中文
)
_PRE = re.compile(r"(<pre\b.*?</pre>)", re.DOTALL)


def on_page_content(html, page, config, files):
    parts = _PRE.split(html)
    return "".join(part if i % 2 else _CJK_BREAK.sub("", part) for i, part in enumerate(parts))


def on_files(files, config):
    """One page per process, flows/<id>.md, generated from flows/<id>.yml (no file to forget)."""
    root = Path(config.config_file_path).resolve().parent
    try:
        flows = load_flows(root / "flows", load_roles(root / "roles"))
    except DataError as exc:
        raise PluginError(str(exc)) from None
    for flow in flows.values():
        _generate(files, config, f"flows/{flow.id}.md", flow.title, f'process("{flow.id}")')
    # One 培训任务 page per cohort file; the macro validates it against the banks and roles.
    for path in sorted((root / "assignments").glob("*.yml")):
        _generate(files, config, f"assignments/{path.stem}.md", f"培训任务：{_cohort(path)}",
                  f'assignment("{path.stem}")')
    return files


def _generate(files, config, src_uri: str, title: str, macro_call: str) -> None:
    quoted = json.dumps(title, ensure_ascii=False)  # a JSON string is valid YAML
    content = f"---\ntitle: {quoted}\n---\n\n# {title}\n\n{{{{ {macro_call} }}}}\n"
    files.append(File.generated(config, src_uri, content=content, inclusion=InclusionLevel.NOT_IN_NAV))


def _cohort(path: Path) -> str:
    """The page title; a broken file gets its id here and a precise error from the macro."""
    try:
        data = load_yaml_file(path)
    except (YamlFileError, OSError):
        return path.stem
    cohort = data.get("cohort") if isinstance(data, dict) else None
    return cohort.strip() if isinstance(cohort, str) and cohort.strip() else path.stem


def on_post_page(output, page, config):
    tags = []
    for marker, (scripts, styles) in _PAGE_ASSETS.items():
        if marker in output:
            tags += [f'<link rel="stylesheet" href="{_url(s, page)}">' for s in styles]
            tags += [f'<script src="{_url(s, page)}"></script>' for s in scripts]
    if not tags:
        return output
    # In <head>, before Material's bundle: Material then uses the global `mermaid`
    # instead of fetching it from a CDN.
    return output.replace("</head>", "\n".join(tags) + "\n</head>", 1)


def _url(path: str, page) -> str:
    return get_relative_url(path, page.url)
