"""Write the JSON Schemas under schemas/ (every data format and the answer export) from their field tables.

Run after changing a field table; a test fails while a file is out of date.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from kefu.schemas import SCHEMAS

ROOT = Path(__file__).resolve().parent.parent


def schema_text(make_schema) -> str:
    return json.dumps(make_schema(), ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    for path, make_schema in SCHEMAS.items():
        target = ROOT / path
        target.parent.mkdir(exist_ok=True)
        target.write_text(schema_text(make_schema), encoding="utf-8")
        print(f"已写入 {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
