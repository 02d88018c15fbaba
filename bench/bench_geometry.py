"""Geometry speed against plain NumPy references, measured in the same run.

1. Exact hubness (k=10, cosine, self excluded) on the 50,000 most frequent GloVe words:
   engine.geometry.exact_neighbours (on this CPU: the int16 VNNI kernel where it has one,
   else symmetric float32 tiles: each pair scored once) vs the query-block path (explicit
   queries) and vs a blocked matrix product + np.argpartition.
2. Exact hubness of all 400,000 rows: exact_neighbours timed in full, wall and CPU seconds,
   against the float32 path (symmetric tiles re-ranked exactly: what a CPU without VNNI
   runs) in full, with identical N_k and neighbour lists checked; the query-block path and
   the argpartition reference timed on 4,000 queries (every 100th row) and extrapolated.
   --goal runs this section alone.
3. Every anisotropy metric on 400,000 × 50 vs the same metrics by sklearn PCA + float64
   copies.

Every timed line carries the load average.
Run:  .venv/bin/python bench/bench_geometry.py [--goal]   (about 5 minutes on 2 idle cores)
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine import geometry  # noqa: E402
from engine.geometry import neighbours  # noqa: E402
from engine.sources import load_builtin  # noqa: E402

K = 10


def reference_neighbours(unit: np.ndarray, k: int, queries: np.ndarray | None = None,
                         block: int = 512) -> np.ndarray:
    """The straightforward way: block of scores, argpartition, sort the k."""
    queries = np.arange(unit.shape[0]) if queries is None else queries
    out = np.empty((queries.shape[0], k), dtype=np.int64)
    for start in range(0, queries.shape[0], block):
        rows = queries[start:start + block]
        scores = unit[rows] @ unit.T
        scores[np.arange(rows.shape[0]), rows] = -np.inf
        part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
        order = np.argsort(-np.take_along_axis(scores, part, axis=1), axis=1)
        out[start:start + block] = np.take_along_axis(part, order, axis=1)
    return out


def timed(fn):
    started = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - started


def load() -> str:
    return "load " + " ".join(f"{x:.1f}" for x in os.getloadavg())


def cpu_timed(fn):
    """fn()'s value, wall seconds and CPU seconds of this process (every thread)."""
    cpu = time.process_time()
    result, wall = timed(fn)
    return result, wall, time.process_time() - cpu


def float32_path(unit, k):
    """exact_neighbours as a CPU without AVX-512 VNNI runs it."""
    kept = neighbours.SHORTLIST_ROWS
    neighbours.SHORTLIST_ROWS = 1 << 62
    try:
        return geometry.exact_neighbours(unit, k)
    finally:
        neighbours.SHORTLIST_ROWS = kept


def goal(unit) -> tuple[np.ndarray, float]:
    """Section 2's full runs: the all-rows search, and the float32 path, same checks."""
    from engine.geometry.vnni import available

    (full, _), wall, cpu = cpu_timed(lambda: geometry.exact_neighbours(unit, K))
    kernel = "int16 VNNI kernel" if available() else "float32 path (no VNNI here)"
    print(f"   exact_neighbours ({kernel}): {wall:6.1f} s wall, {cpu:6.1f} CPU-s   {load()}")
    (reference, _), wall32, cpu32 = cpu_timed(lambda: float32_path(unit, K))
    occurrence = np.bincount(full.ravel(), minlength=len(unit))
    from scipy.stats import skew

    print(f"   float32 path: {wall32:6.1f} s wall, {cpu32:6.1f} CPU-s ({wall32 / wall:4.1f}x)   "
          f"{load()}   identical N_k {np.array_equal(occurrence, np.bincount(reference.ravel(), minlength=len(unit)))}"
          f"   identical lists {np.array_equal(full, reference)}   skewness {skew(occurrence):.4f}")
    return full, wall


def same(a: np.ndarray, b: np.ndarray) -> float:
    """Share of equal entries of two (q, k) neighbour lists, each row taken as a set."""
    return float(np.mean(np.sort(a, axis=1) == np.sort(b, axis=1)))


def main() -> None:
    glove = load_builtin("glove-6b-50d")
    unit = glove.unit
    if "--goal" in sys.argv:
        print("2. exact hubness, k=10, all 400,000 rows")
        goal(unit)
        return

    print("1. exact k-NN, k=10, 50,000 rows")
    sub = np.ascontiguousarray(unit[:50_000])
    (ours, _), t_ours = timed(lambda: geometry.exact_neighbours(sub, K))
    (blocks, _), t_blocks = timed(lambda: geometry.exact_neighbours(sub, K, queries=np.arange(50_000)))
    ref, t_ref = timed(lambda: reference_neighbours(sub, K))
    print(f"   all rows {t_ours:6.2f} s   query blocks {t_blocks:6.2f} s ({t_blocks / t_ours:4.1f}x)   "
          f"argpartition reference {t_ref:6.2f} s ({t_ref / t_ours:4.1f}x)   same neighbours "
          f"{same(ours, blocks):.4%} / {same(ours, ref):.4%}")

    print("2. exact hubness, k=10, all 400,000 rows (in full; the others on 4,000 query rows, "
          "extrapolated)")
    full, t_full = goal(unit)
    probe = np.arange(0, len(glove), 100)
    (sliced, _), t_slice = timed(lambda: geometry.exact_neighbours(unit, K, queries=probe))
    ref, t_ref_slice = timed(lambda: reference_neighbours(unit, K, probe))
    scale = len(glove) / probe.shape[0]
    print(f"   all rows {t_full:6.1f} s   query blocks ≈ {t_slice * scale:6.1f} s "
          f"({t_slice * scale / t_full:4.1f}x)   argpartition reference ≈ {t_ref_slice * scale:6.1f} s "
          f"({t_ref_slice * scale / t_full:4.1f}x)   same neighbours on the probe rows "
          f"{same(full[probe], sliced):.4%} / {same(full[probe], ref):.4%}")

    print("3. anisotropy metrics, 400,000 × 50")
    result, t_aniso = timed(lambda: geometry.anisotropy(glove))

    def reference():
        from scipy.special import logsumexp
        from sklearn.decomposition import PCA

        x = np.asarray(glove.vectors, dtype=np.float64)
        u = x / np.linalg.norm(x, axis=1, keepdims=True)
        s = u.sum(axis=0)
        mean_cos = (s @ s - len(u)) / (len(u) * (len(u) - 1))
        variances = PCA().fit(x).explained_variance_
        _, axes = np.linalg.eigh(x.T @ x)
        projected = x @ axes                      # both signs of each eigenvector, as the engine
        log_z = np.concatenate([logsumexp(projected, axis=0), logsumexp(-projected, axis=0)])
        return mean_cos, variances, np.exp(log_z.min() - log_z.max())

    (mean_cos, _, iw), t_ref = timed(reference)
    print(f"   engine {t_aniso:5.2f} s   sklearn-PCA / float64 reference {t_ref:5.2f} s   "
          f"ratio {t_ref / t_aniso:4.1f}x   mean cosine {result.mean_cosine:.6f} vs "
          f"{mean_cos:.6f}   I(W) {result.isotropy:.6f} vs {iw:.6f}")


if __name__ == "__main__":
    main()
