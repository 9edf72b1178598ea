"""覆盖对照: citations are read as learners read them, and every one names a real chapter."""

from __future__ import annotations

import pytest

from kefu.course import Course
from kefu.org.handbooks import Chapter, Citation, Citer, Handbook, chinese_number, chinese_numeral, citations, coverage
from sitebuilder import ROOT


@pytest.mark.parametrize(("text", "expected"), [
    ("《客服管理工具箱》第九章", [("客服管理工具箱", 9)]),
    ("《客服主管怎么做，如何管》第10章", [("客服主管怎么做，如何管", 10)]),
    ("《客服管理工具箱》第一章、第二章和第十三章；《客服命门》前言", [
        ("客服管理工具箱", 1), ("客服管理工具箱", 2), ("客服管理工具箱", 13), ("客服命门", 0)]),
    ("依据《劳动法》，见《客服管理实战全案》第 十四 章", [("客服管理实战全案", 14)]),
    ("没有出处", []),
])
def test_citations_are_read_with_every_chapter(text, expected):
    assert [(c.book, c.chapter) for c in citations(text)] == expected


def test_chinese_numbers_both_ways():
    for n in range(1, 40):
        assert chinese_number(chinese_numeral(n)) == n
    assert (chinese_numeral(10), chinese_numeral(14), chinese_numeral(20)) == ("十", "十四", "二十")


def test_a_chapter_the_book_does_not_have_is_a_problem_with_file_and_line():
    book = Handbook("示例手册", ("示例",), (Chapter(1, "一"), Chapter(2, "二")))
    cited = [(Citer("question", "ex-001", "题干", "demo"), "demo.yml", Citation("示例", 2, 7)),
             (Citer("question", "ex-002", "题干", "demo"), "demo.yml", Citation("示例手册", 5, 19)),
             (Citer("page", "x.md", "页"), "docs/x.md", Citation("劳动法", 3, 1))]
    result = coverage([book], cited)
    assert [str(p) for p in result.problems] == [
        "demo.yml:19: ex-002: 《示例手册》没有第5章（目录见 data/handbooks.yml）"]
    assert (result.chapters_covered, result.chapters_total) == (1, 2)


def test_the_course_cites_only_real_chapters_and_covers_most_of_each_book():
    cov = Course.load(ROOT).coverage  # raises DataError listing any citation of a missing chapter
    for book, chapters in cov.books:
        covered = sum(bool(c.citers) for c in chapters)
        assert covered >= len(chapters) * 0.7, (book.title, covered, len(chapters))
    # the management track is there: 团队建设 cites 《客服管理工具箱》第二章 (招聘)
    toolbox = dict((b.title, chapters) for b, chapters in cov.books)["客服管理工具箱"]
    assert any(c.id == "modules/team/structure-and-recruitment.md" for c in toolbox[1].of_kind("page"))
