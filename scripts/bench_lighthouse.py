"""Benchmark: Lighthouse scores and first-visit bytes of one page of each kind, as a phone meets them.

    python scripts/bench_lighthouse.py [--site site/] [--runs 3]

Builds the site (unless --site is given), serves it gzip-compressed under a sub-path as GitHub Pages
does, and runs Lighthouse (npm ``lighthouse``, with Debian's chromium; mobile emulation and throttling,
its defaults) on each page ``--runs`` times. Prints the median performance, accessibility, best-practices
and SEO scores, first contentful paint, and the bytes a first visit transfers (search index excluded: it
loads only when the search box opens). Targets: performance ≥ 85 on a process page and on a topic page
with a diagram, ≥ 90 on the home page and a quiz page; a process page's first visit ≤ 350 KB. Exit
status 0 when met.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from kefu.paths import PROJECT_ROOT
from sitetools import Server, build_site, chromium_path

PREFIX = "/course/"
# page kind → (path, performance target)
PAGES = {
    "首页": ("", 90),
    "专题页（有流程图）": ("modules/complaints/handling/", 85),
    "专题页（无图）": ("modules/etiquette/manners/", 90),
    "流程页": ("flows/complaint-phone/", 85),
    "测验页": ("quizzes/complaints/", 90),
}
PROCESS_PAGE_KB = 350
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def lighthouse() -> list[str]:
    local = PROJECT_ROOT / "node_modules" / ".bin" / "lighthouse"
    if not local.exists():
        raise SystemExit("找不到 lighthouse：先运行 npm ci（package.json 里已固定版本）")
    return [str(local)]


def run_once(url: str, out: Path) -> dict:
    chrome_flags = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"
    env = {**os.environ, "CHROME_PATH": chromium_path() or "/usr/bin/chromium"}
    subprocess.run([*lighthouse(), url, "--quiet", "--output=json", f"--output-path={out}",
                    f"--chrome-flags={chrome_flags}", f"--only-categories={','.join(CATEGORIES)}"],
                   env=env, check=True, capture_output=True)
    report = json.loads(out.read_text(encoding="utf-8"))
    items = report["audits"]["network-requests"]["details"]["items"]
    transferred = sum(i.get("transferSize", 0) for i in items if "kefu-index" not in i["url"])
    return {
        **{c: round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES},
        "fcp": report["audits"]["first-contentful-paint"]["numericValue"] / 1000,
        "kb": transferred / 1024,
        "requests": len(items),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="用 Lighthouse（手机模式）测每种页面的得分和首次访问流量。")
    parser.add_argument("--site", type=Path, help="已构建的站点文件夹（默认临时构建一次）")
    parser.add_argument("--runs", type=int, default=3, help="每页测几次，取中位数（默认 3）")
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="lighthouse-"))
    site = args.site or build_site(tmp / "site", PREFIX)
    met = True
    try:
        with Server(site, PREFIX, gzip=True) as server:
            print("页面                    性能  无障碍  最佳实践  SEO   首次内容绘制  首次访问 KB  请求数")
            for name, (path, target) in PAGES.items():
                runs = [run_once(server.url + path, tmp / f"report-{i}.json") for i in range(args.runs)]
                median = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
                print(f"{name:<16} {median['performance']:>6.0f} {median['accessibility']:>7.0f} "
                      f"{median['best-practices']:>9.0f} {median['seo']:>5.0f} {median['fcp']:>12.1f} 秒 "
                      f"{median['kb']:>11.0f} {median['requests']:>7.0f}")
                met &= median["performance"] >= target
                if name == "流程页":
                    met &= median["kb"] <= PROCESS_PAGE_KB
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("目标：性能 流程页和有图专题页 ≥ 85，首页和测验页 ≥ 90；流程页首次访问 ≤ 350 KB："
          + ("达到" if met else "未达到"))
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
