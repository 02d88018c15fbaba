"""The sample's true neighbours for map faithfulness: exact ranking (float64 scores, equal
scores by lower row) against a brute-force float64 reference, on GloVe rows with exact
copies (ties), and the same answer from any split of the rows into merged shares."""
import numpy as np

from engine.neighbourhoods import merged_neighbours, share_neighbours


def _brute_force(unit, chosen, k):
    """Top k of each chosen row by cosine over all rows in long double (no BLAS, which may
    round two copies of a row differently), self excluded, ties by row."""
    wide = unit.astype(np.longdouble)
    scores = wide[chosen] @ wide.T
    scores[np.arange(len(chosen)), chosen] = -np.inf
    return np.array([np.lexsort((np.arange(len(unit)), -line))[:k] for line in scores])


def _with_copies(glove):
    """GloVe's first 4,000 unit rows and a copy of rows 100 … 599 (exact ties)."""
    return np.concatenate([glove.unit[:4_000], glove.unit[100:600]])


def test_exact_ranking_with_ties_matches_brute_force(glove):
    unit = _with_copies(glove)
    chosen = np.sort(np.random.default_rng(0).choice(len(unit), 300, replace=False))
    rows, scores = share_neighbours(unit, 0, unit[chosen], chosen, 10)
    assert np.array_equal(rows, _brute_force(unit, chosen, 10))
    copied = chosen[(chosen >= 100) & (chosen < 600)]
    assert len(copied) and all(rows[list(chosen).index(r), 0] == r + 3_900 for r in copied)
    assert np.all(np.diff(scores, axis=1) <= 0)


def test_shares_merge_into_the_search_of_all_rows(glove, monkeypatch):
    import engine.neighbourhoods as hoods

    unit = _with_copies(glove)
    chosen = np.sort(np.random.default_rng(1).choice(len(unit), 200, replace=False))
    whole = share_neighbours(unit, 0, unit[chosen], chosen, 7)
    monkeypatch.setattr(hoods, "SEARCH_BLOCK", 333)          # many blocks inside each share
    cuts = [0, 5, 1_200, 1_201, 3_000, len(unit)]             # shares of 5 rows and of 1 row
    parts = [share_neighbours(unit[a:b], a, unit[chosen], chosen, 7) for a, b in zip(cuts, cuts[1:])]
    assert (parts[2][0][:, 1:] == -1).all() and np.isneginf(parts[2][1][:, 1:]).all()
    merged = merged_neighbours(parts, len(chosen), 7)
    assert np.array_equal(merged[0], whole[0]) and np.array_equal(merged[1], whole[1])
