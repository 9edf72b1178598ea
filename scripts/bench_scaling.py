"""Benchmark: does the build stay proportional as the course grows?

    python scripts/bench_scaling.py [--sizes 1,2,5,10]

Copies this checkout to a temporary folder and, for each size N, adds N − 1 copies of every course
module (its pages, its question banks with new ids, its quiz pages and navigation entries), then builds
strictly in a fresh process. Prints per size: pages, CPU seconds, peak memory, HTML written, and per
page CPU milliseconds and HTML kilobytes, with the home page's size (it carries the navigation).
Target: CPU time and HTML bytes per page within 25% from the smallest to the largest size. Exit
status 0 when met.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from sitetools import copy_checkout

TARGET = 1.25
# run in the child: build, then report this process's own CPU time and peak memory
CHILD = """
import json, resource, runpy, sys
sys.argv = ["mkdocs", "build", "--strict", "-q", "--site-dir", sys.argv[1]]
try:
    runpy.run_module("mkdocs", run_name="__main__")
except SystemExit as exit:
    if exit.code:
        raise
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"cpu": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024}))
"""


def grow(root: Path, copies: int) -> None:
    """Add ``copies`` copies of every module, with new names, bank ids and question ids."""
    config_path = root / "mkdocs.yml"
    config = config_path.read_text(encoding="utf-8")
    nav_text = config.split("\nnav:", 1)[1]
    nav = yaml.safe_load(nav_text)
    modules = sorted(p for p in (root / "docs" / "modules").iterdir() if (p / "index.md").is_file())
    added: dict[str, list] = {}  # nav tab → entries to append
    for n in range(2, copies + 1):
        for folder in modules:
            slug = f"{folder.name}-x{n}"
            target = root / "docs" / "modules" / slug
            shutil.copytree(folder, target)
            overview = target / "index.md"
            text = overview.read_text(encoding="utf-8")
            title = re.search(r"^title:\s*(.+)$", text, re.MULTILINE).group(1).strip()
            quizzes = re.search(r"quizzes:\s*\[([^\]]*)\]", text)
            banks = [b.strip() for b in quizzes.group(1).split(",") if b.strip()] if quizzes else []
            if quizzes:
                renamed = ", ".join(f"{bank}-x{n}" for bank in banks)
                text = text[:quizzes.start(1)] + renamed + text[quizzes.end(1):]
            text = text.replace(f"title: {title}", f"title: {title}（副本 {n}）", 1)
            text = re.sub(r"order:\s*(\d+)", lambda m, n=n: f"order: {int(m.group(1)) + 100 * n}", text, count=1)
            for bank in banks:
                copy_bank(root, bank, n)
            overview.write_text(text, encoding="utf-8")
            pages = [f"modules/{slug}/{p.name}" for p in sorted(target.glob("*.md"))]
            pages.sort(key=lambda p: not p.endswith("/index.md"))
            tab = next(name for entry in nav for name, value in entry.items()  # the tab that lists the module
                       if f"modules/{folder.name}/" in json.dumps(value, ensure_ascii=False))
            added.setdefault(tab, []).append({f"{title}（副本 {n}）": pages})
    for entry in nav:
        for name, value in entry.items():
            if name in added:
                value.extend(added[name])
    config_path.write_text(config.split("\nnav:", 1)[0] + "\nnav:\n"
                           + yaml.safe_dump(nav, allow_unicode=True, sort_keys=False), encoding="utf-8")


def copy_bank(root: Path, bank: str, n: int) -> None:
    source = root / "quizzes" / f"{bank}.yml"
    text = source.read_text(encoding="utf-8")
    text = re.sub(rf"^id: {re.escape(bank)}$", f"id: {bank}-x{n}", text, count=1, flags=re.MULTILINE)
    text = re.sub(r"^(\s*- id: )([a-z0-9-]+)$", rf"\g<1>x{n}-\2", text, flags=re.MULTILINE)
    text = re.sub(r"^(\s*stem: )", rf"\g<1>（副本 {n}）", text, flags=re.MULTILINE)
    (root / "quizzes" / f"{bank}-x{n}.yml").write_text(text, encoding="utf-8")
    page = (root / "docs" / "quizzes" / f"{bank}.md").read_text(encoding="utf-8")
    page = page.replace(f'quiz("{bank}")', f'quiz("{bank}-x{n}")')
    (root / "docs" / "quizzes" / f"{bank}-x{n}.md").write_text(page, encoding="utf-8")


def measure(root: Path) -> dict:
    out = root / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(root)}
    done = subprocess.run([sys.executable, "-c", CHILD, str(out)], cwd=root, env=env, capture_output=True,
                          text=True)
    if done.returncode:
        raise SystemExit(f"构建失败（{root}）：\n{done.stderr[-3000:]}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    pages = list(out.rglob("*.html"))
    figures["pages"] = len(pages)
    figures["html_mb"] = sum(p.stat().st_size for p in pages) / 1e6
    figures["home_kb"] = (out / "index.html").stat().st_size / 1e3
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="课程放大 N 倍后，构建时间和页面大小是否仍与页数成正比。")
    parser.add_argument("--sizes", default="1,2,5,10", help="放大倍数，逗号分隔（默认 1,2,5,10）")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    with tempfile.TemporaryDirectory(prefix="scaling-") as tmp:
        for size in sizes:
            root = Path(tmp) / f"x{size}"
            root.mkdir()
            copy_checkout(root)
            grow(root, size)
            figures = measure(root)
            rows.append((size, figures))
            shutil.rmtree(root)
    print("倍数   页数   CPU 秒   峰值内存 MB   HTML MB   首页 KB   每页 CPU 毫秒   每页 HTML KB")
    for size, f in rows:
        print(f"{size:>4}× {f['pages']:>6} {f['cpu']:>8.1f} {f['peak_mb']:>12.0f} {f['html_mb']:>9.1f} "
              f"{f['home_kb']:>9.1f} {1000 * f['cpu'] / f['pages']:>15.1f} {1000 * f['html_mb'] / f['pages']:>14.1f}")
    first, last = rows[0][1], rows[-1][1]
    cpu_ratio = (last["cpu"] / last["pages"]) / (first["cpu"] / first["pages"])
    html_ratio = (last["html_mb"] / last["pages"]) / (first["html_mb"] / first["pages"])
    met = cpu_ratio <= TARGET and html_ratio <= TARGET
    print(f"{rows[-1][0]}× 与 {rows[0][0]}× 相比：每页 CPU {cpu_ratio:.2f} 倍，每页 HTML {html_ratio:.2f} 倍"
          f"（目标都 ≤ {TARGET}）：" + ("达到" if met else "未达到"))
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
