"""The Geometry page in real Chromium: read the cone, apply a fix, see the before/after table."""
import pytest

from tests.browser import assert_no_exception, open_page, settle

pytestmark = pytest.mark.browser


def test_cone_then_centring_before_after(app_url, browser_page):
    page = browser_page
    open_page(page, app_url, "geometry?source=glove-6b-50d")
    page.get_by_text("Mean cosine").first.wait_for(timeout=180_000)
    page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)

    open_page(page, app_url, "geometry?source=glove-6b-50d&view=Fixes")
    page.get_by_role("button", name="Apply and measure").click()
    settle(page, limit=400)
    assert_no_exception(page)
    page.get_by_text("is now the source on every page").wait_for(timeout=120_000)
    assert "glove-6b-50d · centred" in page.inner_text("body")
    table = page.locator('[data-testid="stTable"]').last
    table.wait_for(timeout=60_000)
    cells = table.locator("tr", has_text="Mean cosine").first.locator("td").all_inner_texts()
    before, after = (float(v) for v in cells[-2:])
    assert before > 0.02 and abs(after) < before
    assert page.get_by_role("tab", name="Fixes").get_attribute("aria-selected") == "true"
    assert_no_exception(page)
