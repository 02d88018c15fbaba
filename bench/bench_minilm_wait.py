"""The visitor's wait for MiniLM, in Debian's Chromium: Static vs contextual opened as the
first page of a server that has been up 30 s, from opening it to its first chart painted
(on the page's own clock), for the server make run starts (server.py: GloVe and MiniLM read
as it starts) and, in the same run, for `streamlit run app.py` (MiniLM read only after a
first page, as before), and two floors: a bare page with one Plotly chart (bare_chart.py:
what any first chart costs, Streamlit's and Plotly's scripts in the browser included) and
Explore on server.py (a first page without a chart); and the visitor already in the app:
Explore opened first, then Static vs contextual from the sidebar, from the click to its first
chart painted (Explore draws no chart, so Plotly's script is not loaded yet). Also: how long
server.py's start-up work takes (until the server is idle). Goal: under 2 s for server.py.
Needs the test set-up (playwright, /usr/bin/chromium): make bench does it.
Run: .venv/bin/python bench/bench_minilm_wait.py [--up 30] [--repeats 3]
"""
import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser import CHROME_ARGS, CHROMIUM, serving, settle, wait_until_idle  # noqa: E402

# resolves, on the page's clock from the navigation, at the first frame painted after the
# selector's element appears
WATCH_FOR = """(selector) => {
    window.__shown = new Promise(resolve => {
        const observer = new MutationObserver(() => {
            if (!document.querySelector(selector)) return;
            observer.disconnect();
            requestAnimationFrame(() => resolve(performance.now() / 1000));
        });
        observer.observe(document, {subtree: true, childList: true});
    });
}"""
CHART, NEIGHBOURS = ".js-plotly-plot .main-svg", '[data-testid="stDataFrame"]'


def first_page_seconds(browser, script: str, path: str, selector: str, up: float) -> float:
    """A fresh server of `script`, up `up` seconds with no visitor, then `path` opened:
    seconds until `selector` is painted."""
    with serving(script) as (base, _):
        time.sleep(up)
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        page.add_init_script(f"({WATCH_FOR})({selector!r})")
        page.goto(f"{base}/{path}", timeout=300_000)
        seconds = page.evaluate("window.__shown")
        page.context.close()
    return seconds


# resolves, on the page's clock, at the first frame painted after the selector's element appears
# counted from the click that follows
WATCH_FROM_CLICK = WATCH_FOR.replace("performance.now() / 1000", "(performance.now() - window.__clicked) / 1000")


def from_link_seconds(browser, script: str, path: str, selector: str, up: float) -> float:
    """A fresh server of `script`, up `up` seconds, Explore opened and drawn, then the sidebar
    link to `path` clicked: seconds from the click until `selector` is painted."""
    with serving(script) as (base, _):
        time.sleep(up)
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        page.goto(base, timeout=300_000)
        settle(page)
        page.evaluate(f"({WATCH_FROM_CLICK})({selector!r})")
        page.evaluate("window.__clicked = performance.now()")
        page.locator(f'[data-testid="stSidebarNavLink"][href$="/{path}"]').click()
        seconds = page.evaluate("window.__shown")
        page.context.close()
    return seconds


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--up", type=float, default=30.0, help="seconds the server is up before the visit")
    parser.add_argument("--repeats", type=int, default=3)
    options = parser.parse_args()
    routes = [("Static vs contextual, server.py (make run)", "server.py", "contextual", CHART),
              ("Static vs contextual, streamlit run app.py", "app.py", "contextual", CHART),
              ("Explore, server.py (a first page without a chart)", "server.py", "", NEIGHBOURS),
              ("a bare page with one Plotly chart (the floor)", "bench/bare_chart.py", "", CHART)]
    linked = ("Static vs contextual from Explore's sidebar link, server.py (a visitor already in the app)",
              "server.py", "contextual", CHART)
    found = {name: [] for name, *_ in [*routes, linked]}
    print(f"Before: load average {' / '.join(f'{x:.2f}' for x in os.getloadavg())}; servers up "
          f"{options.up:g} s with no visitor before the page is opened")
    with serving("server.py") as (_, pid):
        print(f"server.py's start-up work (GloVe, MiniLM, page imports): idle "
              f"{wait_until_idle(pid, limit=600):.0f} s after it first answered")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
        for _ in range(options.repeats):               # rounds, alternating, against the noise
            for name, script, path, selector in routes:
                found[name].append(first_page_seconds(browser, script, path, selector, options.up))
            found[linked[0]].append(from_link_seconds(browser, *linked[1:], options.up))
        browser.close()
    floor = statistics.median(found[routes[-1][0]])
    print(f"| first page of a server up {options.up:g} s | median | each | × the floor |")
    print("|---|---:|---|---:|")
    for name, seconds in found.items():
        print(f"| {name} | {statistics.median(seconds):.2f} s | {', '.join(f'{s:.2f}' for s in seconds)} "
              f"| {statistics.median(seconds) / floor:.1f}× |")
    print(f"After: load average {' / '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
