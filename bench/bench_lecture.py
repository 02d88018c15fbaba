"""Lecture mode in Chromium: how long each step of the built-in lecture takes to draw when the
lecturer presses →, after the server's warm-up, against the same walk on a server that does
not warm up (EMBEDDING_LAB_LECTURE_WARM_UP=0: each step computes its results when first
shown), both measured in this run; and how long the warm-up itself takes.

    .venv/bin/python bench/bench_lecture.py [--steps N]

A step's draw time runs on the page's own clock from the key press to the moment the step's
page has run to its end (the bar shows the step's title, the app reports no script running)
and the next frame is painted. The warm-up's time runs from opening the lecture to its
"All N steps ready". Each server is fresh; the machine may be shared (say so with the
numbers).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.lecture import Lecture, builtin_lecture  # noqa: E402
from tests.apptest import navigation  # noqa: E402
from tests.browser import CHROME_ARGS, CHROMIUM, serving, settle  # noqa: E402

WATCH_STEP = """([title]) => {
    let start = null;
    document.addEventListener("keydown", event => { start = event.timeStamp; }, {once: true, capture: true});
    window.__drawn = new Promise(resolve => {
        const app = document.querySelector('[data-testid="stApp"]');
        const check = () => {
            const heading = document.querySelector(".st-key-lecture_bar h1");
            if (start === null || !heading || heading.textContent !== title
                || app.dataset.testScriptState !== "notRunning") return;
            observer.disconnect();
            requestAnimationFrame(() => resolve((performance.now() - start) / 1000));
        };
        const observer = new MutationObserver(check);
        observer.observe(document, {subtree: true, childList: true, characterData: true, attributes: true,
                                    attributeFilter: ["data-test-script-state"]});
    });
}"""


def walk(chromium, base: str, lecture, wait_for_warm_up: bool) -> tuple[float | None, list[float]]:
    """Open the lecture, (wait for its warm-up,) present it and press → through its steps;
    (warm-up seconds, each step's draw seconds from step 2 on)."""
    page = chromium.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.set_default_timeout(600_000)
    opened = time.perf_counter()
    page.goto(f"{base}/lecture?open=the-embedding-layer")
    settle(page)
    warm_up = None
    if wait_for_warm_up:
        while f"All {len(lecture)} steps ready" not in page.locator('[data-testid="stMain"]').inner_text():
            time.sleep(0.5)
        warm_up = time.perf_counter() - opened
    page.get_by_role("button", name="Present", exact=True).click()
    page.locator(".st-key-lecture_bar h1").filter(has_text=lecture.steps[0].title).wait_for()
    settle(page)
    seconds = []
    for step in lecture.steps[1:]:
        page.evaluate(WATCH_STEP, [step.title])
        page.keyboard.press("ArrowRight")
        seconds.append(page.evaluate("window.__drawn"))
        settle(page)                      # the page at rest, as a lecturer pauses on a step
    page.context.close()
    return warm_up, seconds


def summary(seconds: list[float]) -> str:
    return f"median {statistics.median(seconds):.2f} s, worst {max(seconds):.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=None, help="walk only the first N steps")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    lecture = builtin_lecture([Path(script).stem for script, _ in navigation()])
    lecture = Lecture(lecture.title, lecture.steps[:args.steps]) if args.steps else lecture
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
        with serving(EMBEDDING_LAB_LECTURE_WARM_UP="0") as (base, _):
            _, cold = walk(chromium, base, lecture, wait_for_warm_up=False)
        with serving() as (base, _):
            warm_up, warm = walk(chromium, base, lecture, wait_for_warm_up=True)
        chromium.close()
    print(f"{'step':>4}  {'no warm-up':>10}  {'after warm-up':>13}  title")
    for number, (step, before, after) in enumerate(zip(lecture.steps[1:], cold, warm), 2):
        print(f"{number:>4}  {before:>9.2f}s  {after:>12.2f}s  {step.title}")
    print(f"\nwarm-up of {len(lecture)} steps: {warm_up:.1f} s")
    print(f"no warm-up (reference): {summary(cold)}")
    print(f"after warm-up:          {summary(warm)}; "
          f"{sum(s < 2 for s in warm)} of {len(warm)} steps under 2 s")
    print(f"worst step: {max(cold) / max(warm):.1f}× faster after warm-up, "
          f"median {statistics.median(cold) / statistics.median(warm):.1f}×")


if __name__ == "__main__":
    main()
