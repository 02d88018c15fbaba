"""k-means (k = 8, the Map's default) on GloVe's unit rows: engine.kmeans's Lloyd loop over
row blocks (the one a cluster runs) against scikit-learn's KMeans(algorithm="lloyd", n_init=1)
from the same k-means++ centres, in the same run, both on the machine's cores. Printed per
size: seconds of each (the seeds left out), their ratio, iterations, the share of equal
labels, the inertias' relative difference, and the load average.

Run:  .venv/bin/python bench/bench_kmeans.py [--rows 20000 100000 400000]
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[20_000, 100_000, 400_000])
    parser.add_argument("-k", type=int, default=8)
    args = parser.parse_args()
    from sklearn.cluster import KMeans

    from engine import kmeans as means
    from engine.sources import load_builtin

    glove = load_builtin("glove-6b-50d")
    KMeans(args.k, n_init=1).fit(glove.unit[:2_000])          # scikit-learn's threads started
    for rows in args.rows:
        unit = np.ascontiguousarray(glove.unit[:rows])
        init = means.seeds(unit, args.k, 0).astype(np.float32)
        started = time.perf_counter()
        found = means.kmeans(unit, args.k, init=init)
        ours = time.perf_counter() - started
        started = time.perf_counter()
        reference = KMeans(args.k, init=init, n_init=1, algorithm="lloyd").fit(unit)
        theirs = time.perf_counter() - started
        print(f"{rows:>9,} rows: engine.kmeans {ours:6.2f} s ({found.iterations} iterations)   "
              f"sklearn {theirs:6.2f} s ({reference.n_iter_})   ratio {ours / theirs:5.2f}x   "
              f"labels equal {np.mean(found.labels == reference.labels_):.5f}   inertia rel. diff "
              f"{abs(found.inertia - reference.inertia_) / reference.inertia_:.1e}   "
              f"load {' '.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)


if __name__ == "__main__":
    main()
