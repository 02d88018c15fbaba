"""Helpers for the browser tests: start the real app, drive Debian's Chromium.

Used through the `app_url` and `browser_page` fixtures in conftest.py.
"""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeout

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROME_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(script: str | Path = "app.py", **environment: str):
    """The app (or another Streamlit script) served on a free loopback port, with
    `environment` added to its variables; yields (base URL, server PID), stops it by PID."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless=true",
         f"--server.port={port}", "--server.address=127.0.0.1",
         "--browser.gatherUsageStats=false"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, **environment})
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(base + "/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError("the app never answered /_stcore/health")
        yield base, server.pid
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def descendants(pid: int) -> list[int]:
    """PIDs of the live processes below `pid` (its workers and training processes)."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:                      # ended meanwhile
            continue
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, frontier = [], [pid]
    while frontier:
        children = parents.get(frontier.pop(), [])
        found += children
        frontier += children
    return found


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds of `pid`, of its live descendants, and of those it has reaped (from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    reaped = (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")
    total = cpu_seconds(pid) + reaped
    for child in descendants(pid):
        try:
            total += cpu_seconds(child)
        except OSError:
            pass
    return total


def cores_used(pid: int, seconds: float) -> float:
    """Cores the process tree of `pid` keeps busy over the next `seconds` (1.0: one core)."""
    before = tree_cpu_seconds(pid)
    time.sleep(seconds)
    return (tree_cpu_seconds(pid) - before) / seconds


def wait_until_idle(pid: int, limit: float = 180) -> float:
    """Wait until the server uses under 5% of a core over a second (the MiniLM warm-up it
    starts after the first page has finished): a class joins a server that has been up a
    while. Returns the seconds waited."""
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        before = cpu_seconds(pid)
        time.sleep(1.0)
        if cpu_seconds(pid) - before < 0.05:
            break
    return time.perf_counter() - start


@contextmanager
def running_app(script: str | Path = "app.py"):
    """The app (or another Streamlit script) on a free loopback port; yields its base URL."""
    with serving(script) as (base, _):
        yield base


# The app's own signal (Streamlit's end-to-end tests wait on it): connected, and its script
# neither running nor asked to run, with no "Running…" widget; and every element drawn: an
# element whose code is still loading is drawn as a skeleton and replaced 0.1-0.5 s after the
# script has finished, so a click or a file set before then can land on an element about to go.
IDLE = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return !!app && app.dataset.testConnectionState === "CONNECTED"
    && app.dataset.testScriptState === "notRunning"
    && !document.querySelector('[data-testid="stStatusWidget"]')
    && !document.querySelector('[data-testid="stSkeleton"]');
}"""
SETTLE_CHECKS = (0.2, 0.2)  # seconds before each look: a widget's change reaches the server a moment after it


def settle(page, limit: float = 180) -> None:
    """Wait until the page's script has finished running: idle at every look of SETTLE_CHECKS
    in a row (a rerun that starts between two looks, from a fragment or st.rerun, is waited
    for too)."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=limit * 1000)
    start = time.time()
    while time.time() - start < limit:
        for pause in SETTLE_CHECKS:
            time.sleep(pause)
            if not page.evaluate(IDLE):
                break
        else:
            return
    raise TimeoutError(f"page still running after {limit} s")


def assert_no_exception(page) -> None:
    boxes = page.locator('[data-testid="stException"]')
    assert boxes.count() == 0, f"exception shown: {boxes.first.inner_text()[:500]}"


def open_page(page, base: str, path: str = "") -> None:
    """Go to a page of the app (path as in the sidebar link, e.g. 'analogies'), let it run."""
    page.goto(f"{base}/{path}")
    settle(page)
    assert_no_exception(page)


def metric_value(page, label: str, timeout: int = 120_000) -> str:
    """The value of the metric labelled `label`, once drawn (a busy server may still be
    drawing a row of metrics when its status widget goes, one metric after another)."""
    value = (page.locator('[data-testid="stMetric"]').filter(has_text=label)
             .locator('[data-testid="stMetricValue"]').first)
    value.wait_for(timeout=timeout)
    return value.inner_text()


def vector_strip_words(page) -> list[str]:
    """Row labels of the Explore page's vector strip: the word, then its nearest neighbours."""
    text = page.locator('[data-testid="stHtml"]').first.inner_text()
    return [line.strip() for line in text.splitlines()
            if line.strip() and not line.strip().isdigit() and line.strip() != "dimension"]


WATCH_FOR_TEXTS = """([texts, fromNavigation]) => {
    let start = fromNavigation ? 0 : performance.now();   // the page's clock starts at navigation
    for (const kind of ["keydown", "mousedown"])   // the person's action starts the clock
        document.addEventListener(kind, event => { start = event.timeStamp; }, {once: true, capture: true});
    window.__shown = new Promise(resolve => {
        const observer = new MutationObserver(() => {
            const shown = document.body ? document.body.textContent : "";
            if (!texts.every(text => shown.includes(text))) return;
            observer.disconnect();
            requestAnimationFrame(() => resolve((performance.now() - start) / 1000));
        });
        observer.observe(document, {subtree: true, childList: true, characterData: true});
    });
}"""


def seconds_until_first_shown(page, url: str, *texts: str) -> float:
    """Seconds from navigating to `url` until all `texts` are in the page and painted."""
    page.add_init_script(f"({WATCH_FOR_TEXTS})({json.dumps([list(texts), True])})")
    page.goto(url)
    return page.evaluate("window.__shown")


def seconds_until_shown(page, act, *texts: str) -> float:
    """Seconds from the key press or click that act() makes until all `texts` are in the
    page and the next frame is painted, on the page's own clock: what a person waits,
    without the test driver's round trips."""
    page.evaluate(WATCH_FOR_TEXTS, [list(texts), False])
    act()
    return page.evaluate("window.__shown")


# -- driving controls as a person does, and links opened in a new browser -------------
def fresh_page(chromium):
    return chromium.new_context(viewport={"width": 1400, "height": 1000}).new_page()


def main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def type_into(page, label: str, text: str) -> None:
    """Type into a text box or area and submit it (a text area submits on Ctrl+Enter)."""
    box = page.get_by_label(label, exact=True)
    box.fill(text)
    box.press("Control+Enter" if box.evaluate("e => e.tagName") == "TEXTAREA" else "Enter")
    settle(page)


def click_label(page, label: str) -> None:
    page.get_by_text(label, exact=True).click()
    settle(page)


def choose_option(page, box_label: str, option: str) -> None:
    """Open the select box `box_label` and pick `option`, as a person does: scroll the box into
    view first (an open list closes when the sidebar scrolls under it), then click it; a click
    that a rerun's redraw swallowed (the list never opens, seen on a busy machine) is made
    again, as a person would."""
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text=box_label).locator("input")
    choice = page.get_by_role("option", name=option, exact=True)
    for _ in range(3):
        box.scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        box.click()
        try:
            choice.wait_for(timeout=10_000)
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    choice.click()
    settle(page)


def slider(page, label: str):
    """The range input of the slider `label` (the last drawn, should a rerun leave two)."""
    return page.locator('[data-testid="stSlider"]').filter(has_text=label).get_by_role("slider").last


def slide(page, label: str, steps: int) -> None:
    """Move the slider `label` by `steps` (negative: left) with the keyboard, as a person can."""
    handle = slider(page, label)
    handle.focus()
    for _ in range(abs(steps)):
        handle.press("ArrowRight" if steps > 0 else "ArrowLeft")
    settle(page)


def controls(page, boxes: list[str], checks: list[str], sliders: list[str]) -> dict:
    """What a person reads off the controls: text boxes' contents, whether each radio option
    or switch in `checks` is on, and each slider's value."""
    found = {label: page.get_by_label(label, exact=True).input_value() for label in boxes}
    found.update({label: page.get_by_label(label, exact=True).is_checked() for label in checks})
    found.update({label: slider(page, label).input_value() for label in sliders})
    return found


def same_view_in_a_new_browser(chromium, page, boxes, checks, sliders) -> None:
    shown, set_up = main_text(page), controls(page, boxes, checks, sliders)
    other = fresh_page(chromium)
    other.set_default_timeout(120_000)
    other.goto(page.url)
    settle(other)
    deadline = time.time() + 20          # a fresh page fills its boxes a moment after it paints
    while time.time() < deadline and (controls(other, boxes, checks, sliders), main_text(other)) != (set_up, shown):
        time.sleep(0.5)
    assert controls(other, boxes, checks, sliders) == set_up
    assert main_text(other) == shown
    other.context.close()
