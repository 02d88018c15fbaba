"""The MiniLM and two-table pages in real Chromium: Static vs contextual, Sentence search and
Compare each open at their defaults, follow a change of their main control with a new
result and no exception; and at 800 px wide, Frozen's and Lookup's metrics are not cut."""
from urllib.parse import quote

import pytest

from tests.browser import assert_no_exception, open_page, settle

pytestmark = pytest.mark.browser


def wait_until_shown(page, text: str) -> None:
    """Until `text` is in the page: widgets, table cells and chart text included."""
    page.wait_for_function("t => document.querySelector('[data-testid=stMain]').textContent.includes(t)",
                           arg=text)


def enter(page, label: str, text: str) -> None:
    box = page.get_by_label(label, exact=True)
    box.fill(text)
    box.press("Enter")
    settle(page)
    assert_no_exception(page)


@pytest.mark.parametrize("path, label, text, before, after", [
    ("contextual", "Word", "bat", "“bank” in", "“bat” in"),
    ("retrieval", "Query", "Arafat and the Palestinian security forces", "Greater Sydney is ringed by fires",
     "Arafat"),
    ("compare", "Highlight a word and its neighbours in both maps", "paris", "Neighbours of “king”",
     "Neighbours of “paris”"),
])
def test_main_control_changes_the_result(app_url, browser_page, path, label, text, before, after):
    page = browser_page
    page.set_default_timeout(120_000)
    open_page(page, app_url, path)
    wait_until_shown(page, before)
    if path == "contextual":         # the word's sentences must use it: the preset fills both
        page.locator('[data-testid="stButtonGroup"]').get_by_text("bat", exact=True).click()
        settle(page)
    else:
        enter(page, label, text)
    wait_until_shown(page, after)
    assert_no_exception(page)
    assert not page.locator('[data-testid="stAlert"]').count()


def cut_metrics(page) -> list[str]:
    """Metric values whose text is wider than their box (shown with an ellipsis)."""
    return page.evaluate("""() => [...document.querySelectorAll('[data-testid="stMetricValue"]')]
        .filter(e => e.checkVisibility())
        .filter(e => [e, ...e.querySelectorAll('*')].some(x => x.scrollWidth > x.clientWidth + 1))
        .map(e => e.innerText)""")


@pytest.mark.parametrize("path", ["layer_frozen", "layer_lookup?lookup_tab=" + quote("One-hot · W"),
                                  "layer_lookup?lookup_tab=" + quote("Same id, same row")])
def test_metrics_fit_at_800_px(app_url, chromium, path):
    context = chromium.new_context(viewport={"width": 800, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(120_000)
    try:
        open_page(page, app_url, path)
        page.locator('[data-testid="stMetricValue"]').first.wait_for()
        assert cut_metrics(page) == []
    finally:
        context.close()
