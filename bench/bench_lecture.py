"""Lecture mode in Chromium: how long each step of the built-in lecture takes to draw when the
lecturer presses →, after the server's warm-up, against the same walk on a server that does
not warm up (EMBEDDING_LAB_LECTURE_WARM_UP=0: each step computes its results when first
shown), both measured in this run; and how long the warm-up itself takes.

    .venv/bin/python bench/bench_lecture.py [--steps N] [--passes 3]

A step's draw time runs on the page's own clock from the key press to the moment the step's
page has run to its end (the bar shows the step's title, the app reports no script running)
and the next frame is painted. After the warm-up the lecture is walked --passes times (a
step's time is its median over the passes: on a shared machine one pass is noisy); without
it, once (only the first showing is cold). The warm-up's time runs from opening the
lecture to its "All N steps ready". Each server is fresh; the machine may be shared (say so
with the numbers).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.lecture import builtin_lecture  # noqa: E402
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


def opened(chromium, base: str, lecture, wait_for_warm_up: bool):
    """A tab on the lecture's page, (its warm-up done,); (the tab, the warm-up's seconds)."""
    page = chromium.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.set_default_timeout(600_000)
    start = time.perf_counter()
    page.goto(f"{base}/lecture?open=the-embedding-layer")
    settle(page)
    if not wait_for_warm_up:
        return page, None
    while f"All {lecture.size} ready" not in page.locator('[data-testid="stMain"]').inner_text():
        time.sleep(0.5)
    return page, time.perf_counter() - start


def walk(page, base: str, lecture, steps: int | None) -> list[float]:
    """Present the lecture from its first step and press → through its first `steps` (all):
    each step's draw seconds from step 2 on."""
    page.get_by_role("button", name="Present", exact=True).click()
    page.locator(".st-key-lecture_bar h1").filter(has_text=lecture.steps[0].title).wait_for()
    settle(page)
    seconds = []
    for step in lecture.steps[1:steps]:
        page.evaluate(WATCH_STEP, [step.title])
        page.keyboard.press("ArrowRight")
        seconds.append(page.evaluate("window.__drawn"))
        settle(page)                      # the page at rest, as a lecturer pauses on a step
    page.goto(f"{base}/lecture?open=the-embedding-layer")     # a fresh session for the next walk
    settle(page)
    return seconds


def summary(seconds: list[float]) -> str:
    return f"median {statistics.median(seconds):.2f} s, worst {max(seconds):.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=None, help="walk only the first N steps (after "
                        "the whole lecture's warm-up)")
    parser.add_argument("--passes", type=int, default=3, help="walks after the warm-up (median per step)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    lecture = builtin_lecture([Path(script).stem for script, _ in navigation()])
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
        with serving(EMBEDDING_LAB_LECTURE_WARM_UP="0") as (base, _):
            page, _ = opened(chromium, base, lecture, wait_for_warm_up=False)
            cold = walk(page, base, lecture, args.steps)
        with serving() as (base, _):
            page, warm_up = opened(chromium, base, lecture, wait_for_warm_up=True)
            passes = [walk(page, base, lecture, args.steps) for _ in range(args.passes)]
            warm = [statistics.median(times) for times in zip(*passes)]
        chromium.close()
    print(f"{'step':>4}  {'no warm-up':>10}  {'after warm-up':>13}  title   (after warm-up: median of "
          f"{args.passes} walks)")
    for number, (step, before, after) in enumerate(zip(lecture.steps[1:], cold, warm), 2):
        print(f"{number:>4}  {before:>9.2f}s  {after:>12.2f}s  {step.title}")
    print(f"\nwarm-up of {lecture.size}: {warm_up:.1f} s")
    print(f"no warm-up (reference): {summary(cold)}")
    print(f"after warm-up:          {summary(warm)}; "
          f"{sum(s < 2 for s in warm)} of {len(warm)} steps under 2 s")
    print(f"worst step: {max(cold) / max(warm):.1f}× faster after warm-up, "
          f"median {statistics.median(cold) / statistics.median(warm):.1f}×")


if __name__ == "__main__":
    main()
