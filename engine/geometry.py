"""The geometry of a table: anisotropy (the narrow cone), isotropy scores, hubness,
frequency effects, and the known fixes (centring, all-but-the-top, whitening, CSLS).

Every fix returns a NEW EmbeddingSet named "<source> · <fix>"; the input, which may be a
read-only memory map, is never changed. Statistics are accumulated in float64 over row
blocks, so a 400,000 × 50 table never needs a float64 copy of itself.

References: Mu & Viswanath 2018 (I(W), all-but-the-top), Rudman et al. 2022 (IsoScore),
Radovanović et al. 2010 (hubness), Feldbauer et al. 2018 (Robin Hood index),
Su et al. 2021 (BERT-whitening), Conneau et al. 2018 (CSLS).
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, replace
from typing import Callable

import numpy as np

from engine.errors import UnknownWordError, check_int
from engine.vectors import EmbeddingSet, Neighbour, top_k

Progress = Callable[[int, int], None] | None
ROW_BLOCK = 65_536          # rows per block for the float64 statistics
QUERY_BLOCK = 512           # query rows per block of the k-NN search, at most …
BLOCK_CELLS = 1 << 25       # … this many scores (128 MB of float32) per block
GROUPS = 64                 # column groups for the k-NN lower bound (see _top_k_rows)


def _rows(table: EmbeddingSet, restrict: int | None) -> np.ndarray:
    """The first `restrict` rows (all when None), checked against the table size."""
    if len(table) == 0:
        raise ValueError(f"{table.name} has no rows; there is no geometry to measure")
    n = len(table) if restrict is None else check_int("restrict", restrict, 1, len(table))
    return table.vectors[:n]


def _blocks(n: int, size: int = ROW_BLOCK):
    for start in range(0, n, size):
        yield start, min(start + size, n)


# -- anisotropy and isotropy ----------------------------------------------------------
@dataclass(frozen=True)
class Moments:
    """First and second moments of the rows, in float64.

    mean : (d,) mean row.  gram : (d, d) WᵀW.  unit_sum : (d,) sum of unit rows.
    """

    rows: int
    zero_norm_rows: int
    mean: np.ndarray
    gram: np.ndarray
    unit_sum: np.ndarray
    mean_norm: float

    @property
    def covariance(self) -> np.ndarray:
        """(d, d) population covariance WᵀW/n − μμᵀ."""
        return self.gram / self.rows - np.outer(self.mean, self.mean)


def moments(vectors: np.ndarray) -> Moments:
    """Moments of a (n, d) array in one blocked float64 pass."""
    n, d = vectors.shape
    total, gram, unit_sum = np.zeros(d), np.zeros((d, d)), np.zeros(d)
    norm_sum, zero = 0.0, 0
    for start, stop in _blocks(n):
        block = np.asarray(vectors[start:stop], dtype=np.float64)
        norms = np.sqrt(np.einsum("ij,ij->i", block, block))
        nonzero = norms > 0
        zero += int((~nonzero).sum())
        total += block.sum(axis=0)
        gram += block.T @ block
        unit_sum += (block[nonzero] / norms[nonzero, None]).sum(axis=0)
        norm_sum += norms.sum()
    return Moments(n, zero, total / n, gram, unit_sum, norm_sum / n)


def mean_pairwise_cosine(unit_sum: np.ndarray, count: int) -> float:
    """Exact mean cosine over ordered pairs i ≠ j of `count` unit rows summing to
    `unit_sum`: (‖Σu‖² − n) / (n(n − 1)), since Σ_ij u_i·u_j = ‖Σu‖² and each u_i·u_i = 1."""
    if count < 2:
        raise ValueError(f"mean cosine needs at least 2 non-zero rows; got {count}")
    return float((unit_sum @ unit_sum - count) / (count * (count - 1)))


def partition_isotropy(vectors: np.ndarray, gram: np.ndarray) -> float:
    """I(W) = min_c Z(c) / max_c Z(c), Z(c) = Σ_i exp(cᵀw_i), c over the eigenvectors of
    WᵀW (Mu & Viswanath 2018), each taken with both signs since an eigenvector's sign is
    arbitrary. Computed as exp(min log Z − max log Z) with a streamed log-sum-exp,
    because Z overflows float64 for long vectors."""
    from scipy.special import logsumexp

    _, directions = np.linalg.eigh(gram)                        # (d, d), columns
    directions = np.hstack([directions, -directions])           # (d, 2d)
    log_z = np.full(directions.shape[1], -np.inf)
    for start, stop in _blocks(vectors.shape[0]):
        projected = np.asarray(vectors[start:stop], dtype=np.float64) @ directions
        log_z = np.logaddexp(log_z, logsumexp(projected, axis=0))
    return float(np.exp(log_z.min() - log_z.max()))


def isoscore(variances: np.ndarray) -> float:
    """IsoScore (Rudman et al. 2022) from the variances along the principal axes, (d,):
    1 when every direction is used equally, 0 when one direction holds all variance."""
    d = variances.shape[0]
    if d < 2:
        raise ValueError("IsoScore needs at least 2 dimensions")
    length = np.linalg.norm(variances)
    if length == 0:
        raise ValueError("every row is the same point: the variance is zero in all directions")
    normalised = math.sqrt(d) * variances / length
    defect = np.linalg.norm(normalised - 1) / math.sqrt(2 * (d - math.sqrt(d)))
    return float(((d - defect ** 2 * (d - math.sqrt(d))) ** 2 - d) / (d * (d - 1)))


@dataclass(frozen=True)
class Anisotropy:
    """How far a table is from isotropic. explained_variance: (d,) share of variance of
    each principal component, largest first."""

    rows: int
    dim: int
    zero_norm_rows: int
    mean_cosine: float
    mean_vector_norm: float
    mean_norm: float
    isotropy: float
    isoscore: float
    explained_variance: np.ndarray = field(repr=False)
    seconds: float = 0.0

    @property
    def norm_ratio(self) -> float:
        """‖mean row‖ / mean ‖row‖: 0 when the rows cancel out, 1 when all are the same."""
        return self.mean_vector_norm / self.mean_norm if self.mean_norm else 0.0

    def to_dict(self) -> dict:
        return {"rows": self.rows, "dim": self.dim, "zero_norm_rows": self.zero_norm_rows,
                "mean_cosine": self.mean_cosine, "mean_vector_norm": self.mean_vector_norm,
                "mean_norm": self.mean_norm, "norm_ratio": self.norm_ratio,
                "isotropy": self.isotropy, "isoscore": self.isoscore,
                "top_components_explained": self.explained_variance[:10].tolist(),
                "seconds": self.seconds}


def anisotropy(table: EmbeddingSet, restrict: int | None = None) -> Anisotropy:
    """Every anisotropy metric of the first `restrict` rows (all by default), exact.

    The mean cosine is over all pairs of non-zero rows (rows of length 0 have no
    direction; they are counted in zero_norm_rows and left out of it).
    """
    started = time.perf_counter()
    vectors = _rows(table, restrict)
    m = moments(vectors)
    variances = np.clip(np.linalg.eigvalsh(m.covariance)[::-1], 0, None)
    explained = variances / variances.sum() if variances.sum() > 0 else variances
    return Anisotropy(m.rows, vectors.shape[1], m.zero_norm_rows,
                      mean_pairwise_cosine(m.unit_sum, m.rows - m.zero_norm_rows),
                      float(np.linalg.norm(m.mean)), m.mean_norm,
                      partition_isotropy(vectors, m.gram), isoscore(variances), explained,
                      time.perf_counter() - started)


def sample_pair_cosines(table: EmbeddingSet, pairs: int = 20_000, restrict: int | None = None,
                        seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Cosines of `pairs` random pairs of distinct non-zero rows, and of as many pairs of
    standard Gaussian vectors of the same dimension (the isotropic baseline). (pairs,) each."""
    pairs = check_int("pairs", pairs, 1, 10_000_000)
    unit = table.unit[: len(_rows(table, restrict))]
    rows = np.flatnonzero(np.einsum("ij,ij->i", unit, unit) > 0)
    if rows.shape[0] < 2:
        raise ValueError(f"{table.name} has fewer than 2 non-zero rows; no pair to compare")
    rng = np.random.default_rng(seed)
    a = rng.choice(rows, pairs)
    b = rng.choice(rows, pairs)
    b = np.where(a == b, rows[(np.searchsorted(rows, b) + 1) % rows.shape[0]], b)
    table_cos = np.einsum("ij,ij->i", unit[a], unit[b])
    gauss = rng.standard_normal((2, pairs, table.dim))
    gauss /= np.linalg.norm(gauss, axis=2, keepdims=True)
    return table_cos, np.einsum("ij,ij->i", gauss[0], gauss[1]).astype(np.float32)


# -- nearest neighbours and hubness ----------------------------------------------------
def _top_k_rows(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Exact top-k of each row of a (b, n) matrix, best first: ((b, k) columns, (b, k) scores).

    Why not argpartition: selecting in 2,500 million scores costs ~10 ns each. Instead the
    columns are cut into GROUPS groups; each group's maximum is a distinct score, so the
    k-th largest group maximum is a lower bound of the row's k-th largest score. Only the
    few scores at or above it (≈ 2k per row) are sorted. -inf marks excluded cells.
    """
    b, n = scores.shape
    groups = min(GROUPS, n)
    if groups <= k:
        best = np.argsort(-scores, axis=1, kind="stable")[:, :k]
        return best, np.take_along_axis(scores, best, axis=1)
    starts = np.linspace(0, n, groups + 1).astype(np.int64)[:-1]
    maxima = np.maximum.reduceat(scores, starts, axis=1)                   # (b, groups)
    bound = np.partition(maxima, groups - k, axis=1)[:, groups - k]        # (b,)
    flat = np.flatnonzero(scores >= bound[:, None])
    rows, cols = np.divmod(flat, n)
    values = scores.ravel()[flat]
    order = np.lexsort((cols, -values, rows))       # by row, best first, ties by index
    first = np.searchsorted(rows[order], np.arange(b))
    take = order[first[:, None] + np.arange(k)]
    return cols[take], values[take]


@dataclass(frozen=True)
class NeighbourGraph:
    """The k nearest rows (cosine, self excluded) of each of the first `rows` rows.

    indices : (rows, k) int64 row numbers, best first.  scores : (rows, k) float32 cosines.
    """

    indices: np.ndarray = field(repr=False)
    scores: np.ndarray = field(repr=False)
    seconds: float

    @property
    def rows(self) -> int:
        return self.indices.shape[0]

    @property
    def k(self) -> int:
        return self.indices.shape[1]


def _check_graph_input(table: EmbeddingSet, k: int, restrict: int | None) -> tuple[np.ndarray, int]:
    unit = table.unit[: len(_rows(table, restrict))]
    zero = int((np.einsum("ij,ij->i", unit, unit) == 0).sum())
    if zero:
        raise ValueError(f"{table.name} has {zero:,} rows of length 0 among the first "
                         f"{len(unit):,}: they have no direction, so no cosine neighbours; "
                         "drop them first")
    if len(unit) < 2:
        raise ValueError("hubness needs at least 2 rows")
    return unit, check_int("k", k, 1, len(unit) - 1)


def exact_neighbours(unit: np.ndarray, k: int, exclude_self: bool = True,
                     row_bias: np.ndarray | None = None, progress: Progress = None,
                     queries: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Exact top-k of `queries` (default: every row of `unit`) by score
    unit[j]·q − row_bias[j], in blocks of QUERY_BLOCK queries (fewer for long tables,
    so a block of scores stays within BLOCK_CELLS).

    unit : (n, d) unit rows.  row_bias : (n,) subtracted from every column (CSLS), or None.
    queries : (q,) row numbers.  Returns ((q, k) indices, (q, k) scores), best first.
    """
    queries = np.arange(unit.shape[0]) if queries is None else np.asarray(queries)
    indices = np.empty((queries.shape[0], k), dtype=np.int64)
    scores = np.empty((queries.shape[0], k), dtype=np.float32)
    block_rows = max(16, min(QUERY_BLOCK, BLOCK_CELLS // unit.shape[0]))
    for start, stop in _blocks(queries.shape[0], block_rows):
        rows = queries[start:stop]
        block = unit[rows] @ unit.T                                         # (b, n)
        if row_bias is not None:
            block -= row_bias
        if exclude_self:
            block[np.arange(rows.shape[0]), rows] = -np.inf
        indices[start:stop], scores[start:stop] = _top_k_rows(block, k)
        if progress:
            progress(stop, queries.shape[0])
    return indices, scores


def neighbour_graph(table: EmbeddingSet, k: int = 10, restrict: int | None = None,
                    progress: Progress = None) -> NeighbourGraph:
    """The exact k nearest rows by cosine (self excluded) of each of the first `restrict`
    rows, searched among those rows. Cost grows with restrict²: ~restrict²·d multiply-adds."""
    started = time.perf_counter()
    unit, k = _check_graph_input(table, k, restrict)
    indices, scores = exact_neighbours(unit, k, progress=progress)
    return NeighbourGraph(indices, scores, time.perf_counter() - started)


@dataclass(frozen=True)
class Hubness:
    """k-occurrence statistics (Radovanović et al. 2010). occurrence: (rows,) N_k of each row;
    hubs: the rows with the largest N_k, as (key, N_k)."""

    k: int
    rows: int
    skewness: float
    robin_hood: float
    antihub_fraction: float
    max_occurrence: int
    hubs: tuple[tuple[str, int], ...]
    occurrence: np.ndarray = field(repr=False)
    retrieval: str = "cosine"
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return {"k": self.k, "rows": self.rows, "skewness": self.skewness,
                "robin_hood": self.robin_hood, "antihub_fraction": self.antihub_fraction,
                "max_occurrence": self.max_occurrence,
                "hubs": [{"key": key, "occurrence": count} for key, count in self.hubs],
                "retrieval": self.retrieval, "seconds": self.seconds}


def hubness_from_indices(indices: np.ndarray, keys: list[str], top: int = 20) -> Hubness:
    """Hubness of a (n, k) neighbour list: N_k counts how often each row is a neighbour.

    Robin Hood index: the share of all neighbour slots that would have to move for every
    row to be a neighbour exactly k times, Σ|N_k − k| / (2nk).
    """
    from scipy.stats import skew

    n, k = indices.shape
    valid = indices[indices >= 0]
    occurrence = np.bincount(valid, minlength=n)
    hubs = top_k(occurrence.astype(np.float64), min(top, n))
    return Hubness(k, n, float(skew(occurrence)),
                   float(np.abs(occurrence - k).sum() / (2 * n * k)),
                   float((occurrence == 0).mean()), int(occurrence.max()),
                   tuple((keys[i], int(occurrence[i])) for i in hubs), occurrence)


def hubness(table: EmbeddingSet, graph: NeighbourGraph) -> Hubness:
    """Hubness of `table`'s first graph.rows rows under cosine retrieval."""
    found = hubness_from_indices(graph.indices, table.index_to_key)
    return replace(found, seconds=graph.seconds)


# -- CSLS ----------------------------------------------------------------------------
def csls_penalty(graph: NeighbourGraph) -> np.ndarray:
    """r_k of every row: the mean cosine of its k nearest rows (Conneau et al. 2018). (rows,)"""
    return graph.scores.mean(axis=1, dtype=np.float64).astype(np.float32)


def csls_most_similar(table: EmbeddingSet, word: str, penalty: np.ndarray,
                      topn: int = 10) -> list[Neighbour]:
    """Nearest rows of `word` by CSLS = 2·cos(w, y) − r_k(w) − r_k(y), searched among the
    first len(penalty) rows. penalty : (rows,) from csls_penalty, computed once per table."""
    limit = penalty.shape[0]
    i = table.get_index(word)
    if i >= limit:
        raise UnknownWordError(word, f"the first {limit:,} rows of {table.name}", limit, [])
    topn = check_int("topn", topn, 1, limit - 1)
    scores = 2 * (table.unit[:limit] @ table.unit[i]) - penalty[i] - penalty
    scores[i] = -np.inf
    return [Neighbour(table.index_to_key[j], float(scores[j])) for j in top_k(scores, topn)]


def csls_hubness(table: EmbeddingSet, graph: NeighbourGraph, progress: Progress = None) -> Hubness:
    """Hubness when each row's k neighbours are retrieved by CSLS instead of cosine
    (r_k of the query is constant per row, so ranking by cos − r_k(y)/2 is the same)."""
    started = time.perf_counter()
    unit = table.unit[: graph.rows]
    indices, _ = exact_neighbours(unit, graph.k, row_bias=csls_penalty(graph) / 2,
                                  progress=progress)
    found = hubness_from_indices(indices, table.index_to_key)
    return replace(found, retrieval="CSLS", seconds=time.perf_counter() - started + graph.seconds)


def csls_word_pairs(table: EmbeddingSet, penalty: np.ndarray, pairs: str = "wordsim353") -> dict:
    """Word-pair benchmark scored by CSLS instead of cosine, on the first len(penalty) rows:
    the foundation's evaluate_word_pairs picks and scores the pairs (case-insensitive, as
    gensim), then each cosine c becomes 2c − r_k(a) − r_k(b).
    Returns {"pearson", "spearman", "pairs"}."""
    from scipy import stats

    from engine.evaluate import _upper_vocabulary, evaluate_word_pairs

    limit = penalty.shape[0]
    scored = evaluate_word_pairs(table, pairs, restrict_vocab=limit).scored
    vocab = _upper_vocabulary(table, limit)
    gold = np.array([human for _, _, human, _ in scored])
    csls = np.array([2 * cos - penalty[vocab[a.upper()]] - penalty[vocab[b.upper()]]
                     for a, b, _, cos in scored])
    return {"pearson": float(stats.pearsonr(gold, csls)[0]),
            "spearman": float(stats.spearmanr(gold, csls)[0]), "pairs": len(scored)}


# -- frequency -----------------------------------------------------------------------
@dataclass(frozen=True)
class FrequencyProfile:
    """Vector norm and neighbour quality against frequency rank (row order).

    bins : one dict per log-spaced rank band: from_rank, to_rank, rows, mean_norm,
    neighbour_cosine (mean cosine to its k nearest rows), rare_neighbour_share (share of
    its neighbours in the rarer half of the rows searched), mean_occurrence (mean N_k).
    ranks, norms : (m,) a log-spaced sample of rows for a scatter plot, ranks from 1.
    """

    bins: tuple[dict, ...]
    ranks: np.ndarray = field(repr=False)
    norms: np.ndarray = field(repr=False)
    frequency_ordered: bool = True

    def to_dict(self) -> dict:
        return {"frequency_ordered": self.frequency_ordered, "bins": list(self.bins)}


def frequency_profile(table: EmbeddingSet, graph: NeighbourGraph, bands: int = 10,
                      points: int = 20_000) -> FrequencyProfile:
    """Norm and neighbour statistics of the graph's rows in `bands` log-spaced rank bands."""
    bands = check_int("bands", bands, 1, 100)
    n = graph.rows
    norms = table.norms[:n]
    occurrence = np.bincount(graph.indices[graph.indices >= 0], minlength=n)
    rare = (graph.indices >= n // 2).mean(axis=1)
    edges = np.unique(np.geomspace(1, n + 1, bands + 1).astype(np.int64))
    rows = []
    for low, high in zip(edges[:-1], edges[1:]):
        band = slice(low - 1, high - 1)
        rows.append({"from_rank": int(low), "to_rank": int(high - 1), "rows": int(high - low),
                     "mean_norm": float(norms[band].mean()),
                     "neighbour_cosine": float(graph.scores[band].mean()),
                     "rare_neighbour_share": float(rare[band].mean()),
                     "mean_occurrence": float(occurrence[band].mean())})
    sample = np.unique(np.geomspace(1, n, min(points, n)).astype(np.int64)) - 1
    return FrequencyProfile(tuple(rows), sample + 1, norms[sample], table.frequency_ordered)


# -- fixes: each returns a new EmbeddingSet ---------------------------------------------
def _fit(table: EmbeddingSet, fit_rows: int | None) -> tuple[Moments, str]:
    """Moments of the first fit_rows rows (all by default) and the name suffix saying so."""
    vectors = _rows(table, fit_rows)
    suffix = "" if vectors.shape[0] == len(table) else f", fitted on the first {vectors.shape[0]:,} rows"
    return moments(vectors), suffix


def _derived(table: EmbeddingSet, vectors: np.ndarray, fix: str, what: str) -> EmbeddingSet:
    return EmbeddingSet(np.ascontiguousarray(vectors, dtype=np.float32), table.index_to_key,
                        f"{table.name} · {fix}", table.frequency_ordered,
                        f"{table.name} {what} ({len(table):,} rows × {vectors.shape[1]})")


def _principal_axes(m: Moments) -> tuple[np.ndarray, np.ndarray]:
    """Variances (d,) largest first and the principal axes (d, d) as columns."""
    variances, axes = np.linalg.eigh(m.covariance)
    return variances[::-1], axes[:, ::-1]


def _centred(table: EmbeddingSet, m: Moments) -> np.ndarray:
    return np.asarray(table.vectors, dtype=np.float32) - m.mean.astype(np.float32)


def centre(table: EmbeddingSet, fit_rows: int | None = None) -> EmbeddingSet:
    """Every row minus the mean of the first fit_rows rows (all rows by default)."""
    m, fitted = _fit(table, fit_rows)
    return _derived(table, _centred(table, m), "centred", f"minus its mean row{fitted}")


def default_removed_components(dim: int) -> int:
    """D ≈ d/100, rounded up (Mu & Viswanath 2018)."""
    return max(1, math.ceil(dim / 100))


def all_but_the_top(table: EmbeddingSet, components: int | None = None,
                    fit_rows: int | None = None) -> EmbeddingSet:
    """Centre, then remove the projections on the top `components` principal axes
    (Mu & Viswanath 2018). components: 1 … d−1, default ⌈d/100⌉. Mean and axes come from
    the first fit_rows rows (all by default); every row is transformed."""
    d = table.dim
    if d < 2:
        raise ValueError("all-but-the-top needs at least 2 dimensions")
    components = default_removed_components(d) if components is None else components
    components = check_int("components to remove (D)", components, 1, d - 1)
    m, fitted = _fit(table, fit_rows)
    top = _principal_axes(m)[1][:, :components].astype(np.float32)          # (d, D)
    centred = _centred(table, m)
    centred -= (centred @ top) @ top.T
    return _derived(table, centred, f"all-but-the-top (D={components})",
                    f"centred, top {components} principal component(s) removed{fitted}")


def whiten(table: EmbeddingSet, dims: int | None = None, fit_rows: int | None = None) -> EmbeddingSet:
    """BERT-whitening (Su et al. 2021): (x − μ)·U·Λ^(−1/2), keeping the first `dims`
    principal axes (all by default), so the covariance of the fitted rows becomes the
    identity. μ, U, Λ come from the first fit_rows rows (all by default)."""
    dims = table.dim if dims is None else check_int("whitening dims", dims, 1, table.dim)
    m, fitted = _fit(table, fit_rows)
    variances, axes = _principal_axes(m)
    tiny = variances[:dims] <= variances[0] * 1e-10
    if tiny.any():
        raise ValueError(f"the table has only {int((~tiny).sum())} directions with variance; "
                         f"whitening to {dims} dims would divide by zero — choose fewer dims")
    transform = (axes[:, :dims] / np.sqrt(variances[:dims])).astype(np.float32)
    label = "whitened" if dims == table.dim else f"whitened to {dims} dims"
    return _derived(table, _centred(table, m) @ transform, label,
                    f"whitened (covariance = identity) on {dims} principal axes{fitted}")


# -- before / after ------------------------------------------------------------------
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
    penalty (len pair_rows) is given, where analogies are not scored (None). A benchmark
    that cannot run on this table (no word in common) is None too."""
    from engine.evaluate import evaluate_word_analogies, evaluate_word_pairs

    def analogies():
        if penalty is not None:
            return None
        return evaluate_word_analogies(table, restrict_vocab=analogy_rows, progress=progress).accuracy

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
