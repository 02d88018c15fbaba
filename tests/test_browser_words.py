"""Links keep the whole view of the Words pages, in real Chromium: set every control to a
non-default value, open the address in a new browser (no shared state), and find the same
controls and the same results; flip a control back and forth and see the page follow."""
import pytest

from tests.browser import (
    assert_no_exception,
    choose_option,
    click_label,
    main_text,
    open_page,
    same_view_in_a_new_browser,
    slide,
    type_into,
)

pytestmark = pytest.mark.browser
FLIPS = 3


def test_explore_link_keeps_the_whole_view(app_url, browser_page, chromium):
    page = browser_page
    page.set_default_timeout(120_000)
    open_page(page, app_url, "")
    type_into(page, "Restrict to the N most frequent words", "10000")
    slide(page, "Neighbours to show", -3)
    click_label(page, "dot product")
    type_into(page, "Word", "Paris")
    type_into(page, "First word", "cat")
    type_into(page, "Second word", "dog")
    type_into(page, "Words (comma or space separated)", "paris, london, berlin, banana")
    text = main_text(page)
    assert "Nearest to “paris”" in text and "“Paris” as “paris”" in text
    assert "banana fits least" in text and "“dog” is neighbour number" in text
    assert_no_exception(page)
    same_view_in_a_new_browser(
        chromium, page, ["Word", "First word", "Second word", "Words (comma or space separated)",
                         "Restrict to the N most frequent words"], ["dot product"], ["Neighbours to show"])
    for _ in range(FLIPS):
        click_label(page, "CSLS")
        assert "score=csls" in page.url and "Scored by CSLS" in main_text(page)
        click_label(page, "cosine")
        assert "score=" not in page.url and "Scored by cosine" in main_text(page)
    assert_no_exception(page)


def test_analogies_link_keeps_the_whole_view(app_url, browser_page, chromium):
    page = browser_page
    page.set_default_timeout(120_000)
    open_page(page, app_url, "analogies")
    choose_option(page, "Example", "france : paris :: italy : ?")
    click_label(page, "3CosMul (Levy & Goldberg)")
    slide(page, "Answers to show", 2)
    click_label(page, "Leave the input words out of the answers")
    type_into(page, "C", "Japan")
    type_into(page, "Expected answer (optional)", "Tokyo")
    type_into(page, "Formula (words joined by + and −)", "Berlin − Germany + Italy")
    text = main_text(page)
    assert "Expected “tokyo” ranks" in text and "rome" in text
    assert_no_exception(page)
    same_view_in_a_new_browser(
        chromium, page, ["A", "B", "C", "Expected answer (optional)", "Formula (words joined by + and −)"],
        ["3CosMul (Levy & Goldberg)", "Leave the input words out of the answers"], ["Answers to show"])
    for _ in range(FLIPS):
        click_label(page, "3CosAdd (vector offset)")
        assert "analogy_method=" not in page.url
        click_label(page, "3CosMul (Levy & Goldberg)")
        assert "analogy_method=mul" in page.url
    assert_no_exception(page)


def test_benchmarks_link_keeps_the_whole_view(app_url, browser_page, chromium):
    page = browser_page
    page.set_default_timeout(180_000)
    open_page(page, app_url, "benchmarks?benchmark=analogies&restrict_vocab=20000")  # not 300,000: seconds
    type_into(page, "Restrict to the N most frequent words", "10000")
    click_label(page, "semantic")
    assert "capital-world" in main_text(page)
    same_view_in_a_new_browser(chromium, page, ["Restrict to the N most frequent words"],
                               ["Google analogies", "semantic"], [])
    for _ in range(FLIPS):
        click_label(page, "syntactic (gram…)")
        assert "sections=syntactic" in page.url
        click_label(page, "semantic")
        assert "sections=semantic" in page.url
    assert_no_exception(page)
