"""Erlang C staffing, checked against a published worked example and hand arithmetic."""

from __future__ import annotations

import math

import pytest

from kefu.erlang import erlang_c, service_level, staffing


def test_wait_probability_matches_the_published_worked_example():
    # 100 calls per 30 minutes, AHT 180 s: 10 Erlangs (the classic Erlang C worked example)
    published = {11: 0.6821, 12: 0.4494, 13: 0.2853, 14: 0.1741}
    for agents, value in published.items():
        assert erlang_c(agents, 10.0) == pytest.approx(value, abs=5e-5)


def test_small_case_by_hand():
    # A = 2, n = 3: B(3) = (8/6) / (1 + 2 + 2 + 8/6) = 4/19; C = 3B / (3 − 2(1 − B)) = 4/9
    assert erlang_c(3, 2.0) == pytest.approx(4 / 9, abs=1e-12)
    assert erlang_c(2, 2.0) == 1.0 and service_level(2, 2.0, 100, 20) == 0.0


def test_eighty_twenty_needs_fourteen_agents():
    result = staffing(100, 180, 0.80, 20, shrinkage=0.30)
    assert result.traffic == 10.0 and result.agents == 14
    assert result.service_level == pytest.approx(1 - 0.17413 * math.exp(-4 * 20 / 180), abs=1e-4)
    assert result.asa == pytest.approx(0.17413 * 180 / 4, abs=1e-3)
    assert result.occupancy == pytest.approx(10 / 14) and result.scheduled == 20  # 14 / 0.7
    assert service_level(13, 10.0, 180, 20) < 0.80 <= service_level(14, 10.0, 180, 20)


def test_large_centre_stays_numerically_stable():
    result = staffing(3000, 300, 0.9, 15)  # 500 Erlangs
    assert 500 < result.agents < 560 and result.service_level >= 0.9


@pytest.mark.parametrize("args", [(0, 180, 0.8, 20), (100, 0, 0.8, 20), (100, 180, 1.0, 20), (100, 180, 0.8, -1)])
def test_bad_input_is_explained(args):
    with pytest.raises(ValueError, match=r"必须大于 0|应在"):
        staffing(*args)
