"""How long a person waits, in Debian's Chromium, between pressing Enter on a typed word
and seeing its neighbours on the Explore page, against the same wait on a bare Streamlit
page (one text box, one heading: bare_text_box.py) measured in the same run.

Times are taken on the page's own clock, from the keydown to the first painted frame
that holds "Nearest to “word”" and, on Explore, the word's nearest neighbour
(tests/browser.py: seconds_until_shown).
Needs the test set-up (playwright, /usr/bin/chromium): make bench does it.
Run: .venv/bin/python bench/bench_browser_latency.py
"""
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser import (CHROME_ARGS, CHROMIUM, open_page, running_app,  # noqa: E402
                           seconds_until_shown, settle)

WORDS = ["frog", "paris", "guitar", "apple", "river", "doctor", "green", "music", "ocean", "chess",
         "bread", "winter", "castle", "engine", "violin", "desert", "tiger", "coffee", "silver", "nurse",
         "planet", "garden"]
WARM_UP = 2


def typing_waits(browser, script: str, nearest: dict[str, str]) -> list[float]:
    """Seconds from Enter to the painted heading (and the word's `nearest` neighbour,
    where given), one per word after the warm-up."""
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    with running_app(script) as base:
        open_page(page, base)
        box = page.get_by_label("Word", exact=True)
        waits = []
        for word in WORDS:
            box.fill(word)
            waits.append(seconds_until_shown(page, lambda: box.press("Enter"), f"Nearest to “{word}”",
                                             *nearest.get(word, [])))
            settle(page, limit=60)
    page.context.close()
    return waits[WARM_UP:]


def main() -> None:
    from playwright.sync_api import sync_playwright

    from engine.sources import load_builtin

    glove = load_builtin("glove-6b-50d")
    nearest = {word: [glove.most_similar(word, topn=1)[0].key] for word in WORDS}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
        explore = typing_waits(browser, "app.py", nearest)
        bare = typing_waits(browser, "bench/bare_text_box.py", {})
        browser.close()
    print(f"| page ({len(explore)} typed words) | median | 90th percentile | worst |")
    print("|---|---:|---:|---:|")
    for name, waits in (("Explore (neighbours, vector, compare)", explore),
                        ("bare Streamlit page (text box + heading)", bare)):
        deciles = statistics.quantiles(waits, n=10)
        print(f"| {name} | {statistics.median(waits) * 1000:.0f} ms | {deciles[-1] * 1000:.0f} ms "
              f"| {max(waits) * 1000:.0f} ms |")
    print(f"\nExplore / bare page, median: {statistics.median(explore) / statistics.median(bare):.2f}×")


if __name__ == "__main__":
    main()
