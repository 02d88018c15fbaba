"""Links keep the whole view, in real Chromium: on Positions, Lookup, Gradients, Compare,
Static vs contextual and Sentence search, set controls away from their defaults, open the
page's URL in a new browser (no session, no cookies) and find every control and every shown
result as they were; and pickers flipped back and forth follow each change."""
import time

import pytest

from tests.browser import assert_no_exception, choose_option, settle, type_into
from tests.browser import open_page as open_app_page

pytestmark = pytest.mark.browser
FLIPS = 3
WIDGETS = ["stTextInput", "stTextArea", "stNumberInput", "stSelectbox", "stSlider", "stRadio", "stTabs"]
CONTROLS = """(widgets) => [...document.querySelectorAll(
        '[data-testid="stMain"] [data-testid], [data-testid="stSidebarUserContent"] [data-testid]')]
    .filter(e => widgets.includes(e.dataset.testid) && e.checkVisibility())
    .map(e => {
        const label = e.querySelector('[data-testid="stWidgetLabel"]');
        const field = e.querySelector('input:not([type="radio"]), textarea');
        let value;
        if (e.dataset.testid === "stTabs") value = e.querySelector('[role="tab"][aria-selected="true"]').innerText;
        else if (e.dataset.testid === "stRadio") value = e.querySelector('input:checked').closest('label').innerText;
        else if (e.dataset.testid === "stSlider")
            value = [...e.querySelectorAll('[data-testid="stSliderThumbValue"]')].map(t => t.innerText).join();
        else value = field.value;
        return [e.dataset.testid + ": " + (label ? label.innerText : ""), value];
    })"""
SHOWN = ('[data-testid="stMain"] :is([data-testid=stMetricValue], [data-testid=stAlert], [role=gridcell], '
         '.gtitle, .legendtext, [data-testid=stHeading])')


def controls(page) -> list[list[str]]:
    """[kind: label, value] of every visible control, in page order."""
    return page.evaluate(CONTROLS, WIDGETS)


def shown(page, volatile: tuple[str, ...] = ()) -> list[str]:
    """The results on the page: metrics, messages, table cells, chart titles and legends,
    headings (leaving out texts that contain one of `volatile`, such as timings)."""
    texts = page.evaluate(f"() => [...document.querySelectorAll('{SHOWN}')]"
                          ".filter(e => e.checkVisibility()).map(e => e.textContent)")
    return [t for t in texts if not any(v in t for v in volatile)]


def fresh_copy(chromium, url: str):
    """The URL opened in a new browser context: nothing shared with the first one."""
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(120_000)
    page.goto(url)
    settle(page)
    assert_no_exception(page)
    return page


def assert_link_reproduces(chromium, page, volatile: tuple[str, ...] = ()) -> None:
    copy = fresh_copy(chromium, page.url)
    try:
        expected = controls(page), shown(page, volatile)
        for _ in range(60):                    # charts draw a moment after the script ends
            if (controls(copy), shown(copy, volatile)) == expected:
                break
            time.sleep(0.5)
        assert controls(copy) == expected[0]
        assert shown(copy, volatile) == expected[1]
        assert copy.url == page.url
    finally:
        copy.context.close()


def open_page(page, base: str, path: str) -> None:
    page.set_default_timeout(120_000)        # a busy machine runs MiniLM slowly
    open_app_page(page, base, path)


def click(page, locator) -> None:
    locator.click()
    settle(page)


def slide(page, label: str, key: str, times: int, then_in_url: str) -> None:
    """Move a slider with the keyboard, and wait until its new value is in the URL."""
    thumb = page.locator('[data-testid="stSlider"]').filter(has_text=label).get_by_role("slider")
    thumb.focus()
    for _ in range(times):
        thumb.press(key)
    page.wait_for_function("part => location.href.includes(part)", arg=then_in_url)
    settle(page)


def test_positions_link(app_url, browser_page, chromium):
    page = browser_page
    open_page(page, app_url, "positions")
    sidebar = page.locator('[data-testid="stSidebar"]')
    click(page, sidebar.get_by_text("500,000 (LLaMA 3)"))
    click(page, sidebar.get_by_text("128", exact=True))
    type_into(page, "Sentence A", "the dog the man bit")
    click(page, page.get_by_role("tab", name="Sinusoidal"))
    slide(page, "Positions", "ArrowLeft", 2, "sin_positions=480")
    click(page, page.get_by_role("tab", name="RoPE"))
    type_into(page, "Query token", "prince")
    assert_no_exception(page)
    assert not page.locator('[data-testid="stAlert"]').count()
    assert all(f"{p}=" in page.url for p in ("base", "head_dim", "tab", "rope_query", "order_a", "sin_positions"))
    assert_link_reproduces(chromium, page)


def test_lookup_link_and_tab_flips(app_url, browser_page, chromium):
    page = browser_page
    open_page(page, app_url, "layer_lookup")
    click(page, page.locator('[data-testid="stButtonGroup"]').get_by_text("The bank raised its rates."))
    assert page.get_by_label("Second sentence (segment B, optional)").input_value() == "I sat on the river bank."
    for _ in range(FLIPS):
        click(page, page.get_by_role("tab", name="Same id, same row"))
        difference = page.get_by_test_id("stMetricLabel").get_by_text("largest difference between the rows")
        assert "lookup_tab=Same" in page.url and difference.is_visible()
        click(page, page.get_by_role("tab", name="Rows"))
        page.get_by_text("16 tokens select 12 of 30,522 rows:").wait_for()
        assert "lookup_tab" not in page.url
    click(page, page.get_by_role("tab", name="Same id, same row"))
    type_into(page, "Token", "rates")
    assert_no_exception(page)
    assert_link_reproduces(chromium, page, volatile=("slower by", "×"))


@pytest.mark.slow          # over a minute on a busy machine: make test-all
def test_gradients_link(app_url, browser_page, chromium):
    page = browser_page
    open_page(page, app_url, "layer_gradients")
    type_into(page, "Batch (one sentence)", "dog dog cat")
    click(page, page.get_by_role("tab", name="Optimisers"))
    slide(page, "Steps", "ArrowLeft", 2, "optimisers_steps=3")
    assert "optimisers_steps=3" in page.url and "gradients_sentence=dog" in page.url
    assert_link_reproduces(chromium, page)


@pytest.mark.slow          # over a minute on a busy machine: make test-all
def test_compare_link_and_table_flips(app_url, browser_page, chromium):
    page = browser_page
    open_page(page, app_url, "compare")
    for _ in range(FLIPS):
        choose_option(page, "Table A", "MiniLM token table")
        assert "compare_a=minilm-tokens" in page.url and "Mean Jaccard@10" in page.inner_text("body")
        choose_option(page, "Table A", "GloVe 6B 50d")
        assert "compare_a" not in page.url
    type_into(page, "k (neighbours)", "5")
    type_into(page, "Highlight a word and its neighbours in both maps", "queen")
    assert "compare_k=5" in page.url and "compare_word=queen" in page.url
    assert_link_reproduces(chromium, page)


@pytest.mark.slow          # over a minute on a busy machine: make test-all
def test_contextual_link(app_url, browser_page, chromium):
    page = browser_page
    open_page(page, app_url, "contextual")
    click(page, page.locator('[data-testid="stButtonGroup"]').get_by_text("bat", exact=True))
    slide(page, "Layer", "ArrowLeft", 2, "ctx_layer=4")
    slide(page, "k-means groups", "ArrowRight", 1, "ctx_k=3")
    assert all(f"{p}=" in page.url for p in ("ctx_word", "ctx_layer", "ctx_k"))
    assert "ctx_sentences" not in page.url          # the preset's own sentences are its default
    assert page.get_by_text("layer 4").first.is_visible()
    assert_link_reproduces(chromium, page)


def test_retrieval_link(app_url, browser_page, chromium):
    page = browser_page
    open_page(page, app_url, "retrieval")
    type_into(page, "Query", "cricket match in Sydney")
    type_into(page, "Top k", "3")
    type_into(page, "Word", "dog")
    assert all(f"{p}=" in page.url for p in ("retrieval_query", "retrieval_topn", "retrieval_word"))
    assert page.get_by_text("recall@3").is_visible()
    assert_link_reproduces(chromium, page)
