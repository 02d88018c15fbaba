"""The projectors a map draws with: PCA, UMAP, t-SNE and word axes, each in the estimator
pattern (sklearn, umap): parameters in `__init__`, `fit_transform(X)` with X (n, d) -> (n, k),
fitted state with a trailing underscore and a fixed `random_state`; UMAP and t-SNE report
their epochs or iterations to a progress callback."""
from __future__ import annotations

import contextlib
import re
import sys
from typing import Callable, Sequence

import numpy as np

from engine.errors import check_float, check_int
from engine.vectors import EmbeddingSet, unit_rows

RANDOM_STATE = 42
Progress = Callable[[float, str], None]   # (fraction done in [0, 1], what is happening)


def quiet(fraction: float, message: str) -> None:
    """The progress callback used when nobody is watching."""


class PCAProjection:
    """PCA fitted on the rows given, by scikit-learn's covariance solver (one d × d
    covariance and its eigenvectors: one pass over the rows, so 400,000 × 50 takes about
    a second). Signs are fixed so that the largest-magnitude loading of every axis is
    positive (sklearn's svd_flip), so the same rows always give the same picture.

    Attributes after fit: mean_ (d,), components_ (k, d), explained_variance_ (k,),
    explained_variance_ratio_ (k,).
    """

    def __init__(self, n_components: int = 2):
        self.n_components = n_components

    def fit_transform(self, X: np.ndarray) -> np.ndarray:
        """(n, d) -> (n, k) float32 coordinates on the principal axes."""
        n, d = X.shape
        k = check_int("PCA dimensions", self.n_components, 1, min(n, d))
        from sklearn.decomposition import PCA

        model = PCA(n_components=k, svd_solver="covariance_eigh")
        coords = model.fit_transform(np.asarray(X, dtype=np.float32))
        self.mean_, self.components_ = model.mean_, model.components_
        self.explained_variance_ = model.explained_variance_
        self.explained_variance_ratio_ = model.explained_variance_ratio_
        return coords.astype(np.float32)


class _EpochStream:
    """A file for umap's tqdm bar (bar_format '{n}/{total}') that reports epochs done."""

    def __init__(self, progress: Progress, start: float):
        self.progress, self.start = progress, start

    def write(self, text: str) -> None:
        found = re.findall(r"(\d+)/(\d+)", text)
        if found:
            done, total = map(int, found[-1])
            self.progress(self.start + (1 - self.start) * done / max(total, 1),
                          f"UMAP layout: epoch {done} of {total}")

    def flush(self) -> None:
        pass


class _IterationStream:
    """A stdout for scikit-learn's verbose t-SNE that reports its iterations done."""

    def __init__(self, progress: Progress, start: float, total: int):
        self.progress, self.start, self.total = progress, start, total

    def write(self, text: str) -> None:
        found = re.findall(r"Iteration (\d+)", text)
        if found:
            done = int(found[-1])
            self.progress(self.start + (1 - self.start) * min(done / self.total, 1.0),
                          f"t-SNE: iteration {done} of at most {self.total}")

    def flush(self) -> None:
        pass


class UMAPProjection:
    """umap-learn's UMAP with the cosine metric and a fixed seed (single-threaded, so the
    same rows and parameters always give the same map). Initialised from PCA rather than
    the spectral layout: on 50,000 GloVe rows that cuts the run from ~39 s to ~24 s
    (bench/bench_project.py) and the map's preservation score is shown either way.

    Attributes after fit: embedding_ (n, k) float32.
    """

    def __init__(self, n_components: int = 2, n_neighbors: int = 15, min_dist: float = 0.1,
                 random_state: int = RANDOM_STATE, progress: Progress | None = None):
        self.n_components, self.n_neighbors, self.min_dist = n_components, n_neighbors, min_dist
        self.random_state, self.progress = random_state, progress or quiet

    def fit_transform(self, X: np.ndarray) -> np.ndarray:
        n = X.shape[0]
        n_neighbors = check_int("UMAP n_neighbors", self.n_neighbors, 2, min(200, n - 1))
        min_dist = check_float("UMAP min_dist", self.min_dist, 0.0, 0.99)
        self.progress(0.0, f"UMAP: finding the {n_neighbors} nearest neighbours of {n:,} words "
                           "(the first run also compiles numba code: tens of seconds)")
        import umap

        model = umap.UMAP(n_components=self.n_components, n_neighbors=n_neighbors,
                          min_dist=min_dist, metric="cosine", init="pca",
                          random_state=self.random_state, n_jobs=1,
                          tqdm_kwds={"disable": False, "bar_format": "{n}/{total}", "mininterval": 0.5,
                                     "file": _EpochStream(self.progress, 0.3)})
        self.embedding_ = np.asarray(model.fit_transform(np.asarray(X)), dtype=np.float32)
        return self.embedding_


class TSNEProjection:
    """scikit-learn's Barnes-Hut t-SNE, cosine metric, PCA initialisation, fixed seed.
    With a progress callback it reads scikit-learn's verbose lines from stdout (redirected
    for the call: run it where nothing else prints, as a worker process does).

    Attributes after fit: embedding_ (n, k) float32, kl_divergence_.
    """

    def __init__(self, n_components: int = 2, perplexity: float = 30.0,
                 random_state: int = RANDOM_STATE, progress: Progress | None = None):
        self.n_components, self.perplexity = n_components, perplexity
        self.random_state, self.progress = random_state, progress or quiet

    def fit_transform(self, X: np.ndarray) -> np.ndarray:
        n = X.shape[0]
        perplexity = check_float("t-SNE perplexity", self.perplexity, 2.0, min(100.0, n - 1.0))
        self.progress(0.0, f"t-SNE on {n:,} words (about a minute per 10,000)")
        from sklearn.manifold import TSNE

        watched = self.progress is not quiet
        model = TSNE(n_components=self.n_components, perplexity=perplexity, metric="cosine",
                     init="pca", random_state=self.random_state, verbose=2 if watched else 0)
        stream = _IterationStream(self.progress, 0.2, model.max_iter) if watched else sys.stdout
        with contextlib.redirect_stdout(stream):
            self.embedding_ = model.fit_transform(np.asarray(X, dtype=np.float32)).astype(np.float32)
        self.kl_divergence_ = float(model.kl_divergence_)
        return self.embedding_


def word_direction(table: EmbeddingSet, formula: str) -> np.ndarray:
    """(d,) unit direction of a word formula: the sum of the unit vectors of its + words
    minus those of its - words ('woman - man', 'good - bad', or one word)."""
    from engine.analogy import parse_arithmetic

    parsed = parse_arithmetic(formula)
    positive = [table.get_index(w) for w in parsed.positive]
    negative = [table.get_index(w) for w in parsed.negative]
    direction = table.unit[positive].sum(axis=0) - table.unit[negative].sum(axis=0)
    length = float(np.linalg.norm(direction))
    if length < 1e-6:
        raise ValueError(f"the direction {formula.strip()!r} is zero: its words cancel out; "
                         "use words that differ, e.g. 'woman - man'")
    return (direction / length).astype(np.float32)


class WordAxes:
    """Each axis is a word formula; a point's coordinate is its cosine with that direction
    (as in the Parallax tool), so 'woman - man' > 0 reads 'closer to woman than to man'.

    Attributes after fit: directions_ (k, d) float32 unit rows.
    """

    def __init__(self, formulas: Sequence[str], vocabulary: EmbeddingSet):
        self.formulas, self.vocabulary = tuple(formulas), vocabulary

    def fit(self, X: np.ndarray | None = None) -> "WordAxes":
        if not self.formulas:
            raise ValueError("word axes need one formula per axis, e.g. 'woman - man'")
        self.directions_ = np.stack([word_direction(self.vocabulary, f) for f in self.formulas])
        return self

    def fit_transform(self, X: np.ndarray) -> np.ndarray:
        """(n, d) -> (n, k) cosines with the k directions."""
        return unit_rows(X) @ self.fit().directions_.T
