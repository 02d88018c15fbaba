"""Analogies page in AppTest: defaults, presets, the exclusion pitfall, arithmetic, bad input,
each box's error kept in place, case, the URL, and tables without the examples' words."""
import numpy as np
import pytest

from engine.vectors import EmbeddingSet
from tests.apptest import run_page, run_with_table

PAGE = "views/analogies.py"


def answers(at) -> list[str]:
    return at.dataframe[0].value["answer"].tolist()


def arithmetic_line(at) -> str:
    return next(m.value for m in at.markdown if " · " in m.value)


def test_defaults_answer_queen_with_gold_rank_1():
    at = run_page(PAGE)
    assert answers(at)[0] == "queen"
    assert any("ranks **1**" in m.value for m in at.caption)
    assert arithmetic_line(at).startswith("**queen**")
    assert not at.error


def test_preset_changes_the_question_and_the_url():
    at = run_page(PAGE)
    at.selectbox(key="preset").set_value("france : paris :: italy : ?").run()
    assert not at.exception
    assert answers(at)[0] == "rome"
    assert any("“rome” ranks **1**" in m.value for m in at.caption)
    assert at.query_params["preset"] == "france : paris :: italy : ?"


def test_not_excluding_inputs_shows_the_pitfall():
    at = run_page(PAGE)
    at.toggle(key="exclude").set_value(False).run()
    assert answers(at)[0] == "king"
    assert "With the inputs allowed, “king” (B) at rank 1" in at.warning[0].value
    assert at.query_params["exclude"] == "false"


def test_3cosmul():
    at = run_page(PAGE)
    at.radio(key="analogy_method").set_value("mul").run()
    assert answers(at)[0] == "queen"
    assert at.query_params["analogy_method"] == "mul"


def test_words_from_the_link():
    at = run_page(PAGE, a="france", b="paris", c="japan")
    assert answers(at)[0] == "tokyo"
    assert not any("Expected" in m.value for m in at.markdown)     # the preset's answer is not theirs


def test_whole_view_from_the_link():
    at = run_page(PAGE, a="walk", b="walked", c="swim", gold="Swam", analogy_method="mul", exclude="false",
                  answers="7", formula="paris − france + japan")
    assert len(answers(at)) == 7 and at.radio(key="analogy_method").value == "mul"
    assert at.toggle(key="exclude").value is False
    assert any("Expected “swam” ranks" in m.value for m in at.caption)
    assert arithmetic_line(at).startswith("**tokyo**") or "tokyo" in arithmetic_line(at)


def test_repeated_word_and_unknown_word_are_errors():
    at = run_page(PAGE)
    at.text_input(key="c").set_value("man").run()
    assert "'man' appears twice" in at.error[0].value
    at.text_input(key="c").set_value("womann").run()
    assert "'womann' is not in the vocabulary" in at.error[0].value
    assert not at.exception


def test_an_unknown_word_keeps_the_arithmetic():
    at = run_page(PAGE)
    at.text_input(key="b").set_value("kingzq").run()
    assert len(at.error) == 1 and "'kingzq'" in at.error[0].value
    assert arithmetic_line(at).startswith("**queen**")


def test_a_capitalised_expected_answer_is_found():
    at = run_page(PAGE)
    at.text_input(key="gold").set_value("Queen").run()
    assert not at.error
    assert answers(at)[0] == "queen"
    assert any("“queen” ranks **1**" in m.value for m in at.caption)


def test_capitalised_inputs_and_the_unicode_minus():
    at = run_page(PAGE)
    at.text_input(key="a").set_value("Man").run()
    assert answers(at)[0] == "queen"
    at.text_input(key="formula").set_value("Paris − France + Italy").run()
    assert not at.error
    assert arithmetic_line(at).startswith("**rome**")


def test_malformed_arithmetic_is_an_error():
    at = run_page(PAGE)
    at.text_input(key="formula").set_value("king - - woman").run()
    assert "two operators in a row" in at.error[0].value
    assert answers(at)[0] == "queen"


@pytest.mark.parametrize("source", ["minilm-tokens", "minilm-positions", "karate-club"])
def test_every_builtin_source_opens_without_an_error(source):
    at = run_page(PAGE, source=source)
    assert not at.error


def test_a_table_without_the_examples_says_so_plainly():
    words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"]
    table = EmbeddingSet(np.random.default_rng(1).normal(size=(6, 3)).astype(np.float32), words, "greek")
    at = run_with_table(PAGE, table)
    assert not at.error
    assert "None of the example analogies" in at.info[0].value
    at.text_input(key="a").set_value("alpha").run()
    at.text_input(key="b").set_value("beta").run()
    at.text_input(key="c").set_value("Gamma").run()
    assert not at.error and answers(at)


def test_switching_to_a_table_without_the_words_says_so_without_errors():
    at = run_page(PAGE)
    at.selectbox(key="source").set_value("minilm-positions").run()
    assert not at.error
    assert "None of the example analogies" in at.info[0].value
    assert at.text_input(key="a").value == "" and at.text_input(key="formula").value == ""


def test_a_typed_question_drops_the_examples_expected_answer():
    at = run_page(PAGE)
    for key, word in zip("abc", ("paris", "france", "tokyo")):
        at.text_input(key=key).set_value(word).run()
        assert at.text_input(key="gold").value == ""
    assert answers(at)[0] == "japan" and not any("ranks" in m.value for m in at.markdown)
    assert "gold" not in at.query_params
    at.text_input(key="gold").set_value("japan").run()
    assert at.query_params["gold"] == "japan"
    at.text_input(key="c").set_value("berlin").run()
    assert at.text_input(key="gold").value == "japan"     # the visitor's own: kept
