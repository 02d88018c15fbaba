"""Links keep the whole view of Geometry, Map, Truncate and Vocabulary, in real Chromium: set
controls to non-default values, open the address in a new browser (no shared state), and find
the same controls and the same results; flip a picker back and forth and see the page follow."""
import pytest

from tests.browser import (
    assert_no_exception,
    choose_option,
    click_label,
    controls,
    main_text,
    open_page,
    same_view_in_a_new_browser,
    settle,
    slide,
    type_into,
)

pytestmark = pytest.mark.browser
FLIPS = 3


def choose_typed(page, box_label: str, option: str) -> None:
    """Pick `option` in a select box by typing it, as a person can: at the bottom of the
    sidebar the drop-down list opens out of sight."""
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text=box_label).locator("input")
    box.click()
    box.fill(option)
    box.press("Enter")
    settle(page)


def test_geometry_link_keeps_tab_rows_k_word_and_fix(app_url, browser_page, chromium):
    page = browser_page
    page.set_default_timeout(180_000)
    open_page(page, app_url, "geometry")
    type_into(page, "Restrict to the N most frequent words", "3000")
    type_into(page, "k (neighbours per row)", "5")
    page.get_by_role("tab", name="Hubness").click()
    settle(page)
    type_into(page, "Word", "France")
    text = main_text(page)
    assert "Exact cosine 5-NN of 3,000 rows" in text and "“France” as “france”" in text
    same_view_in_a_new_browser(chromium, page, ["Restrict to the N most frequent words",
                                                "k (neighbours per row)", "Word"], [], [])
    page.get_by_role("tab", name="Fixes").click()
    settle(page)
    choose_option(page, "Fix", "Whitening")
    type_into(page, "Keep dimensions", "20")
    assert "fix=Whitening" in page.url and "fix_dims=20" in page.url
    same_view_in_a_new_browser(chromium, page, ["Keep dimensions"], [], [])
    for _ in range(FLIPS):
        choose_option(page, "Fix", "All-but-the-top")
        assert "Principal components to remove (D)" in main_text(page) and "fix=All-but-the-top" in page.url
        choose_option(page, "Fix", "Whitening")
        assert "Keep dimensions" in main_text(page) and "fix=Whitening" in page.url
    assert_no_exception(page)


def test_map_link_keeps_words_method_axes_colouring_list_and_search(app_url, browser_page, chromium):
    page = browser_page
    page.set_default_timeout(180_000)
    open_page(page, app_url, "map")
    type_into(page, "Words (most frequent first)", "2000")
    click_label(page, "Word axes")
    type_into(page, "x axis (a word formula)", "big - small")
    choose_typed(page, "Colour by", "word list")
    type_into(page, "Your words", "King, paris, apple")
    type_into(page, "Search a word", "Queen")
    text = page.locator('[data-testid="stApp"]').inner_text()
    assert "“Queen” as “queen”" in text and "“King” as “king”" in text
    same_view_in_a_new_browser(chromium, page, ["Words (most frequent first)", "x axis (a word formula)",
                                                "y axis (a word formula)", "Your words", "Search a word"],
                               ["Word axes"], [])
    for _ in range(FLIPS):
        choose_typed(page, "Colour by", "k-means cluster")
        assert "colour=k-means" in page.url and page.get_by_text("Clusters (k)").count() == 1
        choose_typed(page, "Colour by", "vector norm")
        assert "colour=vector" in page.url and page.get_by_text("Clusters (k)").count() == 0
    assert_no_exception(page)


def test_truncate_and_vocabulary_links_keep_cuts_width_word_and_list(app_url, browser_page, chromium):
    page = browser_page
    page.set_default_timeout(180_000)
    open_page(page, app_url, "truncate?cuts=5,25")
    slide(page, "Dimensions kept", 5)
    type_into(page, "Word", "Queen")
    kept = controls(page, [], [], ["Dimensions kept"])["Dimensions kept"]
    assert kept != "10" and f"neighbours of “queen” survive the cut to {kept} dimensions" in main_text(page)
    chips = page.locator('[data-testid="stMultiSelect"]').first.inner_text()
    assert "5" in chips and "25" in chips and "50" not in chips
    same_view_in_a_new_browser(chromium, page, ["Word"], [], ["Dimensions kept"])

    open_page(page, app_url, "vocabulary")
    box = page.get_by_label("Words", exact=True)
    box.fill("Cat dog zzyzxq")
    box.press("Control+Enter")
    settle(page)
    assert "word_list=Cat" in page.url
    same_view_in_a_new_browser(chromium, page, ["Words"], [], [])
    assert_no_exception(page)
