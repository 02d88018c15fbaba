"""Analogies and word arithmetic: parsing, paper answers, batched search vs brute force."""
import numpy as np
import pytest

from engine.analogy import Arithmetic, batch_3cosadd, check_distinct, parse_arithmetic, solve_analogy, solve_arithmetic
from engine.vectors import unit_rows


@pytest.mark.parametrize("text, expected", [
    ("king - man + woman", Arithmetic(("king", "woman"), ("man",))),
    ("king-man+woman", Arithmetic(("king", "woman"), ("man",))),
    ("  paris  ", Arithmetic(("paris",), ())),
    ("well-known - known", Arithmetic(("well-known",), ("known",))),
    ("- man + king", Arithmetic(("king",), ("man",))),
    ("king \u2212 man + woman", Arithmetic(("king", "woman"), ("man",))),   # the minus sign
    ("woman\u2212man", Arithmetic(("woman",), ("man",))),
])
def test_parse_arithmetic(text, expected):
    assert parse_arithmetic(text) == expected


@pytest.mark.parametrize("text, message", [
    ("king - - woman", "two operators in a row"),
    ("king man", "no \\+ or - before 'man'"),
    ("king +", "ends with an operator"),
    ("", "the formula is empty"),
    ("   ", "the formula is empty"),
    ("- man", "has no word with a \\+ sign"),
])
def test_malformed_arithmetic(text, message):
    with pytest.raises(ValueError, match=message):
        parse_arithmetic(text)


def test_repeated_word_in_analogy(tiny):
    with pytest.raises(ValueError, match="'king' appears twice"):
        solve_analogy(tiny, "king", "man", "king")
    check_distinct(["a", "b", "c"])


def test_unknown_method(tiny):
    with pytest.raises(ValueError, match="unknown analogy method 'sub'"):
        solve_analogy(tiny, "man", "king", "woman", method="sub")


def test_solve_on_paper(tiny):
    assert solve_analogy(tiny, "man", "king", "woman", topn=1)[0].key == "queen"
    assert solve_analogy(tiny, "man", "king", "woman", method="mul", topn=1)[0].key == "queen"
    assert solve_arithmetic(tiny, "king - man + woman", topn=1)[0].key == "queen"


def test_without_exclusion_the_input_wins_on_glove(glove):
    included = solve_analogy(glove, "man", "king", "woman", topn=3, exclude_inputs=False)
    excluded = solve_analogy(glove, "man", "king", "woman", topn=3)
    assert included[0].key == "king"
    assert excluded[0].key == "queen"


def test_gold_rank(glove):
    assert glove.rank_in_query("queen", ["king", "woman"], ["man"]) == 1
    assert glove.rank_in_query("king", ["king", "woman"], ["man"]) is None
    assert glove.rank_in_query("king", ["king", "woman"], ["man"], exclude_inputs=False) == 1


def test_batch_equals_brute_force_on_random_table():
    rng = np.random.default_rng(1)
    unit = unit_rows(rng.standard_normal((5000, 16)))
    questions = rng.integers(0, 5000, size=(300, 3))
    questions = questions[[len(set(q)) == 3 for q in questions]]
    answers = batch_3cosadd(unit, questions, block=32, tile=700)
    for (a, b, c), best, margin in zip(questions, answers.best, answers.margin):
        scores = unit @ (unit[b] + unit[c] - unit[a])
        scores /= np.linalg.norm(unit[b] + unit[c] - unit[a])
        scores[[a, b, c]] = -np.inf
        order = np.argsort(-scores)
        assert best == order[0]
        assert margin == pytest.approx(scores[order[0]] - scores[order[1]], abs=1e-5)


def test_batch_reports_progress():
    unit = unit_rows(np.random.default_rng(2).standard_normal((100, 4)))
    calls = []
    batch_3cosadd(unit, np.array([[0, 1, 2]] * 10), block=4, progress=lambda d, t: calls.append((d, t)))
    assert calls == [(4, 10), (8, 10), (10, 10)]


def test_batch_csls_equals_the_formula_on_random_table():
    rng = np.random.default_rng(3)
    unit = unit_rows(rng.standard_normal((3000, 12)))
    penalty = rng.uniform(0, 0.5, 3000).astype(np.float32)
    questions = np.array([q for q in rng.integers(0, 3000, size=(200, 3)) if len(set(q)) == 3])
    answers = batch_3cosadd(unit, questions, block=16, tile=500, csls_penalty=penalty)
    for (a, b, c), best in zip(questions, answers.best):
        query = unit[b] + unit[c] - unit[a]
        csls = 2 * unit @ (query / np.linalg.norm(query)) - penalty
        csls[[a, b, c]] = -np.inf
        assert best == np.argmax(csls)
