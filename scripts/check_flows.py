"""Check roles (roles/*.yml) and processes (flows/*.yml) without building the site.

    python scripts/check_flows.py

Prints every problem as ``file:line: step-id: what is wrong``.
Exit status: 0 all valid, 1 problems found.
"""

from __future__ import annotations

import sys
from pathlib import Path

from kefu.org.flows import check_flows, check_roles
from kefu.problems import report

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    roles, problems = check_roles(ROOT / "roles")
    flows, flow_problems = check_flows(ROOT / "flows", roles)
    problems += flow_problems
    return report(problems, f"全部 {len(roles)} 个岗位、{len(flows)} 个流程检查通过。")

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
