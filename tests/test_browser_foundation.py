"""The real app in Debian's Chromium: Explore, Analogies and Benchmarks, driven like a person."""
import pytest

from tests.browser import assert_no_exception, metric_value, open_page, seconds_until_shown, settle, vector_strip_words

pytestmark = pytest.mark.browser


def plot_labels(page, axis: str = "ytick") -> list[str]:
    """Tick labels of the page's first Plotly chart (drawn after the script finishes)."""
    ticks = page.locator(f".js-plotly-plot .{axis} text")
    ticks.first.wait_for(state="attached", timeout=30_000)
    return ticks.all_text_contents()


def test_explore_type_a_word_and_read_neighbours(app_url, browser_page):
    page = browser_page
    open_page(page, app_url)
    assert vector_strip_words(page)[:3] == ["king", "prince", "queen"]
    box = page.get_by_label("Word", exact=True)
    box.fill("frog")
    waited = seconds_until_shown(page, lambda: box.press("Enter"), "Nearest to “frog”", "snake")
    print(f"neighbours of a typed word painted {waited * 1000:.0f} ms after Enter "
          "(bench/bench_browser_latency.py measures it over many words)")
    settle(page)
    assert vector_strip_words(page)[:2] == ["frog", "snake"]
    assert "word=frog" in page.url
    assert_no_exception(page)


def test_explore_compare_two_words(app_url, browser_page):
    page = browser_page
    open_page(page, app_url, "?first=paris")
    box = page.get_by_label("Second word", exact=True)
    box.fill("london")
    box.press("Enter")
    settle(page)
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert "“london” is neighbour number 7 of “paris”, and “paris” is number 9" in text
    assert metric_value(page, "Cosine similarity") == "0.7294"   # GloVe, by NumPy
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
    assert metric_value(page, "Accuracy") == "46.4%"
    assert metric_value(page, "Questions answered") == "99.7%"
    page.locator(".js-plotly-plot .ytick").first.wait_for(timeout=120_000)
    assert "capital-world" in plot_labels(page, "ytick")
    assert_no_exception(page)
