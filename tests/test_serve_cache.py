"""Under ``mkdocs serve`` unchanged pages are not converted again (macros/render_cache.py).

The rebuilds here run in one process with the same plugin instances, as ``mkdocs serve`` runs them;
each must write exactly what a fresh build writes, and a change to a page or to a bank must show.
"""

from __future__ import annotations

import filecmp
import os
from pathlib import Path

import pytest

from sitebuilder import FIXTURES, build, make_site

VALID = FIXTURES / "banks" / "valid"


class Serving:
    """Builds like mkdocs serve: one set of plugins kept across builds."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.plugins = None

    def build(self, out: Path) -> None:
        from mkdocs.commands.build import build as mkdocs_build
        from mkdocs.config import load_config

        here = os.getcwd()
        os.chdir(self.folder)  # mkdocs-macros imports macros/ from the project folder
        try:
            config = load_config(str(self.folder / "mkdocs.yml"), site_dir=str(out))
            if self.plugins is None:
                config.plugins.on_startup(command="serve", dirty=False)
                self.plugins = config.plugins
            else:
                config.plugins = self.plugins
            mkdocs_build(config)
        finally:
            os.chdir(here)


def differences(a: Path, b: Path) -> list[str]:
    compare = filecmp.dircmp(a, b)
    out = [str(Path(a, n)) for n in compare.diff_files + compare.left_only + compare.right_only]
    for name in compare.common_dirs:
        out += differences(a / name, b / name)
    return out


@pytest.fixture
def site(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    bank = VALID / "all-types.yml"
    pages = {"index.md": "# 首页\n\n见[测验](quizzes/all-types.md)。\n",
             "topic.md": "# 专题\n\n## 一、要点\n\n首问负责制的做法。\n",
             "quizzes/all-types.md": '# 测验\n\n{{ quiz("all-types") }}\n'}
    return make_site(tmp_path, banks=[bank], pages=pages)


def test_a_rebuild_writes_what_a_fresh_build_writes(site, tmp_path):
    serving = Serving(site)
    serving.build(tmp_path / "first")
    serving.build(tmp_path / "again")
    assert serving.plugins["kefu"]._render_cache.reused == 3  # every page from the cache
    fresh = build(site, out=tmp_path / "fresh")
    assert fresh.ok, fresh.output
    assert differences(tmp_path / "fresh", tmp_path / "again") == []


def test_a_changed_page_and_a_changed_bank_show_after_the_rebuild(site, tmp_path):
    serving = Serving(site)
    serving.build(tmp_path / "out")
    topic = site / "docs" / "topic.md"
    topic.write_text(topic.read_text(encoding="utf-8") + "\n新加的一段：回访要留记录。\n", encoding="utf-8")
    bank = site / "quizzes" / "all-types.yml"
    bank.write_text(bank.read_text(encoding="utf-8").replace("stem: ", "stem: 改过的题干 ", 1), encoding="utf-8")
    serving.build(tmp_path / "out")
    assert serving.plugins["kefu"]._render_cache.reused == 1  # only the home page is unchanged
    assert "新加的一段" in (tmp_path / "out" / "topic" / "index.html").read_text(encoding="utf-8")
    assert "改过的题干" in (tmp_path / "out" / "quizzes" / "all-types" / "index.html").read_text(encoding="utf-8")
    index = (tmp_path / "out" / "search" / "kefu-index.json").read_text(encoding="utf-8")
    assert "新加的一段" in index
