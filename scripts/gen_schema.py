"""Write schemas/quiz-bank-<version>.schema.json from the Python bank model.

Run after changing kefu/banks.py; a test fails while the file is out of date.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from kefu.schema import SCHEMA_PATH, bank_json_schema

ROOT = Path(__file__).resolve().parent.parent


def schema_text() -> str:
    return json.dumps(bank_json_schema(), ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    target = ROOT / SCHEMA_PATH
    target.parent.mkdir(exist_ok=True)
    target.write_text(schema_text(), encoding="utf-8")
    print(f"已写入 {SCHEMA_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
