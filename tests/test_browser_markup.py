"""Words, table names and URL values are text on every page: an uploaded table whose words
and file name hold markdown and HTML, and a link whose every text parameter holds markdown,
make no request to an address they name (nor any other outside the app), open no dialog and
render no image, link, bold or KaTeX on any page."""
import ast
from pathlib import Path
from urllib.parse import urlencode, urlparse

import pytest

from tests.apptest import navigation
from tests.browser import settle

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
EVIL = "evil.example"
WORDS = ["![x](http://evil.example/w.png)", "[w](http://evil.example/l)", ":red[spoof]", "**bold**",
         "<b>bold</b>", "$\\href{http://evil.example/k}{k}$", "<img/src=http://evil.example/i.png>",
         "cat", "dog", "car", "bus", "plum"]
LINK_WORD = ("![p](http://evil.example/p.png) [a](http://evil.example/a) **bold** $x^2$ :red[r] "
             "$\\href{http://evil.example/k}{k}$ <b>bold</b> <a href=http://evil.example/h>h</a>")
# Every text parameter a page keeps in its link, with the other parameters that open the tab
# or mode showing it; every page is also opened with ?source= and ?word= holding LINK_WORD.
TEXT_LINKS = [
    ("", {}, ["word", "first", "second", "odd"]),
    ("analogies", {}, ["a", "b", "c", "gold", "formula"]),
    ("map", {}, ["map_word"]),
    ("map", {"colour": "word list"}, ["words"]),
    ("map", {"method": "axes", "dims": "3"}, ["x", "y", "z"]),
    ("geometry", {"view": "Hubness"}, ["hub_word"]),
    ("compare", {}, ["compare_word"]),
    ("truncate", {}, ["truncate_word"]),
    ("layer_lookup", {}, ["lookup_sentence", "lookup_second"]),
    ("layer_lookup", {"lookup_tab": "Same id, same row"}, ["lookup_static_token"]),
    ("layer_gradients", {}, ["gradients_sentence"]),
    ("layer_gradients", {"gradients_tab": "Rare tokens"}, ["rare_words"]),
    ("positions", {"tab": "Order"}, ["order_a", "order_b"]),
    ("positions", {"tab": "RoPE"}, ["rope_query", "rope_key"]),
    ("contextual", {}, ["ctx_word", "ctx_sentences"]),
    ("contextual", {"ctx_map_source": "My own"}, ["ctx_map_text"]),
    ("retrieval", {}, ["retrieval_query", "retrieval_word"]),
    ("vocabulary", {}, ["word_list"]),
    ("shrink", {"calibration": "words I choose"}, ["calibration_words"]),
    ("train", {}, ["train_probes", "train_map"]),
]
TEXT_WIDGETS = {"text_input", "text_area"}
WORD_BOXES = {"word_box", "optional_word_box"}


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

    for path, fixed, keys in TEXT_LINKS:
        page.goto(f"{app_url}/{path}?{urlencode(fixed | {key: LINK_WORD for key in keys})}")
        settle(page)
        assert rendered_markup(page) == [], (path, fixed, keys)
    for script, default in navigation():
        path = "" if default else Path(script).stem
        page.goto(f"{app_url}/{path}?{urlencode({'source': LINK_WORD, 'word': LINK_WORD})}")
        settle(page)
        assert rendered_markup(page) == [], script

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


def test_the_hostile_links_name_every_text_parameter_of_every_page():
    """Each text box or word box of a page that keeps its value in the link (in_url) is in
    TEXT_LINKS; keys built at run time are spelled out here (analogies' FIELDS, the map's
    axes), keys the word helpers pass through are the callers'."""
    found = set()
    for path in (ROOT / "views").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            widget = getattr(node.args[0], "attr", getattr(node.args[0], "id", "")) if node.args else ""
            if (name == "in_url" and widget in TEXT_WIDGETS) or name in WORD_BOXES:
                key = next(k.value for k in node.keywords if k.arg == "key")
                found.add(key.value if isinstance(key, ast.Constant) else ast.unparse(key))
    built = {"key": ["a", "b", "c"], "axis": ["x", "y", "z"]}
    expected = {k for key in found for k in built.get(key, [key])}
    linked = {key for _, _, keys in TEXT_LINKS for key in keys}
    assert expected - linked == set()
