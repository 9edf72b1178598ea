"""``mkdocs serve``: a page whose Markdown did not change is not converted again.

Saving one page makes ``mkdocs serve`` rebuild the whole site, and converting Markdown to HTML is most
of that work. The key is the page's Markdown *after* the macros ran, so a bank, process or company
profile change that alters what a macro writes still converts the page again; the site's file list,
mkdocs.yml and the snippet files are in the key too, because links, anchors and included text depend
on them. What conversion leaves on the page besides the HTML (table of contents, title, anchors, links to
other pages' anchors, which MkDocs checks after the build in strict mode) is kept and put back.
``mkdocs build`` always converts every page.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from jinja2 import BytecodeCache
from mkdocs.structure.toc import TableOfContents


@dataclass
class Rendered:
    html: str
    toc: TableOfContents
    title: str | None
    anchors: set[str] | None
    links_to_anchors: dict[str, dict[str, str]] | None  # by the linked file's src_uri


class MemoryBytecodeCache(BytecodeCache):
    """The theme's templates compiled once: MkDocs makes a new Jinja environment for every build."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


class RenderCache:
    def __init__(self) -> None:
        self.pages: dict[str, tuple[str, Rendered]] = {}  # src_uri → (key, what conversion left)
        self.sections: dict[str, list] = {}  # a page's HTML → its sections for the search index
        self.templates = MemoryBytecodeCache()
        self.world = ""
        self.reused = 0  # pages this build took from the cache

    def start_build(self, config, files) -> None:
        """What every page's conversion depends on besides its own Markdown."""
        digest = hashlib.sha1()
        for name in sorted(f.src_uri for f in files):
            digest.update(name.encode() + b"\0")
        config_file = Path(config.config_file_path)
        digest.update(config_file.read_bytes())
        snippets = Path(config.docs_dir) / "_snippets"
        for path in sorted(snippets.rglob("*")) if snippets.is_dir() else ():
            if path.is_file():
                digest.update(path.name.encode() + path.read_bytes())
        self.world = digest.hexdigest()
        self.reused = 0

    def page_sections(self, html: str, quiz: bool, cut) -> list:
        """``cut(html, quiz)``, remembered: the same HTML gives the same sections."""
        key = f"{quiz}\0{html}"
        if key not in self.sections:
            if len(self.sections) > 2000:  # a long editing session: forget old versions of pages
                self.sections.clear()
            self.sections[key] = cut(html, quiz)
        return self.sections[key]

    def key(self, page, markdown: str) -> str:
        return hashlib.sha1(f"{self.world}\0{page.file.src_uri}\0{markdown}".encode()).hexdigest()

    def lookup(self, page, key: str) -> Rendered | None:
        entry = self.pages.get(page.file.src_uri)
        if entry and entry[0] == key:
            self.reused += 1
            return entry[1]
        return None

    def store(self, page, key: str, html: str) -> None:
        links = {f.src_uri: dict(anchors) for f, anchors in (page.links_to_anchors or {}).items()}
        self.pages[page.file.src_uri] = (key, Rendered(html, page.toc, page._title_from_render,
                                                       set(page.present_anchor_ids or ()), links))

    @staticmethod
    def restore(page, rendered: Rendered, files) -> str:
        page.toc = rendered.toc
        page._title_from_render = rendered.title
        page.present_anchor_ids = set(rendered.anchors or ())
        if rendered.links_to_anchors is not None:
            page.links_to_anchors = {files.get_file_from_path(src): anchors for src, anchors
                                     in rendered.links_to_anchors.items() if files.get_file_from_path(src)}
        return rendered.html
