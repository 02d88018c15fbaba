"""TableReport: counts checked on a hand-made table, norms against NumPy on GloVe."""
import numpy as np

from engine.table_report import table_report
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
