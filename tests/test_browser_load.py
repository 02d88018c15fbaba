"""The real app in Chromium: upload a small file on the Load page, then read its neighbours
on Explore in the same session; a bad file shows the line, not a traceback."""
import pytest

from tests.browser import assert_no_exception, choose_option, open_page, settle, vector_strip_words

pytestmark = pytest.mark.browser

# 12 rows: cat's nearest is kitten (cosine 0.99), then puppy; the rest point elsewhere
PETS = ("cat 1 0 0 0\nkitten 0.9 0.1 0 0\ndog 0 1 0 0\npuppy 0.2 0.9 0 0\n"
        "car 0 0 1 0\nbus 0 0.1 1 0\ntrain 0 0.1 0.9 0.1\napple 0 0 0 1\npear 0 0 0.1 1\n"
        "plum 0 0.1 0 1\nred 0.1 0 0.1 1\nblue -1 0 0 0.1\n")


def upload(page, path) -> None:
    uploader = page.locator('[data-testid="stFileUploader"]').first
    uploader.locator('input[type="file"]').set_input_files(str(path))
    uploader.get_by_text(path.name).wait_for()           # the uploader has taken it
    settle(page)
    page.get_by_role("button", name="Load", exact=True).click()
    settle(page)


def test_upload_then_explore_neighbours(app_url, browser_page, tmp_path):
    page = browser_page
    path = tmp_path / "pets.txt"
    path.write_text(PETS)
    open_page(page, app_url, "load")
    upload(page, path)
    page.get_by_text("Loaded pets: 12 rows × 4 (glove-text)").wait_for()
    assert_no_exception(page)

    page.locator('[data-testid="stSidebarNavLink"]').filter(has_text="Explore").first.click()
    settle(page)
    choose_option(page, "Source", "pets (yours)")
    settle(page)
    box = page.get_by_label("Word", exact=True)
    box.fill("cat")
    box.press("Enter")
    settle(page)
    page.get_by_text("Nearest to “cat”").wait_for()
    words = vector_strip_words(page)                   # the word, then its 5 nearest
    assert words[:4] == ["cat", "kitten", "puppy", "red"] and len(words) == 6
    assert_no_exception(page)


def test_bad_file_names_the_line(app_url, browser_page, tmp_path):
    page = browser_page
    path = tmp_path / "ragged.txt"
    path.write_text("a 1 2 3\nb 1 2\n")
    open_page(page, app_url, "load")
    upload(page, path)
    alert = page.locator('[data-testid="stAlert"]').filter(has_text="line 2")
    assert "line 2: expected a word and 3 numbers, found 2" in alert.first.inner_text()
    assert_no_exception(page)
