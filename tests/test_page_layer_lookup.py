"""The Lookup page in AppTest: defaults, presets, a second sentence, bad input."""
import pytest

from tests.apptest import run_page
from ui.notice import page_notices

PAGE = "views/layer_lookup.py"


@pytest.fixture(scope="module")
def page():
    return run_page(PAGE)


def metric(at, label_part: str) -> str:
    return next(m.value for m in at.metric if label_part in m.label)


def test_defaults_show_every_part(page):
    assert [t.label for t in page.tabs] == ["Rows", "One-hot · W", "Same id, same row", "BERT's input"]
    assert not page.error
    assert list(page.dataframe[0].value["token"]) == ["[CLS]", "the", "cat", "sat", ".", "[SEP]"]
    assert len(page.get("plotly_chart")) == 1                   # only the open tab computes
    assert page_notices(page.session_state) == [
        "6 tokens select 6 of 30,522 rows: the layer's output is 6 × 384 numbers, read without a multiplication."]
    one_hot = run_page(PAGE, lookup_tab="One-hot · W")
    assert metric(one_hot, "one-hot · W|") == "0"
    slower = metric(one_hot, "slower by")
    assert page_notices(one_hot.session_state)[0].startswith("One-hot · W gave exactly the rows indexing reads")
    assert page_notices(one_hot.session_state)[0].endswith(f"and took {slower} as long.")
    bert = run_page(PAGE, lookup_tab="BERT's input")
    assert float(metric(bert, "by hand vs transformers")) < 1e-5
    assert page_notices(bert.session_state)[0].endswith(
        f"differs by at most {metric(bert, 'by hand vs transformers')}.")


def test_preset_fills_both_sentences_and_the_url(page):
    page.button_group[0].set_value("The bank raised its rates.").run()
    assert not page.exception and not page.error
    assert page.text_input[1].value == "I sat on the river bank."
    segments = list(page.dataframe[0].value["segment"])
    assert segments[0] == 0 and segments[-1] == 1
    assert page.query_params["lookup_second"] == "I sat on the river bank."


def test_bad_input_is_one_line():
    page = run_page(PAGE, lookup_tab="Same id, same row")
    assert metric(page, "between the rows") == "0"
    page.text_input[0].set_value("   ").run()
    assert not page.exception
    assert "the sentence is empty" in page.error[0].value
    page.text_input[0].set_value("word " * 600).run()
    assert "MiniLM has 512 positions" in page.error[0].value
    page.text_input[0].set_value("The cat sat.").run()
    page.text_input[2].set_value("subwordy").run()
    assert not page.exception
    assert "not one MiniLM token" in page.error[0].value


def test_bad_sentence_keeps_the_token_box_working():
    page = run_page(PAGE, lookup_tab="Same id, same row")
    page.text_input(key="lookup_sentence").set_value("   ").run()
    page.text_input(key="lookup_static_token").set_value("bank").run()
    assert not page.exception
    assert len(page.error) == 1 and "the sentence is empty" in page.error[0].value, [e.value for e in page.error]
    assert metric(page, "between the rows") == "0"
