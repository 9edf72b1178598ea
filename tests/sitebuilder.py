"""Tiny complete course sites for tests, built with the real mkdocs.yml, plugin, macros and assets."""

from __future__ import annotations

import functools
import importlib.util
import io
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MKDOCS = [sys.executable, "-m", "mkdocs"]


@functools.cache
def load_script(name: str):
    """scripts/<name>.py as a module, loaded once, so tests call its main(argv, stdout, stderr)."""
    spec = importlib.util.spec_from_file_location(f"{name}_cli", ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_script(name: str, *args: object) -> tuple[int, str, str]:
    """Run scripts/<name>.py in-process: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    code = load_script(name).main([str(a) for a in args], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@dataclass
class Build:
    returncode: int
    output: str
    site: Path

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def make_site(
    tmp: Path,
    *,
    banks: list[Path] | None = None,
    pages: dict[str, str] | None = None,
    glossary: Path = FIXTURES / "glossary" / "small.yml",
    roles: Path | None = None,
    flows: list[Path] | None = None,
    keep_nav: bool = False,
) -> Path:
    """A fixture site in ``tmp``: the real config, hooks and assets, the given data and pages.

    Without ``keep_nav`` the nav is dropped so MkDocs lists the fixture pages itself.
    """
    site = tmp / "course"
    site.mkdir(parents=True)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    if not keep_nav:
        config = config.split("\nnav:")[0] + "\n"
    (site / "mkdocs.yml").write_text(config, encoding="utf-8")
    # mkdocs-macros imports module_name from the project folder
    shutil.copytree(ROOT / "macros", site / "macros", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "docs" / "assets", site / "docs" / "assets")
    shutil.copytree(ROOT / "docs" / "_snippets", site / "docs" / "_snippets")
    (site / "quizzes").mkdir()
    for bank in banks or []:
        shutil.copy(bank, site / "quizzes" / bank.name)
    if roles is not None:
        shutil.copytree(roles, site / "roles")
    else:
        (site / "roles").mkdir()
    (site / "flows").mkdir()
    for flow in flows or []:
        shutil.copy(flow, site / "flows" / flow.name)
    (site / "data").mkdir()
    shutil.copy(glossary, site / "data" / "glossary.yml")
    pages = {"index.md": "# 首页\n\n测试站点。\n", **(pages or {})}
    for name, text in pages.items():
        path = site / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return site


def module_page(slug: str, title: str, order: int, quizzes: tuple[str, ...] = ()) -> dict[str, str]:
    """A module overview page declaring the module (its front matter), for fixture sites."""
    meta = f"module: {{track: frontline, order: {order}, quizzes: [{', '.join(quizzes)}]}}"
    return {f"modules/{slug}/index.md": f"---\ntitle: {title}\n{meta}\n---\n\n# {title}\n"}


def build(site: Path, *extra: str, out: Path | None = None,
          env: dict[str, str] | None = None) -> Build:
    """``mkdocs build --strict`` of the site in ``site`` (never with -q: it hides warnings)."""
    out = out or site / "site"
    proc = subprocess.run(
        [*MKDOCS, "build", "--strict", "--site-dir", str(out), *extra],
        cwd=site, capture_output=True, text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
    )
    return Build(proc.returncode, proc.stdout + proc.stderr, out)


def nav_of(site: Path) -> list:
    return yaml.safe_load((site / "mkdocs.yml").read_text(encoding="utf-8").split("\nnav:")[1])
