"""The embedding layer pages in real Chromium: each opens at its defaults without an error,
and typing a sentence on Lookup re-draws its tokens."""
import pytest

from tests.browser import assert_no_exception, open_page, settle

pytestmark = pytest.mark.browser

PAGES = {"layer_gradients": "rows with a gradient", "layer_init": "Row norms (log)",
         "layer_size": "38,597,376", "layer_frozen": "Which rows moved"}


def test_lookup_typing_a_sentence(app_url, browser_page):
    page = browser_page
    open_page(page, app_url, "layer_lookup")
    page.wait_for_selector("text=6 tokens select 6 of 30,522 rows:")
    box = page.get_by_label("Sentence", exact=True)
    box.fill("Tokenisation is unbelievably subwordy.")
    box.press("Enter")
    settle(page)
    assert_no_exception(page)
    page.wait_for_selector("text=##word")
    assert "sentence=Tokenisation" in page.url


@pytest.mark.parametrize("path, text", PAGES.items())
def test_page_opens_at_its_defaults(app_url, browser_page, path, text):
    open_page(browser_page, app_url, path)
    browser_page.wait_for_selector(f"text={text}", timeout=60_000)
    assert_no_exception(browser_page)
    assert not browser_page.locator('[data-testid="stAlert"]').count()
