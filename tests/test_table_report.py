"""TableReport: counts checked on a hand-made table, norms against NumPy on GloVe."""
import numpy as np
import pytest
from scipy.stats import spearmanr

from engine import geometry as geo
from engine.table_report import norms_by_frequency, table_report
from engine.vectors import EmbeddingSet


def test_counts_on_a_hand_made_table():
    vectors = np.array([[3, 4], [0, 0], [np.nan, 1], [1, 0], [0, 0]], dtype=np.float32)
    report = table_report(EmbeddingSet(vectors, ["a", "b", "a", " ", "b"], "t"))
    assert (report.rows, report.dim, report.dtype) == (5, 2, "float32")
    assert report.duplicate_keys == 2 and set(report.duplicate_examples) == {"a", "b"}
    assert report.zero_rows == 2 and report.nonfinite_rows == 1 and report.empty_keys == 1
    assert report.norm_quantiles[0] == 0 and report.norm_quantiles[-1] == 5
    assert report.norm_mean == np.mean([5, 0, 1, 0])


def test_glove_norms_match_numpy(glove):
    report = table_report(glove)
    norms = np.linalg.norm(np.asarray(glove.vectors, dtype=np.float64), axis=1)
    np.testing.assert_allclose(report.norm_quantiles, np.percentile(norms, [0, 1, 5, 25, 50, 75, 95, 99, 100]),
                               rtol=1e-5)
    assert report.zero_rows == 0 and report.nonfinite_rows == 0 and report.rows == 400_000


def test_glove_norms_by_frequency_match_numpy_and_the_frequency_tab(glove):
    """GloVe's frequent words are longer, not shorter: the 1,000 most frequent rows against
    the rarer half by NumPy, ρ by scipy on float64 norms, and the Geometry Frequency tab's
    bands up to rank 1,000 and its last band (its profile over the first 5,000 rows) lean the
    same way (the handful of most frequent words, "the", ",", ".", are shorter than the next)."""
    trend = norms_by_frequency(glove)
    norms = np.linalg.norm(np.asarray(glove.vectors, dtype=np.float64), axis=1)
    assert trend.frequent_norm == pytest.approx(norms[:1000].mean(), rel=1e-5)
    assert trend.rare_norm == pytest.approx(norms[200_000:].mean(), rel=1e-5)
    assert trend.spearman == pytest.approx(spearmanr(np.arange(len(norms)), norms).statistic, abs=1e-4)
    assert trend.frequent_norm > trend.rare_norm and trend.spearman < 0
    assert "here frequent words are longer" in trend.sentence()
    bands = geo.frequency_profile(glove, geo.neighbour_graph(glove, 10, 5_000)).bins
    early = [b for b in bands if b["to_rank"] <= 1_000]
    early_norm = sum(b["mean_norm"] * b["rows"] for b in early) / sum(b["rows"] for b in early)
    assert early_norm > bands[-1]["mean_norm"]


def test_no_frequency_claim_for_an_id_table():
    table = EmbeddingSet(np.ones((30, 2), dtype=np.float32), [str(i) for i in range(30)], "ids",
                         frequency_ordered=False)
    assert norms_by_frequency(table) is None
