"""The lecture file: the built-in lecture, round trips, and hostile files refused with one
line per bad field; lectures kept in the library; the handout."""
import json
from pathlib import Path

import pytest

from engine import lecture_library as shelf
from engine.handout import ViewRecord, handout_html
from engine.lecture import (
    BUILTIN_FOLDER,
    MAX_PROBLEMS,
    MAX_STEPS,
    Lecture,
    LectureError,
    Step,
    builtin_lecture,
    read_lecture,
    step_from_view,
)
from engine.library import list_tables
from tests.apptest import navigation

PAGES = [Path(script).stem for script, _ in navigation()]


def lecture_file(**changes) -> dict:
    document = {"format": "embedding-lab-lecture", "version": 1, "title": "Week 3",
                "steps": [{"title": "Neighbours", "page": "explore", "settings": {"word": "frog"},
                           "talking_point": "Words used alike sit near each other."}]}
    return document | changes


def problems(document) -> list[str]:
    with pytest.raises(LectureError) as raised:
        read_lecture(document if isinstance(document, (str, bytes)) else json.dumps(document), PAGES)
    assert str(raised.value) == "; ".join(raised.value.problems)
    return raised.value.problems


def test_builtin_lecture_steps_through_the_course_on_existing_pages():
    lecture = builtin_lecture(PAGES)
    assert lecture.title == "The embedding layer"
    assert 18 <= len(lecture) <= 24
    assert {step.page for step in lecture.steps} <= set(PAGES)
    assert all(step.talking_point and step.title for step in lecture.steps)
    titles = [step.title for step in lecture.steps]
    assert titles.index("A lookup table") < titles.index("Sparse gradients") < titles.index("Hubness")
    assert titles[-1] == "Retrieval"


def test_a_lecture_round_trips_through_its_file():
    tricky = Lecture("Über *embeddings* <b>", (
        Step("# Not a heading", "analogies", (("exclude", "false"), ("a", "man")),
             "First paragraph.\n\nSecond, with $math$ and :red[colour]."),
        Step("Sentences", "contextual", (("ctx_sentences", "one\ntwo"),), "")))
    for lecture in (builtin_lecture(PAGES), tricky):
        text = lecture.to_json()
        assert read_lecture(text, PAGES) == lecture
        assert read_lecture(text.encode("utf-8"), PAGES) == lecture
    assert "Über" in tricky.to_json()          # human-readable: not \u escapes
    assert tricky.to_json().count("\n") > 10   # indented


def test_the_builtin_file_is_the_file_format_itself():
    text = (BUILTIN_FOLDER / "the-embedding-layer.json").read_text(encoding="utf-8")
    assert builtin_lecture(PAGES).to_json() == text


def test_not_json_and_not_text_are_refused_in_one_line():
    assert problems("{'title': 'single quotes'}") == [
        "the file is not JSON: line 1, column 2: Expecting property name enclosed in double quotes"]
    assert problems(b"\xff\xfe{}")[0].startswith("the file is not UTF-8 text (byte 0")
    assert problems("[1, 2]") == ["the file holds a JSON list; a lecture file is one object with the "
                                  "fields format, version, title, steps"]
    assert problems("[" * 100_000 + "]" * 100_000) == [
        "the file is not a lecture: its JSON is nested too deeply"]


def test_each_bad_field_is_named_once():
    document = lecture_file(title=5, version=2, steps=[
        {"title": "ok", "page": "mapp", "settings": {"topn": 10}},
        {"title": "", "page": "explore", "settings": ["word", "frog"], "talking_point": None},
        "a step", {"title": "t", "page": "explore", "colour": "red"}])
    found = problems(document)
    assert found == [
        "version: must be 1, found number 2",
        "title: must be text, found number 5",
        "step 1, page: 'mapp' is not a page of the app; pages are " + ", ".join(sorted(PAGES)),
        "step 1, settings, topn: must be text as the link carries it (\"10\", not 10), found number 10",
        "step 2, title: must not be empty",
        "step 2, talking_point: must be text, found nothing",
        "step 2, settings: must be an object of link parameters (name: text), found a list",
        "step 3: must be an object with the fields title, page, settings, talking_point, found 'a step'",
        "step 4: unknown field 'colour'; the fields are title, page, settings, talking_point"]


def test_ten_thousand_steps_are_one_problem_not_ten_thousand():
    step = {"title": "t", "page": "explore"}
    assert problems(lecture_file(steps=[step] * 10_000)) == [
        f"steps: 10,000 steps; a lecture may have at most {MAX_STEPS}"]
    many_bad = problems(lecture_file(steps=[{"page": "nowhere"}] * MAX_STEPS))
    assert len(many_bad) == MAX_PROBLEMS + 1 and many_bad[-1].endswith("more problems")


def test_sizes_names_and_control_characters_have_ceilings():
    assert problems("x" * 1_000_001)[0].startswith("the file is 1,000,001 bytes; a lecture file may be")
    step = {"title": "a\nb", "page": "explore", "settings": {"present": "1", "no spaces": "x",
                                                            "word": "y" * 20_001}}
    assert problems(lecture_file(steps=[step])) == [
        "step 1, title: contains control characters (it is one line)",
        "step 1, settings: 'present' is the lecture's own parameter, not a page's",
        "step 1, settings: 'no spaces' is not a link parameter's name (1–64 letters, digits or '_')",
        "step 1, settings, word: 20,001 characters; at most 20,000"]
    assert problems(lecture_file(format="slides", steps=[]))[:2] == [
        "format: must be 'embedding-lab-lecture', found 'slides'",
        "steps: must be a list of 1 to 100 steps, found a list"]


def test_markup_in_titles_is_kept_as_text():
    title = "<script>alert(1)</script> **bold** [link](http://x)"
    lecture = read_lecture(json.dumps(lecture_file(title=title)), PAGES)
    assert lecture.title == title


def test_a_view_becomes_a_step_without_the_lecture_s_own_parameters():
    step = step_from_view("Geometry", "geometry", {"view": "Hubness", "present": "1", "lecture": "x",
                                                   "step": "3", "k": "20"})
    assert step.query == {"view": "Hubness", "k": "20"}


def test_lectures_kept_in_the_library_open_by_name(tmp_path):
    lecture = read_lecture(json.dumps(lecture_file()), PAGES)
    allowed = shelf.LecturePolicy(True, 2)
    with pytest.raises(ValueError, match="does not keep visitors' lectures"):
        shelf.keep_lecture(lecture, "week3", shelf.LecturePolicy(False, 2), tmp_path)
    path = shelf.keep_lecture(lecture, "week3", allowed, tmp_path)
    assert path.parent.name == ".lectures" and json.loads(path.read_text())["title"] == "Week 3"
    assert shelf.lecture_names(tmp_path) == ["week3"]
    assert shelf.load_lecture("week3", PAGES, tmp_path) == lecture
    assert list_tables(tmp_path) == []                  # never taken for a table
    with pytest.raises(ValueError, match="already has a lecture named 'week3'"):
        shelf.keep_lecture(lecture, "week3", allowed, tmp_path)
    for bad in ("../up", "", "the-embedding-layer", ".hidden"):
        with pytest.raises(ValueError, match="is not allowed"):
            shelf.keep_lecture(lecture, bad, allowed, tmp_path)
    shelf.keep_lecture(lecture, "week4", allowed, tmp_path)
    with pytest.raises(ValueError, match="already keeps 2 lectures"):
        shelf.keep_lecture(lecture, "week5", allowed, tmp_path)
    with pytest.raises(ValueError, match="no lecture named 'week9'; it has week3, week4"):
        shelf.load_lecture("week9", PAGES, tmp_path)
    (tmp_path / ".lectures" / "broken.json").write_text('{"format": "x"}')
    with pytest.raises(LectureError, match="format: must be"):
        shelf.load_lecture("broken", PAGES, tmp_path)
    assert not list((tmp_path / ".lectures").glob(".*.part"))   # no half-written files left


def test_the_handout_holds_every_step_offline_with_markup_as_text():
    figure = json.dumps({"data": [{"type": "bar", "x": ["a", "b"], "y": [1, 2]}],
                         "layout": {"title": {"text": "Bars & <b>"}}})
    lecture = Lecture("Week <3>", (Step("<img src=x onerror=alert(1)>", "explore", (("word", "frog"),),
                                        "Para one.\n\nPara <two>."),
                                   Step("Later", "geometry")))
    record = ViewRecord("Explore", notices=("**12** rows; <i>raw</i>",), metrics=(("rows", "400,000"),),
                        figures=(figure,), code=("table.most_similar('frog')",))
    page = handout_html(lecture, [record, None], lambda step: f"http://lab/{step.page}")
    assert page.count("<script>") == 2 and "Plotly.newPlot" in page and len(page) > 3_000_000
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and "<img" not in page
    assert "<title>Week &lt;3&gt;</title>" in page
    assert "<p>Para one.</p>" in page and "<p>Para &lt;two&gt;.</p>" in page
    assert "<strong>12</strong> rows; &lt;i&gt;raw&lt;/i&gt;" in page
    assert "<dt>rows</dt><dd>400,000</dd>" in page
    assert 'href="http://lab/explore"' in page
    assert "table.most_similar(&#x27;frog&#x27;)" in page
    assert "This view had not been drawn" in page
    start = page.index('data-figure="') + len('data-figure="')
    import html
    assert json.loads(html.unescape(page[start:page.index('"', start)])) == json.loads(figure)
