"""Approximate search: exact search and recall checked against NumPy's full sort; the
index's answers, its tuning, its cache on disk and its bad input."""
import numpy as np
import pytest

from engine.index import AnnIndex, exact_search
from engine.vectors import EmbeddingSet


@pytest.fixture(scope="module")
def clustered():
    """3,000 rows in 16-D around 30 centres: structure for the cells to find."""
    rng = np.random.default_rng(7)
    centres = rng.normal(size=(30, 16))
    rows = centres[rng.integers(0, 30, 3000)] + 0.4 * rng.normal(size=(3000, 16))
    return EmbeddingSet(rows.astype(np.float32), [f"w{i}" for i in range(3000)], "clustered")


@pytest.fixture(scope="module")
def index(clustered):
    return AnnIndex.build(clustered, target_recall=0.9, sample=100)


def _true_top(matrix, queries, k):
    return np.argsort(-(queries.astype(np.float64) @ matrix.T.astype(np.float64)), axis=1)[:, :k]


def test_exact_search_is_numpy_full_sort(clustered):
    queries = clustered.unit[:50]
    found = exact_search(clustered.unit, queries, 10)
    np.testing.assert_array_equal(found.indices, _true_top(clustered.unit, queries, 10))
    np.testing.assert_allclose(found.scores, np.sort(queries @ clustered.unit.T, axis=1)[:, ::-1][:, :10],
                               rtol=1e-6)


def test_recall_is_overlap_with_exact_top_k(index, clustered):
    rows = np.random.default_rng(3).choice(len(clustered), 80, replace=False)
    report = index.recall_at_k(k=5, sample=80, seed=3)
    truth = _true_top(clustered.unit, clustered.unit[rows], 6)
    got = index.query(clustered.vectors[rows], 6).indices
    expected = np.mean([len(set(t[t != r][:5]) & set(g[g != r][:5])) / 5
                        for r, t, g in zip(rows, truth, got)])
    assert report.recall == pytest.approx(expected) and report.queries == 80 and report.k == 5
    assert report.speedup > 0 and report.exact_ms_per_query > 0


def test_build_reaches_its_target_and_full_probe_is_exact(clustered, index):
    assert index.recall_at_k(k=10, sample=100).recall >= 0.9
    assert 1 <= index.info.nprobe <= index.info.nlist
    everything = AnnIndex.build(clustered, target_recall=1.0, sample=50)
    assert everything.recall_at_k(k=10, sample=50).recall == 1.0


def test_compressed_index_reaches_its_target_against_a_full_sort(clustered, tmp_path):
    compressed = AnnIndex.build(clustered, target_recall=0.95, sample=100, compressed=True)
    assert compressed.info.k_factor == 8 and "IVF-PQ fast scan" in compressed.info.method
    rows = np.random.default_rng(5).choice(len(clustered), 300, replace=False)
    truth = _true_top(clustered.unit, clustered.unit[rows], 11)
    got = compressed.query(clustered.vectors[rows], 11, threads=2).indices
    recall = np.mean([len(set(t[t != r][:10]) & set(g[g != r][:10])) / 10
                      for r, t, g in zip(rows, truth, got)])
    assert recall >= 0.9
    again = AnnIndex.load(compressed.save(tmp_path / "c.faiss"), clustered)
    assert again.info == compressed.info
    np.testing.assert_array_equal(again.query(clustered.vectors[rows], 11).indices, got)
    everything = AnnIndex.build(clustered, target_recall=1.0, sample=50, compressed=True)
    assert everything.recall_at_k(k=10, sample=50).recall == 1.0


def test_queries_outside_the_table(index, clustered):
    queries = np.random.default_rng(1).normal(size=(20, 16)).astype(np.float32)
    report = index.recall_at_k(k=10, queries=queries)
    assert 0.0 <= report.recall <= 1.0 and report.queries == 20
    exact = index.exact(queries, 10)
    np.testing.assert_array_equal(exact.indices, _true_top(clustered.unit, queries / np.linalg.norm(
        queries, axis=1, keepdims=True), 10))


def test_dot_metric_prefers_long_rows(clustered):
    dot = AnnIndex.build(clustered, metric="dot", target_recall=1.0, sample=30)
    query = clustered.vectors[:1]
    np.testing.assert_array_equal(dot.query(query, 5).indices,
                                  _true_top(clustered.vectors, query, 5))


def test_save_and_load_round_trip(index, clustered, tmp_path):
    path = index.save(tmp_path / "clustered.faiss")
    again = AnnIndex.load(path, clustered)
    assert again.info == index.info
    queries = clustered.vectors[:30]
    np.testing.assert_array_equal(again.query(queries, 10).indices, index.query(queries, 10).indices)
    other = EmbeddingSet(clustered.vectors * 2, clustered.index_to_key, "doubled")
    with pytest.raises(ValueError, match="built on another table than doubled"):
        AnnIndex.load(path, other)


def test_bad_input(index, tiny):
    with pytest.raises(ValueError, match="unknown metric 'l1'"):
        AnnIndex.build(tiny, metric="l1")
    with pytest.raises(ValueError, match="must have 16 columns"):
        index.query(np.zeros((2, 3)), 5)
    with pytest.raises(ValueError, match="all zeros"):
        index.query(np.zeros(16), 5)
    with pytest.raises(ValueError, match="k must be a whole number from 1 to 3,000; got 0"):
        index.query(np.ones(16), 0)
    with pytest.raises(ValueError, match="a compressed index needs at least 16 rows .* tiny has 6: search it exactly"):
        AnnIndex.build(tiny, compressed=True)                # faiss raised RuntimeError here


@pytest.mark.slow
@pytest.mark.parametrize("compressed", [False, True])
def test_glove_reaches_095_at_ten(glove, compressed):
    index = AnnIndex.build(glove, compressed=compressed)
    report = index.recall_at_k(k=10, sample=500, seed=11)
    assert report.recall >= 0.95 and index.info.nprobe < index.info.nlist
