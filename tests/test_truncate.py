"""Truncation: the cut by NumPy, neighbours against gensim, and the effect on GloVe
(full width changes nothing; cutting GloVe loses real quality)."""
import numpy as np
import pytest

from engine.evaluate import evaluate_word_analogies, evaluate_word_pairs
from engine.truncate import default_dims, nearest_rows, neighbour_overlap, truncate, truncation_effect
from engine.vectors import EmbeddingSet


def test_truncate_tiny_by_hand(tiny):
    short = truncate(tiny, 2)
    expected = np.array([[1, 0], [1, 1], [1, -1], [0, 1], [0, -1], [0, 0]], np.float32)
    expected[1:3] /= np.sqrt(2)
    np.testing.assert_allclose(short.vectors, expected, rtol=1e-6)
    assert short.name == "tiny-first2" and short.index_to_key == tiny.index_to_key
    assert short.norms[-1] == 0          # apple = (0, 0, 1) loses its only direction
    with pytest.raises(ValueError, match="dims must be a whole number from 1 to 3; got 4"):
        truncate(tiny, 4)


def test_nearest_rows_match_gensim(glove, glove_gensim):
    words = ["king", "frog", "computer", "paris"]
    rows = np.array([glove.key_to_index[w] for w in words])
    found = nearest_rows(glove, rows, 10, 50_000)
    for word, line in zip(words, found):
        expected = [k for k, _ in glove_gensim.most_similar(word, topn=10, restrict_vocab=50_000)]
        assert [glove.index_to_key[i] for i in line] == expected


def test_overlap_by_hand(tiny):
    # in 3-D, king's 2 nearest (cosine, itself out): the (2,0,0) row and man; in the first
    # 1 dimension king, queen and the are all (1) or (2): ties at cosine 1
    rows = np.array([tiny.key_to_index["king"]])
    full_neighbours = [tiny.index_to_key[i] for i in nearest_rows(tiny, rows, 2, 6)[0]]
    assert full_neighbours == ["the", "man"]
    assert neighbour_overlap(tiny, truncate(tiny, 3), rows, k=2, restrict=6)[0] == 1.0


def test_effect_on_glove(glove):
    effect = truncation_effect(glove, [10, 50], probes=100, k=10, restrict=20_000)
    cut, full = effect.points
    assert full.neighbour_overlap == 1.0
    assert full.wordsim353_spearman == pytest.approx(evaluate_word_pairs(glove, "wordsim353").spearman,
                                                     abs=1e-6)
    assert full.simlex999_spearman == pytest.approx(evaluate_word_pairs(glove, "simlex999").spearman,
                                                    abs=1e-6)
    assert cut.neighbour_overlap < 0.5                  # GloVe was not trained for truncation
    assert cut.wordsim353_spearman < full.wordsim353_spearman - 0.05
    raw_cut = EmbeddingSet(np.ascontiguousarray(glove.vectors[:, :10]), glove.index_to_key, "raw")
    assert cut.wordsim353_spearman == pytest.approx(evaluate_word_pairs(raw_cut, "wordsim353").spearman,
                                                    abs=1e-6)     # re-normalising changes no cosine
    assert full.analogy_accuracy is None
    assert effect.to_dict()["points"][0]["dims"] == 10


def test_analogies_at_full_width_are_unchanged(glove):
    effect = truncation_effect(glove, [50], probes=10, analogies=True, analogy_restrict=5_000)
    assert effect.points[0].analogy_accuracy == pytest.approx(
        evaluate_word_analogies(glove, restrict_vocab=5_000).accuracy)


def test_tables_without_pair_words_score_none():
    from engine.sources import load_builtin

    effect = truncation_effect(load_builtin("minilm-positions"), [64], probes=20, restrict=512)
    assert effect.points[0].wordsim353_spearman is None
    assert 0 <= effect.points[0].neighbour_overlap <= 1


def test_default_dims():
    assert default_dims(50) == [5, 10, 20, 30, 40, 50]
    assert default_dims(3) == [1, 2, 3]


def test_cli_truncate_json(capsys):
    import json

    from engine.cli import main

    assert main(["truncate", "--dims", "50", "--probes", "20", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["points"][0]["dims"] == 50 and result["points"][0]["neighbour_overlap"] == 1.0
    assert main(["truncate", "--dims", "60"]) == 2
    assert "dims must be a whole number from 1 to 50; got 60" in capsys.readouterr().err


def test_defaults_clamp_to_a_small_table():
    rng = np.random.default_rng(1)
    twelve = EmbeddingSet(rng.standard_normal((12, 4)).astype(np.float32), [f"w{i}" for i in range(12)], "twelve")
    effect = truncation_effect(twelve, [2, 4])
    assert (effect.probes, effect.k, effect.restrict) == (12, 10, 12)
    assert effect.notes == ("12 probe words, not 500: the table has only 12 rows",)
    assert effect.points[-1].neighbour_overlap == 1.0
    five = EmbeddingSet(twelve.vectors[:5], twelve.index_to_key[:5], "five")
    effect = truncation_effect(five, [4])
    assert (effect.probes, effect.k) == (5, 4) and len(effect.notes) == 2
    with pytest.raises(ValueError, match="probes must be a whole number from 1 to 12"):
        truncation_effect(twelve, [2], probes=500)          # asked for: refused, not clamped


def test_the_effect_sentence_follows_its_numbers():
    from engine.truncate import TruncationEffect, TruncationPoint, describe_effect

    points = tuple(TruncationPoint(d, o, w, None, None, 0.0) for d, o, w in
                   [(5, 0.02, 0.34), (30, 0.56, 0.56), (50, 1.0, 0.50)])
    said = describe_effect(TruncationEffect("t", 500, 10, 50_000, points))
    assert said == ("Of the 10 nearest neighbours of 500 frequent words, t keeps 2% at 5, 56% at 30 of 50 "
                    "dimensions. WordSim-353 ρ: 0.50 at 50, 0.34 at 5, highest at 30 (0.56).")
    monotone = tuple(TruncationPoint(d, o, w, None, None, 0.0) for d, o, w in [(5, 0.1, 0.2), (50, 1.0, 0.5)])
    assert describe_effect(TruncationEffect("t", 500, 10, 50_000, monotone)).endswith("0.50 at 50, 0.20 at 5.")
