"""How well the site's search finds the right page: the query set typed into the real search box.

    python scripts/search_report.py [--site site/] [--queries tests/search_queries.yml] [--throttle]

Builds the site (unless --site is given), serves it under a sub-path, and types each query of
tests/search_queries.yml into the search box in Chromium, as a learner would. Prints the share of
queries whose expected page comes first (top-1), is among the first five (top-5), the mean reciprocal
rank (MRR), every miss, and what the first visit of a topic page downloads for search before the box
is opened (served gzip-compressed, as GitHub Pages does). With --throttle, also the time from opening
the box to the first results on a 10 Mbit/s connection. Exit status: 0 when the targets are met
(top-1 ≥ 90%, top-5 ≥ 98%, every expected page listed, ≤ 60 KB before opening, results ≤ 1.5 s), else 1.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import yaml

from kefu.paths import PROJECT_ROOT
from sitetools import CHROMIUM_ARGS, Server, build_site, chromium_path

TOP1, TOP5 = 0.90, 0.98
FIRST_VISIT_KB, THROTTLED_SECONDS = 60, 1.5
PREFIX = "/course/"


@dataclass
class Outcome:
    query: str
    kind: str
    expected: list[str]
    found: list[str]  # result pages, in order (site-relative paths)

    @property
    def rank(self) -> int | None:
        return next((i for i, page in enumerate(self.found, 1) if page in self.expected), None)


def load_queries(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["queries"]


def open_search(page) -> None:
    """Open the search box as a learner does: the magnifier on a phone, the box itself on a wide screen."""
    button = page.locator("label.md-header__button[for=__search]")
    if button.is_visible():
        button.click()
    else:
        page.click("[data-kefu-search] input[name=query]")
    page.wait_for_selector("[data-kefu-search] input[name=query]:focus", timeout=5000)


def results(page, query: str) -> list[str]:
    """Type ``query`` key by key as a person does; the result pages, in order, once the list shows it."""
    page.fill("[data-kefu-search] input[name=query]", "")
    page.keyboard.type(query)
    page.wait_for_function("q => document.querySelector('[data-kefu-search] ol').dataset.query === q", arg=query)
    links = page.eval_on_selector_all("[data-kefu-search] .md-search-result__item > a:first-child",
                                      "links => links.map(a => a.href)")
    return [href.split(PREFIX, 1)[1].split("#")[0] for href in links]


def run_queries(page, base: str, queries: list[dict]) -> list[Outcome]:
    page.goto(base)
    open_search(page)
    return [Outcome(q["q"], q.get("kind", ""), q["expected"], results(page, q["q"])) for q in queries]


def first_visit_bytes(browser, base: str) -> dict[str, int]:
    """Bytes a fresh visit to a topic page fetches for search before the search box is opened."""
    context = browser.new_context()
    page = context.new_page()
    sizes: dict[str, int] = {}

    def count(request) -> None:
        if "search" in request.url:  # bytes on the wire, compressed as the server sent them
            sizes[request.url.split(PREFIX, 1)[-1]] = request.sizes()["responseBodySize"]

    page.on("requestfinished", count)
    page.goto(base + "modules/complaints/handling/", wait_until="networkidle")
    page.wait_for_timeout(500)  # anything started after load (idle callbacks) counts too
    context.close()
    return sizes


def time_to_results(browser, base: str) -> float:
    """Seconds from opening the search box to the first results, on a throttled 10 Mbit/s line."""
    context = browser.new_context()
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 40,
                                                  "downloadThroughput": 10_000_000 / 8,
                                                  "uploadThroughput": 2_000_000 / 8})
    page.goto(base + "modules/complaints/handling/", wait_until="load")
    started = time.perf_counter()
    open_search(page)
    page.keyboard.type("投诉", delay=0)
    page.wait_for_selector("[data-kefu-search] .md-search-result__item", timeout=20000)
    seconds = time.perf_counter() - started
    context.close()
    return seconds


def summary(outcomes: list[Outcome]) -> dict[str, float]:
    n = len(outcomes)
    ranks = [o.rank for o in outcomes]
    return {"top1": sum(r == 1 for r in ranks) / n, "top5": sum(r is not None and r <= 5 for r in ranks) / n,
            "mrr": sum(1 / r for r in ranks if r) / n, "listed": sum(r is not None for r in ranks) / n}


def report(outcomes: list[Outcome], out: TextIO) -> dict[str, float]:
    figures = summary(outcomes)
    print(f"查询 {len(outcomes)} 个：第一命中 {figures['top1']:.0%}，前五命中 {figures['top5']:.0%}，"
          f"MRR {figures['mrr']:.3f}，列出了期望页面 {figures['listed']:.0%}", file=out)
    for o in outcomes:
        if o.rank != 1:
            where = f"第 {o.rank} 位" if o.rank else "未列出"
            print(f"  未排第一：{o.query}（{o.kind}）→ 期望 {o.expected[0]}，{where}；"
                  f"实际第一：{o.found[0] if o.found else '无结果'}", file=out)
    return figures


def main(argv: list[str] | None = None, stdout: TextIO = sys.stdout) -> int:
    parser = argparse.ArgumentParser(description="在真实的搜索框里逐个输入查询集，统计搜索命中率。")
    parser.add_argument("--site", type=Path, help="已构建的站点文件夹（默认临时构建一次）")
    parser.add_argument("--queries", type=Path, default=PROJECT_ROOT / "tests" / "search_queries.yml")
    parser.add_argument("--throttle", action="store_true", help="另测 10 Mbit/s 网速下打开搜索框到出结果的时间")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    temporary = None
    site = args.site
    if site is None:
        temporary = Path(tempfile.mkdtemp(prefix="search-report-"))
        site = build_site(temporary / "site", PREFIX)
    server = Server(site, PREFIX, gzip=True)
    base = server.url
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            page = browser.new_context().new_page()
            figures = report(run_queries(page, base, load_queries(args.queries)), stdout)
            before = first_visit_bytes(browser, base)
            figures["first_visit_kb"] = sum(before.values()) / 1024
            print(f"首次打开专题页、尚未打开搜索框时，为搜索下载了 {figures['first_visit_kb']:.1f} KB（gzip，目标 ≤ "
                  f"{FIRST_VISIT_KB} KB）：{', '.join(before) or '无'}", file=stdout)
            if args.throttle:
                figures["seconds"] = time_to_results(browser, base)
                print(f"10 Mbit/s 下从打开搜索框到出现结果：{figures['seconds']:.2f} 秒"
                      f"（目标 ≤ {THROTTLED_SECONDS} 秒）", file=stdout)
            browser.close()
    finally:
        server.close()
        if temporary:
            shutil.rmtree(temporary, ignore_errors=True)
    met = (figures["top1"] >= TOP1 and figures["top5"] >= TOP5 and figures["listed"] == 1
           and figures["first_visit_kb"] <= FIRST_VISIT_KB and figures.get("seconds", 0) <= THROTTLED_SECONDS)
    print("达到目标" if met else "未达到目标", file=stdout)
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
