"""Links keep the whole view of the Words pages, in real Chromium: set every control to a
non-default value, open the address in a new browser (no shared state), and find the same
controls and the same results; flip a control back and forth and see the page follow."""
import time

import pytest

from tests.browser import assert_no_exception, open_page, settle

pytestmark = pytest.mark.browser
FLIPS = 3


def fresh_page(chromium):
    return chromium.new_context(viewport={"width": 1400, "height": 1000}).new_page()


def main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def type_into(page, label: str, text: str) -> None:
    box = page.get_by_label(label, exact=True)
    box.fill(text)
    box.press("Enter")
    settle(page)


def click_label(page, label: str) -> None:
    page.get_by_text(label, exact=True).click()
    settle(page)


def choose_option(page, box_label: str, option: str) -> None:
    page.locator('[data-testid="stSelectbox"]').filter(has_text=box_label).locator("input").click()
    page.get_by_role("option", name=option, exact=True).click()
    settle(page)


def slide(page, label: str, steps: int) -> None:
    """Move the slider `label` by `steps` (negative: left) with the keyboard, as a person can."""
    handle = page.locator('[data-testid="stSlider"]').filter(has_text=label).get_by_role("slider")
    handle.focus()
    for _ in range(abs(steps)):
        handle.press("ArrowRight" if steps > 0 else "ArrowLeft")
    settle(page)


def controls(page, boxes: list[str], checks: list[str], sliders: list[str]) -> dict:
    """What a person reads off the controls: text boxes' contents, whether each radio option
    or switch in `checks` is on, and each slider's value."""
    found = {label: page.get_by_label(label, exact=True).input_value() for label in boxes}
    found.update({label: page.get_by_label(label, exact=True).is_checked() for label in checks})
    found.update({label: page.locator('[data-testid="stSlider"]').filter(has_text=label)
                  .get_by_role("slider").get_attribute("aria-valuenow") for label in sliders})
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


def test_explore_link_keeps_the_whole_view(app_url, browser_page, chromium):
    page = browser_page
    page.set_default_timeout(120_000)
    open_page(page, app_url, "")
    type_into(page, "Restrict to the N most frequent words", "10000")
    slide(page, "Neighbours to show", -3)
    click_label(page, "dot product")
    type_into(page, "Word", "Paris")
    type_into(page, "First word", "cat")
    type_into(page, "Second word", "dog")
    type_into(page, "Words (comma or space separated)", "paris, london, berlin, banana")
    text = main_text(page)
    assert "Nearest to “paris”" in text and "“Paris” as “paris”" in text
    assert "banana fits least" in text and "“dog” is neighbour number" in text
    assert_no_exception(page)
    same_view_in_a_new_browser(
        chromium, page, ["Word", "First word", "Second word", "Words (comma or space separated)",
                         "Restrict to the N most frequent words"], ["dot product"], ["Neighbours to show"])
    for _ in range(FLIPS):
        click_label(page, "CSLS")
        assert "score=csls" in page.url and "Scored by CSLS" in main_text(page)
        click_label(page, "cosine")
        assert "score=" not in page.url and "Scored by cosine" in main_text(page)
    assert_no_exception(page)


def test_analogies_link_keeps_the_whole_view(app_url, browser_page, chromium):
    page = browser_page
    page.set_default_timeout(120_000)
    open_page(page, app_url, "analogies")
    choose_option(page, "Example", "france : paris :: italy : ?")
    click_label(page, "3CosMul (Levy & Goldberg)")
    slide(page, "Answers to show", 2)
    click_label(page, "Leave the input words out of the answers")
    type_into(page, "C", "Japan")
    type_into(page, "Expected answer (optional)", "Tokyo")
    type_into(page, "Formula (words joined by + and −)", "Berlin − Germany + Italy")
    text = main_text(page)
    assert "Expected “tokyo” ranks" in text and "rome" in text
    assert_no_exception(page)
    same_view_in_a_new_browser(
        chromium, page, ["A", "B", "C", "Expected answer (optional)", "Formula (words joined by + and −)"],
        ["3CosMul (Levy & Goldberg)", "Leave the input words out of the answers"], ["Answers to show"])
    for _ in range(FLIPS):
        click_label(page, "3CosAdd (vector offset)")
        assert "analogy_method=" not in page.url
        click_label(page, "3CosMul (Levy & Goldberg)")
        assert "analogy_method=mul" in page.url
    assert_no_exception(page)


def test_benchmarks_link_keeps_the_whole_view(app_url, browser_page, chromium):
    page = browser_page
    page.set_default_timeout(180_000)
    open_page(page, app_url, "benchmarks?benchmark=analogies&restrict_vocab=20000")  # not 300,000: seconds
    type_into(page, "Restrict to the N most frequent words", "10000")
    click_label(page, "semantic")
    assert "capital-world" in main_text(page)
    same_view_in_a_new_browser(chromium, page, ["Restrict to the N most frequent words"],
                               ["Google analogies", "semantic"], [])
    for _ in range(FLIPS):
        click_label(page, "syntactic (gram…)")
        assert "sections=syntactic" in page.url
        click_label(page, "semantic")
        assert "sections=semantic" in page.url
    assert_no_exception(page)
