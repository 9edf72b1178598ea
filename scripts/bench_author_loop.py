"""Benchmark: how long an author waits under ``make serve`` after saving a page or a bank.

    python scripts/bench_author_loop.py [--baseline REF] [--rounds 5]

Copies this checkout (its working files) and the commit REF (default: the last commit before the
``macros/`` layout) into temporary folders, starts ``mkdocs serve`` (strict, as ``make serve`` runs it) in
each, then in turns saves a change to a topic page and to a question bank and polls the served page until
the change shows. Prints the median seconds from save to served page for each, and the ratio of the two
taken pair by pair in the same run (machines are noisy; a ratio of turns taken side by side is not).
Targets: median ≤ 2.5 s, and at least 2× faster than the baseline. Exit status 0 when both are met.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from kefu.paths import PROJECT_ROOT
from sitetools import copy_checkout

BASELINE = "4dcf3c1"  # the last commit before the macros/ layout
TARGET_SECONDS, TARGET_RATIO = 2.5, 2.0
# what the author saves, and the served page that must show it
EDITS = (
    ("docs/modules/complaints/handling.md", "modules/complaints/handling/", "page"),
    ("quizzes/complaints.yml", "quizzes/complaints/", "bank"),
)


@dataclass
class Checkout:
    name: str
    folder: Path
    port: int = 0
    process: subprocess.Popen | None = None
    seconds: dict[str, list[float]] = field(default_factory=lambda: {"page": [], "bank": []})

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"


def export_commit(ref: str, to: Path) -> None:
    archive = subprocess.run(["git", "archive", "--format=tar", ref], cwd=PROJECT_ROOT, capture_output=True,
                             check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(to)], input=archive, check=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return ""


def start(checkout: Checkout) -> None:
    checkout.port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(checkout.folder)}
    # run from the copy, so its own kefu/ and macros/ are imported, not the installed ones
    checkout.process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--strict", "-a", f"127.0.0.1:{checkout.port}"],
        cwd=checkout.folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 180
    while "</html>" not in fetch(checkout.url + EDITS[0][1]):
        if checkout.process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"{checkout.name}：mkdocs serve 没有启动（{checkout.folder}）")
        time.sleep(0.2)


def save_and_wait(checkout: Checkout, path: str, page: str, marker: str) -> float:
    """Save a change carrying ``marker``; seconds until the served page shows it."""
    file = checkout.folder / path
    text = file.read_text(encoding="utf-8")
    if path.endswith(".md"):
        text = text.rstrip("\n") + f"\n\n编辑标记 {marker}\n"
    else:  # the first question's stem gets the marker
        head, stem, rest = text.partition("stem: ")
        text = head + stem + f"编辑标记 {marker} " + rest
    started = time.monotonic()
    file.write_text(text, encoding="utf-8")
    while marker not in fetch(checkout.url + page):
        if time.monotonic() - started > 300:
            raise SystemExit(f"{checkout.name}：保存 {path} 5 分钟后页面仍未更新")
        time.sleep(0.05)
    return time.monotonic() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="make serve 下保存一页或一个题库后，多久能看到更新后的页面。")
    parser.add_argument("--baseline", default=BASELINE, help=f"对照的提交（默认 {BASELINE}，macros/ 布局之前）")
    parser.add_argument("--rounds", type=int, default=5, help="每种修改各做几轮（默认 5）")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="author-loop-") as tmp:
        now = Checkout("本次", Path(tmp) / "now")
        before = Checkout(f"对照 {args.baseline}", Path(tmp) / "before")
        now.folder.mkdir()
        before.folder.mkdir()
        copy_checkout(now.folder)
        export_commit(args.baseline, before.folder)
        try:
            for checkout in (now, before):
                start(checkout)
                save_and_wait(checkout, *EDITS[0][:2], "warm-up")  # the first rebuild loads what is cached later
            for round_number in range(args.rounds):
                for path, page, kind in EDITS:
                    for checkout in (now, before):  # in turns, so both meet the same machine
                        marker = f"{kind}{round_number}x{checkout.port}"
                        checkout.seconds[kind].append(save_and_wait(checkout, path, page, marker))
        finally:
            for checkout in (now, before):
                if checkout.process:
                    checkout.process.terminate()
                    checkout.process.wait(10)
    print(f"保存后到页面更新的秒数（{args.rounds} 轮，中位数；括号里是最小～最大）")
    medians = {}
    for kind in ("page", "bank"):
        label = "改一页" if kind == "page" else "改题库"
        ratios = [b / a for a, b in zip(now.seconds[kind], before.seconds[kind], strict=True)]
        medians[kind] = statistics.median(now.seconds[kind])
        print(f"  {label}：本次 {medians[kind]:.2f} 秒（{min(now.seconds[kind]):.2f}～{max(now.seconds[kind]):.2f}），"
              f"{before.name} {statistics.median(before.seconds[kind]):.2f} 秒；逐对之比中位数 "
              f"{statistics.median(ratios):.1f}×")
        medians[kind + "_ratio"] = statistics.median(ratios)
    met = all(medians[k] <= TARGET_SECONDS and medians[k + "_ratio"] >= TARGET_RATIO for k in ("page", "bank"))
    print(f"目标：中位数 ≤ {TARGET_SECONDS} 秒，且至少快 {TARGET_RATIO:.0f} 倍：" + ("达到" if met else "未达到"))
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
