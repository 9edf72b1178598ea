"""Strict builds of the real site and of tiny fixture sites; checks on the built files."""

from __future__ import annotations

import gzip
import json
import re
import shutil
from pathlib import Path

import pytest

from kefu.bank import load_banks
from kefu.course import Course
from sitebuilder import FIXTURES, ROOT, build, make_site

VALID = FIXTURES / "banks" / "valid"
QUIZ_CALL = re.compile(r"""\{\{\s*quiz\(\s*["']([^"']+)["']\s*\)\s*\}\}""")


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def built_text_files(site: Path):
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".js", ".json", ".css", ".xml", ".txt"}:
            yield path, path.read_text(encoding="utf-8", errors="replace")


def test_real_site_builds_strictly_without_warnings(real_site):
    assert real_site.ok, real_site.output
    assert "WARNING" not in real_site.output, real_site.output
    assert (real_site.site / "index.html").exists()


def test_every_bank_has_a_page_and_every_quiz_call_names_a_bank():
    banks = Course.load(ROOT).banks  # with the processes that order questions name
    calls: dict[str, list[str]] = {}
    for md in (ROOT / "docs").rglob("*.md"):
        for bank_id in QUIZ_CALL.findall(md.read_text(encoding="utf-8")):
            calls.setdefault(bank_id, []).append(str(md.relative_to(ROOT)))
    assert set(calls) - set(banks) == set(), f"页面调用了不存在的题库：{calls}"
    assert set(banks) - set(calls) == set(), "这些题库没有页面"
    for bank_id, pages in calls.items():
        assert pages == [f"docs/quizzes/{bank_id}.md"], pages


def test_mermaid_and_quiz_assets_load_only_where_needed(real_site):
    pages = html_pages(real_site.site)
    with_diagram = [p for p in pages if 'class="kf-mermaid"' in p.read_text(encoding="utf-8")]
    with_quiz = [p for p in pages if 'class="kq-quiz"' in p.read_text(encoding="utf-8")]
    assert with_diagram and with_quiz
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert ("diagrams/diagrams.js" in text) == (page in with_diagram), page
        assert "vendor/mermaid" not in text, page  # Mermaid itself is imported only when a diagram nears the view
        assert ("quiz.js" in text) == (page in with_quiz), page


def test_quiz_assets_are_small():
    size = sum(len(gzip.compress((ROOT / "docs/assets/quiz" / f).read_bytes(), 9))
               for f in ("quiz.js", "quiz.css"))
    assert size <= 15 * 1024, f"quiz.js + quiz.css = {size} B gzipped (limit 15 KB)"


LOADED = re.compile(r"""<(script|link|img|iframe|source|video|audio|embed|object|use|image)\b([^>]*)>""", re.I)
ADDRESS = re.compile(r"""\b(src|href|data|srcset|poster|xlink:href)\s*=\s*["']?([^"' >]+)""", re.I)
CSS_URL = re.compile(r"""(?:url\(\s*["']?|@import\s+["'])([^"')]+)""")
NOT_LOADED = re.compile(r"""\brel\s*=\s*["']?(canonical|alternate|next|prev)\b""", re.I)
ABSOLUTE = re.compile(r"^(https?:)?//", re.I)


def foreign_loads(site: Path) -> list[str]:
    """Every resource a built file would load from another host: HTML elements that fetch, CSS url()s."""
    found = []
    for path in site.rglob("*"):
        if path.suffix == ".html":
            text = path.read_text(encoding="utf-8")
            for tag, attributes in LOADED.findall(text):
                if tag.lower() == "link" and NOT_LOADED.search(attributes):
                    continue  # a link to a page, not a resource the page loads
                found += [f"{path.relative_to(site)}: <{tag} {value}>" for _, value in ADDRESS.findall(attributes)
                          if ABSOLUTE.match(value)]
            if re.search(r"unpkg\.com|jsdelivr|googleapis|gstatic|cdnjs|bootcdn", text):
                found.append(f"{path.relative_to(site)}: names a CDN or font host")
        elif path.suffix == ".css":
            found += [f"{path.relative_to(site)}: url({value})" for value in
                      CSS_URL.findall(path.read_text(encoding="utf-8")) if ABSOLUTE.match(value)]
    return found


def test_no_built_file_loads_anything_from_another_host(real_site):
    assert foreign_loads(real_site.site) == []


def test_the_scan_for_other_hosts_finds_them(tmp_path):
    (tmp_path / "a.html").write_text('<link rel="canonical" href="https://x.org/"><script src="https://cdn.x/y.js">'
                                     '<img alt="" src="//img.x/p.png"><a href="https://ok.org/">ok</a>')
    (tmp_path / "s.css").write_text("body{background:url('https://x.org/bg.png')} i{background:url(bg.png)}")
    assert sorted(foreign_loads(tmp_path)) == ["a.html: <img //img.x/p.png>", "a.html: <script https://cdn.x/y.js>",
                                              "s.css: url(https://x.org/bg.png)"]


def test_abbreviations_become_tooltips(real_site):
    html = (real_site.site / "glossary/index.html").read_text(encoding="utf-8")
    assert re.search(r'<abbr title="一次解决率[^"]*">FCR</abbr>', html)


# --------------------------------------------------------------- fixture sites


def quiz_page(bank_id: str) -> dict[str, str]:
    return {f"quizzes/{bank_id}.md": f"# 测验\n\n{{{{ quiz(\"{bank_id}\") }}}}\n"}


def test_unknown_quiz_id_stops_the_build(tmp_path):
    site = make_site(tmp_path, banks=[VALID / "all-types.yml"],
                     pages=quiz_page("all-types") | {"x.md": '# X\n\n{{ quiz("no-such-bank") }}\n'})
    result = build(site)
    assert not result.ok
    assert "没有 id 为 “no-such-bank” 的题库" in result.output


def test_invalid_bank_stops_the_build_with_file_and_line(tmp_path):
    site = make_site(tmp_path, banks=[FIXTURES / "banks/rejected/empty-stem.yml"],
                     pages=quiz_page("empty-stem"))
    result = build(site)
    assert not result.ok
    assert "empty-stem.yml:8: es-001: 题干 stem 为空" in result.output


def test_broken_link_and_anchor_fail_the_strict_build(tmp_path):
    for body in ("[坏链接](missing.md)", "[坏锚点](index.md#no-such-heading)"):
        site = make_site(tmp_path / str(len(body)), pages={"a.md": f"# A\n\n{body}\n"})
        assert not build(site).ok, body


def test_chinese_heading_anchor_links_work(tmp_path):
    site = make_site(tmp_path, pages={
        "a.md": "# A\n\n## 投诉处理\n\n正文。\n",
        "b.md": "# B\n\n[去投诉处理](a.md#投诉处理)\n"})
    result = build(site)
    assert result.ok, result.output


def test_mermaid_braces_and_attr_list_survive_on_pages_without_macros(tmp_path):
    page = ("# 流程\n\n```mermaid\ngraph TD\n  A{{两个 词}} --> B{是否属实}\n```\n\n"
            "## 小节 {#custom-id}\n\n文字 {{ 不是宏 }}。\n")
    site = make_site(tmp_path, pages={"flow.md": page})
    result = build(site)
    assert result.ok, result.output
    html = (result.site / "flow/index.html").read_text(encoding="utf-8")
    assert "A{{两个 词}}" in html and 'id="custom-id"' in html and "{{ 不是宏 }}" in html


def test_quiz_page_may_also_hold_attr_list_ids(tmp_path):
    page = '# 测验\n\n## 说明 {#intro}\n\n{{ quiz("all-types") }}\n'
    site = make_site(tmp_path, banks=[VALID / "all-types.yml"],
                     pages={"quizzes/all-types.md": page})
    result = build(site)
    assert result.ok, result.output
    assert 'id="intro"' in (result.site / "quizzes/all-types/index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory):
    """All valid fixture banks (practice, exam, hostile) with their pages and an index."""
    tmp = tmp_path_factory.mktemp("fixture-site")
    banks = sorted(VALID.glob("*.yml"))
    pages = {"quizzes/index.md": "# 测验\n\n{{ quiz_index() }}\n"}
    for bank in banks:
        pages |= quiz_page(bank.stem)
    site = make_site(tmp, banks=banks, pages=pages)
    result = build(site)
    assert result.ok, result.output
    return result


def test_exam_answers_and_explanations_never_reach_the_built_site(fixture_site):
    exam = load_banks(VALID)["final-exam"]
    secrets = [q.explanation for q in exam.questions]
    secrets += [a for q in exam.questions if q.type == "fill" for a in q.answer]
    files = list(built_text_files(fixture_site.site))
    assert any("fe-001" in text for _, text in files)  # the exam itself is there
    for path, text in files:
        for secret in secrets:
            assert secret not in text, f"{path} 含有考试答案或解析：{secret}"
    page = (fixture_site.site / "quizzes/final-exam/index.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'class="kq-data">(.*?)</script>', page).group(1))
    assert data["mode"] == "exam"
    assert all("key" not in q for q in data["questions"])
    assert "kq-check" not in page and "kq-explain" not in page


def test_order_items_are_not_rendered_in_key_order(fixture_site):
    page = (fixture_site.site / "quizzes/final-exam/index.html").read_text(encoding="utf-8")
    shown = re.findall(r'data-item="([^"]+)"', page)
    assert sorted(shown) == ["a9", "k2", "m1"] and shown != ["k2", "m1", "a9"]


def test_hostile_bank_text_is_escaped(fixture_site):
    page = (fixture_site.site / "quizzes/hostile/index.html").read_text(encoding="utf-8")
    assert "<script>window.__pwned" not in page
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in page
    assert "<img src=x" not in page and "{{ config.site_name }}" in page
    index = (fixture_site.site / "quizzes/index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in index and "&lt;script&gt;alert" in index
    # bank titles and descriptions are plain text: no Markdown link, no autolink, no raw HTML
    assert "javascript:" not in re.sub(r"\[点我\]\(javascript:window.__pwned=4\)", "", index)
    assert "[点我](javascript:window.__pwned=4)" in index and 'href="https://evil' not in index


def test_quiz_index_lists_every_bank(fixture_site):
    index = (fixture_site.site / "quizzes/index.html").read_text(encoding="utf-8")
    assert "六种题型样例" in index and "考试样例" in index
    assert re.search(r'考试样例</a></td><td data-label="题数">3（题库 4）</td><td data-label="模式">考试</td>'
                     r'<td data-label="及格线">80%</td>', index)


def test_line_breaks_inside_chinese_paragraphs_leave_no_space(real_site):
    html = (real_site.site / "index.html").read_text(encoding="utf-8")
    assert "参考手册</a>），按“岗位" in html  # written on two lines in the Markdown source
    flow = (real_site.site / "flows/complaint-phone/index.html").read_text(encoding="utf-8")
    assert re.search(r'<pre class="kf-mermaid"><code>[^<]*\n', flow)  # diagram sources keep their lines


def test_no_ordering_question_starts_in_the_answer_order():
    from macros.render.quiz import order_start

    course = Course.load(ROOT)
    fixtures = load_banks(VALID)
    banks = [*course.banks.values(), *fixtures.values()]
    questions = [q for bank in banks for q in bank.questions if q.type == "order"]
    assert len(questions) > 40
    for q in questions:
        assert order_start(q) != list(q.answer), q.id


def test_the_visit_recorder_uses_the_storage_key_of_the_rules():
    from kefu.rules import ASSIGNMENT_STORAGE_KEY, VISITS_STORAGE_KEY

    script = (ROOT / "docs/assets/progress/track.js").read_text(encoding="utf-8")
    # track.js runs on every page, without page data: it names the keys itself
    assert f'var KEY = "{VISITS_STORAGE_KEY}", ASSIGNMENT = "{ASSIGNMENT_STORAGE_KEY}";' in script


def test_one_change_in_the_company_profile_reaches_every_page_flow_role_and_question(tmp_path):
    """The agent's compensation limit changed once (50 → 77 元) shows everywhere it is stated, in one build."""
    course = tmp_path / "course"
    for name in ("docs", "quizzes", "flows", "roles", "data", "assignments", "macros"):
        shutil.copytree(ROOT / name, course / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", course / "mkdocs.yml")
    profile = course / "data/company.yml"
    text = profile.read_text(encoding="utf-8")
    assert "agent: {value: 50, unit: 元," in text
    profile.write_text(text.replace("agent: {value: 50, unit: 元,", "agent: {value: 77, unit: 元,"), encoding="utf-8")
    result = build(course)
    assert result.ok, result.output
    site = result.site
    for page in ("modules/complaints/authority-and-escalation", "flows/complaint-phone", "roles/call-center-agent",
                 "quizzes/complaints", "modules/call-center/calls"):
        html = (site / page / "index.html").read_text(encoding="utf-8")
        assert "77 元" in html, page
    changed = Course.load(course)
    stated = [q.id for b in changed.banks.values() for q in b.questions
              if "77 元" in q.stem + q.explanation + "".join(q.options.values())]
    assert stated  # questions take the limit from the profile too
    assert "company." not in "".join(p.read_text(encoding="utf-8") for p in site.rglob("*.html"))


def test_a_page_that_states_a_profile_quantity_differently_is_named_with_file_and_line(tmp_path):
    from kefu.company import check_profile, consistency_problems

    page = tmp_path / "page.md"
    page.write_text("# 页面\n\n坐席单次补偿不超过 80 元，超出的报投诉专员。\n结案后 3 天内回访。\n", encoding="utf-8")
    profile, _ = check_profile(ROOT / "data/company.yml")
    problems = consistency_problems([page], profile)
    assert [(p.line, p.item) for p in problems] == [(3, "坐席"), (4, "结案后")]
    assert "{{ company.limits.agent }}" in problems[0].message and "page.md" in problems[0].file


def test_a_long_sidebar_list_shows_the_part_around_the_page_and_links_to_all(tmp_path):
    """Page size must not grow with the course: a list past 30 entries is cut around the current page."""
    pages = {"many/index.md": "# 全部条目\n\n索引页。\n"}
    pages |= {f"many/p{n:02}.md": f"# 条目{n:02}\n\n正文。\n" for n in range(1, 41)}
    pages |= {f"few/p{n}.md": f"# 短列表{n}\n\n正文。\n" for n in range(1, 4)}
    result = build(make_site(tmp_path, pages=pages))
    assert result.ok, result.output

    def sidebar(path: str) -> list[str]:
        html = (result.site / path / "index.html").read_text(encoding="utf-8")
        primary = html[html.index('md-nav--primary'):html.index('md-sidebar--secondary')]
        return re.findall(r'<span class="md-ellipsis">\s*(\S[^<]*?)\s*</span>', primary)

    middle = sidebar("many/p20")
    assert "条目20" in middle and "条目01" not in middle and "查看全部（共 41 项）" in middle
    assert sum(title.startswith("条目") for title in middle) == 29
    assert "条目40" in sidebar("many/p40") and "条目01" in sidebar("many/p01")
    short = sidebar("few/p2")
    assert {"短列表1", "短列表2", "短列表3"} <= set(short) and not any("查看全部" in t for t in short)
