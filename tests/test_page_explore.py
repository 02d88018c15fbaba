"""Explore page in AppTest: defaults, typing a word, bad words, the URL, other sources."""
import pytest

from tests.apptest import run_page


def open_explore(**query):
    return run_page(None, **query)


def neighbour_words(at) -> list[str]:
    return at.dataframe[0].value["word"].tolist()


def test_defaults_show_neighbours_of_king():
    at = open_explore()
    assert neighbour_words(at)[:2] == ["prince", "queen"]
    assert not at.error


def test_typing_a_word_updates_neighbours_and_url():
    at = open_explore()
    at.text_input[0].set_value("frog").run()
    assert not at.exception
    assert neighbour_words(at)[0] == "snake"
    assert at.query_params["word"] in ("frog", ["frog"])


def test_word_from_the_link():
    at = open_explore(word="paris")
    assert "france" in neighbour_words(at)[:3]


def test_unknown_word_is_one_clear_error():
    at = open_explore()
    at.text_input[0].set_value("kingg").run()
    assert not at.exception
    assert "'kingg' is not in the vocabulary" in at.error[0].value
    assert "king" in at.error[0].value


def test_compare_and_odd_one_out():
    at = open_explore()
    text = " ".join(m.value for m in at.markdown)
    assert "cereal" in text and "fits least" in text
    metrics = {m.label: m.value for m in at.metric}
    assert float(metrics["Cosine similarity"]) == pytest.approx(0.8236, abs=1e-3)   # king–prince


def test_minilm_token_table():
    at = open_explore(source="minilm-tokens")
    assert neighbour_words(at)[0] == "kings"


def test_unknown_source_in_link_falls_back_with_a_warning():
    at = open_explore(source="nope")
    assert not at.exception
    assert "not available" in at.warning[0].value
    assert neighbour_words(at)[0] == "prince"


def test_odd_one_out_of_a_typed_list():
    at = open_explore()
    at.text_input(key="explore_odd_words").set_value("paris, london, berlin, banana").run()
    assert not at.exception
    assert "**banana** fits least" in " ".join(m.value for m in at.markdown)


def test_odd_one_out_with_an_unknown_word_keeps_the_neighbours():
    at = open_explore()
    at.text_input(key="explore_odd_words").set_value("paris, londonn, berlin").run()
    assert "'londonn' is not in the vocabulary" in at.error[0].value
    assert neighbour_words(at)[0] == "prince"
