"""Comparing two tables: Jaccard by hand, Procrustes recovering a known rotation of GloVe,
and the bad input (no shared keys, different widths)."""
import numpy as np
import pytest

from engine.compare import compare_tables, jaccard, procrustes_rotation, shared_keys
from engine.vectors import EmbeddingSet


def test_jaccard_by_hand():
    assert jaccard(["a", "b", "c"], ["b", "c", "d"]) == pytest.approx(2 / 4)
    assert jaccard(["a", "b"], ["a", "b"]) == 1.0
    assert jaccard(["a"], ["b"]) == 0.0
    assert jaccard([], []) == 1.0


@pytest.fixture(scope="module")
def rotated_glove(glove):
    rotation, _ = np.linalg.qr(np.random.default_rng(5).normal(size=(glove.dim, glove.dim)))
    head = glove.restrict(5_000)
    turned = EmbeddingSet((head.vectors @ rotation).astype(np.float32), head.index_to_key, "turned")
    return head, turned, rotation


def test_procrustes_recovers_a_known_rotation_of_glove(rotated_glove):
    head, turned, rotation = rotated_glove
    np.testing.assert_allclose(procrustes_rotation(head.unit, turned.unit), rotation, atol=1e-5)
    result = compare_tables(head, turned, k=10, limit=2_000)
    np.testing.assert_allclose(result.rotation, rotation, atol=1e-5)
    assert result.mean_residual < 1e-5 and result.mean_jaccard > 0.999   # float32 near-ties


def test_signed_permutation_rotation_keeps_every_neighbourhood(glove):
    # a rotation made of swaps and sign flips is exact in floating point: every cosine
    # is bit-for-bit the same, so every neighbour list must be too
    rng = np.random.default_rng(9)
    rotation = np.eye(glove.dim)[rng.permutation(glove.dim)] * rng.choice([-1.0, 1.0], glove.dim)
    if np.linalg.det(rotation) < 0:
        rotation[0] *= -1                                     # a proper rotation, det +1
    head = glove.restrict(3_000)
    turned = EmbeddingSet((head.vectors @ rotation).astype(np.float32), head.index_to_key, "turned")
    for k in (1, 5, 10, 50, 200):
        result = compare_tables(head, turned, k=k, limit=3_000)
        assert (result.jaccard == 1.0).all(), k
        assert result.mean_residual < 1e-6
    np.testing.assert_allclose(result.rotation, rotation, atol=1e-6)


def test_per_word_overlap_matches_hand_made_lists(tiny):
    # swap man and woman in b: king's 2 nearest in a are the, man; in b the, woman
    keys = tiny.index_to_key
    swapped = tiny.vectors[[0, 1, 2, 4, 3, 5]]
    b = EmbeddingSet(swapped, keys, "swapped")
    result = compare_tables(tiny, b, k=2, limit=6)
    names = lambda table, word: [n.key for n in table.most_similar(word, topn=2)]  # noqa: E731
    for key, score in zip(result.keys, result.jaccard):
        assert score == pytest.approx(jaccard(names(tiny, key), names(b, key))), key
    most = result.most_changed(2)
    assert most[0].jaccard == result.jaccard.min()
    assert result.least_changed(1)[0].jaccard == result.jaccard.max()


def test_shared_keys_in_first_tables_order(tiny):
    other = EmbeddingSet(tiny.vectors[:3][::-1].copy(), ["queen", "king", "zebra"], "other")
    assert shared_keys(tiny, other) == ["king", "queen"]


def test_different_widths_compare_neighbours_only(glove, rotated_glove):
    head, _, _ = rotated_glove
    narrow = EmbeddingSet(np.ascontiguousarray(head.vectors[:, :20]), head.index_to_key, "narrow")
    result = compare_tables(head, narrow, k=10, limit=1_000)
    assert result.residual is None and 0 < result.mean_jaccard < 1
    assert result.to_dict()["procrustes_residual"] is None
    with pytest.raises(ValueError, match="same width; got 50 and 20 dimensions"):
        procrustes_rotation(head.unit, narrow.unit)


def test_no_shared_keys(tiny):
    other = EmbeddingSet(tiny.vectors, [f"x{i}" for i in range(6)], "other")
    with pytest.raises(ValueError, match="tiny and other share no keys"):
        compare_tables(tiny, other)
    with pytest.raises(ValueError, match="k must be a whole number from 1 to 5; got 9"):
        compare_tables(tiny, tiny, k=9)
