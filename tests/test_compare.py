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


def hsic_cka(x: np.ndarray, y: np.ndarray) -> float:
    """Linear CKA the direct way (Kornblith et al. 2019, eq. 3-4): n × n Gram matrices K = XXᵀ,
    L = YYᵀ, centred by H = I − 11ᵀ/n, CKA = tr(KHLH) / √(tr(KHKH) tr(LHLH))."""
    n = x.shape[0]
    h = np.eye(n) - np.ones((n, n)) / n
    kx, ky = h @ (x @ x.T) @ h, h @ (y @ y.T) @ h
    return float(np.trace(kx @ ky) / np.sqrt(np.trace(kx @ kx) * np.trace(ky @ ky)))


def test_linear_cka_is_the_direct_formula():
    from engine.compare import linear_cka

    rng = np.random.default_rng(5)
    x, y = rng.standard_normal((30, 6)), rng.standard_normal((30, 4))
    assert linear_cka(x, y) == pytest.approx(hsic_cka(x, y), abs=1e-12)
    mixed = x @ rng.standard_normal((6, 9)) + 0.1 * rng.standard_normal((30, 9))
    assert linear_cka(x, mixed) == pytest.approx(hsic_cka(x, mixed), abs=1e-12)
    rotation, _ = np.linalg.qr(rng.standard_normal((6, 6)))
    assert linear_cka(x, 3 * x @ rotation + 2) == pytest.approx(1.0)      # rotation, scale, shift
    with pytest.raises(ValueError, match="compares the same rows"):
        linear_cka(x, y[:10])


def test_compare_reports_cka_of_the_compared_rows(glove):
    from engine.compare import compare_tables, linear_cka
    from engine.truncate import truncate

    result = compare_tables(glove, truncate(glove, 25), k=5, limit=2_000)
    rows = [glove.key_to_index[key] for key in result.keys]
    head = np.asarray(glove.vectors[rows])[:, :25]
    short = head / np.linalg.norm(head, axis=1, keepdims=True)
    assert result.cka == pytest.approx(linear_cka(glove.unit[rows], short), abs=1e-9)
    assert 0.3 < result.cka < 1 and result.to_dict()["linear_cka"] == result.cka
