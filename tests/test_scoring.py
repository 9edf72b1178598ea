"""Scoring rules and seeded drawing (the page's JavaScript mirrors both)."""

from __future__ import annotations

import dataclasses

import pytest

from kefu.bank import load_banks
from kefu.bank.scoring import normalize_fill, score_answers, score_question, shape_error
from kefu.bank.seeding import drawn_question_ids, fnv1a32, mulberry32, shuffled
from sitebuilder import FIXTURES


@pytest.fixture(scope="module")
def bank():
    return load_banks(FIXTURES / "banks" / "valid")["all-types"]


def q(bank, qid):
    return bank.question(qid)


def test_single_and_truefalse(bank):
    assert score_question(q(bank, "at-single"), "b") == 1
    assert score_question(q(bank, "at-single"), "a") == 0
    assert score_question(q(bank, "at-truefalse"), False) == 1
    assert score_question(q(bank, "at-truefalse"), True) == 0


def test_multiple_partial_gives_shares_and_any_wrong_option_voids(bank):
    question = q(bank, "at-multiple")  # key a, b, d; 2 points
    assert score_question(question, ["a", "b", "d"], "partial") == 2
    assert score_question(question, ["a", "d"], "partial") == pytest.approx(4 / 3, abs=1e-4)
    assert score_question(question, ["a", "b", "c"], "partial") == 0
    assert score_question(question, ["a", "d"], "all_or_nothing") == 0
    assert score_question(question, ["d", "b", "a"], "all_or_nothing") == 2


def test_fill_ignores_spaces_width_and_case(bank):
    question = q(bank, "at-fill")
    for typed in ("80", " ８０ ", "八十"):
        assert score_question(question, typed) == 1, typed
    assert score_question(question, "70") == 0
    assert normalize_fill("  ＦＣＲ  率 ") == "fcr 率"


def test_order_partial_credit_per_position_only_when_asked(bank):
    question = q(bank, "at-order")  # partial: true, 2 points
    assert score_question(question, ["s1", "s2", "s3", "s4"]) == 2
    assert score_question(question, ["s1", "s2", "s4", "s3"]) == 1
    strict = load_banks(FIXTURES / "banks" / "valid")["final-exam"].question("fe-004")
    assert score_question(strict, ["k2", "a9", "m1"]) == 0


def test_match_all_or_nothing_unless_partial(bank):
    question = q(bank, "at-match")
    one_wrong = {"l1": "r2", "l2": "r4", "l3": "r3"}
    assert score_question(question, {"l1": "r2", "l2": "r1", "l3": "r3"}) == 2
    assert score_question(question, one_wrong) == 0
    partial = dataclasses.replace(question, partial=True)
    assert score_question(partial, one_wrong) == pytest.approx(4 / 3, abs=1e-4)


@pytest.mark.parametrize("qid,response", [
    ("at-single", "z"), ("at-single", ["b"]), ("at-multiple", "a"), ("at-truefalse", "true"),
    ("at-fill", 80), ("at-order", ["s1", "s2"]), ("at-match", {"l1": "r9"}),
])
def test_wrong_shape_is_explained_and_scores_zero(bank, qid, response):
    assert shape_error(q(bank, qid), response)
    assert score_question(q(bank, qid), response) == 0


def test_unanswered_scores_zero_and_bank_default_rule_applies(bank):
    marks = score_answers(bank, ["at-single", "at-multiple"], {"at-multiple": ["a"]})
    assert marks == {"at-single": 0, "at-multiple": pytest.approx(2 / 3, abs=1e-4)}
    strict = score_answers(bank, ["at-multiple"], {"at-multiple": ["a"]}, "all_or_nothing")
    assert strict == {"at-multiple": 0}


def test_seeded_randomness_known_values():
    # FNV-1a test vector and fixed outputs: quiz.js must produce exactly these too
    assert fnv1a32("") == 0x811C9DC5 and fnv1a32("a") == 0xE40C292C
    rnd = mulberry32(42)
    assert [round(rnd(), 10) for _ in range(2)] == [0.6011037519, 0.4482905590]
    assert shuffled(list("abcdefgh"), "x|E1") == ["f", "d", "g", "b", "c", "e", "a", "h"]


def test_draw_is_stable_per_learner_and_keeps_bank_order():
    ids = [f"q{i:02}" for i in range(30)]
    first = drawn_question_ids(ids, "bank", "E1024", 10)
    assert first == drawn_question_ids(ids, "bank", "E1024", 10)
    assert len(first) == 10 and first == sorted(first)
    assert first != drawn_question_ids(ids, "bank", "E2048", 10)
    assert drawn_question_ids(ids, "bank", "E1024", None) == ids
