"""The int16-shortlisted exact k-NN against float64 brute force and the float32 tiles."""
import numpy as np
import pytest

from engine import geometry as g
from engine.geometry import neighbours

shortlist = pytest.importorskip("engine.geometry.shortlist")
needs_vnni = pytest.mark.skipif(not shortlist.available(), reason="this CPU has no AVX-512 VNNI")


def unit_rows(vectors):
    vectors = np.asarray(vectors, dtype=np.float32)
    return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)


def brute_top_k(unit, k, bias=None, exclude_self=True, block=2_000):
    """Top-k by float64 scores, equal scores by lower row: stable argsort, a block of rows at
    a time (its own code, not the engine's)."""
    wide = unit.astype(np.float64)
    out = np.empty((len(unit), k), dtype=np.int64)
    for start in range(0, len(unit), block):
        scores = wide[start:start + block] @ wide.T
        if bias is not None:
            scores -= bias[None, :]
        if exclude_self:
            scores[np.arange(scores.shape[0]), np.arange(start, start + scores.shape[0])] = -np.inf
        kth = -np.partition(-scores, k - 1, axis=1)[:, k - 1:k]
        for r, line in enumerate(scores):
            kept = np.flatnonzero(line >= kth[r])
            out[start + r] = kept[np.lexsort((kept, -line[kept]))][:k]
    return out


@needs_vnni
def test_hand_checkable_table_with_ties():
    # rows 1 and 2 are the same vector, row 3 its opposite: ties go to the lower row
    unit = unit_rows([[1, 0, 0], [1, 1, 0], [1, 1, 0], [-1, -1, 0], [0, 0, 1], [1, 0, 1]])
    rows, scores = shortlist.shortlisted_neighbours(unit, 2)
    assert rows.tolist() == [[1, 2], [2, 0], [1, 0], [4, 5], [5, 0], [0, 4]]
    assert scores[0] == pytest.approx([np.sqrt(0.5)] * 2)


@needs_vnni
@pytest.mark.parametrize("n, d, k, copies", [(6, 3, 5, 1), (900, 7, 4, 1), (2_000, 50, 10, 2),
                                             (1_700, 33, 1, 3), (769, 300, 12, 1)])
def test_equals_float64_brute_force_with_exact_ties(n, d, k, copies, monkeypatch):
    # from 1,000 rows searched in similar_first order: ties still go to the lower row
    monkeypatch.setattr(shortlist, "ORDERED_ROWS", 1_000)
    rng = np.random.default_rng(n)
    unit = unit_rows(np.repeat(rng.standard_normal((n // copies, d)), copies, axis=0))
    rows, scores = shortlist.shortlisted_neighbours(unit, k)
    assert np.array_equal(rows, brute_top_k(unit, k))
    exact = np.einsum("ij,ikj->ik", unit.astype(np.float64), unit[rows].astype(np.float64))
    assert np.array_equal(scores, exact.astype(np.float32))


@needs_vnni
def test_csls_bias_and_self_included_equal_brute_force(monkeypatch):
    monkeypatch.setattr(shortlist, "ORDERED_ROWS", 1_000)
    rng = np.random.default_rng(7)
    unit = unit_rows(rng.standard_normal((1_500, 20)))
    bias = rng.uniform(-0.5, 0.5, 1_500)
    rows, _ = shortlist.shortlisted_neighbours(unit, 6, row_bias=bias)
    assert np.array_equal(rows, brute_top_k(unit, 6, bias))
    rows, _ = shortlist.shortlisted_neighbours(unit, 3, exclude_self=False)
    assert np.array_equal(rows, brute_top_k(unit, 3, exclude_self=False))
    assert (rows[:, 0] == np.arange(1_500)).all()


def test_margin_bounds_the_int16_error_on_every_pair():
    rng = np.random.default_rng(3)
    unit = unit_rows(rng.standard_normal((768, 50)) ** 3)        # spiky rows: large components
    words, _, margin = shortlist._quantized(unit, 768)
    q = words.view(np.int16)[:, :50].astype(np.float64) / shortlist.SCALE
    error = np.abs(q @ q.T - unit.astype(np.float64) @ unit.T.astype(np.float64))
    assert (error <= margin[:, None]).all()
    assert margin.max() < 5e-4


def test_rounds_pair_every_two_blocks_once_and_share_no_block():
    for count in (1, 2, 5, 8):
        rounds = shortlist._rounds(count)
        pairs = [tuple(p) for r in rounds for p in r]
        assert sorted(pairs) == [(a, b) for a in range(count) for b in range(a + 1, count)]
        assert all(len(set(r.ravel())) == r.size for r in rounds)


@needs_vnni
def test_glove_sample_has_the_float64_neighbours_and_float32_hubness(glove, monkeypatch):
    """30,000 rows: the lists of float64 brute force, and the N_k of the float32 path (on
    a CPU without VNNI). Raw float32 tiles alone differ at near-ties (< 1e-6 apart)."""
    unit = np.ascontiguousarray(glove.unit[:30_000])
    rows, _ = shortlist.shortlisted_neighbours(unit, 10)
    assert np.array_equal(rows, brute_top_k(unit, 10))
    monkeypatch.setattr("engine.geometry.vnni.available", lambda: False)
    float32_rows, _ = g.exact_neighbours(unit, 10)
    assert np.array_equal(np.bincount(rows.ravel(), minlength=30_000),
                          np.bincount(float32_rows.ravel(), minlength=30_000))
    assert np.array_equal(rows, float32_rows)


def test_all_rows_search_takes_the_kernel_only_where_it_can(monkeypatch):
    rng = np.random.default_rng(5)
    unit = unit_rows(rng.standard_normal((3_000, 16)))
    monkeypatch.setattr(neighbours, "SHORTLIST_ROWS", 1_000)
    taken = []
    real = shortlist.shortlisted_neighbours
    monkeypatch.setattr(shortlist, "shortlisted_neighbours", lambda *a: taken.append(1) or real(*a))
    expected = brute_top_k(unit, 5)
    assert np.array_equal(g.exact_neighbours(unit, 5)[0], expected)
    assert taken == ([1] if shortlist.available() else [])
    before = len(taken)
    monkeypatch.setattr("engine.geometry.vnni.available", lambda: False)
    assert np.array_equal(g.exact_neighbours(unit, 5)[0], expected)
    assert len(taken) == before


@needs_vnni
def test_a_row_range_searched_alone_equals_its_share_of_the_whole():
    """A worker's share (rows start … stop − 1 against every row, one side of each pair)
    gives the lines of the all-rows search, with and without a bias."""
    rng = np.random.default_rng(1)
    unit = unit_rows(np.repeat(rng.standard_normal((1_500, 30)), 2, axis=0))
    bias = rng.uniform(-0.5, 0.5, 3_000)
    table = shortlist.int16_table(unit)
    whole, scores = shortlist.shortlisted_neighbours(table, 7)
    biased, _ = shortlist.shortlisted_neighbours(table, 7, row_bias=bias)
    for start, stop in [(0, 768), (768, 2_304), (2_304, 3_000)]:
        rows, part_scores = shortlist.shortlisted_neighbours(table, 7, rows=(start, stop), threads=2)
        assert np.array_equal(rows, whole[start:stop]) and np.array_equal(part_scores, scores[start:stop])
        rows, _ = shortlist.shortlisted_neighbours(table, 7, row_bias=bias, rows=(start, stop))
        assert np.array_equal(rows, biased[start:stop])
