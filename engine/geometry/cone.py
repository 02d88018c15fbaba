"""The narrow cone: anisotropy and isotropy scores of a table's rows (Mu & Viswanath 2018
I(W), Rudman et al. 2022 IsoScore), exact, from moments accumulated over row blocks."""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np

from engine.errors import check_int
from engine.geometry.rows import Progress, blocks, first_rows
from engine.vectors import EmbeddingSet

VARIANCE_FLOOR = 1e-10   # a principal axis with less than this × the top axis's variance has none

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


def block_moments(block: np.ndarray) -> tuple:
    """The sums a block (b, d) of rows adds to Moments: (rows, zero rows, Σw, WᵀW, Σ unit rows,
    Σ‖w‖), float64. Blocks of ROW_BLOCK rows summed in row order by sum_moments give the
    same numbers wherever each block was computed (one BLAS thread: see single_thread)."""
    block = np.asarray(block, dtype=np.float64)
    norms = np.sqrt(np.einsum("ij,ij->i", block, block))
    nonzero = norms > 0
    return (block.shape[0], int((~nonzero).sum()), block.sum(axis=0), block.T @ block,
            (block[nonzero] / norms[nonzero, None]).sum(axis=0), norms.sum())


def sum_moments(parts: list[tuple]) -> Moments:
    """Moments from block_moments of consecutive blocks, added in their order."""
    rows, zero, total, gram, unit_sum, norm_sum = 0, 0, 0.0, 0.0, 0.0, 0.0
    for count, zeros, block_total, block_gram, block_unit_sum, block_norm_sum in parts:
        rows, zero = rows + count, zero + zeros
        total, gram = total + block_total, gram + block_gram
        unit_sum, norm_sum = unit_sum + block_unit_sum, norm_sum + block_norm_sum
    return Moments(rows, zero, total / rows, gram, unit_sum, norm_sum / rows)


def single_thread():
    """BLAS on one thread, so that a block's float64 sums do not depend on how many threads
    the process (an app, a cluster's worker) happens to give BLAS."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(1)


def moments(vectors: np.ndarray, progress: Progress = None) -> Moments:
    """Moments of a (n, d) array in one blocked float64 pass (progress(rows done, n) after
    each block)."""
    parts = []
    with single_thread():
        for start, stop in blocks(len(vectors)):
            parts.append(block_moments(vectors[start:stop]))
            if progress:
                progress(stop, len(vectors))
    return sum_moments(parts)


def mean_pairwise_cosine(unit_sum: np.ndarray, count: int) -> float:
    """Exact mean cosine over ordered pairs i ≠ j of `count` unit rows summing to
    `unit_sum`: (‖Σu‖² − n) / (n(n − 1)), since Σ_ij u_i·u_j = ‖Σu‖² and each u_i·u_i = 1."""
    if count < 2:
        raise ValueError(f"mean cosine needs at least 2 non-zero rows; got {count}")
    return float((unit_sum @ unit_sum - count) / (count * (count - 1)))


def isotropy_directions(gram: np.ndarray) -> np.ndarray:
    """(d, 2d) the eigenvectors of WᵀW with both signs, since an eigenvector's sign is arbitrary."""
    _, directions = np.linalg.eigh(gram)                        # (d, d), columns
    return np.hstack([directions, -directions])


def block_log_partition(block: np.ndarray, directions: np.ndarray) -> np.ndarray:
    """(2d,) log Σ_i exp(cᵀw_i) over a block (b, d) of rows, for each direction c."""
    from scipy.special import logsumexp

    return logsumexp(np.asarray(block, dtype=np.float64) @ directions, axis=0)


def isotropy_from(log_partitions: list[np.ndarray]) -> float:
    """I(W) from the block_log_partition of consecutive blocks, added in their order."""
    log_z = np.full(log_partitions[0].shape[0], -np.inf)
    for part in log_partitions:
        log_z = np.logaddexp(log_z, part)
    return float(np.exp(log_z.min() - log_z.max()))


def partition_isotropy(vectors: np.ndarray, gram: np.ndarray, progress: Progress = None) -> float:
    """I(W) = min_c Z(c) / max_c Z(c), Z(c) = Σ_i exp(cᵀw_i), c over the eigenvectors of
    WᵀW (Mu & Viswanath 2018), each taken with both signs. Computed as exp(min log Z −
    max log Z) with a streamed log-sum-exp, because Z overflows float64 for long vectors
    (progress(rows done, n) after each block)."""
    directions = isotropy_directions(gram)
    parts = []
    with single_thread():
        for start, stop in blocks(vectors.shape[0]):
            parts.append(block_log_partition(vectors[start:stop], directions))
            if progress:
                progress(stop, vectors.shape[0])
    return isotropy_from(parts)


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
    where: str = ""               # the cluster that computed it ("" for this process)

    @property
    def directions(self) -> int:
        """Principal axes with variance: the most dimensions whitening can keep (a centred
        table with D components removed has d − D)."""
        top = self.explained_variance[0] if self.explained_variance.size else 0.0
        return int((self.explained_variance > top * VARIANCE_FLOOR).sum()) if top > 0 else 0

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


def anisotropy(table: EmbeddingSet, restrict: int | None = None, progress: Progress = None) -> Anisotropy:
    """Every anisotropy metric of the first `restrict` rows (all by default), exact, in two
    blocked passes over them (progress(rows done, 2 × rows)).

    The mean cosine is over all pairs of non-zero rows (rows of length 0 have no
    direction; they are counted in zero_norm_rows and left out of it).
    """
    started = time.perf_counter()
    vectors = first_rows(table, restrict)
    n = vectors.shape[0]
    m = moments(vectors, progress and (lambda done, _: progress(done, 2 * n)))
    isotropy = partition_isotropy(vectors, m.gram, progress and (lambda done, _: progress(n + done, 2 * n)))
    return anisotropy_from(m, isotropy, started)


def anisotropy_from(m: Moments, isotropy: float, started: float) -> Anisotropy:
    """The Anisotropy of rows with moments m and I(W) `isotropy` (timed from `started`)."""
    variances = np.clip(np.linalg.eigvalsh(m.covariance)[::-1], 0, None)
    explained = variances / variances.sum() if variances.sum() > 0 else variances
    return Anisotropy(m.rows, m.mean.shape[0], m.zero_norm_rows,
                      mean_pairwise_cosine(m.unit_sum, m.rows - m.zero_norm_rows),
                      float(np.linalg.norm(m.mean)), m.mean_norm, isotropy, isoscore(variances),
                      explained, time.perf_counter() - started)


def sample_pair_cosines(table: EmbeddingSet, pairs: int = 20_000, restrict: int | None = None,
                        seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Cosines of `pairs` random pairs of distinct non-zero rows, and of as many pairs of
    standard Gaussian vectors of the same dimension (the isotropic baseline). (pairs,) each."""
    pairs = check_int("pairs", pairs, 1, 10_000_000)
    unit = table.unit[: len(first_rows(table, restrict))]
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


NARROW_CONE = 0.3        # mean cosine from which most pairs of rows point the same way


def describe_cone(shape: Anisotropy, name: str, pair_cosines: np.ndarray, random_cosines: np.ndarray) -> str:
    """How anisotropic the table is, from its exact mean cosine and its sampled pairs against
    random directions of the same dimension (whose cosines spread about ±1/√d around 0)."""
    spread = 1 / math.sqrt(shape.dim)
    high = float(np.quantile(random_cosines, 0.975))
    above = float(np.mean(pair_cosines > high))
    if shape.mean_cosine >= NARROW_CONE:
        verdict = "a narrow cone: most pairs of its rows point the same way"
    elif shape.mean_cosine >= spread:
        verdict = "a mild cone"
    else:
        verdict = "no narrow cone: its cosines spread much as random directions' do"
    return (f"The mean cosine between two of {name}'s first {shape.rows:,} rows is {shape.mean_cosine:.2f}; "
            f"two random directions in {shape.dim} dimensions average 0 with a spread of ±{spread:.2f}. "
            f"So this table has {verdict} ({above:.0%} of its pairs lie above {high:.2f}, where 2.5% of "
            "random pairs do).")
