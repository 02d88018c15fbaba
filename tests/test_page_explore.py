"""Explore page in AppTest: defaults, typing a word, bad words, the URL, other sources,
controls that keep their own values, the three scores, a fastText table's unseen words."""
import numpy as np
import pytest

from engine.vectors import EmbeddingSet
from tests.apptest import run_page, run_with_table


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
    at.text_input(key="word").set_value("frog").run()
    assert not at.exception
    assert neighbour_words(at)[0] == "snake"
    assert at.query_params["word"] in ("frog", ["frog"])


def test_word_from_the_link():
    at = open_explore(word="paris")
    assert "france" in neighbour_words(at)[:3]


def test_unknown_word_is_one_clear_error():
    at = open_explore()
    at.text_input(key="word").set_value("kingg").run()
    assert not at.exception
    assert "'kingg' is not in the vocabulary" in at.error[0].value
    assert "king" in at.error[0].value


def test_capitalised_word_is_found_in_lower_case():
    at = open_explore()
    at.text_input(key="word").set_value("Paris").run()
    assert "france" in neighbour_words(at)[:3]
    assert any("“Paris” as “paris”" in c.value for c in at.caption)


def test_compare_and_odd_one_out():
    at = open_explore()
    text = " ".join(m.value for m in at.caption)
    assert "cereal" in text and "fits least" in text
    metrics = {m.label: m.value for m in at.metric}
    assert float(metrics["Cosine similarity"]) == pytest.approx(0.8236, abs=1e-3)   # king–prince


def test_a_new_word_leaves_the_compare_words_alone():
    at = open_explore()
    at.text_input(key="first").set_value("cat").run()
    at.text_input(key="second").set_value("Dog").run()
    at.text_input(key="word").set_value("frog").run()
    assert at.text_input(key="first").value == "cat" and at.text_input(key="second").value == "Dog"
    assert at.query_params["first"] == "cat" and at.query_params["second"] == "Dog"
    metrics = {m.label: m.value for m in at.metric}
    assert float(metrics["Cosine similarity"]) == pytest.approx(0.9218, abs=1e-3)   # cat–dog


def test_an_unknown_compare_word_keeps_the_neighbours_and_the_odd_one_out():
    at = open_explore()
    at.text_input(key="second").set_value("dogzq").run()
    assert "'dogzq' is not in the vocabulary" in at.error[0].value
    assert neighbour_words(at)[0] == "prince"
    assert "fits least" in " ".join(m.value for m in at.caption)


def test_minilm_token_table_numbers_rows_by_token_id():
    at = open_explore(source="minilm-tokens")
    assert neighbour_words(at)[0] == "kings"
    assert not at.error
    metric = next(m for m in at.metric if m.label.startswith("Token id"))
    from engine.sources import load_builtin
    assert metric.value == f"{load_builtin('minilm-tokens').key_to_index['king']:,}"   # 0-based
    assert "token id" in at.dataframe[0].value.columns


@pytest.mark.parametrize("source", ["minilm-positions", "karate-club"])
def test_every_builtin_source_opens_without_an_error(source):
    at = open_explore(source=source)
    assert not at.error and neighbour_words(at)
    assert "fits least" in " ".join(m.value for m in at.caption)


def test_position_table_shows_positions_from_zero():
    at = open_explore(source="minilm-positions", word="0")
    assert next(m for m in at.metric if m.label.startswith("Position")).value == "0"


def test_unknown_source_in_link_falls_back_with_a_warning():
    at = open_explore(source="nope")
    assert not at.exception
    assert "not available" in at.warning[0].value
    assert neighbour_words(at)[0] == "prince"


def test_odd_one_out_of_a_typed_list():
    at = open_explore()
    at.text_input(key="odd").set_value("Paris, london, berlin, banana").run()
    assert not at.exception
    assert "**banana** fits least" in " ".join(m.value for m in at.caption)


def test_odd_one_out_with_an_unknown_word_keeps_the_neighbours():
    at = open_explore()
    at.text_input(key="odd").set_value("paris, londonn, berlin").run()
    assert "'londonn'" in at.error[0].value
    assert neighbour_words(at)[0] == "prince"


GREEK = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"]
GREEK_VECTORS = np.random.default_rng(0).normal(size=(8, 4)).astype(np.float32)


def test_an_uploaded_table_gets_examples_it_has():
    at = run_with_table(None, EmbeddingSet(GREEK_VECTORS, GREEK, "greek", frequency_ordered=False))
    assert not at.error
    assert neighbour_words(at) and "fits least" in " ".join(m.value for m in at.caption)


@pytest.mark.parametrize("score, label", [("dot", "dot product"), ("csls", "CSLS")])
def test_score_by_dot_product_and_csls(score, label):
    at = open_explore(score=score, restrict="5000", word="paris")
    assert not at.error
    shown = at.dataframe[0].value
    from engine import geometry
    from engine.scoring import neighbours_by
    from engine.sources import load_builtin
    glove = load_builtin("glove-6b-50d")
    penalty = geometry.csls_penalty(geometry.neighbour_graph(glove, 10, 5000)) if score == "csls" else None
    expected = neighbours_by(glove, "paris", score, 10, 5000, penalty)
    assert shown["word"].tolist() == [n.key for n in expected]
    assert shown[label].tolist() == pytest.approx([n.score for n in expected], abs=1e-4)


def test_a_word_without_a_row_shows_the_neighbours_of_its_built_vector():
    """A fastText-like table builds vectors for unseen words (here from the first letter)."""
    def built(word: str) -> np.ndarray:
        return GREEK_VECTORS[:2].sum(axis=0) + ord(word[0]) / 100
    table = EmbeddingSet(GREEK_VECTORS, GREEK, "greek-ft", frequency_ordered=False, oov_vector=built)
    at = run_with_table(None, table, word="omega", topn="3")
    assert not at.error
    query = built("omega") / np.linalg.norm(built("omega"))
    cosines = GREEK_VECTORS @ query / np.linalg.norm(GREEK_VECTORS, axis=1)
    assert neighbour_words(at) == [GREEK[i] for i in np.argsort(-cosines)[:3]]
    assert any("character n-grams" in i.value for i in at.info)
    assert next(m for m in at.metric if m.label.startswith("Row id")).value == "none"


@pytest.mark.slow
def test_a_loaded_fasttext_bin_shows_an_unseen_words_neighbours():
    from engine.evaluate import gensim_datapath
    from engine.readers import read_vectors

    table = read_vectors(gensim_datapath("lee_fasttext_new.bin"), format="fasttext-bin")
    assert "nightskating" not in table
    at = run_with_table(None, table, word="nightskating")
    expected = table.most_similar("nightskating", topn=10)
    assert not at.error and neighbour_words(at) == [n.key for n in expected]
    assert any("character n-grams" in i.value for i in at.info)


def test_switching_to_a_table_without_the_words_opens_on_its_own_examples():
    at = open_explore()
    at.text_input(key="word").set_value("frog").run()
    at.text_input(key="first").set_value("cat").run()
    at.selectbox(key="source").set_value("minilm-positions").run()
    assert not at.error and neighbour_words(at)
    assert at.text_input(key="word").value == "5" and at.text_input(key="first").value == "5"
    at.selectbox(key="source").set_value("minilm-tokens").run()     # "5" was the position table's
    assert not at.error and at.text_input(key="word").value == "king"  # example: the tokens' own
    at.text_input(key="word").set_value("frog").run()
    at.selectbox(key="source").set_value("glove-6b-50d").run()
    assert at.text_input(key="word").value == "frog"      # typed, and GloVe has it: kept
    assert at.query_params["word"] == "frog" and "first" not in at.query_params
