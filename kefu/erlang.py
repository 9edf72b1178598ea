"""Erlang C staffing: how many agents answer a given call load at a target service level.

The same algorithm runs in the page's calculator (docs/assets/staffing/staffing.js);
a browser test checks they agree, and unit tests check published worked examples.

Traffic A (Erlangs) = calls per interval × average handling time / interval length.
With n > A agents, the probability that a call waits is Erlang C, computed from the
Erlang B recursion (numerically stable for large n):
    B(0) = 1,  B(k) = A·B(k−1) / (k + A·B(k−1)),  C = n·B(n) / (n − A·(1 − B(n)))
Service level (share answered within T seconds) = 1 − C·exp(−(n − A)·T / AHT);
average speed of answer ASA = C·AHT / (n − A).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MAX_AGENTS = 2000


@dataclass(frozen=True)
class Staffing:
    traffic: float  # Erlangs
    agents: int  # on the phones, needed for the target
    service_level: float  # 0..1, achieved with that many agents
    wait_probability: float  # 0..1
    asa: float  # seconds
    occupancy: float  # 0..1
    scheduled: int  # agents to schedule once shrinkage is allowed for


def erlang_c(agents: int, traffic: float) -> float:
    """Probability that a call has to wait (1.0 when agents ≤ traffic: the queue never clears)."""
    if agents <= traffic:
        return 1.0
    b = 1.0
    for k in range(1, agents + 1):
        b = traffic * b / (k + traffic * b)
    return agents * b / (agents - traffic * (1 - b))


def service_level(agents: int, traffic: float, aht: float, target_seconds: float) -> float:
    if agents <= traffic:
        return 0.0
    return 1 - erlang_c(agents, traffic) * math.exp(-(agents - traffic) * target_seconds / aht)


def staffing(calls: float, aht: float, target_level: float, target_seconds: float,
             interval_seconds: float = 1800, shrinkage: float = 0.0) -> Staffing:
    """Agents needed for ``calls`` per interval; ``target_level`` and ``shrinkage`` are 0..1."""
    if calls <= 0 or aht <= 0 or interval_seconds <= 0:
        raise ValueError("来电量、平均处理时长和时段长度都必须大于 0")
    if not 0 < target_level < 1 or target_seconds < 0 or not 0 <= shrinkage < 1:
        raise ValueError("目标服务水平应在 0–100% 之间（不含端点），缺勤率应在 0–100% 之间")
    traffic = calls * aht / interval_seconds
    agents = max(1, math.floor(traffic) + 1)
    while service_level(agents, traffic, aht, target_seconds) < target_level:
        agents += 1
        if agents > MAX_AGENTS:
            raise ValueError(f"需要超过 {MAX_AGENTS} 名坐席：请检查输入")
    wait = erlang_c(agents, traffic)
    return Staffing(
        traffic=traffic, agents=agents, service_level=service_level(agents, traffic, aht, target_seconds),
        wait_probability=wait, asa=wait * aht / (agents - traffic), occupancy=traffic / agents,
        scheduled=math.ceil(agents / (1 - shrinkage) - 1e-9),
    )
