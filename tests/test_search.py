"""Site search (kefu/search.py builds the index, docs/assets/search/search.js answers queries).

Fast checks on the index the build writes and on the pieces of Material it relies on; browser checks
type the query set of tests/search_queries.yml into the real search box, as scripts/search_report.py
does, and measure what a first visit downloads for search.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from kefu.search import SearchIndex, Segmenter, normalize
from search_report import TOP1, TOP5, first_visit_bytes, load_queries, run_queries, summary
from sitebuilder import ROOT

QUERIES = ROOT / "tests" / "search_queries.yml"


def index_of(site: Path) -> dict:
    return json.loads((site / "search" / "kefu-index.json").read_text(encoding="utf-8"))


# --------------------------------------------------------------- the index, without a browser


@pytest.fixture(scope="module")
def segmenter() -> Segmenter:
    return Segmenter(["首问负责制", "一次解决率"])


def test_glossary_terms_stay_whole_and_full_width_text_is_normalised(segmenter):
    assert "首问负责制" in segmenter.words("坚持首问负责制，不推诿")
    assert segmenter.words("一次解决率（FCR）") == ["一次解决率", "fcr"]
    assert normalize("（ＮＰＳ）") == "(nps)"


def test_postings_are_gap_encoded_and_titles_weigh_more_than_body_text(segmenter):
    index = SearchIndex(segmenter)
    index.add_page("a/", "首问负责制", [("", "", "客户不满意时怎么办。")])
    index.add_page("b/", "回访", [("", "", "回访时说明首问负责制的做法。"), ("x", "电话回访", "先核对身份。")])
    for n in range(3):  # other pages, so that 首问负责制 is not in most sections
        index.add_page(f"c{n}/", "排班", [("", "", "按话务量排班。")])
    data = index.data()
    assert [d[0] for d in data["docs"]][:3] == ["a/", "b/", "b/#x"]
    rows = {row[0]: row for row in data["words"]}
    # 首问负责制 is in section 0 (title) and section 1 (body): gaps 0, 1
    row = rows["首问负责制"]
    assert row[2::2] == [0, 1]
    title_weight, body_weight = row[3], row[5]
    assert title_weight > body_weight
    assert rows["回访"][2::2] == [1, 1]  # sections 1 and 2


def test_words_in_most_sections_keep_only_their_headline_postings(segmenter):
    index = SearchIndex(segmenter)
    for n in range(5):
        index.add_page(f"p{n}/", "客户" if n == 0 else f"第{n}页", [("", "", "客户的要求")])
    data = index.data()
    row = next(r for r in data["words"] if r[0] == "客户")
    assert data["common"]["客户"] == 5 and row[2::2] == [0]  # only the page titled 客户 keeps it


def test_synonyms_and_teaching_pages_reach_the_index(segmenter):
    homes = {"一次解决率": "m/metrics/", "FCR": "m/metrics/"}
    index = SearchIndex(segmenter, [["一次解决率", "fcr", "首次解决率"]], homes)
    index.add_page("m/metrics/", "指标", [("", "", "一次解决率怎么算")])
    data = index.data()
    assert data["synonyms"] == [["一次解决率", "fcr", "首次解决率"]]
    assert data["homes"] == {"一次解决率": "m/metrics/", "fcr": "m/metrics/"}


def test_the_built_index_is_small_readable_and_leaves_out_exams(real_site):
    raw = (real_site.site / "search" / "kefu-index.json").read_bytes()
    assert len(gzip.compress(raw, 9)) <= 300 * 1024, "搜索索引压缩后超过 300 KB"
    assert b"\\u" not in raw  # Chinese written as UTF-8, not escapes
    data = index_of(real_site.site)
    locations = {d[0].split("#")[0] for d in data["docs"]}
    assert not any(re.match(r"quizzes/.+-exam/", page) for page in locations), "考试页不应出现在搜索结果里"
    assert {"modules/complaints/handling/", "glossary/", "roles/complaint-specialist/"} <= locations
    assert "404.html" not in locations
    words = {row[0] for row in data["words"]}
    assert {"首问负责制", "大客户", "话务量", "fcr"} <= words
    # the page script for a site opened from disk holds the same index
    script = (real_site.site / "search" / "kefu-index.js").read_text(encoding="utf-8")
    assert script.startswith("window.__kefuSearchIndex=") and raw.decode() in script


def test_materials_own_search_never_starts(real_site):
    """The course replaces Material's search: pin what that relies on, so a Material upgrade fails here."""
    material = json.loads((real_site.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert material["docs"] == []
    page = (real_site.site / "modules/complaints/handling/index.html").read_text(encoding="utf-8")
    # Material mounts its search (and downloads its index) on a form named "search" / data-md-component
    assert 'name="search"' not in page and 'data-md-component="search"' not in page
    assert re.search(r'<label class="md-header__button md-icon" for="__search"', page)
    assert 'id="__search"' in page and "data-kefu-search" in page
    assert re.search(r'<script src="[^"]*assets/search/search\.js" defer>', page)


# --------------------------------------------------------------- in the browser


@pytest.mark.browser
def test_the_query_set_finds_the_page_that_teaches_it(page, real):
    """Each query of tests/search_queries.yml typed into the search box, as a learner would."""
    outcomes = run_queries(page, real.url, load_queries(QUERIES))
    figures = summary(outcomes)
    misses = [(o.query, o.expected[0], o.found[:3]) for o in outcomes if o.rank != 1]
    assert figures["listed"] == 1, [(o.query, o.expected) for o in outcomes if o.rank is None]
    assert figures["top5"] >= TOP5, misses
    assert figures["top1"] >= TOP1, misses
    assert page.js_errors == []


@pytest.mark.browser
def test_a_first_visit_does_not_download_the_index(browser, real):
    sizes = first_visit_bytes(browser, real.url)
    assert not any("index" in url for url in sizes), sizes
    assert sum(sizes.values()) <= 60 * 1024, sizes


@pytest.mark.browser
def test_search_from_a_phone_opens_finds_and_goes(browser, real):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(real.url + "modules/complaints/handling/")
    page.click("label.md-header__button[for=__search]")
    page.wait_for_selector("[data-kefu-search] input[name=query]:focus")
    page.keyboard.type("接通率")
    first = page.locator("[data-kefu-search] .md-search-result__item a").first
    first.wait_for()
    assert "/modules/call-center/metrics-and-quality/" in first.get_attribute("href")
    assert page.locator("[data-kefu-search] mark", has_text="接通率").count() > 0
    page.keyboard.press("Enter")  # goes to the first result
    page.wait_for_url("**/modules/call-center/metrics-and-quality/**")
    context.close()


@pytest.mark.browser
def test_search_works_from_a_site_opened_from_disk(page, real_site):
    page.goto((real_site.site / "index.html").as_uri())
    page.click("[data-kefu-search] input[name=query]")
    page.keyboard.type("三包")
    page.wait_for_function("document.querySelector('[data-kefu-search] ol').dataset.query === '三包'")
    first = page.locator("[data-kefu-search] .md-search-result__item > a").first.get_attribute("href")
    assert first.startswith("file://") and "/modules/after-sales/" in first
    assert page.js_errors == []
