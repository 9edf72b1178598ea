"""The course's own search index: sections of pages, the words in them, and how much each word weighs.

Chinese text is cut into words by jieba with the glossary's terms kept whole; the page's search
script cuts a query the most probable way over the same vocabulary (the words and their counts
are in the index), so both sides agree. Latin and Chinese are split apart, full-width punctuation
separates words, and a word in a page title or heading weighs more than one in the body. The
pinyin of every Chinese character of the vocabulary lets a query with a homophone typo (抱修) find
the word (报修).

The index is written as compact JSON (UTF-8, not ``\\uXXXX``) and downloaded only when a learner opens
the search box.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

INDEX_VERSION = 1
_HAN = re.compile(r"[\u3400-\u9fff]+")
_TOKEN = re.compile(r"[\u3400-\u9fff]+|[a-z0-9]+(?:[.][0-9]+)?")
# a word in the page title or a heading adds this much to its weight in that section (weights run 1–9)
HEADLINE_WEIGHT = {"page": 5, "heading": 3}
SNIPPET = 110  # characters of a section shown under its title in the results


@dataclass
class Section:
    location: str  # URL relative to the site root, with #anchor
    title: str  # the section's heading (the page title for the first section)
    page_title: str
    text: str
    boost: float = 1.0
    words: Counter = field(default_factory=Counter)  # word → times it occurs in the text
    headline: dict[str, int] = field(default_factory=dict)  # word in the page title or the heading → its bonus


class Segmenter:
    """jieba with the glossary's terms; cuts are cached per text (mkdocs serve rebuilds reuse them)."""

    def __init__(self, words: Iterable[str] = ()) -> None:
        self.jieba = load_jieba()
        for word in words:
            self.jieba.add_word(word)
        self.cache: dict[str, list[str]] = {}
        self.glossary: list[str] = list(words)

    def words(self, text: str) -> list[str]:
        text = normalize(text)
        cached = self.cache.get(text)
        if cached is not None:
            return cached
        out = []
        for token in _TOKEN.findall(text):
            if _HAN.fullmatch(token):
                out += [w for w in self.jieba.cut(token, HMM=False) if w.strip()]
            else:
                out.append(token)
        self.cache[text] = out
        return out


def load_jieba():
    """jieba, quietly: it warns about its own use of pkg_resources and logs its dictionary loading."""
    import logging
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        import jieba
    jieba.setLogLevel(logging.WARNING)
    return jieba


def normalize(text: str) -> str:
    """Full-width to half-width, lower case: what both the index and the query compare."""
    return unicodedata.normalize("NFKC", text).lower()


class SearchIndex:
    def __init__(self, segmenter: Segmenter, synonyms: Iterable[Iterable[str]] = (),
                 homes: dict[str, str] | None = None) -> None:
        """``synonyms``: groups of words that mean the same (a glossary term, its abbreviation, its other
        names); ``homes``: a word → the URL of the page that teaches it (the glossary's ``page``)."""
        self.segmenter = segmenter
        self.sections: list[Section] = []
        self.synonyms = [[normalize(w) for w in group] for group in synonyms]
        self.homes = {normalize(word): url for word, url in (homes or {}).items()}

    def add_page(self, location: str, page_title: str, sections: list[tuple[str, str, str]],
                 boost: float = 1.0) -> None:
        """``sections``: (anchor, heading, text) in page order; the first has no heading of its own."""
        for number, (anchor, heading, text) in enumerate(sections):
            section = Section(f"{location}#{anchor}" if anchor else location, heading or page_title, page_title,
                              " ".join(text.split()), boost)
            # the page title counts once, in the page's own section: repeating it in every section would
            # make a word of a long page's title look common and rank the page by its length
            if number == 0:
                section.headline = dict.fromkeys(self.segmenter.words(page_title), HEADLINE_WEIGHT["page"])
            elif heading:
                section.headline = dict.fromkeys(self.segmenter.words(heading), HEADLINE_WEIGHT["heading"])
            section.words.update(self.segmenter.words(text))
            if section.words or section.headline:
                self.sections.append(section)

    def data(self) -> dict:
        """The index as the page script reads it.

        ``words``: [word, count, gap, weight, gap, weight …] — section numbers as gaps from the previous
        one and weights of 1–9 keep the file small; a word found in most sections says little about
        any of them, so it keeps its count (for cutting queries) and only the sections whose title or
        heading holds it. ``synonyms``: the glossary's terms with their abbreviations and other names.
        """
        postings: dict[str, list[tuple[int, int]]] = {}
        counts: Counter = Counter()
        for number, section in enumerate(self.sections):
            length = sum(section.words.values())
            for word in section.words.keys() | section.headline.keys():
                times = section.words[word]
                # a long section repeats words by sheer length: damp it (as BM25 does); a title is short
                body = times * 2.2 / (times + 1.2 * (0.25 + 0.75 * length / 300)) if times else 0
                weight = min(9, max(1, round(2 * body) + section.headline.get(word, 0)))
                postings.setdefault(word, []).append((number, weight))
                counts[word] += times + (word in section.headline)
        common = 0.4 * len(self.sections)
        rows = []
        for word in sorted(postings):
            row = [word, math.ceil(counts[word])]
            kept = postings[word]
            if len(kept) > common:
                kept = [(n, w) for n, w in kept if word in self.sections[n].headline]
            previous = 0
            for number, weight in kept:
                row += [number - previous, weight]
                previous = number
            rows.append(row)
        characters = sorted({ch for word in postings for ch in word if _HAN.fullmatch(ch)})
        return {
            "version": INDEX_VERSION,
            "docs": [[s.location, s.title, s.page_title if s.page_title != s.title else "", snippet(s.text),
                      s.boost] for s in self.sections],
            "words": rows,
            "common": {word: len(postings[word]) for word in postings if len(postings[word]) > common},
            "synonyms": [group for group in self.synonyms if any(w in postings for w in group)],
            "homes": self.homes,
            "pinyin": pinyin_table(characters),
        }

    def json(self) -> str:
        return json.dumps(self.data(), ensure_ascii=False, separators=(",", ":"))


def snippet(text: str) -> str:
    return text if len(text) <= SNIPPET else text[:SNIPPET].rstrip() + "…"


def pinyin_table(characters: list[str]) -> str:
    """``字:zi,…`` — the toneless pinyin of each character (homophones share it)."""
    from pypinyin import lazy_pinyin

    return ",".join(f"{ch}:{py}" for ch, py in zip(characters, lazy_pinyin(characters), strict=True))
