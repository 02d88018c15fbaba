"""Words, table names and URL values are text on every page: an uploaded table whose words
and file name hold markdown and HTML, and a link whose ?word= holds markdown, make no
request to an address they name (nor any other outside the app), open no dialog and render
no image, link, bold or KaTeX on any page."""
from urllib.parse import quote, urlparse

import pytest

from tests.apptest import navigation
from tests.browser import settle

pytestmark = pytest.mark.browser

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


def page_links(page):
    """Every page link of the sidebar, its "View n more" opened."""
    more = page.locator('[data-testid="stSidebarNavViewButton"]')
    if more.count() and "more" in more.inner_text():
        more.click()
    return page.locator('[data-testid="stSidebarNavLink"]')


def test_hostile_words_names_and_links_render_as_text(app_url, browser_page, tmp_path):
    page, outside, dialogs = browser_page, [], []
    host = urlparse(app_url).hostname
    page.on("request", lambda r: outside.append(r.url) if urlparse(r.url).hostname not in (host, None) else None)
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
    assert page_links(page).count() == len(navigation())
    for i in range(len(navigation())):          # in-app navigation: the upload stays this visitor's
        link = page_links(page).nth(i)
        name = link.inner_text()
        link.click()
        settle(page)
        assert rendered_markup(page) == [], name
    explore = page_links(page).filter(has_text="Explore").first
    explore.click()
    settle(page)
    box = page.get_by_label("Word", exact=True)
    for word in WORDS[:7]:
        box.fill(word)
        box.press("Enter")
        settle(page)
        assert rendered_markup(page) == [], word
    assert outside == [] and dialogs == []
