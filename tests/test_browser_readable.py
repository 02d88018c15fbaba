"""Readable in a lecture hall and offline: the Presentation switch enlarges text and figures
and is kept in the link; Explore's two columns side by side when the main block has room and
stacked when not; a downloaded figure draws with no network. (Every page at 1280, 800 and
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


# The boxes of Explore's neighbour table and of its vector column ("The vector").
BOXES = """() => {
  const box = el => el.closest('[data-testid="stLayoutWrapper"]').getBoundingClientRect();
  const heading = [...document.querySelectorAll("h3")].find(h => h.textContent.trim() === "The vector");
  const grid = document.querySelector('[data-testid="stDataFrame"]');
  if (!heading || !grid) return null;               // still being drawn
  const [t, v] = [box(grid), box(heading)];
  return {table: [t.left, t.right, t.top, t.bottom], vector: [v.left, v.right, v.top, v.bottom]};
}"""


def test_explore_sets_its_columns_side_by_side_when_the_main_block_has_room(app_url, chromium):
    """At 1280 px with the sidebar open the vector column stands right of the neighbour table
    (not under it, leaving half the page empty); at 400 px it goes under it."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(app_url)
    settle(page)
    page.get_by_role("heading", name="The vector").wait_for(timeout=120_000)
    page.wait_for_function(f"({BOXES})() !== null", timeout=120_000)
    wide = page.evaluate(BOXES)
    assert wide["vector"][0] >= wide["table"][1] and wide["vector"][2] < wide["table"][3], wide
    page.set_viewport_size({"width": 400, "height": 900})
    page.wait_for_function(f"(boxes => boxes !== null && boxes.vector[2] >= boxes.table[3])(({BOXES})())",
                           timeout=10_000)
    context.close()


def test_a_downloaded_figure_draws_with_no_network(chromium, tmp_path):
    from ui.downloads import figure_html

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
