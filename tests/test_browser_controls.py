"""Every control works every time, in real Chromium: pickers flipped back and forth follow
each change (a widget whose default is recomputed from the URL dropped every second one)."""
import pytest

from tests.browser import assert_no_exception, choose_option, click_label, open_page, settle

pytestmark = pytest.mark.browser
FLIPS = 3


def legend_texts(page) -> list[str]:
    return page.locator('[data-testid="stPlotlyChart"] .legendtext').all_text_contents()


def test_positions_base_and_scaling_follow_every_flip(app_url, browser_page):
    page = browser_page
    page.set_default_timeout(120_000)          # a busy CI machine runs MiniLM slowly
    open_page(page, app_url, "positions")
    page.get_by_role("tab", name="Long context").click()
    for _ in range(FLIPS):
        click_label(page, "500,000 (LLaMA 3)")
        assert "L₀ = 8,192" in legend_texts(page) and "base=500000" in page.url
        click_label(page, "10,000 (RoPE paper, LLaMA 2)")
        assert "L₀ = 4,096" in legend_texts(page) and "base=" not in page.url
    for _ in range(FLIPS):
        choose_option(page, "Scaling", "NTK-aware")
        assert "NTK-aware" in legend_texts(page) and "scaling=ntk" in page.url
        choose_option(page, "Scaling", "linear (position interpolation)")
        assert "linear (position interpolation)" in legend_texts(page) and "scaling=linear" in page.url
    assert_no_exception(page)


def test_map_method_follows_every_flip(app_url, browser_page):
    page = browser_page
    page.set_default_timeout(120_000)
    open_page(page, app_url, "map?map_rows=2000")
    for _ in range(FLIPS):
        click_label(page, "Word axes")
        page.get_by_text("x axis (a word formula)").wait_for()
        assert "method=axes" in page.url
        click_label(page, "PCA")
        page.get_by_text("Explained variance").first.wait_for()
        assert "method=" not in page.url
    assert_no_exception(page)


def test_source_picker_follows_every_flip_and_keeps_it_across_pages(app_url, browser_page):
    page = browser_page
    page.set_default_timeout(120_000)
    open_page(page, app_url, "")
    caption = page.locator('[data-testid="stSidebar"] [data-testid="stCaptionContainer"]').first
    for _ in range(FLIPS):
        choose_option(page, "Source", "MiniLM token table")
        assert "source=minilm-tokens" in page.url and "30,522" in caption.inner_text()
        choose_option(page, "Source", "MiniLM position table")
        assert "source=minilm-positions" in page.url and "0–511" in caption.inner_text()
        choose_option(page, "Source", "GloVe 6B 50d")
        assert "source=" not in page.url and "400,000" in caption.inner_text()
    choose_option(page, "Source", "MiniLM token table")
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Analogies").click()
    settle(page)
    assert "source=minilm-tokens" in page.url and "30,522" in caption.inner_text()
    assert_no_exception(page)
