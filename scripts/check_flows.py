"""Check roles (roles/*.yml) and processes (flows/*.yml) without building the site.

    python scripts/check_flows.py

Prints every problem as ``file:line: step-id: what is wrong``.
Exit status: 0 all valid, 1 problems found.
"""

from __future__ import annotations

import sys
from typing import TextIO

from kefu.org.flows import check_flows, check_roles
from kefu.paths import PROJECT_ROOT
from kefu.problems import report


def main(argv: list[str] | None = None, stdout: TextIO = sys.stdout) -> int:
    roles, problems = check_roles(PROJECT_ROOT / "roles")
    flows, flow_problems = check_flows(PROJECT_ROOT / "flows", roles)
    return report(problems + flow_problems, f"全部 {len(roles)} 个岗位、{len(flows)} 个流程检查通过。", stdout)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
