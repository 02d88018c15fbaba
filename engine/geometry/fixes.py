"""The known fixes of a table's geometry (centring, all-but-the-top, BERT-whitening), each
returning a NEW EmbeddingSet named "<source> · <fix>" (the input, which may be a read-only
memory map, is never changed), and the measures and benchmark scores compared before and
after (Mu & Viswanath 2018, Su et al. 2021)."""
from __future__ import annotations

import math
from typing import Callable

import numpy as np

from engine.errors import check_int
from engine.geometry.cone import VARIANCE_FLOOR, Anisotropy, Moments, moments
from engine.geometry.hubness import Hubness, csls_word_pairs
from engine.geometry.rows import Progress, blocks, first_rows
from engine.vectors import EmbeddingSet


class _Passes:
    """progress(done, total) over a fix's two blocked passes: fitting on fit_rows rows,
    then transforming every row of the table."""

    def __init__(self, progress: Progress, fit_rows: int, rows: int):
        self.progress, self.fit_rows, self.total = progress, fit_rows, fit_rows + rows

    def fitting(self, done: int, _: int) -> None:
        if self.progress:
            self.progress(done, self.total)

    def transforming(self, done: int) -> None:
        if self.progress:
            self.progress(self.fit_rows + done, self.total)


def _fit(table: EmbeddingSet, fit_rows: int | None, progress: Progress) -> tuple[Moments, str, _Passes]:
    """Moments of the first fit_rows rows (all by default), the name suffix saying so, and
    the progress of both passes."""
    vectors = first_rows(table, fit_rows)
    passes = _Passes(progress, vectors.shape[0], len(table))
    suffix = "" if vectors.shape[0] == len(table) else f", fitted on the first {vectors.shape[0]:,} rows"
    return moments(vectors, passes.fitting), suffix, passes


def _derived(table: EmbeddingSet, transform: Callable[[np.ndarray], np.ndarray], width: int,
             passes: _Passes, fix: str, what: str) -> EmbeddingSet:
    """A new table of transform(rows) (b, d) -> (b, width), applied one block of rows at a time."""
    vectors = np.empty((len(table), width), dtype=np.float32)
    for start, stop in blocks(len(table)):
        vectors[start:stop] = transform(np.asarray(table.vectors[start:stop], dtype=np.float32))
        passes.transforming(stop)
    return EmbeddingSet(vectors, table.index_to_key, f"{table.name} · {fix}", table.frequency_ordered,
                        f"{table.name} {what} ({len(table):,} rows × {width})")


def _principal_axes(m: Moments) -> tuple[np.ndarray, np.ndarray]:
    """Variances (d,) largest first and the principal axes (d, d) as columns."""
    variances, axes = np.linalg.eigh(m.covariance)
    return variances[::-1], axes[:, ::-1]


def centre(table: EmbeddingSet, fit_rows: int | None = None, progress: Progress = None) -> EmbeddingSet:
    """Every row minus the mean of the first fit_rows rows (all rows by default)."""
    m, fitted, passes = _fit(table, fit_rows, progress)
    mean = m.mean.astype(np.float32)
    return _derived(table, lambda rows: rows - mean, table.dim, passes, "centred",
                    f"minus its mean row{fitted}")


def default_removed_components(dim: int) -> int:
    """D ≈ d/100, rounded up (Mu & Viswanath 2018)."""
    return max(1, math.ceil(dim / 100))


def all_but_the_top(table: EmbeddingSet, components: int | None = None,
                    fit_rows: int | None = None, progress: Progress = None) -> EmbeddingSet:
    """Centre, then remove the projections on the top `components` principal axes
    (Mu & Viswanath 2018). components: 1 … d−1, default ⌈d/100⌉. Mean and axes come from
    the first fit_rows rows (all by default); every row is transformed."""
    d = table.dim
    if d < 2:
        raise ValueError("all-but-the-top needs at least 2 dimensions")
    components = default_removed_components(d) if components is None else components
    components = check_int("components to remove (D)", components, 1, d - 1)
    m, fitted, passes = _fit(table, fit_rows, progress)
    top = _principal_axes(m)[1][:, :components].astype(np.float32)          # (d, D)
    mean = m.mean.astype(np.float32)

    def transform(rows: np.ndarray) -> np.ndarray:
        centred = rows - mean
        return centred - (centred @ top) @ top.T

    return _derived(table, transform, d, passes, f"all-but-the-top (D={components})",
                    f"centred, top {components} principal component(s) removed{fitted}")


def whiten(table: EmbeddingSet, dims: int | None = None, fit_rows: int | None = None,
           progress: Progress = None) -> EmbeddingSet:
    """BERT-whitening (Su et al. 2021): (x − μ)·U·Λ^(−1/2), keeping the first `dims`
    principal axes (all by default), so the covariance of the fitted rows becomes the
    identity. μ, U, Λ come from the first fit_rows rows (all by default)."""
    dims = table.dim if dims is None else check_int("whitening dims", dims, 1, table.dim)
    m, fitted, passes = _fit(table, fit_rows, progress)
    variances, axes = _principal_axes(m)
    tiny = variances[:dims] <= variances[0] * VARIANCE_FLOOR
    if tiny.any():
        raise ValueError(f"the table has only {int((~tiny).sum())} directions with variance; "
                         f"whitening to {dims} dims would divide by zero — choose fewer dims")
    transform = (axes[:, :dims] / np.sqrt(variances[:dims])).astype(np.float32)
    mean = m.mean.astype(np.float32)
    label = "whitened" if dims == table.dim else f"whitened to {dims} dims"
    return _derived(table, lambda rows: (rows - mean) @ transform, dims, passes, label,
                    f"whitened (covariance = identity) on {dims} principal axes{fitted}")



def measures(shape: Anisotropy | None, hub: Hubness) -> dict[str, float]:
    """The geometry numbers of a before/after comparison, by label (no cone rows when
    shape is None: CSLS changes retrieval, not vectors)."""
    cone = {} if shape is None else {
        "Mean cosine": shape.mean_cosine, "‖mean‖ / mean ‖row‖": shape.norm_ratio,
        "I(W)": shape.isotropy, "IsoScore": shape.isoscore,
        "Top component share": float(shape.explained_variance[0])}
    return {**cone, "Hubness skewness": hub.skewness, "Robin Hood index": hub.robin_hood,
            "Anti-hub share": hub.antihub_fraction}


def benchmark_scores(table: EmbeddingSet, pair_rows: int, analogy_rows: int,
                     penalty: np.ndarray | None = None, progress: Progress = None) -> dict:
    """Google analogy accuracy on the first analogy_rows rows and WordSim-353 / SimLex-999
    Spearman on the first pair_rows rows, by the foundation's evaluators; by CSLS when a
    penalty (len pair_rows >= analogy_rows) is given. A benchmark that cannot run on this
    table (no word in common) is None."""
    from engine.evaluate import evaluate_word_analogies, evaluate_word_pairs

    def analogies():
        return evaluate_word_analogies(table, restrict_vocab=analogy_rows, progress=progress,
                                       csls_penalty=penalty).accuracy

    def pairs(name):
        if penalty is not None:
            return csls_word_pairs(table, penalty, name)["spearman"]
        return evaluate_word_pairs(table, name, restrict_vocab=pair_rows).spearman

    scores = {}
    for label, score in [("Analogy accuracy", analogies), ("WordSim-353 Spearman", lambda: pairs("wordsim353")),
                         ("SimLex-999 Spearman", lambda: pairs("simlex999"))]:
        try:
            scores[label] = score()
        except ValueError:       # no question / pair has its words in this table
            scores[label] = None
    return scores
