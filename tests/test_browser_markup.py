"""Words, table names and URL values are text on every page: an uploaded table whose words
and file name hold markdown and HTML, and a link whose ?word= holds markdown, make no
request to an address they name, open no dialog and render no image, link, bold or KaTeX."""
from urllib.parse import quote, urlparse

import pytest

from tests.browser import settle

pytestmark = [pytest.mark.browser, pytest.mark.slow]   # visits every page: minutes

EVIL = "evil.example"
WORDS = ["![x](http://evil.example/w.png)", "[w](http://evil.example/l)", ":red[spoof]", "**bold**",
         "<b>bold</b>", "$\\href{http://evil.example/k}{k}$", "<img/src=http://evil.example/i.png>",
         "cat", "dog", "car", "bus", "plum"]
LINK_WORD = "![p](http://evil.example/p.png) [a](http://evil.example/a) **bold** $x^2$ :red[r]"


def rendered_markup(page) -> list[str]:
    found = []
    for selector in (f"img[src*='{EVIL}']", f"a[href*='{EVIL}']", ".katex", "[data-testid='stMain'] b",
                     "[data-testid='stMain'] strong:text-is('bold')"):
        if page.locator(selector).count():
            found.append(selector)
    return found


def test_hostile_words_names_and_links_render_as_text(app_url, browser_page, tmp_path):
    page, outside, dialogs = browser_page, [], []
    # Streamlit itself fetches Material icons from fonts.gstatic.com; what must never be
    # fetched is an address that came from the visitor's words, names or link
    page.on("request", lambda r: outside.append(r.url) if EVIL in (urlparse(r.url).hostname or "") else None)
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

    for path in ("", "map", "geometry", "analogies"):
        page.goto(f"{app_url}/{path}?word={quote(LINK_WORD)}")
        settle(page)
        assert rendered_markup(page) == [], path

    rows = "".join(f"{w} " + " ".join("1" if j == i % 4 else "0.1" for j in range(4)) + "\n"
                   for i, w in enumerate(WORDS))
    upload = tmp_path / ":red[notes]**x**.txt"
    upload.write_text(rows)
    page.goto(f"{app_url}/load")
    settle(page)
    page.locator('input[type="file"]').first.set_input_files(str(upload))
    settle(page)
    page.get_by_role("button", name="Load", exact=True).click()
    settle(page)
    assert rendered_markup(page) == []
    pages = page.locator('[data-testid="stSidebarNavLink"]')
    for i in range(pages.count()):
        pages.nth(i).click()
        settle(page)
        assert rendered_markup(page) == [], pages.nth(i).inner_text()
    explore = page.locator('[data-testid="stSidebarNavLink"]').filter(has_text="Explore").first
    explore.click()
    settle(page)
    box = page.get_by_label("Word", exact=True)
    for word in WORDS[:7]:
        box.fill(word)
        box.press("Enter")
        settle(page)
        assert rendered_markup(page) == [], word
    assert outside == [] and dialogs == []
