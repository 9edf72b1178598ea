"""Shared fixtures: the real site built once, a local HTTP server, and Chromium."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitebuilder import ROOT, Build, build

CHROMIUM_HELP = (
    "浏览器测试已跳过：未找到 Chromium。安装 Debian 的 chromium（apt-get install chromium）"
    "或设置 CHROMIUM=/path/to/chromium 后重新运行 make test；CI=true 时这些测试不会跳过。"
)


def chromium_path() -> str | None:
    candidate = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    return candidate if Path(candidate).exists() else None


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


class _Handler(http.server.SimpleHTTPRequestHandler):
    prefix = "/"

    def translate_path(self, path: str) -> str:
        # Serve the site only under the prefix (e.g. /course/), like a sub-path host.
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "__outside_prefix__")
        return super().translate_path("/" + path[len(self.prefix):])

    def log_message(self, *args) -> None:  # keep test output quiet
        pass


class Server:
    def __init__(self, directory: Path, prefix: str = "/") -> None:
        handler = functools.partial(type("H", (_Handler,), {"prefix": prefix}),
                                    directory=str(directory))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}{prefix}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


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
        b = p.chromium.launch(
            executable_path=path,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
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
