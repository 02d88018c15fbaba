"""Inputs made for a table or for another input follow it, in real Chromium: switch the
source back and forth on Explore, Map, Analogies and Truncate and find each table's own
example word, row count, search size and dimensions (in the boxes and in the link), never
the last table's; a word the visitor typed that the new table has stays; typing a question
drops the example's expected answer, from the box and from the link a fresh browser opens."""
import pytest
from playwright.sync_api import expect

from tests.browser import assert_no_exception, choose_option, fresh_page, open_page, settle, slider, type_into

pytestmark = pytest.mark.browser
FLIPS = 2
GLOVE, TOKENS, POSITIONS, KARATE = ("GloVe 6B 50d", "MiniLM token table", "MiniLM position table",
                                    "Karate club (IDs + metadata)")


def shows(page, label: str, value: str) -> None:
    """The box `label` holds `value` (a box fills a moment after its page paints)."""
    expect(page.get_by_label(label, exact=True)).to_have_value(value, timeout=30_000)


def in_link(page, *names: str) -> set[str]:
    """Which of the URL parameters `names` the address bar holds."""
    query = page.url.partition("?")[2]
    return {name for name in names if any(part.startswith(f"{name}=") for part in query.split("&"))}


def open_slowly(page, base: str, path: str) -> None:
    page.set_default_timeout(120_000)        # a busy machine loads MiniLM's tables slowly
    open_page(page, base, path)


def test_explore_words_and_search_size_follow_the_source(app_url, browser_page):
    page = browser_page
    open_slowly(page, app_url, "")            # Explore is the main page
    for _ in range(FLIPS):
        choose_option(page, "Source", POSITIONS)
        shows(page, "Word", "5")
        shows(page, "First word", "5")
        shows(page, "Restrict to the N first rows (id order)", "512")
        assert in_link(page, "source", "word", "first", "restrict") == {"source"}
        choose_option(page, "Source", GLOVE)
        shows(page, "Word", "king")
        shows(page, "First word", "king")
        shows(page, "Restrict to the N most frequent words", "400000")
        assert not in_link(page, "source", "word", "first", "restrict", "topn")
    type_into(page, "Word", "paris")
    choose_option(page, "Source", TOKENS)
    shows(page, "Word", "paris")                                         # typed, and a token
    assert in_link(page, "word") == {"word"}
    choose_option(page, "Source", POSITIONS)
    shows(page, "Word", "5")                                             # not a position
    assert not in_link(page, "word")
    assert_no_exception(page)


def test_map_row_count_and_colouring_follow_the_source(app_url, browser_page):
    page = browser_page
    open_slowly(page, app_url, "map")
    for _ in range(FLIPS):
        choose_option(page, "Source", KARATE)
        shows(page, "Words (most frequent first)", "34")
        shows(page, "Colour by", "club")                     # its metadata columns come first
        assert in_link(page, "source", "map_rows", "colour") == {"source"}
        choose_option(page, "Source", GLOVE)
        shows(page, "Words (most frequent first)", "10000")
        shows(page, "Colour by", "frequency rank")
        assert not in_link(page, "source", "map_rows", "colour")
        page.get_by_text("Explained variance").first.wait_for()
    assert_no_exception(page)


def test_analogies_expected_answer_follows_the_question_and_the_link_says_so(app_url, browser_page,
                                                                            chromium):
    page = browser_page
    open_slowly(page, app_url, "analogies")
    shows(page, "Expected answer (optional)", "queen")
    for label, word in zip("ABC", ("paris", "france", "tokyo")):
        type_into(page, label, word)
        shows(page, "Expected answer (optional)", "")
    assert not in_link(page, "gold") and in_link(page, "a", "b", "c") == {"a", "b", "c"}
    assert "ranks" not in page.locator('[data-testid="stMain"]').inner_text()
    copy = fresh_page(chromium)
    copy.set_default_timeout(120_000)
    copy.goto(page.url)
    settle(copy)
    shows(copy, "C", "tokyo")
    shows(copy, "Expected answer (optional)", "")
    copy.context.close()
    page.bring_to_front()                  # a page behind another draws no dropdown
    for _ in range(FLIPS):
        choose_option(page, "Source", TOKENS)
        shows(page, "Restrict to the N first rows (id order)", "30522")
        choose_option(page, "Source", GLOVE)
        shows(page, "Restrict to the N most frequent words", "400000")
        assert not in_link(page, "restrict", "answers")
    shows(page, "C", "tokyo")                            # typed, and both tables have it
    assert_no_exception(page)


def test_truncate_dimensions_follow_the_source(app_url, browser_page):
    page = browser_page
    open_slowly(page, app_url, "truncate")
    for _ in range(FLIPS):
        choose_option(page, "Source", TOKENS)
        expect(slider(page, "Dimensions kept")).to_have_attribute("max", "384", timeout=30_000)
        expect(slider(page, "Dimensions kept")).to_have_value("76", timeout=30_000)
        choose_option(page, "Source", GLOVE)
        expect(slider(page, "Dimensions kept")).to_have_value("10", timeout=30_000)
        assert not in_link(page, "kept", "cuts", "truncate_word")
    assert_no_exception(page)
