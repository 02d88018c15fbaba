"""k-means by Lloyd's loop over row blocks: one loop for this process and for a cluster.

Each iteration scores every block of rows against the centres with the same block function
(`block_step`, BLAS on one thread) wherever it runs, and the client adds the blocks' partial
results (per-cluster float64 sums, counts, squared distances) in block order; so labels,
centres and inertia are the same to the last bit in one process and on any cluster whose
tasks are whole blocks. Seeds are k-means++ (scikit-learn's) on the unit rows, or on a fixed
seeded sample of SEED_ROWS of them; the loop stops on scikit-learn's rule (labels unchanged,
or the centres' squared shift at most tol × the data's mean variance, or max_iter), then
assigns every row to the final centres, as sklearn.cluster.KMeans(algorithm="lloyd") does
(except that a cluster left empty keeps its centre, where scikit-learn moves it to a far row).

    result = kmeans(unit_rows(X), 8)      # result.labels (n,), result.centres (8, d)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from engine.geometry.cone import single_thread
from engine.geometry.rows import blocks
from engine.pool import thread_pool

BLOCK = 16_384          # rows per block: a cluster's task is a run of whole blocks
SEED_ROWS = 100_000     # k-means++ seeds from at most this many rows (a seeded sample)
MAX_ITER = 300
TOL = 1e-4

Progress = Callable[[int, int], None] | None        # (iteration, max_iter)


@dataclass(frozen=True)
class BlockPart:
    """What one block of rows gives an iteration: labels (b,) int16 of the nearest centre,
    sums (k, d) float64 of its rows per cluster, counts (k,) int64, and its squared
    distances to their centres and squared norms, summed (float64)."""

    labels: np.ndarray
    sums: np.ndarray
    counts: np.ndarray
    inertia: float
    squares: float


@dataclass(frozen=True, eq=False)
class KMeansResult:
    """labels (n,) int64, centres (k, d) float64, inertia (sum of squared distances of the
    rows to their centres), Lloyd iterations run, and where it ran ("" for this process)."""

    labels: np.ndarray
    centres: np.ndarray
    inertia: float
    iterations: int
    where: str = ""


def block_step(rows: np.ndarray, centres: np.ndarray) -> BlockPart:
    """The nearest of `centres` (k, d) for each of `rows` (b, d) (equal distances: the
    lower centre), and the block's partial sums. Callers hold BLAS to one thread
    (geometry.cone.single_thread), so a block's sums do not depend on where it ran."""
    from scipy.sparse import csr_array

    wide = np.asarray(rows, dtype=np.float64)
    scores = wide @ centres.T - np.einsum("ij,ij->i", centres, centres) / 2          # x·c − |c|²/2
    labels = np.argmax(scores, axis=1)
    squares = np.einsum("ij,ij->i", wide, wide)
    distances = squares - 2 * np.take_along_axis(scores, labels[:, None], 1)[:, 0]  # |x − c|²
    members = csr_array((np.ones(len(labels)), labels, np.arange(len(labels) + 1)),
                        shape=(len(labels), len(centres))).T.tocsr()                # (k, b) one-hot
    sums = members @ wide                       # each cluster's rows added in row order
    counts = np.bincount(labels, minlength=len(centres))
    return BlockPart(labels.astype(np.int16), sums, counts, float(distances.sum()), float(squares.sum()))


def seeds(unit: np.ndarray, k: int, random_state: int = 0) -> np.ndarray:
    """(k, d) float64 k-means++ centres of the unit rows (n, d), from a seeded sample of
    SEED_ROWS rows when there are more (a cluster's client reads only those)."""
    from sklearn.cluster import kmeans_plusplus

    rng = np.random.default_rng(random_state)
    chosen = np.sort(rng.choice(len(unit), SEED_ROWS, replace=False)) if len(unit) > SEED_ROWS \
        else slice(None)
    centres, _ = kmeans_plusplus(np.asarray(unit[chosen], dtype=np.float64), k, random_state=random_state)
    return centres


def lloyd(steps: Callable[[np.ndarray], list[BlockPart]], rows: int, init: np.ndarray,
          max_iter: int = MAX_ITER, tol: float = TOL, progress: Progress = None) -> KMeansResult:
    """Lloyd's loop from the centres `init` (k, d) over `rows` rows whose block parts, in
    block order, steps(centres) returns (computed here or on a cluster's workers)."""
    centres, previous, threshold = np.array(init, dtype=np.float64), None, None
    for iteration in range(1, max_iter + 1):
        parts = steps(centres)
        labels = np.concatenate([part.labels for part in parts])
        sums, counts = _added(parts, centres)
        if threshold is None:           # scikit-learn's tolerance: tol × mean variance
            mean = sums.sum(axis=0) / rows
            squares = sum(part.squares for part in parts)
            threshold = tol * (squares / rows - mean @ mean) / centres.shape[1]
        moved = np.where(counts[:, None] > 0, sums / np.maximum(counts, 1)[:, None], centres)
        shift = float(((moved - centres) ** 2).sum())
        centres = moved
        if progress:
            progress(iteration, max_iter)
        if (previous is not None and np.array_equal(labels, previous)) or shift <= threshold:
            break
        previous = labels
    parts = steps(centres)
    return KMeansResult(np.concatenate([part.labels for part in parts]).astype(np.int64), centres,
                        sum(part.inertia for part in parts), iteration)


def _added(parts: list[BlockPart], centres: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The blocks' sums (k, d) and counts (k,), added in block order."""
    sums, counts = np.zeros_like(centres), np.zeros(len(centres), dtype=np.int64)
    for part in parts:
        sums += part.sums
        counts += part.counts
    return sums, counts


def kmeans(unit: np.ndarray, k: int, random_state: int = 0, init: np.ndarray | None = None,
           max_iter: int = MAX_ITER, tol: float = TOL, progress: Progress = None) -> KMeansResult:
    """k-means of the rows `unit` (n, d) into k clusters in this process (its blocks on a
    thread pool), from `init` (k, d) or k-means++ seeds."""
    start = seeds(unit, k, random_state) if init is None else init
    spans = list(blocks(len(unit), BLOCK))
    with single_thread(), thread_pool() as pool:
        def steps(centres: np.ndarray) -> list[BlockPart]:
            return list(pool.map(lambda span: block_step(unit[span[0]:span[1]], centres), spans))

        return lloyd(steps, len(unit), start, max_iter, tol, progress)
