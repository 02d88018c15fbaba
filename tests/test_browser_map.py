"""The Map page in real Chromium: search a word and see it marked, download the coordinates,
and hover and zoom a 100,000-point map."""
import time

import pytest

from tests.browser import assert_no_exception, open_page, settle

pytestmark = pytest.mark.browser


def _ready(page) -> None:
    settle(page)
    page.get_by_text("Neighbourhood preservation").first.wait_for(timeout=180_000)
    page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
    assert_no_exception(page)


def _search(page, word: str) -> None:
    box = page.get_by_label("Search a word")
    box.fill(word)
    box.press("Enter")
    settle(page)


def _hover_somewhere(page) -> list[str]:
    """Sweep the pointer across the middle of the map until a point's label shows."""
    box = page.locator(".js-plotly-plot").first.bounding_box()
    for dx in range(-200, 200, 8):
        page.mouse.move(box["x"] + box["width"] / 2 + dx, box["y"] + box["height"] / 2)
        time.sleep(0.05)
        labels = page.locator(".hoverlayer .hovertext").all_text_contents()
        if labels:
            return labels
    return []


def test_search_marks_the_word_and_the_csv_downloads(app_url, browser_page, tmp_path):
    page = browser_page
    open_page(page, app_url, "map")
    _ready(page)
    _search(page, "queen")
    caption = page.get_by_text("(star, rank 2,061)")
    caption.wait_for(timeout=60_000)
    text = caption.inner_text()
    assert text.startswith("queen") and "king" in text and "princess" in text
    assert "searched: queen" in page.locator(".legendtext").all_text_contents()
    assert_no_exception(page)

    with page.expect_download() as download:
        page.get_by_role("button", name="Coordinates (CSV)").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    lines = saved.read_text().splitlines()
    assert saved.name == "map-glove-6b-50d-pca-10000.csv"
    assert lines[0] == "word,rank,x,y" and len(lines) == 10_001 and lines[1].startswith("the,1,")


def test_a_100k_point_map_answers_hover_and_zoom(app_url, browser_page):
    page = browser_page
    open_page(page, app_url, "map")
    _ready(page)
    rows = page.get_by_label("Words (most frequent first)", exact=True).and_(page.locator("input"))
    rows.fill("100000")
    rows.press("Enter")
    _ready(page)
    page.get_by_text("Explained variance").first.wait_for()
    assert _hover_somewhere(page), "no word label appeared when hovering the map"
    page.mouse.wheel(0, -400)                          # zoom in
    time.sleep(0.5)
    assert _hover_somewhere(page), "hover stopped answering after zooming"
    _search(page, "paris")
    page.get_by_text("(star, rank 1,036)").wait_for(timeout=60_000)
    assert_no_exception(page)


def test_a_box_selection_lists_the_words_with_their_true_neighbours(app_url, browser_page):
    page = browser_page
    open_page(page, app_url, "map")
    _ready(page)
    chart = page.locator(".js-plotly-plot").first
    chart.hover()
    page.locator('.modebar-btn[data-title="Box Select"]').first.click()
    area = chart.locator(".nsewdrag").first.bounding_box()
    x, y = area["x"] + area["width"] / 2, area["y"] + area["height"] / 2
    page.mouse.move(x - 40, y - 40)
    page.mouse.down()
    page.mouse.move(x + 40, y + 40, steps=8)
    page.mouse.up()
    settle(page)
    heading = page.get_by_text("selected words and their true neighbours")
    heading.wait_for(timeout=60_000)
    assert int(heading.inner_text().split()[0].replace(",", "")) > 0
    assert page.get_by_role("button", name="Download the selection (CSV)").count() == 1
    assert_no_exception(page)
