"""The Positions page in real Chromium: change the RoPE base and the scaling rule, and the
figures follow without an error."""
import pytest

from tests.browser import assert_no_exception, choose_option, open_page, settle

pytestmark = pytest.mark.browser


def chart_titles(page) -> list[str]:
    return page.locator('[data-testid="stPlotlyChart"] .gtitle').all_text_contents()


def legend_texts(page) -> list[str]:
    return page.locator('[data-testid="stPlotlyChart"] .legendtext').all_text_contents()


def test_base_and_scaling_update_the_figures(app_url, browser_page):
    page = browser_page
    open_page(page, app_url, "positions")
    page.get_by_role("tab", name="Long context").click()
    page.wait_for_selector("text=attention factor 1.2079")      # YaRN, s = 8, d = 64
    assert any(t.startswith("Wavelength per pair, d = 64") for t in chart_titles(page))
    assert "L₀ = 4,096" in legend_texts(page)

    page.locator('[data-testid="stSidebar"]').get_by_text("500,000 (LLaMA 3)").click()
    settle(page)
    page.locator('[data-testid="stSidebar"]').get_by_text("128", exact=True).click()
    settle(page)
    choose_option(page, "Scaling", "LLaMA 3.1 (llama3)")
    assert_no_exception(page)
    page.wait_for_selector("text=Wavelength per pair, d = 128")
    assert "LLaMA 3.1 (llama3)" in legend_texts(page)
    assert "L₀ = 8,192" in legend_texts(page)                   # the LLaMA 3 preset's context
    assert not any("attention factor" in t for t in chart_titles(page))
    assert "base=500000" in page.url and "scaling=llama3" in page.url

    page.get_by_role("tab", name="RoPE").click()
    settle(page)                                                # only the open tab runs
    metrics = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    assert any(float(v) < 1e-9 for v in metrics if "e" in v)   # the curves still coincide
    assert_no_exception(page)
