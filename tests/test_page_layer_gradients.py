"""The Gradients and optimisers page in AppTest: defaults, each tab's main control."""
import json

import pytest

from tests.apptest import run_page
from ui.notice import page_notices


@pytest.fixture(scope="module")
def page():
    return run_page("views/layer_gradients.py")


def metric(at, label_part: str) -> str:
    return next(m.value for m in at.metric if label_part in m.label)


def titles(at) -> list[str]:
    """Chart titles as read, the line breaks that fit them to a phone's width undone."""
    return [json.loads(c.proto.spec)["layout"].get("title", {}).get("text", "").replace("<br>", " ")
            for c in at.get("plotly_chart")]


def test_defaults(page):
    assert [t.label for t in page.tabs] == ["W.grad", "padding_idx", "Optimisers", "Rare tokens"]
    assert not page.error
    # [CLS] the cat chased the other cat . [SEP]: 7 distinct rows, the and cat read twice
    assert metric(page, "rows with a gradient") == "7 of 30,522"
    assert float(metric(page, "sum of its tokens")) < 1e-6
    assert not any("[PAD]" in m.label for m in page.metric)     # only the open tab computes
    (said,) = page_notices(page.session_state)
    assert said.startswith("9 tokens read 7 of 30,522 rows")
    assert "“the” and “cat” were read more than once" in said


def test_other_tabs_from_the_link():
    padding = run_page("views/layer_gradients.py", gradients_tab="padding_idx")
    assert metric(padding, "‖grad of [PAD]‖") == "0"
    assert metric(padding, "[PAD] row, fresh layer") == "0 → 0"
    before_after = metric(padding, "[PAD] row before → after")
    assert f"got a gradient of norm 0 and kept its length ({before_after})" in page_notices(padding.session_state)[0]
    rare = run_page("views/layer_gradients.py", gradients_tab="Rare tokens")
    assert any(t.endswith("of the rows get none") for t in titles(rare))


def test_sentence_changes_the_rows(page):
    page.text_input(key="gradients_sentence").set_value("cat cat cat").run()
    assert not page.exception and not page.error
    assert metric(page, "rows with a gradient") == "3 of 30,522"  # [CLS], cat, [SEP]
    assert page.query_params["gradients_sentence"] == "cat cat cat"
    page.text_input(key="gradients_sentence").set_value(" ").run()
    assert "the sentence is empty" in page.error[0].value


def test_steps_and_marked_tokens():
    optimisers = run_page("views/layer_gradients.py", gradients_tab="Optimisers")
    optimisers.slider(key="optimisers_steps").set_value(2).run()
    assert not optimisers.exception
    said = page_notices(optimisers.session_state)[0]
    assert said.startswith("Rows each optimiser changed at step 2. SGD: ")
    assert "AdamW, decay 0.01: 30,522 (the whole table)" in said
    rare = run_page("views/layer_gradients.py", gradients_tab="Rare tokens")
    rare.text_input(key="rare_words").set_value("the, qwertyuiop").run()
    assert any("not single MiniLM tokens: qwertyuiop" in e.value for e in rare.error)
