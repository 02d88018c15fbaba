"""Map speed, measured in one run against the references.

1. PCA of all 400,000 × 50 GloVe rows to 2-D: engine.projections.PCAProjection vs
   scikit-learn's PCA with its defaults (every component, solver 'auto'), best of 3.
2. The whole Map computation on 400,000 rows (PCA + neighbourhood preservation on 1,000
   sampled words + trustworthiness).
3. UMAP (cosine, seeded, so single-threaded and repeatable; PCA initialisation) on 10k /
   50k / 100k rows after a first call that compiles numba code, against umap-learn's
   defaults without a seed (parallel, spectral initialisation, not repeatable) on the same
   rows. umap-learn runs 500 epochs up to 10,000 rows and 200 above, so 10k can take
   longer than 50k.

Run:  .venv/bin/python bench/bench_project.py [UMAP sizes, default 10000 50000 100000]
      (10–15 minutes on 2 cores; UMAP progress goes to stderr)
"""
from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.project import MapSpec, build_map  # noqa: E402
from engine.projections import PCAProjection, UMAPProjection
from engine.sources import load_builtin  # noqa: E402


def timed(fn, repeat: int = 1) -> tuple[object, float]:
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - started)
    return result, best


def bar(label: str):
    def progress(fraction: float, message: str) -> None:
        print(f"\r   {label}: {fraction:5.1%} {message[:70]:<70}", end="", file=sys.stderr, flush=True)
    return progress


def main(umap_sizes: list[int]) -> None:
    glove = load_builtin("glove-6b-50d")
    X = np.asarray(glove.vectors)
    from sklearn.decomposition import PCA

    print(f"1. PCA to 2-D of {X.shape[0]:,} × {X.shape[1]} (best of 3)")
    ours, t_ours = timed(lambda: PCAProjection(2).fit_transform(X), 3)
    ref, t_ref = timed(lambda: PCA().fit_transform(X), 3)
    worst = np.abs(np.abs(ours) - np.abs(ref[:, :2])).max()
    print(f"   engine {t_ours:6.2f} s   sklearn PCA() defaults {t_ref:6.2f} s   "
          f"ratio {t_ref / t_ours:4.1f}x   max |coordinate difference| {worst:.1e}")

    print(f"2. the Map page's computation on {X.shape[0]:,} rows (PCA + faithfulness)")
    result, t_map = timed(lambda: build_map(glove, MapSpec(rows=X.shape[0])))
    print(f"   {t_map:6.2f} s in all, projection {result.seconds:.2f} s, "
          f"preservation {result.faithfulness.preservation:.3f}, "
          f"trustworthiness {result.faithfulness.trustworthiness:.3f}")

    print("3. UMAP, cosine, 2-D")
    import umap

    _, t_compile = timed(lambda: UMAPProjection().fit_transform(X[:5_000]))
    print(f"   first call on 5,000 rows (numba compile included): {t_compile:6.1f} s")
    for n in umap_sizes:
        rows = X[:n]
        _, t_seeded = timed(lambda: UMAPProjection(progress=bar(f"{n:,}")).fit_transform(rows))
        print(file=sys.stderr)
        line = f"   {n:>7,} rows: engine (seeded, repeatable) {t_seeded:6.1f} s"
        if n <= 50_000:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                _, t_free = timed(lambda: umap.UMAP(metric="cosine").fit_transform(rows))
            line += f"   umap-learn unseeded (parallel) {t_free:6.1f} s   ratio {t_free / t_seeded:4.2f}x"
        print(line, flush=True)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10_000, 50_000, 100_000])
