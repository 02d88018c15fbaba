"""The real app in Debian's Chromium: Explore, Analogies and Benchmarks, driven like a person."""
import time

import pytest

from tests.browser import assert_no_exception, open_page, settle

pytestmark = pytest.mark.browser


def plot_labels(page, axis: str = "ytick") -> list[str]:
    """Tick labels of the page's first Plotly chart (drawn after the script finishes)."""
    ticks = page.locator(f".js-plotly-plot .{axis} text")
    ticks.first.wait_for(state="attached", timeout=30_000)
    return ticks.all_text_contents()


def test_explore_type_a_word_and_read_neighbours(app_url, browser_page):
    page = browser_page
    open_page(page, app_url)
    assert "prince" in plot_labels(page)
    box = page.get_by_label("Word", exact=True)
    box.fill("frog")
    started = time.perf_counter()
    box.press("Enter")
    page.get_by_text("Nearest to “frog”").wait_for()
    print(f"neighbours of a typed word shown after {time.perf_counter() - started:.2f} s")
    settle(page)
    assert "snake" in plot_labels(page)
    assert "word=frog" in page.url
    assert_no_exception(page)


def test_explore_unknown_word_shows_an_error(app_url, browser_page):
    page = browser_page
    open_page(page, app_url, "?word=kingg")
    alert = page.locator('[data-testid="stAlert"]').first
    assert "'kingg' is not in the vocabulary" in alert.inner_text()


def test_analogies_man_king_woman_answers_queen(app_url, browser_page):
    page = browser_page
    open_page(page, app_url, "analogies")
    for label, word in (("A", "man"), ("B", "king"), ("C", "woman")):
        box = page.get_by_label(label, exact=True)
        box.fill(word)
        box.press("Enter")
        settle(page)
    heading = page.locator("h3").filter(has_text="man : king :: woman :")
    assert "queen" in heading.inner_text()
    assert plot_labels(page)[-1] == "queen"            # best answer is the top bar
    assert_no_exception(page)


def test_benchmarks_show_scores(app_url, browser_page):
    page = browser_page
    open_page(page, app_url, "benchmarks")
    values = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    assert values[0] == "46.4%"
    assert "capital-world" in plot_labels(page, "xtick")
    assert_no_exception(page)
