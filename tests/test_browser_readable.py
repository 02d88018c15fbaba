"""Readable in a lecture hall and offline: the Presentation switch enlarges text and figures
and is kept in the link; a downloaded figure draws with no network. (Every page at 800 and
400 px, and its requests: test_browser_every_page.py.)"""
import plotly.graph_objects as go
import pytest

from tests.browser import settle
from tests.test_browser_every_page import MEASURE

pytestmark = pytest.mark.browser


def test_presentation_switch_enlarges_text_and_figures_and_is_kept_in_the_link(app_url, chromium):
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(f"{app_url}/load")
    settle(page)
    ticks = page.locator(".js-plotly-plot .xtick text").first
    ticks.wait_for(timeout=180_000)
    before = page.evaluate(MEASURE)["smallest"]
    switch = page.get_by_text("Presentation", exact=True)
    switch.wait_for(timeout=60_000)
    switch.click()
    settle(page)
    page.wait_for_function("parseFloat(getComputedStyle(document.documentElement).fontSize) >= 20",
                           timeout=60_000)
    page.wait_for_function(f"[...document.querySelectorAll('.js-plotly-plot .xtick text')]"
                           f".every(el => parseFloat(getComputedStyle(el).fontSize) > {before})",
                           timeout=60_000)
    assert "present=1" in page.url
    fresh = chromium.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    fresh.goto(page.url)
    settle(fresh)
    fresh.wait_for_function("parseFloat(getComputedStyle(document.documentElement).fontSize) >= 20",
                            timeout=60_000)
    fresh.context.close()
    context.close()


def test_a_downloaded_figure_draws_with_no_network(chromium, tmp_path):
    from ui.common import figure_html

    saved = tmp_path / "figure.html"
    saved.write_text(figure_html(go.Figure(go.Bar(x=["a", "b"], y=[1, 2]))))
    context = chromium.new_context()
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                  else route.abort())
    page = context.new_page()
    page.goto(saved.as_uri())
    page.locator(".js-plotly-plot .bars path").first.wait_for(timeout=20_000)
    assert page.locator(".js-plotly-plot .bars path").count() == 2
    context.close()
