"""The Lecture page and lecture mode, headless: open, present, step, add a view, edit, save,
open a file (hostile ones shown as text or refused), keep in the library."""
import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

from engine.lecture import read_lecture
from tests.apptest import APP, navigation, run_page
from ui.text import md_text

PAGES = [Path(script).stem for script, _ in navigation()]


def button(at, label: str):
    return next(b for b in at.button if b.label == label)


def by_key(at, key: str):
    return next(b for b in at.button if b.key == key)


def step_title(at) -> str:
    return at.title[0].value


def present_builtin(at):
    at.selectbox(key="open").select("the-embedding-layer").run()
    button(at, "Present").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_lecture_page_opens_no_lecture_until_one_is_chosen():
    at = run_page("views/lecture.py")
    assert at.selectbox(key="open").value is None
    assert not at.table and "open" not in at.query_params
    at.selectbox(key="open").select("the-embedding-layer").run()
    assert at.query_params["open"] == "the-embedding-layer"
    assert len(at.table[0].value) == 22
    assert "This server does not warm lectures up" in [c.value for c in at.caption][1]


def test_present_steps_across_pages_with_each_step_s_settings_only():
    at = present_builtin(run_page("views/lecture.py"))
    assert step_title(at) == "A lookup table" and at.title[1].value == "Lookup"
    assert at.session_state["presentation"] is True
    assert at.query_params == {"lecture": "the-embedding-layer", "step": "1", "present": "1"}
    assert by_key(at, "lecture_previous").disabled
    expected = {2: {"lookup_tab": "One-hot · W"},
                3: {"lookup_sentence": "Tokenisation is unbelievably subwordy."},
                4: {"lookup_tab": "BERT's input", "lookup_sentence": "The bank raised its rates.",
                    "lookup_second": "I sat on the river bank."},
                5: {}}
    for number, settings in expected.items():
        by_key(at, "lecture_next").click().run()
        assert not at.exception, [e.value for e in at.exception]
        assert at.query_params == {**settings, "lecture": "the-embedding-layer", "step": str(number),
                                   "present": "1"}
    assert step_title(at) == "Sparse gradients" and at.title[1].value == "Gradients and optimisers"
    by_key(at, "lecture_previous").click().run()
    assert step_title(at) == "The input representation"
    assert at.session_state["lookup_sentence"] == "The bank raised its rates."
    by_key(at, "lecture_close").click().run()       # (AppTest then reruns the page it started on)
    assert "lecture" not in at.query_params and not any(b.key == "lecture_next" for b in at.button)
    assert at.session_state["presentation"] is False


def test_a_link_to_a_step_opens_the_lecture_there():
    at = run_page("views/layer_gradients.py", lecture="the-embedding-layer", step="6",
                  gradients_tab="padding_idx")
    assert step_title(at) == r"padding\_idx"
    assert [c.value for c in at.caption][0] == "Step 6 of 22 · The embedding layer"
    at = AppTest.from_file(APP, default_timeout=300)
    at.query_params.update(lecture="no-such-lecture", step="2")
    at.run()
    assert "The link's lecture cannot be opened" in at.warning[0].value
    assert "lecture" not in at.query_params


def test_add_views_then_edit_reorder_remove_and_save_your_lecture():
    at = run_page("views/explore.py", word="frog")
    by_key(at, "lecture_add_view").click().run()
    at.query_params.clear()                     # as a browser's page switch does
    at.switch_page("views/geometry.py").run()
    by_key(at, "lecture_add_view").click().run()
    at.switch_page("views/lecture.py").run()
    assert at.selectbox(key="open").options[-1] == "Your lecture (2 steps, kept in this browser)"
    at.session_state["open"] = "yours"        # (AppTest cannot format this box's label itself)
    at.run()
    assert [b.value for b in at.text_input if b.key.startswith("yours_step_title")] == ["Explore", "Geometry"]
    at.text_input(key="yours_step_title_0_0").input("Frogs *and* toads").run()
    at.text_area(key="yours_talk_0_0").input("Neighbours of a word.").run()
    by_key(at, "yours_down_0").click().run()
    titles = [b.value for b in at.text_input if b.key.startswith("yours_step_title")]
    assert titles == ["Geometry", "Frogs *and* toads"]
    saved = read_lecture(at.session_state["yours"].to_json(), PAGES)
    assert [(s.title, s.page, s.query, s.talking_point) for s in saved.steps] == [
        ("Geometry", "geometry", {}, ""),
        ("Frogs *and* toads", "explore", {"word": "frog"}, "Neighbours of a word.")]
    by_key(at, "yours_remove_0").click().run()
    assert [s.title for s in at.session_state["yours"].steps] == ["Frogs *and* toads"]
    by_key(at, "yours_remove_0").click().run()
    assert at.session_state["yours"] is None
    assert at.info[0].value.startswith("No lecture of yours in this browser yet")


def test_hostile_files_are_refused_field_by_field_and_markup_stays_text(tmp_path):
    at = run_page("views/lecture.py")
    hostile = json.dumps({"format": "embedding-lab-lecture", "version": 1, "title": ["x"],
                          "steps": [{"title": "t", "page": "../../etc/passwd"}]})
    at = open_file(at, hostile.encode())
    errors = [e.value for e in at.error]
    assert errors[0].endswith("is not a lecture this app can show:")
    assert errors[1] == "title: must be text, found a list"
    assert errors[2].startswith("step 1, page: '../../etc/passwd' is not a page of the app")
    assert not [b for b in at.button if b.key == "lecture_open_file"]
    markup = {"format": "embedding-lab-lecture", "version": 1, "title": "<b>Week</b> :red[3] $x$",
              "steps": [{"title": "**bold** [link](http://x)", "page": "explore"}]}
    at = open_file(at, json.dumps(markup).encode())
    by_key(at, "lecture_open_file").click().run()
    assert at.session_state["open"] == "yours"
    assert at.subheader[0].value == md_text(markup["title"])
    button(at, "Present").click().run()
    assert step_title(at) == md_text(markup["steps"][0]["title"])


def open_file(at, data: bytes):
    at.file_uploader(key="lecture_file").set_value(("week.json", data, "application/json"))
    return at.run()


def test_your_lecture_kept_in_the_library_opens_by_its_link(tmp_path, monkeypatch):
    monkeypatch.setenv("EMBEDDING_LAB_LIBRARY", str(tmp_path))
    monkeypatch.setenv("EMBEDDING_LAB_LIBRARY_LECTURES", "1")
    at = run_page("views/retrieval.py")
    by_key(at, "lecture_add_view").click().run()
    at.switch_page("views/lecture.py").run()
    at.text_input(key="lecture_library_name").input("week3").run()
    by_key(at, "lecture_keep").click().run()
    assert at.success[0].value.startswith("Kept in the library")
    assert at.code[0].value.endswith("lecture?open=library%3Aweek3")
    fresh = run_page("views/lecture.py", open="library:week3")
    assert fresh.subheader[0].value == "My lecture"
    assert fresh.table[0].value["page"].tolist() == ["Sentence search"]
