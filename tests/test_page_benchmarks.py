"""Benchmarks page in AppTest: default run equals the engine's scores; restrict; bad source."""
import pytest

from engine.evaluate import evaluate_word_pairs
from tests.apptest import run_page

PAGE = "views/benchmarks.py"


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_defaults_show_all_three_benchmarks(glove):
    at = run_page(PAGE)
    shown = metrics(at)
    assert shown["Accuracy"] == "46.4%"           # gensim: 9,036 of 19,486 at 300,000
    spearman = evaluate_word_pairs(glove, "simlex999").spearman
    assert [m.value for m in at.metric if m.label == "Spearman"][1] == f"{spearman:.3f}"
    assert not at.error


def test_restrict_changes_the_questions_kept():
    at = run_page(PAGE)
    at.number_input[0].set_value(20_000).run()
    assert not at.exception
    assert float(metrics(at)["Questions skipped"].rstrip("%")) > 0.3


def test_position_table_explains_instead_of_failing():
    at = run_page(PAGE, source="minilm-positions")
    assert "no analogy question has all four words" in at.error[0].value
    assert "no pair of wordsim353" in at.error[1].value


@pytest.mark.parametrize("source", ["minilm-tokens"])
def test_token_table_scores(source):
    at = run_page(PAGE, source=source)
    assert float(metrics(at)["Accuracy"].rstrip("%")) > 0
