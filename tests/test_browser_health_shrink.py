"""Health report, Shrink the table and a model folder in real Chromium: controls changed, changed
back and changed again; a copied link in a fresh browser; the report downloaded as one HTML
file that draws with no network; a model folder's files uploaded and its health read."""
import pytest

from tests.browser import assert_no_exception, main_text, metric_value, open_page, settle
from tests.model_folders import gpt2_folder
from tests.test_browser_links import assert_link_reproduces

pytestmark = pytest.mark.browser
FLIPS = 3


def set_number(page, label: str, value: int) -> None:
    box = page.get_by_label(label, exact=True)
    box.fill(str(value))
    box.press("Enter")
    settle(page)


def test_health_k_flips_and_the_link_reproduces(app_url, browser_page, chromium):
    from engine.sources import load_builtin
    from engine.token_context import context_of_table
    from engine.undertrained import under_trained

    page = browser_page
    page.set_default_timeout(180_000)
    open_page(page, app_url, "health?source=minilm-tokens&health_sample=2000")
    table = load_builtin("minilm-tokens")
    context = context_of_table(table)
    cluster = under_trained(table, None, context.status, context.init_std, context.pad).cluster
    assert metric_value(page, "Under-trained cluster") == f"{cluster:,}"
    for _ in range(FLIPS):
        set_number(page, "k (neighbours per row)", 5)
        page.get_by_text("k = 5: skewness").first.wait_for()
        assert "health_k=5" in page.url
        set_number(page, "k (neighbours per row)", 10)
        page.get_by_text("k = 10: skewness").first.wait_for()
        assert "health_k" not in page.url
    set_number(page, "k (neighbours per row)", 7)
    assert_link_reproduces(chromium, page, volatile=("Computed in",))
    assert_no_exception(page)


def test_the_downloaded_report_draws_with_no_network(app_url, browser_page, chromium, tmp_path):
    page = browser_page
    page.set_default_timeout(180_000)
    open_page(page, app_url, "health?source=karate-club&health_sample=100")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the whole report (one HTML file)").click()
    saved = tmp_path / "report.html"
    download.value.save_as(saved)
    assert saved.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    context = chromium.new_context()
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                  else route.abort())
    offline = context.new_page()
    offline.goto(saved.as_uri())
    offline.locator(".js-plotly-plot").nth(3).wait_for(timeout=30_000)
    assert offline.locator(".js-plotly-plot").count() == 4
    assert "Health report: karate-club" in offline.locator("h1").inner_text()
    context.close()


def pick(page, box, option: str) -> None:
    """Open a multiselect's list and click `option` (a click that lands while the page still
    re-renders leaves the list shut: click again)."""
    from playwright.sync_api import TimeoutError as Timeout

    for _ in range(5):
        box.locator("input").click()
        try:
            page.get_by_role("option", name=option, exact=True).click(timeout=10_000)
            return
        except Timeout:
            page.keyboard.press("Escape")
    raise AssertionError(f"the list never offered {option!r}")


def test_shrink_methods_flip(app_url, browser_page):
    page = browser_page
    page.set_default_timeout(180_000)
    open_page(page, app_url, "shrink?methods=int8&probes=100")
    methods = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first
    for _ in range(FLIPS):
        pick(page, methods, "binary (sign bits)")
        page.keyboard.press("Escape")
        settle(page)
        page.get_by_text("binary (sign bits), the smallest").first.wait_for()
        assert "methods=int8%2Cbinary" in page.url or "methods=int8,binary" in page.url
        methods.get_by_role("button", name="Remove binary (sign bits)").click()
        settle(page)
        assert "binary (sign bits)" not in main_text(page) and "binary" not in page.url
    assert "int8, a scale per row keeps" in main_text(page)
    assert_no_exception(page)


def test_a_model_folder_uploaded_then_checked(app_url, browser_page, tmp_path):
    page = browser_page
    page.set_default_timeout(180_000)
    folder, _ = gpt2_folder(tmp_path / "gpt2", "untied")
    open_page(page, app_url, "load")
    page.locator('[data-testid="stFileUploader"]').filter(has_text="The folder's files").locator(
        'input[type="file"]').set_input_files([str(p) for p in sorted(folder.iterdir())])
    settle(page)
    page.get_by_label("Name it").last.fill("tiny")
    page.get_by_label("Name it").last.press("Enter")
    settle(page)
    page.get_by_role("button", name="Open the model folder").click()
    settle(page)
    page.get_by_text("Opened tiny: 400 tokens × 16").wait_for()
    assert "It is a source too: tiny-output." in main_text(page)
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Health report").click()
    settle(page)
    page.get_by_text("Output embedding: untied: lm_head.weight differs").first.wait_for()
    assert metric_value(page, "Rows") == "400"
    assert_no_exception(page)
