"""Copy Mermaid's ESM build from node_modules into docs/assets/vendor/mermaid/ (make vendor).

The files are renamed from .mjs to .js and their import paths rewritten to match: intranet web
servers (IIS, older nginx) often send .mjs with the wrong MIME type, and a browser then refuses
to run it as a module. Source maps are left out. The core imports each diagram type's code only
when a page draws that type.
"""

from __future__ import annotations

import json
import re
import shutil
import sys

from kefu.paths import PROJECT_ROOT

SOURCE = PROJECT_ROOT / "node_modules" / "mermaid"
TARGET = PROJECT_ROOT / "docs" / "assets" / "vendor" / "mermaid"
_IMPORT = re.compile(r'((?:from|import)\s*\(?\s*")(\./[^"]+?)\.mjs(")')


def rewrite(text: str) -> str:
    def path(match: re.Match[str]) -> str:
        return f"{match.group(1)}{match.group(2).replace('chunks/mermaid.esm.min/', 'chunks/')}.js{match.group(3)}"

    return _IMPORT.sub(path, text)


def main(argv: list[str] | None = None) -> int:
    dist = SOURCE / "dist"
    if not (dist / "mermaid.esm.min.mjs").exists():
        print("没有找到 node_modules/mermaid：先运行 npm ci（make vendor 会自动运行）", file=sys.stderr)
        return 2
    if TARGET.exists():
        shutil.rmtree(TARGET)
    (TARGET / "chunks").mkdir(parents=True)
    (TARGET / "mermaid.esm.min.js").write_text(rewrite((dist / "mermaid.esm.min.mjs").read_text(encoding="utf-8")),
                                               encoding="utf-8")
    for chunk in sorted((dist / "chunks" / "mermaid.esm.min").glob("*.mjs")):
        (TARGET / "chunks" / f"{chunk.stem}.js").write_text(rewrite(chunk.read_text(encoding="utf-8")),
                                                             encoding="utf-8")
    shutil.copy(SOURCE / "LICENSE", TARGET / "LICENSE")
    version = json.loads((SOURCE / "package.json").read_text(encoding="utf-8"))["version"]
    (TARGET / "VERSION").write_text(f"mermaid {version} (npm), ESM build with chunks loaded on demand "
                                    "— refresh with: make vendor\n", encoding="utf-8")
    count = len(list((TARGET / "chunks").glob("*.js")))
    where = TARGET.relative_to(PROJECT_ROOT)
    print(f"已复制 mermaid {version} 的 ESM 版本：1 个入口、{count} 个按需加载的分块 → {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
