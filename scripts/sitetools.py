"""What the benchmark scripts and the browser tests share: serving a built site and starting Chromium.

The site is served only under a sub-path (``/course/`` as on GitHub Pages), so a link that forgets the
site's base fails here as it would there; with ``gzip=True`` responses are compressed as GitHub Pages
compresses them, for byte counts and Lighthouse figures a learner would see.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

from kefu.paths import PROJECT_ROOT

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
COMPRESSIBLE = (".html", ".js", ".mjs", ".css", ".json", ".svg", ".txt", ".xml")


def copy_checkout(to: Path) -> None:
    """This checkout's files as they are now (tracked and new, not ignored) into ``to``."""
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=PROJECT_ROOT,
                           capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, files):
        if (PROJECT_ROOT / name).is_file():
            (to / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(PROJECT_ROOT / name, to / name)


def build_site(out: Path, prefix: str = "/course/") -> Path:
    """A strict build of this checkout into ``out``, its links made for serving under ``prefix``."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": "http://127.0.0.1:8000" + prefix}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
                   cwd=PROJECT_ROOT, check=True, env=env, capture_output=True)
    return out


def chromium_path() -> str | None:
    """Debian's chromium (or $CHROMIUM): the project never downloads a browser of its own."""
    candidate = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    return candidate if Path(candidate).exists() else None


class _Handler(http.server.SimpleHTTPRequestHandler):
    prefix = "/"
    compress = False

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.prefix):  # outside the sub-path: a 404, as on the real host
            return str(Path(self.directory) / "__outside_prefix__")
        return super().translate_path("/" + path[len(self.prefix):])

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not (self.compress and path.suffix in COMPRESSIBLE and path.is_file()
                and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        if path.name == "index.html" and not self.path.split("?")[0].endswith("/"):
            return super().send_head()  # let the base class redirect /folder to /folder/
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, *args) -> None:  # keep test and benchmark output quiet
        pass


class Server:
    """A built site on 127.0.0.1 under ``prefix``, in a background thread; ``url`` ends with the prefix."""

    def __init__(self, directory: Path, prefix: str = "/", *, gzip: bool = False) -> None:
        handler = functools.partial(type("H", (_Handler,), {"prefix": prefix, "compress": gzip}),
                                    directory=str(directory))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}{prefix}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
