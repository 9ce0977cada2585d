"""The self-test and the test paper in a real Chromium: with and without JavaScript, the browser's draw
equal to Python's, and the paper and its answer key printed to A4 PDF and counted page by page."""

from __future__ import annotations

import io

import pytest

from conftest import ROOT
from pufa.checks import check_project
from pufa.clock import build_today
from pufa.project import open_project
from pufa.quiz import paper

pytestmark = [pytest.mark.browser, pytest.mark.build]


@pytest.fixture(scope="module")
def content():
    return check_project(open_project(ROOT / "mkdocs.yml"), build_today(), render=False).content.published()


@pytest.fixture(scope="module")
def bank(content):
    return content.bank_for(content.laws[0].slug)


def open_page(browser, url: str, *, js: bool = True):
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=js, locale="zh-CN")
    page = context.new_page()
    page.goto(url)
    return page


def test_the_self_test_marks_each_choice_locks_it_and_scores_at_the_end(browser, served, bank):
    page = open_page(browser, served + bank.url)
    try:
        first, second = bank.questions[0], bank.questions[1]
        wrong = next(v for v in ("A", "B", "C", "D", "对", "错") if v != second.answer
                     and (v in "ABCDEF"[:len(second.options)] if second.options else v in ("对", "错")))
        page.locator(f"#q{first.id} input[value='{first.answer}']").check()
        assert page.locator(f"#q{first.id} .pufa-quiz__mark").inner_text().startswith("✓ 回答正确")
        assert page.locator(f"#q{first.id} details").get_attribute("open") is not None
        assert page.locator(f"#q{first.id} details").inner_text().count(first.explanation) == 1
        page.locator(f"#q{second.id} input[value='{wrong}']").check()
        assert second.answer in page.locator(f"#q{second.id} .pufa-quiz__mark").inner_text()
        assert page.locator(f"#q{second.id} input[value='{second.answer}']").is_disabled()  # no second try
        page.get_by_role("button", name="交卷，看成绩").click()
        total = len(bank.questions)
        assert page.get_by_role("status").inner_text() == f"答对 1 题，共 {total} 题（还有 {total - 2} 题没做）。"
        page.get_by_role("button", name="重新做").click()
        assert page.get_by_role("status").inner_text() == ""
        assert page.locator(f"#q{second.id} input[value='{second.answer}']").is_enabled()
        assert page.locator(".pufa-quiz input:checked").count() == 0
        assert page.locator("details[open]").count() == 0
    finally:
        page.context.close()


def test_without_javascript_every_answer_opens_under_details_and_no_dead_buttons_show(browser, served, bank):
    page = open_page(browser, served + bank.url, js=False)
    try:
        first = bank.questions[0]
        answer = page.locator(f"#q{first.id} details")
        assert not answer.get_by_text(first.explanation).is_visible()
        answer.locator("summary").click()
        assert answer.get_by_text(first.explanation).is_visible()
        assert not page.get_by_role("button", name="交卷，看成绩").is_visible()
        page.locator(f"#q{first.id} input").first.check()  # the radios still work as a paper would
        assert page.locator(f"#q{first.id} input:checked").count() == 1
    finally:
        page.context.close()


def shown_questions(page) -> list[str]:
    return [t.strip().removesuffix("（　　）") for t in page.locator(".pufa-paper__q").all_inner_texts()]


def test_the_browser_draws_the_same_papers_as_python(browser, served, content):
    for law in content.laws[:3]:
        bank = content.bank_for(law.slug)
        page = open_page(browser, served + bank.paper_url + "?n=12&seed=7")
        try:
            assert shown_questions(page) == [q.question for q in paper.draw(bank.questions, 12, 7)]
            assert page.locator("[data-pufa-paper-meta]").inner_text() == "试卷编号 7 · 共 12 题"
            page.locator("input[name=n]").fill("15")
            page.locator("input[name=seed]").fill("3")
            page.get_by_role("button", name="换一套").click()
            assert page.url.endswith("?n=15&seed=3")
            drawn = paper.draw(bank.questions, 15, 3)
            assert shown_questions(page) == [q.question for q in drawn]
            key = page.locator("[data-pufa-key-body] li strong").all_inner_texts()
            assert key == [q.answer_text for q in drawn]
            page.locator("input[name=seed]").fill("4")
            page.locator("input[name=seed]").press("Enter")  # as in a form
            assert page.url.endswith("?n=15&seed=4")
            assert shown_questions(page) == [q.question for q in paper.draw(bank.questions, 15, 4)]
        finally:
            page.context.close()


def test_without_javascript_the_paper_page_is_paper_one_with_no_form(browser, served, bank):
    page = open_page(browser, served + bank.paper_url + "?n=12&seed=7", js=False)
    try:
        assert shown_questions(page) == [q.question for q in paper.draw(bank.questions, paper.default_count(bank.questions), 1)]
        assert not page.locator("[data-pufa-paper-form]").is_visible()
    finally:
        page.context.close()


def pdf_pages(pdf: bytes) -> list[tuple[str, list[tuple[float, float, float, float]], tuple[float, float]]]:
    """Each page's text, the boxes of its text lines, and its size (points)."""
    import logging
    from pdfminer.high_level import extract_pages
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # Chromium's subset fonts omit a FontBBox it notes
    from pdfminer.layout import LTTextContainer, LTTextLine
    pages = []
    for layout in extract_pages(io.BytesIO(pdf)):
        lines = [line for box in layout if isinstance(box, LTTextContainer) for line in box if isinstance(line, LTTextLine)]
        text = "".join(line.get_text() for line in lines)
        pages.append((text, [line.bbox for line in lines], (layout.width, layout.height)))
    return pages


@pytest.mark.parametrize("count,seed,elder", [(10, 1, 0), (20, 2, 0), (20, 5, 2)], ids=["10", "20", "20-elder"])
def test_the_printed_paper_fits_a4_and_its_key_is_one_page_of_its_own(browser, served, bank, count, seed, elder):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(served + bank.paper_url + f"?n={count}&seed={seed}" + (f"&elder={elder}" if elder else ""))
        pdf = page.pdf(format="A4", print_background=False)
    finally:
        context.close()
    pages = pdf_pages(pdf)
    key_at = [i for i, (text, _, _) in enumerate(pages) if "参考答案" in text]
    assert len(key_at) == 1, [t[:80] for t, _, _ in pages]
    paper_pages, key_pages = pages[:key_at[0]], pages[key_at[0]:]
    assert 1 <= len(paper_pages) <= (2 if count <= 10 else 3)
    assert len(key_pages) == 1
    assert "姓名" in paper_pages[0][0] and "姓名" not in key_pages[0][0]
    drawn = paper.draw(bank.questions, count, seed)
    paper_text = "".join(t for t, _, _ in paper_pages).replace("\n", "")
    assert all(q.question[:12] in paper_text for q in drawn)
    assert not any(q.explanation[:12] in paper_text for q in drawn)  # answers only on the key page
    for text, boxes, (width, height) in pages:  # A4 portrait, nothing cut at an edge
        assert abs(width - 595.3) < 1.5 and abs(height - 841.9) < 1.5  # A4: 210 × 297 mm
        assert all(x0 >= 0 and y0 >= 0 and x1 <= width and y1 <= height for x0, y0, x1, y1 in boxes)
