"""Analogies page in AppTest: defaults, presets, the exclusion pitfall, arithmetic, bad input."""
from tests.apptest import run_page

PAGE = "views/analogies.py"


def answers(at) -> list[str]:
    return at.dataframe[0].value["answer"].tolist()


def test_defaults_answer_queen_with_gold_rank_1():
    at = run_page(PAGE)
    assert answers(at)[0] == "queen"
    assert any("ranks **1**" in m.value for m in at.markdown)
    assert not at.error


def test_preset_changes_the_question():
    at = run_page(PAGE)
    at.selectbox(key="analogy_preset").set_value("france : paris :: italy : ?").run()
    assert not at.exception
    assert answers(at)[0] == "rome"


def test_not_excluding_inputs_shows_the_pitfall():
    at = run_page(PAGE)
    next(t for t in at.toggle if t.label.startswith("Leave the input words out")).set_value(False).run()
    assert answers(at)[0] == "king"
    assert "input word is among the answers" in at.warning[0].value


def test_3cosmul():
    at = run_page(PAGE)
    at.radio[0].set_value("3CosMul (Levy & Goldberg)").run()
    assert answers(at)[0] == "queen"


def test_words_from_the_link():
    at = run_page(PAGE, a="france", b="paris", c="japan")
    assert answers(at)[0] == "tokyo"


def test_repeated_word_and_unknown_word_are_errors():
    at = run_page(PAGE)
    at.text_input(key="analogy_c").set_value("man").run()
    assert "'man' appears twice" in at.error[0].value
    at.text_input(key="analogy_c").set_value("womann").run()
    assert "'womann' is not in the vocabulary" in at.error[0].value
    assert not at.exception


def test_malformed_arithmetic_is_an_error():
    at = run_page(PAGE)
    formula = [t for t in at.text_input if t.label.startswith("Formula")][0]
    formula.set_value("king - - woman").run()
    assert "two operators in a row" in at.error[0].value
