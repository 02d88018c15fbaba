"""Readable in a lecture hall and on any window, and nothing fetched from outside the app:
every page in real Chromium at 800 px (a laptop at 150 %) and 400 px (a phone), with every
request recorded; the Presentation switch; a downloaded figure opened with no network."""
from urllib.parse import urlparse

import plotly.graph_objects as go
import pytest

from tests.browser import assert_no_exception, settle

pytestmark = pytest.mark.browser

# Per element: is its text cut (ellipsis or overflow), and the page wider than the window?
MEASURE = """() => {
  const cut = el => el.scrollWidth > el.clientWidth + 1 || getComputedStyle(el).textOverflow === "ellipsis"
                    && el.scrollWidth > el.clientWidth;
  const metrics = [...document.querySelectorAll('[data-testid="stMetricValue"], [data-testid="stMetricValue"] *')]
    .filter(cut).map(el => el.textContent);
  const main = document.querySelector('[data-testid="stMain"]') || document.body;
  const ticks = [...document.querySelectorAll(".js-plotly-plot .xtick text, .js-plotly-plot .ytick text")]
    .map(el => parseFloat(getComputedStyle(el).fontSize));
  const grey = [...document.querySelectorAll(".js-plotly-plot .xtick text")].map(el => getComputedStyle(el).fill)
    .filter(fill => { const [r, g, b] = fill.match(/\\d+/g).map(Number); return r + g + b > 3 * 90; });
  return {metrics, overflow: main.scrollWidth - main.clientWidth, smallest: Math.min(...ticks, 99), grey};
}"""


def _check_pages(app_url, chromium, paths: list[str]) -> None:
    """Visit `paths` at 800 px, look at each at 800
    and 400 px; fail on cut metrics, a page wider than the window, small or light tick text,
    or any request that leaves the app's host."""
    context = chromium.new_context(viewport={"width": 800, "height": 900})
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    host = urlparse(app_url).netloc
    problems = []
    for href in paths:
        page.set_viewport_size({"width": 800, "height": 900})
        page.goto(href if href.startswith("http") else f"{app_url}/{href.lstrip('/')}")
        settle(page)
        assert_no_exception(page)
        for width in (800, 400):
            page.set_viewport_size({"width": width, "height": 900})
            page.wait_for_timeout(300)
            seen = page.evaluate(MEASURE)
            name = f"{href.rsplit('/', 1)[-1] or 'home'} at {width} px"
            if seen["metrics"]:
                problems.append(f"{name}: metric cut: {seen['metrics']}")
            if seen["overflow"] > 2:
                problems.append(f"{name}: page {seen['overflow']} px wider than the window")
            if seen["smallest"] < 14:
                problems.append(f"{name}: tick labels at {seen['smallest']} px")
            if seen["grey"]:
                problems.append(f"{name}: light tick text {seen['grey'][:1]}")
    outside = sorted({url for url in requests if urlparse(url).scheme in ("http", "https", "ws", "wss")
                      and urlparse(url).netloc != host})
    context.close()
    assert not outside, f"fetched from outside the app: {outside}"
    assert not problems, "\n".join(problems)


@pytest.mark.slow
def test_charts_metrics_and_requests_on_two_pages_at_800_and_400_px(app_url, chromium):
    _check_pages(app_url, chromium, ["positions", "load"])



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
