"""Compare the text learners see on every page of two built sites (before/after a refactor).

    python scripts/compare_sites.py site-before/ site-after/

Prints each page whose visible text differs (with the first differing lines) and pages present
in only one build. Exit status: 0 same text everywhere, 1 differences, 2 usage error.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import TextIO


class _Text(HTMLParser):
    """Visible text of a page: no scripts, styles or the search index; one line per block."""

    SKIP = frozenset({"script", "style", "template"})
    BLOCK = frozenset({"p", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "div", "pre", "dt", "dd", "br", "td", "th"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def page_text(path: Path) -> list[str]:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    text = "".join(parser.parts)
    return [line for line in (re.sub(r"\s+", " ", raw).strip() for raw in text.splitlines()) if line]


def compare(before: Path, after: Path, out: TextIO) -> int:
    pages_before = {p.relative_to(before) for p in before.rglob("*.html")}
    pages_after = {p.relative_to(after) for p in after.rglob("*.html")}
    differences = 0
    for rel in sorted(pages_before ^ pages_after):
        print(f"{rel}: 只在{'前' if rel in pages_before else '后'}一个构建中", file=out)
        differences += 1
    for rel in sorted(pages_before & pages_after):
        a, b = page_text(before / rel), page_text(after / rel)
        if a != b:
            differences += 1
            diff = list(difflib.unified_diff(a, b, lineterm="", n=0))[2:8]
            print(f"{rel}: 文字不同\n  " + "\n  ".join(diff), file=out)
    print(f"比较了 {len(pages_before & pages_after)} 页，{differences} 处不同。", file=out)
    return 1 if differences else 0


def main(argv: list[str] | None = None, stdout: TextIO = sys.stdout) -> int:
    parser = argparse.ArgumentParser(description="比较两次构建中每一页学员看到的文字。")
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return 0 if exc.code == 0 else 2
    for folder in (args.before, args.after):
        if not folder.is_dir():
            print(f"{folder}：不是文件夹", file=sys.stderr)
            return 2
    return compare(args.before, args.after, stdout)


if __name__ == "__main__":
    sys.exit(main())
