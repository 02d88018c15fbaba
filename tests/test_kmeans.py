"""k-means by engine.kmeans's Lloyd loop against scikit-learn's KMeans(algorithm="lloyd")
from the same centres: a fixture checked by hand, and GloVe's first 20,000 unit rows."""
import numpy as np
import pytest
from sklearn.cluster import KMeans

from engine import kmeans as means


def _sklearn(rows, init, **settings):
    """scikit-learn's Lloyd in float64, as engine.kmeans computes (in float32 its sums follow
    its thread count: with one thread or two, 22 of GloVe's 20,000 rows change cluster)."""
    return KMeans(len(init), init=np.asarray(init, np.float64), n_init=1, algorithm="lloyd",
                  **settings).fit(np.asarray(rows, np.float64))


def test_a_fixture_checked_by_hand():
    """Points 0, 1, 2, 10, 11, 12 on a line from centres 0 and 1: the first pass sends
    1 … 12 to the second centre (mean 7.2); the second splits the two groups (means 1 and
    11); the third changes no label. Inertia: 1 + 0 + 1 on each side."""
    rows = np.array([[0, 0], [1, 0], [2, 0], [10, 0], [11, 0], [12, 0]], dtype=np.float32)
    init = np.array([[0, 0], [1, 0]], dtype=np.float32)
    found = means.kmeans(rows, 2, init=init)
    assert found.labels.tolist() == [0, 0, 0, 1, 1, 1]
    assert found.centres.tolist() == [[1, 0], [11, 0]]
    assert found.inertia == 4 and found.iterations == 3
    reference = _sklearn(rows, init)
    assert reference.labels_.tolist() == found.labels.tolist() and reference.n_iter_ == 3
    np.testing.assert_allclose(reference.cluster_centers_, found.centres)
    assert reference.inertia_ == pytest.approx(found.inertia)


def test_equal_distances_go_to_the_lower_centre_and_an_empty_cluster_keeps_its_centre():
    rows = np.array([[0, 0], [2, 0], [4, 0]], dtype=np.float32)
    found = means.kmeans(rows, 3, init=np.array([[1, 0], [3, 0], [50, 0]]), max_iter=1)
    assert found.labels.tolist() == [0, 0, 1]           # 2 is as far from 1 as from 3
    assert found.centres.tolist() == [[1, 0], [4, 0], [50, 0]]
    assert found.inertia == 2


def test_glove_agrees_with_scikit_learn_from_the_same_seeds(glove):
    unit = glove.unit[:20_000]
    init = means.seeds(unit, 8, 0)
    found = means.kmeans(unit, 8, init=init)
    reference = _sklearn(unit, init)
    np.testing.assert_array_equal(found.labels, reference.labels_)
    assert found.iterations == reference.n_iter_
    assert found.inertia == pytest.approx(reference.inertia_, rel=1e-12)
    np.testing.assert_allclose(found.centres, reference.cluster_centers_, atol=1e-12)
    assert len(np.unique(found.labels)) == 8


def test_the_loop_stops_on_the_tolerance_of_the_data_variance(glove):
    """A loose tolerance stops where scikit-learn's does, before the labels settle."""
    unit = glove.unit[:5_000]
    init = means.seeds(unit, 5, 1)
    found = means.kmeans(unit, 5, init=init, tol=0.05)
    reference = _sklearn(unit, init, tol=0.05)
    assert found.iterations == reference.n_iter_ < means.kmeans(unit, 5, init=init).iterations
    np.testing.assert_array_equal(found.labels, reference.labels_)


def test_seeds_come_from_a_fixed_sample_of_a_long_table(glove, monkeypatch):
    unit = glove.unit[:3_000]
    monkeypatch.setattr(means, "SEED_ROWS", 500)
    first, again = means.seeds(unit, 4, 3), means.seeds(unit, 4, 3)
    assert np.array_equal(first, again)
    sample = np.sort(np.random.default_rng(3).choice(3_000, 500, replace=False))
    assert all(np.any(np.all(unit[sample] == centre.astype(np.float32), axis=1)) for centre in first)
