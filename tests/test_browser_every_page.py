"""Every page of the navigation in one real Chromium tab, at 1280 px, 800 px (a laptop at
150 %) and 400 px (a phone), and presenting (larger text) at 1280 and 800 px: no exception,
nothing cut or squeezed, readable chart text (no two texts of a figure on each other, none
cut by its figure or plot area, none shrunk to fit a bar), and no request to any host but
the app's (the app works offline)."""
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.apptest import navigation
from tests.browser import settle
from tests.chart_text import CHART_TEXT, chart_text_problems

pytestmark = pytest.mark.browser

# What a person would see go wrong on one page at the window's width, element by element.
MEASURE = """(narrow) => {
  const canvas = document.createElement("canvas").getContext("2d");
  const longestWord = el => { canvas.font = getComputedStyle(el).font;
    return Math.max(0, ...el.textContent.split(/\\s+/).map(word => canvas.measureText(word).width)); };
  // cut: text wider than its box (clipped, "…", spilling over) or a word broken in two
  const cut = el => el.clientWidth > 0 && (el.scrollWidth > el.clientWidth + 1 || longestWord(el) > el.clientWidth + 1);
  const metrics = [...document.querySelectorAll('[data-testid="stMetricValue"], [data-testid="stMetricLabel"]')]
    .filter(box => [box, ...box.querySelectorAll("*")].some(cut)).map(box => box.textContent.trim());
  // the words of a button or a control's label (not its icon, a ligature drawn in its own font),
  // on screen (not in a sidebar folded away to the left on a phone)
  const labelled = ['[data-testid^="stBaseButton"]', '[data-testid="stWidgetLabel"]',
                    '[data-testid="stCheckbox"] label'].map(box => `${box} [data-testid="stMarkdownContainer"]`);
  const controls = [...document.querySelectorAll(labelled.join(", "))]
    .filter(box => box.checkVisibility() && box.getBoundingClientRect().right > 0)
    .filter(box => [box, ...box.querySelectorAll("*")].some(cut)).map(box => box.textContent.trim());
  const headers = grid => [...grid.querySelectorAll('[role="columnheader"]')].map(th => th.textContent.trim());
  const tables = [...document.querySelectorAll('[data-testid="stDataFrame"]')].flatMap(grid => {
    const scroller = grid.querySelector(".dvn-scroller");
    return scroller && scroller.scrollWidth > scroller.clientWidth + 1
      ? [`table (${headers(grid).join(", ")}) needs ${scroller.scrollWidth} px, has ${scroller.clientWidth}`] : [];
  }).concat([...document.querySelectorAll('[data-testid="stTable"]')].flatMap(table =>
    [table, ...table.querySelectorAll("*")].filter(box => box.scrollWidth > box.clientWidth + 1)
      .map(box => `table needs ${box.scrollWidth} px, has ${box.clientWidth}`).slice(0, 1)));
  const unstacked = narrow ? [...document.querySelectorAll('[data-testid="stColumn"]')]
    .filter(col => col.getBoundingClientRect().width < 0.9 * col.parentElement.getBoundingClientRect().width)
    .map(col => col.textContent.trim().slice(0, 40)) : [];
  const main = document.querySelector('[data-testid="stMain"]');
  const wider = Math.max(document.documentElement.scrollWidth - innerWidth, main.scrollWidth - main.clientWidth);
  const sticking = [...main.querySelectorAll("[data-testid]")]
    .filter(el => el.getBoundingClientRect().right > innerWidth + 1)
    .map(el => `${el.dataset.testid} "${el.textContent.trim().slice(0, 40)}"`).slice(-3);
  const ticks = [...document.querySelectorAll(".js-plotly-plot .xtick text, .js-plotly-plot .ytick text")]
    .map(el => parseFloat(getComputedStyle(el).fontSize));
  const grey = [...document.querySelectorAll(".js-plotly-plot .xtick text")].map(el => getComputedStyle(el).fill)
    .filter(fill => { const [r, g, b] = fill.match(/\\d+/g).map(Number); return r + g + b > 3 * 90; });
  // a chart title (or subplot or axis title) wider than its figure: Plotly clips it
  const clipped = [...document.querySelectorAll(".js-plotly-plot")].flatMap(plot => {
    const box = plot.getBoundingClientRect();
    return [...plot.querySelectorAll(".gtitle, .g-xtitle text, .g-ytitle text, .annotation-text")]
      .filter(title => { const r = title.getBoundingClientRect();
        return r.width > 0 && (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1); })
      .map(title => title.textContent.slice(0, 60));
  });
  const exceptions = [...document.querySelectorAll('[data-testid="stException"]')]
    .map(el => el.innerText.slice(0, 300));
  return {metrics, controls, tables, unstacked, wider, sticking, smallest: Math.min(...ticks, 99), grey, clipped,
          exceptions};
}"""


def navigation_paths() -> list[str]:
    """URL path of every page in app.py's navigation ('' for the default page)."""
    return ["" if default else Path(script).stem for script, default in navigation()]


def problems_seen(seen: dict, where: str) -> list[str]:
    found = [f"{where}: exception shown: {text}" for text in seen["exceptions"]]
    found += [f"{where}: metric cut: {text!r}" for text in seen["metrics"]]
    found += [f"{where}: button or label cut: {text!r}" for text in seen["controls"]]
    found += [f"{where}: {text}" for text in seen["tables"]]
    found += [f"{where}: columns side by side, not stacked: {text!r}" for text in seen["unstacked"]]
    if seen["wider"] > 1:
        found.append(f"{where}: page {seen['wider']} px wider than the window: {seen['sticking']}")
    if seen["smallest"] < 14:
        found.append(f"{where}: chart tick labels at {seen['smallest']} px")
    found += [f"{where}: chart title cut: {text!r}" for text in seen["clipped"]]
    if seen["grey"]:
        found.append(f"{where}: light chart tick text {seen['grey'][0]}")
    return found + chart_text_problems(seen["charts"], where)


def seen_at(page, width: int) -> dict:
    """MEASURE at `width` px, again after a wait while it finds a problem: Plotly and the grid
    re-lay out some time after a resize on a busy machine."""
    page.set_viewport_size({"width": width, "height": 900})
    for wait in (300, 1000, 2000):
        page.wait_for_timeout(wait)
        seen = {**page.evaluate(MEASURE, width < 640), "charts": page.evaluate(CHART_TEXT)}
        if not problems_seen(seen, ""):
            break
    return seen


def problems_at_every_width(page, where: str, widths=(1280, 800, 400)) -> list[str]:
    return [problem for width in widths
            for problem in problems_seen(seen_at(page, width), f"{where} at {width} px")]


def problems_on_every_tab(page, path: str, widths=(1280, 800, 400)) -> tuple[list[str], int]:
    """problems_at_every_width on each tab of the open page after its first, each clicked as a
    person would and measured once its run has finished (a page computes only its open tab);
    and how many tabs were walked."""
    problems = []
    tabs = page.locator('[data-testid="stMain"] [role="tab"]')
    names = tabs.all_inner_texts()
    for number, name in enumerate(names[1:], 1):
        page.set_viewport_size({"width": widths[0], "height": 900})
        tabs.nth(number).click()
        settle(page)
        problems += problems_at_every_width(page, f"/{path}, tab {name!r},", widths)
    return problems, len(names[1:])


def walk(app_url, chromium, query: str = "", widths=(1280, 800, 400)) -> tuple[list[str], int, list[str]]:
    """Open every page (URL ending in `query`) in one tab, measure it and every tab after its
    first at `widths`: the problems seen, how many tabs were walked, and every URL the tab
    requested."""
    context = chromium.new_context(viewport={"width": widths[0], "height": 900})
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    problems, walked = [], 0
    for path in navigation_paths():
        page.set_viewport_size({"width": widths[0], "height": 900})
        page.goto(f"{app_url}/{path}{query}")
        settle(page)
        problems += problems_at_every_width(page, f"/{path}{query}", widths)
        found, tabs = problems_on_every_tab(page, f"{path}{query}", widths)
        problems, walked = problems + found, walked + tabs
    context.close()
    return problems, walked, requests


def outside(app_url: str, requests: list[str]) -> list[str]:
    """The requested URLs whose host is not the app's."""
    host = urlparse(app_url).netloc
    return sorted({url for url in requests if urlparse(url).scheme in ("http", "https", "ws", "wss")
                   and urlparse(url).netloc != host})


def test_every_page_and_tab_reads_at_1280_800_and_400_px_and_fetches_nothing_from_outside(app_url, chromium):
    """Each page of the navigation, and each tab after a page's first, at 1280, 800 and 400 px:
    no exception, no metric, button or control label cut, no table short of columns (a grid scrolling sideways by a few
    px is one), no chart title cut, no chart text on other text, cut or shrunk, nothing wider
    than the window, chart ticks dark and 14 px or more, and columns stacked at 400 px; and no
    request, on any page, to a host other than the app's."""
    problems, walked, requests = walk(app_url, chromium)
    assert not outside(app_url, requests), f"fetched from outside the app: {outside(app_url, requests)}"
    assert walked >= 18, f"only {walked} tabs found after the first ones"
    assert not problems, "\n".join(problems)


def test_every_page_and_tab_reads_when_presenting_at_1280_and_800_px(app_url, chromium):
    """The same checks with Presentation on (?present=1: every text a size up), as a lecturer
    projects the app from a laptop at 100 % and at 150 %."""
    problems, walked, requests = walk(app_url, chromium, "?present=1", (1280, 800))
    assert not outside(app_url, requests), f"fetched from outside the app: {outside(app_url, requests)}"
    assert walked >= 18, f"only {walked} tabs found after the first ones"
    assert not problems, "\n".join(problems)
