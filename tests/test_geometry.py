"""Geometry against brute force, scipy, sklearn and the papers' formulas."""
import math

import numpy as np
import pytest
from scipy.stats import skew

from engine import geometry as g
from engine.geometry import neighbours
from engine.geometry.neighbours import _top_k_rows
from engine.vectors import EmbeddingSet


def table(vectors, name="t"):
    vectors = np.asarray(vectors, dtype=np.float32)
    return EmbeddingSet(vectors, [f"w{i}" for i in range(len(vectors))], name)


@pytest.fixture(scope="module")
def gaussian():
    return table(np.random.default_rng(0).standard_normal((4000, 20)), "gauss")


@pytest.fixture(scope="module")
def offset():
    rng = np.random.default_rng(1)
    return table(rng.standard_normal((3000, 20)) * 0.3 + 5.0, "offset")


def brute_mean_cosine(vectors):
    u = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    cos = u.astype(np.float64) @ u.T.astype(np.float64)
    n = len(u)
    return (cos.sum() - np.trace(cos)) / (n * (n - 1))


def brute_neighbours(vectors, k, bias=None):
    u = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    s = u.astype(np.float64) @ u.T
    if bias is not None:
        s = s - bias[None, :]
    np.fill_diagonal(s, -np.inf)
    return np.argsort(-s, axis=1, kind="stable")[:, :k]


def test_mean_cosine_equals_brute_force_pairwise_mean():
    vectors = np.random.default_rng(2).standard_normal((300, 7)) + 0.5
    result = g.anisotropy(table(vectors))
    assert result.mean_cosine == pytest.approx(brute_mean_cosine(vectors), abs=1e-6)


def test_isotropic_gaussian_is_isotropic(gaussian):
    result = g.anisotropy(gaussian)
    assert abs(result.mean_cosine) < 0.01
    assert result.isotropy > 0.8
    assert result.isoscore > 0.9
    assert result.norm_ratio < 0.05


def test_shared_offset_makes_a_cone_and_centring_removes_it(offset):
    before = g.anisotropy(offset)
    assert before.mean_cosine > 0.95
    assert before.isotropy < 0.01
    centred = g.centre(offset)
    after = g.anisotropy(centred)
    assert abs(after.mean_cosine) < 0.01
    assert after.isotropy > 0.5
    assert centred.name == "offset · centred"
    assert np.abs(centred.vectors.mean(axis=0)).max() < 1e-4


def test_isotropy_iw_matches_direct_formula_in_float64():
    vectors = np.random.default_rng(3).standard_normal((500, 6)) + [2, 0, 0, 0, 0, 0]
    x = vectors.astype(np.float32).astype(np.float64)
    _, eig = np.linalg.eig(x.T @ x)
    z = [np.exp(sign * x @ eig[:, i]).sum() for i in range(6) for sign in (1, -1)]
    assert g.anisotropy(table(vectors)).isotropy == pytest.approx(min(z) / max(z), rel=1e-6)


def test_isotropy_survives_vectors_whose_partition_function_overflows():
    vectors = np.random.default_rng(4).standard_normal((200, 5)) * 400
    value = g.anisotropy(table(vectors)).isotropy
    assert 0 < value <= 1 and math.isfinite(value)


def test_isoscore_matches_rudman_steps_with_sklearn_pca():
    from sklearn.decomposition import PCA

    points = np.random.default_rng(5).standard_normal((800, 8)) * np.arange(1, 9)
    pca_points = PCA(n_components=8).fit_transform(points).T
    var = np.diag(np.cov(pca_points))
    n = 8
    normed = var * np.sqrt(n) / np.linalg.norm(var)
    defect = np.linalg.norm(normed - 1) / np.sqrt(2 * (n - np.sqrt(n)))
    expected = ((n - defect ** 2 * (n - np.sqrt(n))) ** 2 - n) / (n * (n - 1))
    assert g.anisotropy(table(points)).isoscore == pytest.approx(expected, abs=1e-6)


def test_explained_variance_matches_sklearn():
    from sklearn.decomposition import PCA

    points = np.random.default_rng(6).standard_normal((500, 10)) @ np.diag(np.arange(10, 0, -1))
    ours = g.anisotropy(table(points)).explained_variance
    np.testing.assert_allclose(ours, PCA().fit(points.astype(np.float32)).explained_variance_ratio_,
                               atol=1e-6)


def test_norm_ratio_on_hand_checkable_table(tiny):
    result = g.anisotropy(tiny)
    mean = tiny.vectors.mean(axis=0)
    assert result.mean_vector_norm == pytest.approx(np.linalg.norm(mean), rel=1e-6)
    assert result.mean_norm == pytest.approx(np.linalg.norm(tiny.vectors, axis=1).mean(), rel=1e-6)


@pytest.mark.parametrize("n,d,k", [(50, 4, 3), (700, 8, 10), (1500, 16, 5)])
def test_neighbours_and_hubness_equal_brute_force(n, d, k):
    vectors = np.random.default_rng(n).standard_normal((n, d))
    t = table(vectors)
    graph = g.neighbour_graph(t, k=k)
    expected = brute_neighbours(vectors, k)
    np.testing.assert_array_equal(np.sort(graph.indices, axis=1), np.sort(expected, axis=1))
    counts = np.bincount(expected.ravel(), minlength=n)
    hub = g.hubness(t, graph)
    np.testing.assert_array_equal(hub.occurrence, counts)
    assert hub.skewness == pytest.approx(skew(counts))
    assert hub.antihub_fraction == pytest.approx((counts == 0).mean())
    assert hub.max_occurrence == counts.max()
    assert hub.robin_hood == pytest.approx(np.abs(counts - k).sum() / (2 * n * k))
    assert hub.hubs[0][1] == counts.max()


def test_top_k_rows_with_ties_and_blocks_matches_argsort():
    scores = np.round(np.random.default_rng(7).standard_normal((9, 300)), 1).astype(np.float32)
    cols, values = _top_k_rows(scores.copy(), 12)
    np.testing.assert_array_equal(values, -np.sort(-scores, axis=1)[:, :12])
    np.testing.assert_array_equal(np.take_along_axis(scores, cols, axis=1), values)


def brute_ordered(unit, k):
    """Brute force in float64 with the engine's tie rule: best first, ties by lower row."""
    s = unit.astype(np.float64) @ unit.T.astype(np.float64)
    np.fill_diagonal(s, -np.inf)
    order = np.argsort(-s, axis=1, kind="stable")[:, :k]
    return order, np.take_along_axis(s, order, axis=1)


@pytest.mark.parametrize("n,k", [(1000, 10), (777, 3), (300, 25), (130, 10)])
def test_symmetric_tiles_equal_brute_force_with_ties(monkeypatch, n, k):
    """Tiles of 128 rows over n rows that are no multiple of 128 (a short last block, down
    to 2 rows, fewer than k, so its seed leaves empty slots), on unit rows with four
    entries ±1/2: every cosine is an exact multiple of 1/4 and ties are everywhere. The
    order must be brute force's, ties by lower row number; progress ends at (n, n)."""
    monkeypatch.setattr(neighbours, "TILE", 128)
    rng = np.random.default_rng(n)
    unit = np.zeros((n, 8), dtype=np.float32)
    for row in unit:
        row[rng.choice(8, 4, replace=False)] = rng.choice([-0.5, 0.5], 4)
    calls = []
    indices, scores = g.exact_neighbours(unit, k, progress=lambda done, total: calls.append((done, total)))
    expected, expected_scores = brute_ordered(unit, k)
    np.testing.assert_array_equal(indices, expected)
    np.testing.assert_array_equal(scores, expected_scores)
    assert calls[-1] == (n, n) and [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_symmetric_tiles_equal_brute_force_on_random_rows(monkeypatch):
    monkeypatch.setattr(neighbours, "TILE", 192)
    vectors = np.random.default_rng(11).standard_normal((1100, 12))
    graph = g.neighbour_graph(table(vectors), k=10)
    np.testing.assert_array_equal(graph.indices, brute_neighbours(vectors, 10))


def test_csls_equals_its_formula():
    vectors = np.random.default_rng(8).standard_normal((400, 6))
    t = table(vectors)
    graph = g.neighbour_graph(t, k=10)
    r = g.csls_penalty(graph)
    u = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    cos = u @ u.T
    np.fill_diagonal(cos, -np.inf)
    np.testing.assert_allclose(r, np.sort(cos, axis=1)[:, -10:].mean(axis=1), atol=1e-6)
    found = g.csls_most_similar(t, "w3", r, topn=5)
    direct = 2 * cos[3] - r[3] - r
    direct[3] = -np.inf
    assert [n.key for n in found] == [f"w{i}" for i in np.argsort(-direct)[:5]]
    assert found[0].score == pytest.approx(direct.max(), abs=1e-5)
    csls_hub = g.csls_hubness(t, graph)
    expected = brute_neighbours(vectors, 10, bias=r.astype(np.float64) / 2)
    np.testing.assert_array_equal(csls_hub.occurrence, np.bincount(expected.ravel(), minlength=400))


def test_whitening_gives_identity_covariance(offset):
    white = g.whiten(offset)
    np.testing.assert_allclose(np.cov(white.vectors.astype(np.float64), rowvar=False, bias=True),
                               np.eye(20), atol=1e-4)
    reduced = g.whiten(offset, dims=5)
    assert reduced.dim == 5 and reduced.name == "offset · whitened to 5 dims"


def test_directions_count_the_axes_whitening_can_keep(offset):
    """d for a full-rank table, d − D after all-but-the-top (NumPy's matrix rank of the
    centred rows, float32's rounding left out): whitening to that many works, to one more divides by zero."""
    assert g.anisotropy(offset).directions == 20
    fixed = g.all_but_the_top(offset, 3)
    x = fixed.vectors.astype(np.float64)
    x -= x.mean(axis=0)
    rank = np.linalg.matrix_rank(x, tol=1e-4 * np.linalg.norm(x, 2))
    assert g.anisotropy(fixed).directions == rank == 17
    assert g.whiten(fixed, 17).dim == 17
    with pytest.raises(ValueError, match="only 17 directions"):
        g.whiten(fixed, 18)


def test_all_but_the_top_removes_the_top_directions(offset):
    fixed = g.all_but_the_top(offset, 2)
    x = offset.vectors.astype(np.float64)
    x = x - x.mean(axis=0)
    top = np.linalg.svd(x, full_matrices=False)[2][:2]
    assert np.abs(fixed.vectors @ top.T).max() < 1e-3
    assert fixed.name == "offset · all-but-the-top (D=2)"
    assert g.default_removed_components(300) == 3 and g.default_removed_components(50) == 1


def test_fixes_never_touch_a_read_only_source(offset):
    frozen = offset.vectors.copy()
    frozen.setflags(write=False)
    source = table(frozen, "frozen")
    for fix in (g.centre, g.all_but_the_top, g.whiten):
        assert fix(source).vectors is not source.vectors
    np.testing.assert_array_equal(source.vectors, offset.vectors)


def test_frequency_profile_bands_cover_every_row():
    t = table(np.random.default_rng(9).standard_normal((1000, 8)))
    profile = g.frequency_profile(t, g.neighbour_graph(t, k=5), bands=6)
    assert sum(b["rows"] for b in profile.bins) == 1000
    assert profile.bins[0]["from_rank"] == 1 and profile.bins[-1]["to_rank"] == 1000
    assert profile.norms[0] == pytest.approx(np.linalg.norm(t.vectors[0]))


def test_sample_pair_cosines_compare_with_gaussian_baseline(offset):
    cos, gauss = g.sample_pair_cosines(offset, pairs=5000)
    assert cos.mean() > 0.9 and abs(gauss.mean()) < 0.02


@pytest.mark.parametrize("call, message", [
    (lambda t: g.neighbour_graph(t, k=0), "k must be"),
    (lambda t: g.neighbour_graph(t, k=6), "k must be"),
    (lambda t: g.anisotropy(t, restrict=7), "restrict must be"),
    (lambda t: g.all_but_the_top(t, 3), "components to remove"),
    (lambda t: g.whiten(t, dims=4), "whitening dims"),
])
def test_bad_input_is_one_clear_error(tiny, call, message):
    with pytest.raises(ValueError, match=message):
        call(tiny)


def test_zero_rows_and_zero_norm_rows_are_reported():
    empty = EmbeddingSet(np.zeros((0, 3), np.float32), [], "empty")
    with pytest.raises(ValueError, match="no rows"):
        g.anisotropy(empty)
    holed = table([[1, 0], [0, 1], [0, 0], [1, 1]])
    result = g.anisotropy(holed)
    assert result.zero_norm_rows == 1
    assert result.mean_cosine == pytest.approx(brute_mean_cosine(np.array([[1, 0], [0, 1], [1, 1.]])))
    with pytest.raises(ValueError, match="length 0"):
        g.neighbour_graph(holed, k=1)


def test_glove_cone_and_hubs(glove):
    result = g.anisotropy(glove, restrict=50_000)
    assert 0.0 < result.mean_cosine < 0.5
    graph = g.neighbour_graph(glove, k=10, restrict=3000)
    brute = brute_neighbours(np.asarray(glove.vectors[:3000]), 10)
    np.testing.assert_array_equal(np.sort(graph.indices, axis=1), np.sort(brute, axis=1))
    assert g.hubness(glove, graph).skewness > 0


def test_cli_geometry_json_equals_the_engine(glove, capsys):
    import json

    from engine.cli import main

    assert main(["geometry", "--restrict", "2000", "--k", "5", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    graph = g.neighbour_graph(glove, k=5, restrict=2000)
    expected = g.hubness(glove, graph)
    assert result["hubness"]["skewness"] == pytest.approx(expected.skewness)
    assert result["hubness"]["hubs"][0]["occurrence"] == expected.max_occurrence
    assert result["anisotropy"]["mean_cosine"] == pytest.approx(
        g.anisotropy(glove, restrict=2000).mean_cosine)
    assert main(["geometry", "--restrict", "2000", "--k", "0"]) == 2
    assert "k must be" in capsys.readouterr().err


def test_fix_fitted_on_first_rows_uses_their_statistics(offset):
    fitted = g.centre(offset, fit_rows=100)
    assert np.abs(fitted.vectors[:100].mean(axis=0)).max() < 1e-4
    assert len(fitted) == len(offset)
    assert "fitted on the first 100 rows" in fitted.description
    white = g.whiten(offset, fit_rows=1000)
    np.testing.assert_allclose(np.cov(white.vectors[:1000].astype(np.float64), rowvar=False, bias=True),
                               np.eye(20), atol=1e-4)
