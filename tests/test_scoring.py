"""Neighbours by cosine, dot product and CSLS against NumPy brute force (tiny table and
GloVe), and the example words that fit any table."""
import numpy as np
import pytest

from engine import geometry
from engine.examples import example_pair, fitting, odd_one_out_example
from engine.scoring import neighbours_by
from engine.vectors import EmbeddingSet


def brute_force(vectors: np.ndarray, row: int, score: str, k: int = 10) -> np.ndarray:
    """(n,) scores of every row against `row`, by the definitions, with plain NumPy."""
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    cosine = unit @ unit.T
    if score == "dot":
        return (vectors @ vectors[row]).astype(np.float64)
    if score == "cosine":
        return cosine[row]
    np.fill_diagonal(cosine, -np.inf)
    r = np.sort(cosine, axis=1)[:, -k:].mean(axis=1)
    return 2 * cosine[row] - r[row] - r


def expected(vectors, row, score, topn, k=10):
    scores = brute_force(vectors, row, score, k).astype(np.float64)
    scores[row] = -np.inf
    order = np.argsort(-scores, kind="stable")[:topn]
    return order, scores[order]


@pytest.mark.parametrize("score", ["cosine", "dot", "csls"])
def test_tiny_table_by_hand(tiny, score):
    # dot with king=(1,1,0): the=2, queen=0, man=1, woman=-1, apple=0 -> the, man first
    penalty = geometry.csls_penalty(geometry.neighbour_graph(tiny, 2)) if score == "csls" else None
    found = neighbours_by(tiny, "king", score, 5, penalty=penalty)
    every = brute_force(tiny.vectors, 1, score, k=2)      # ties (the, man by cosine): check by key
    assert [n.score for n in found] == pytest.approx([every[tiny.key_to_index[n.key]] for n in found],
                                                     abs=1e-6)
    assert [n.score for n in found] == pytest.approx(expected(tiny.vectors, 1, score, 5, k=2)[1], abs=1e-6)
    if score == "dot":
        assert [n.key for n in found][:2] == ["the", "man"]


@pytest.mark.parametrize("score", ["cosine", "dot", "csls"])
def test_glove_first_rows_against_brute_force(glove, score):
    rows = 3000
    vectors = np.asarray(glove.vectors[:rows], dtype=np.float64)
    penalty = geometry.csls_penalty(geometry.neighbour_graph(glove, 10, rows)) if score == "csls" else None
    for word in ("king", "paris", "the"):
        found = neighbours_by(glove, word, score, 10, rows, penalty)
        order, scores = expected(vectors, glove.key_to_index[word], score, 10)
        assert [n.key for n in found] == [glove.index_to_key[i] for i in order]
        assert [n.score for n in found] == pytest.approx(scores, abs=1e-4)


def test_dot_product_favours_long_frequent_vectors(glove):
    cosine = neighbours_by(glove, "frog", "cosine", 10)
    dot = neighbours_by(glove, "frog", "dot", 10)
    assert np.mean([glove.norms[glove.key_to_index[n.key]] for n in dot]) > \
        np.mean([glove.norms[glove.key_to_index[n.key]] for n in cosine])


def test_bad_scores_are_clear_errors(tiny):
    with pytest.raises(ValueError, match="unknown score 'l2'"):
        neighbours_by(tiny, "king", "l2")
    with pytest.raises(ValueError, match="CSLS needs r_k"):
        neighbours_by(tiny, "king", "csls")


def test_examples_fit_the_table(tiny, glove):
    assert odd_one_out_example(glove) == ["breakfast", "cereal", "dinner", "lunch"]
    example = odd_one_out_example(tiny)
    assert len(example) == 4 and all(w in tiny for w in example)
    assert tiny.doesnt_match(example) == example[3]       # the row least like the first
    assert example_pair(glove) == ("king", "prince")
    assert fitting({"royal": ("man", "King"), "fruit": ("apple", "pear")}, tiny) == {"royal": ("man", "King")}
    assert odd_one_out_example(EmbeddingSet(np.eye(3, dtype=np.float32), ["a", "b", "c"], "three")) == []


@pytest.mark.parametrize("score", ["dot", "csls"])
def test_cli_neighbours_by_score(capsys, glove, score):
    import json

    from engine.cli import main

    assert main(["neighbours", "paris", "--score", score, "--restrict", "3000", "--topn", "4", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    order, scores = expected(np.asarray(glove.vectors[:3000], dtype=np.float64),
                             glove.key_to_index["paris"], score, 4)
    assert [n["key"] for n in shown["neighbours"]] == [glove.index_to_key[i] for i in order]
    assert [n["score"] for n in shown["neighbours"]] == pytest.approx(scores, abs=1e-4)
