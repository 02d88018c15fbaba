"""Benchmarks page in AppTest: default run equals the engine's scores; restrict; coverage
shown and warned about; the chosen benchmark and sections kept in the URL; other sources."""
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
    assert shown["Questions answered"] == "99.7%"  # 19,486 of 19,544
    spearman = evaluate_word_pairs(glove, "simlex999").spearman
    assert [m.value for m in at.metric if m.label == "Spearman"][1] == f"{spearman:.3f}"
    assert not at.error and not at.warning


def test_few_questions_answered_is_said_next_to_the_accuracy():
    at = run_page(PAGE, restrict_vocab="1000")
    shown = metrics(at)
    assert shown["Accuracy"] == "74.3%" and shown["Questions answered"] == "0.8%"   # 110 of 148, of 19,544
    assert "Only 148 of 19,544 questions (0.8%)" in at.warning[0].value
    assert "Only 53 pairs" in at.warning[1].value and "Only 59 pairs" in at.warning[2].value


def test_restrict_changes_the_questions_kept():
    at = run_page(PAGE, benchmark="analogies")
    at.number_input(key="restrict_vocab").set_value(20_000).run()
    assert not at.exception
    assert float(metrics(at)["Questions answered"].rstrip("%")) < 99.7
    assert at.query_params["restrict_vocab"] == "20000"


def test_chosen_benchmark_and_sections_from_the_link():
    at = run_page(PAGE, benchmark="simlex999", restrict_vocab="20000")
    assert [s.value for s in at.subheader] == ["SimLex-999"] and "Accuracy" not in metrics(at)
    at = run_page(PAGE, benchmark="analogies", sections="syntactic", restrict_vocab="20000")
    assert at.radio(key="sections").value == "syntactic"
    assert "Spearman" not in metrics(at)


@pytest.mark.parametrize("source", ["minilm-positions", "karate-club"])
def test_a_table_without_words_says_so_plainly_without_an_error(source):
    at = run_page(PAGE, source=source)
    assert not at.error
    assert "No analogy question has all four words" in at.info[0].value
    assert "No pair of wordsim353" in at.info[1].value


@pytest.mark.parametrize("source", ["minilm-tokens"])
def test_token_table_scores(source):
    at = run_page(PAGE, source=source)
    assert float(metrics(at)["Accuracy"].rstrip("%")) > 0
