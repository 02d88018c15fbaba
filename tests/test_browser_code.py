"""'The code' in real Chromium: open it under a view, change a control and the code follows,
change it back; copy button and .py download; readable at 800 px."""
import pytest

from tests.browser import assert_no_exception, open_page, settle, type_into

pytestmark = pytest.mark.browser


def code_block(page):
    """The code block in the ALiBi tab's 'The code' expander."""
    expander = page.locator('[data-testid="stExpander"]:visible').filter(has_text="positions_alibi.py")
    return expander.locator('[data-testid="stCode"] code')


def wait_for_code(page, line: str) -> str:
    """The block's text once it holds `line` (a busy server redraws it a moment after the change)."""
    code_block(page).filter(has_text=line).wait_for(timeout=60_000)
    return code_block(page).inner_text()


def test_the_code_follows_the_controls_and_downloads(app_url, browser_page):
    page = browser_page
    open_page(page, app_url, "positions?tab=ALiBi")
    page.locator('[data-testid="stExpander"]:visible').get_by_text("The code", exact=True).click()
    wait_for_code(page, "heads, length, head = 12, 24, 0")
    block = page.locator('[data-testid="stExpander"]:visible [data-testid="stCode"]')
    block.hover()                                              # its copy button shows on hover
    block.get_by_role("button", name="Copy to clipboard").wait_for(timeout=10_000)

    type_into(page, "Heads", "6")
    shown = wait_for_code(page, "heads, length, head = 6, 24, 0")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download as .py").locator("visible=true").click()
    assert download.value.suggested_filename == "positions_alibi.py"
    assert open(download.value.path(), encoding="utf-8").read().strip() == shown.strip()

    type_into(page, "Heads", "12")
    wait_for_code(page, "heads, length, head = 12, 24, 0")
    assert_no_exception(page)


def test_the_code_fits_a_narrow_window(app_url, chromium):
    context = chromium.new_context(viewport={"width": 800, "height": 1000})
    page = context.new_page()
    open_page(page, app_url, "layer_size")
    page.locator('[data-testid="stExpander"]:visible').get_by_text("The code", exact=True).first.click()
    settle(page)
    block = page.locator('[data-testid="stExpander"]:visible [data-testid="stCode"]').first
    box = block.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 800      # long lines scroll inside the block
    context.close()
