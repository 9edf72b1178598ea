"""Printable papers: same seed, same paper; the key matches the paper it names."""

from __future__ import annotations

import re
from html import unescape

import pytest

from kefu.bank import load_banks
from kefu.course import Course
from kefu.export.paper import key_html, make_paper, paper_html
from sitebuilder import ROOT, run_script

VALID = ROOT / "tests/fixtures/banks/valid"


def bank(name: str):
    return load_banks(VALID, only=[VALID / f"{name}.yml"])[name]


def run(*args) -> tuple[int, str, str]:
    return run_script("paper", *args)


def test_same_seed_same_paper_other_seed_other_paper():
    exam = Course.load(ROOT).bank("complaints-exam")
    first, again = make_paper(exam, 7), make_paper(exam, 7)
    assert paper_html(first) == paper_html(again) and key_html(first) == key_html(again)
    others = {tuple(pq.question.id for pq in make_paper(exam, seed).questions) for seed in range(1, 6)}
    assert len(others) > 1  # the seed really chooses the questions
    assert len(first.questions) == exam.draw


def printed_choices(html: str, number: int) -> dict[str, str]:
    """Letter → text of the options printed under question ``number`` on the paper."""
    item = re.search(rf'<li class="q"><p class="stem">{number}\. .*?</li>', html).group(0)
    return {m[0]: unescape(m[1]) for m in re.findall(r"<span>([A-Z])\. (.*?)</span>", item)}


@pytest.mark.parametrize("seed", [1, 2, 3, 42])
def test_key_letters_point_at_the_right_printed_options(seed):
    for name in ("all-types", "final-exam"):
        paper = make_paper(bank(name), seed)
        html, key = paper_html(paper), key_html(paper)
        assert paper.code in html and paper.code in key
        for pq in paper.questions:
            q = pq.question
            answer = re.search(rf'<p class="stem">{pq.number}\. 答案：<span class="answer">(.*?)</span>', key)[1]
            choices = printed_choices(html, pq.number)
            if q.type == "single":
                assert choices[answer] == q.options[q.answer]
            elif q.type == "multiple":
                assert sorted(choices[letter] for letter in answer) == sorted(q.options[k] for k in q.answer)
            elif q.type == "order":
                assert [choices[letter] for letter in answer.split(" → ")] == [q.items[k] for k in q.answer]
                assert list(choices.values()) != [q.items[k] for k in q.answer]  # never printed solved
            elif q.type == "truefalse":
                assert answer == ("√" if q.answer else "×")
            assert unescape(q.explanation) in unescape(key)


def test_paper_has_no_answers_and_escapes_bank_text():
    paper = make_paper(bank("hostile"), 5)
    html = paper_html(paper)
    assert "<script>" not in html and "onerror=" not in html.replace("onerror=&quot;", "")
    assert "解析" not in html and "答案：" not in html
    assert "@page" in html and "size: A4" in html


def test_cli_writes_both_files_and_never_overwrites(tmp_path):
    code, out, _ = run(VALID / "all-types.yml", "--seed", "3", "--out", tmp_path)
    assert code == 0 and "all-types-3" in out
    paper = tmp_path / "all-types-3-试卷.html"
    assert paper.exists() and (tmp_path / "all-types-3-答案.html").exists()
    paper.write_text("trainer's notes", encoding="utf-8")
    code, _, err = run(VALID / "all-types.yml", "--seed", "3", "--out", tmp_path)
    assert code == 2 and "--force" in err and paper.read_text(encoding="utf-8") == "trainer's notes"


def test_cli_reports_a_random_seed_so_the_paper_can_be_made_again(tmp_path):
    code, out, _ = run(VALID / "all-types.yml", "--out", tmp_path)
    seed = re.search(r"--seed (\d+)", out)[1]
    assert code == 0 and (tmp_path / f"all-types-{seed}-试卷.html").exists()


def test_cli_rejects_an_impossible_draw(tmp_path):
    code, _, err = run(VALID / "all-types.yml", "--draw", "99", "--out", tmp_path)
    assert code == 2 and "1 到 6" in err and not any(tmp_path.iterdir())
