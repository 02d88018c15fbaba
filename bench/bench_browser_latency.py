"""How long a person waits in Debian's Chromium on the Explore page: for the first page of
a freshly started server (server.py, as make run starts it), and between pressing Enter on
a typed word and seeing its neighbours; against the same waits on a bare Streamlit page
(one text box, one heading: bare_text_box.py) measured in the same run. The words are
typed in a page opened after the first one, on a connection the server accepted once set up
(replies without delay: ui/process.py), as every later visitor's is.

Times are taken on the page's own clock, from the navigation or the keydown to the first
painted frame that holds "Nearest to “word”" and, on Explore, the word's nearest
neighbour (tests/browser.py: seconds_until_first_shown, seconds_until_shown).
Needs the test set-up (playwright, /usr/bin/chromium): make bench does it.
Run: .venv/bin/python bench/bench_browser_latency.py
"""
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser import (  # noqa: E402
    CHROME_ARGS,
    CHROMIUM,
    running_app,
    seconds_until_first_shown,
    seconds_until_shown,
    settle,
)

WORDS = ["frog", "paris", "guitar", "apple", "river", "doctor", "green", "music", "ocean", "chess",
         "bread", "winter", "castle", "engine", "violin", "desert", "tiger", "coffee", "silver", "nurse",
         "planet", "garden"]
WARM_UP = 2


def waits(browser, script: str, nearest: dict[str, list[str]]) -> tuple[float, list[float]]:
    """Seconds to the first page of a fresh server showing king's neighbours, and from
    Enter to the painted heading (and the word's `nearest` neighbour, where given), one
    per typed word after the warm-up."""
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    with running_app(script) as base:
        first = seconds_until_first_shown(page, base, "Nearest to “king”", *nearest.get("king", []))
        settle(page)
        page.reload()
        settle(page)
        box = page.get_by_label("Word", exact=True)
        typed = []
        for word in WORDS:
            box.fill(word)
            typed.append(seconds_until_shown(page, lambda: box.press("Enter"), f"Nearest to “{word}”",
                                             *nearest.get(word, [])))
            settle(page, limit=60)
    page.context.close()
    return first, typed[WARM_UP:]


def main() -> None:
    from playwright.sync_api import sync_playwright

    from engine.sources import load_builtin

    glove = load_builtin("glove-6b-50d")
    nearest = {word: [glove.most_similar(word, topn=1)[0].key] for word in ["king", *WORDS]}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
        explore_first, explore = waits(browser, "server.py", nearest)
        bare_first, bare = waits(browser, "bench/bare_text_box.py", {})
        browser.close()
    print(f"| page | first page, fresh server | typed word: median | 90th percentile | worst "
          f"({len(explore)} words) |")
    print("|---|---:|---:|---:|---:|")
    for name, first, typed in (("Explore (neighbours, vector, compare)", explore_first, explore),
                               ("bare Streamlit page (text box + heading)", bare_first, bare)):
        deciles = statistics.quantiles(typed, n=10)
        print(f"| {name} | {first:.2f} s | {statistics.median(typed) * 1000:.0f} ms "
              f"| {deciles[-1] * 1000:.0f} ms | {max(typed) * 1000:.0f} ms |")
    print(f"\nExplore / bare page: first page {explore_first / bare_first:.1f}×, typed word (median) "
          f"{statistics.median(explore) / statistics.median(bare):.1f}×")


if __name__ == "__main__":
    main()
