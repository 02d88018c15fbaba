"""Lecture mode in Chromium: the built-in lecture walked with a presenter's keys from its first
step to its last and back, each step on its page with exactly its settings and no error;
keys typed into a text box stay the box's; Esc and reload; a hostile lecture file shown as
text, kept in the browser over a reload and in the library for a class; the handout after
the warm-up, read offline."""
import ast
import json
import time
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from engine.lecture import builtin_lecture
from tests.apptest import APP, navigation
from tests.browser import assert_no_exception, serving, settle

pytestmark = pytest.mark.browser

PAGES = [Path(script).stem for script, _ in navigation()]
LECTURE = builtin_lecture(PAGES)
NEXT_KEYS, PREVIOUS_KEYS = ("ArrowRight", "PageDown", " "), ("ArrowLeft", "PageUp")
OWN = {"lecture": "the-embedding-layer"}


def page_titles() -> dict[str, str]:
    """The title each page draws (its st.title), by the page's name ('layer_lookup': 'Lookup')."""
    titles = {}
    for name in PAGES:
        for node in ast.walk(ast.parse((Path(APP).parent / "views" / f"{name}.py").read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "title":
                titles[name] = node.args[0].value
    return titles


TITLES = page_titles()


@pytest.fixture(scope="module")
def lecture_app(tmp_path_factory):
    """The app on its own server (its warm-up runs only while these tests do), with a library
    that keeps visitors' lectures."""
    library = tmp_path_factory.mktemp("library")
    with serving(EMBEDDING_LAB_LIBRARY=str(library), EMBEDDING_LAB_LIBRARY_LECTURES="1") as (base, _):
        yield base


def bar_title(page):
    return page.locator(".st-key-lecture_bar h1")


def shown(page, number: int, presenting: bool = True) -> None:
    """Wait for step `number`, then check it: its page, its settings and nothing else in the
    link, no error, the sidebar hidden while presenting."""
    step = LECTURE.steps[number - 1]
    link = {**step.query, **OWN, "step": str(number), **({"present": "1"} if presenting else {})}
    deadline = time.time() + 300
    # the step's title, then its link (the browser's address follows the page's run a moment later)
    while (bar_title(page).count() == 0 or bar_title(page).first.inner_text() != step.title
           or dict(parse_qsl(urlsplit(page.url).query)) != link):
        assert time.time() < deadline, f"step {number} ({step.title}) never shown with its link: {page.url}"
        time.sleep(0.2)
    settle(page)
    assert_no_exception(page)
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0, step.title
    url = urlsplit(page.url)
    assert url.path.strip("/") in (step.page, "" if step.page == "explore" else step.page)
    assert dict(parse_qsl(url.query)) == link
    assert page.locator('[data-testid="stMain"] h1').nth(1).inner_text() == TITLES[step.page]
    assert page.locator('[data-testid="stSidebar"]').is_visible() is not presenting
    if step.page != "train":                # Train states its numbers once the class has watched it train
        assert page.locator(".st-key-lecture_bar").get_by_text("What to notice", exact=True).count() == 1, step.title


def test_the_builtin_lecture_walked_with_a_clicker_first_to_last_and_back(lecture_app, browser_page):
    page = browser_page
    page.goto(f"{lecture_app}/lecture?open=the-embedding-layer")
    settle(page)
    page.get_by_role("button", name="Present", exact=True).click()
    shown(page, 1)
    for number in range(2, len(LECTURE) + 1):
        page.keyboard.press(NEXT_KEYS[number % len(NEXT_KEYS)])
        shown(page, number)
    page.keyboard.press("ArrowRight")               # past the last step: nothing moves
    time.sleep(1)
    shown(page, len(LECTURE))
    for number in range(len(LECTURE) - 1, 0, -1):
        page.keyboard.press(PREVIOUS_KEYS[number % len(PREVIOUS_KEYS)])
        shown(page, number)
    page.keyboard.press("End")
    shown(page, len(LECTURE))
    page.keyboard.press("Home")
    shown(page, 1)


def test_keys_in_a_box_stay_the_box_s_and_escape_reload_f5_and_a_step_s_number(lecture_app, browser_page):
    page = browser_page
    neighbours = next(n for n, s in enumerate(LECTURE.steps, 1) if s.page == "explore")
    page.goto(f"{lecture_app}/?word=frog&lecture=the-embedding-layer&step={neighbours}")
    shown(page, neighbours, presenting=False)
    box = page.get_by_label("Word", exact=True)
    box.click()
    box.press("End")
    for key in (" ", "ArrowLeft", "ArrowRight", "Home", "End"):
        box.press(key)
    assert box.input_value() == "frog " and bar_title(page).inner_text() == LECTURE.steps[neighbours - 1].title
    page.mouse.move(700, 600)
    page.mouse.wheel(0, 2000)                       # read down the page, then move on:
    page.wait_for_function("document.querySelector('[data-testid=\"stMain\"]').scrollTop > 0")
    box.press("PageDown")                           # a clicker moves on from anywhere
    shown(page, neighbours + 1, presenting=False)
    assert page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollTop") == 0   # its top
    page.locator(".st-key-lecture_bar").get_by_role("button", name="Present", exact=True).click()
    shown(page, neighbours + 1)
    page.keyboard.press("Escape")
    shown(page, neighbours + 1, presenting=False)
    page.reload()
    shown(page, neighbours + 1, presenting=False)
    page.keyboard.press("F5")                       # a clicker's start key presents, not reloads
    shown(page, neighbours + 1)
    for key in ("1", "2", "Enter"):                 # a step's number, then Enter
        page.keyboard.press(key)
    shown(page, 12)


def test_a_file_with_markup_opens_as_text_and_is_kept_in_the_library(lecture_app, browser_page, tmp_path):
    page, dialogs = browser_page, []
    page.on("dialog", lambda dialog: dialogs.append(dialog.message) or dialog.dismiss())
    title = '<img src=x onerror=alert(1)> **bold** :red[red] $x^2$'
    document = {"format": "embedding-lab-lecture", "version": 1, "title": title,
                "steps": [{"title": title, "page": "geometry", "settings": {"view": "Hubness"},
                           "talking_point": "<script>alert(2)</script> [link](http://evil.example)"}]}
    path = tmp_path / "week.json"
    path.write_text(json.dumps(document))
    page.goto(f"{lecture_app}/lecture")
    settle(page)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
    settle(page)
    page.get_by_role("button", name="as your lecture").click()
    settle(page)
    assert title in page.locator('[data-testid="stMain"]').inner_text()
    page.reload()                                   # the browser keeps your lecture
    page.get_by_text("Edit your lecture").wait_for(timeout=120_000)
    settle(page)
    assert title in page.locator('[data-testid="stMain"]').inner_text()
    page.get_by_label("Name in the library (letters, digits, . _ -)").fill("week3")
    page.get_by_role("button", name="Keep in the library").click()
    settle(page)
    link = page.locator('[data-testid="stCode"]').inner_text().strip()
    assert link.endswith("/lecture?open=library%3Aweek3")
    other = page.context.browser.new_context().new_page()
    other.goto(link)
    settle(other)
    other.get_by_role("button", name="Step through").click()
    deadline = time.time() + 300
    while bar_title(other).count() == 0:
        assert time.time() < deadline
        time.sleep(0.2)
    settle(other)
    assert bar_title(other).inner_text() == title
    bar = other.locator(".st-key-lecture_bar").inner_text().replace("\u2060", "")   # md_text's word joiner
    assert "<script>alert(2)</script> [link](http://evil.example)" in bar
    for selector in ("img[src='x']", ".st-key-lecture_bar a", ".katex"):
        assert other.locator(selector).count() == 0, selector
    assert other.locator(".st-key-lecture_bar strong", has_text="bold").count() == 0   # **bold** stays text
    assert not dialogs
    other.context.close()


def test_the_handout_after_the_warm_up_reads_offline(lecture_app, browser_page, tmp_path):
    page = browser_page
    page.goto(f"{lecture_app}/lecture?open=the-embedding-layer")
    settle(page)
    deadline = time.time() + 1200
    while "All 22 steps ready" not in page.locator('[data-testid="stMain"]').inner_text():
        assert time.time() < deadline, "the warm-up did not finish in 20 minutes"
        time.sleep(2)
    settle(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Handout (HTML)").click()
    path = tmp_path / "handout.html"
    download.value.save_as(path)
    text = path.read_text(encoding="utf-8")
    assert all(json.dumps(step.title)[1:-1] in text or step.title in text for step in LECTURE.steps)
    assert text.count("<h3>The code</h3>") >= 12           # the scripts the views show, where they have one
    offline = page.context.browser.new_context(offline=True).new_page()
    requests = []
    offline.on("request", lambda request: requests.append(request.url))
    offline.goto(path.as_uri())
    offline.wait_for_function("document.querySelectorAll('.figure .main-svg').length > 0")
    sections = offline.locator("section")
    assert sections.count() == len(LECTURE)
    drawn = offline.evaluate("document.querySelectorAll('.figure .main-svg').length")
    assert drawn >= len(LECTURE)                 # every step has at least one figure or more
    assert offline.locator(".missing").count() == 0
    assert all(url.startswith("file://") or url.startswith("data:") for url in requests), requests
    offline.context.close()
