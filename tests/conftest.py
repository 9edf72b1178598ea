"""Shared fixtures: the real site built once, a local HTTP server, and Chromium."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitebuilder import ROOT, Build, build
from sitetools import CHROMIUM_ARGS, Server, chromium_path

CHROMIUM_HELP = (
    "浏览器测试已跳过：未找到 Chromium。安装 Debian 的 chromium（apt-get install chromium）"
    "或设置 CHROMIUM=/path/to/chromium 后重新运行 make test；CI=true 时这些测试不会跳过。"
)


def pytest_collection_modifyitems(config, items) -> None:
    """Without Chromium, skip browser tests (one summary line); under CI=true never skip."""
    if chromium_path() is not None or os.environ.get("CI") == "true":
        return
    browser_tests = [item for item in items if item.get_closest_marker("browser")]
    for item in browser_tests:
        item.add_marker(pytest.mark.skip(reason="未找到 Chromium"))
    config.stash[_SKIPPED_BROWSER] = len(browser_tests)


_SKIPPED_BROWSER = pytest.StashKey[int]()


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    skipped = config.stash.get(_SKIPPED_BROWSER, 0)
    if skipped:
        terminalreporter.write_line(f"{skipped} 项{CHROMIUM_HELP}", yellow=True)


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Build:
    """The repository's own site, built strictly into a temporary folder."""
    out = tmp_path_factory.mktemp("real-site") / "site"
    return build(ROOT, out=out, env={"SITE_URL": "http://127.0.0.1:8000/course/"})


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true 但找不到 Chromium：.ci/run 应先用 apt-get 安装 chromium")
        pytest.skip(CHROMIUM_HELP)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.js_errors = errors  # type: ignore[attr-defined]
    yield pg
    context.close()


@pytest.fixture
def serve() -> Iterator:
    servers: list[Server] = []

    def start(directory: Path, prefix: str = "/") -> Server:
        server = Server(directory, prefix)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


@pytest.fixture(scope="session")
def real(real_site, request) -> Server:
    """The repository's own site, served under /course/ as on GitHub Pages."""
    assert real_site.ok, real_site.output
    server = Server(real_site.site, "/course/")
    request.addfinalizer(server.close)
    return server


def mermaid_sources(page) -> list[str]:
    """The diagrams' source text, read from the served HTML (Material hides it once drawn)."""
    return page.evaluate("""async () => {
        const html = await (await fetch(location.href)).text();
        const doc = new DOMParser().parseFromString(html, "text/html");
        return [...doc.querySelectorAll("pre.kf-mermaid code")].map(c => c.textContent);
    }""")
