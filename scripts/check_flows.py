"""Check roles (roles/*.yml) and processes (flows/*.yml) without building the site.

    python scripts/check_flows.py

Prints every problem as ``file:line: step-id: what is wrong``.
Exit status: 0 all valid, 1 problems found.
"""

from __future__ import annotations

import sys
from pathlib import Path

from kefu.flows import check_flows, check_roles

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    roles, problems = check_roles(ROOT / "roles")
    flows, flow_problems = check_flows(ROOT / "flows", roles)
    problems += flow_problems
    for problem in problems:
        print(problem)
    if problems:
        print(f"\n发现 {len(problems)} 处问题；请按上面的 文件:行号 逐条修改。")
        return 1
    print(f"全部 {len(roles)} 个岗位、{len(flows)} 个流程检查通过。")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
