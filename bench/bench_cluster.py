"""The all-rows passes on a local Dask cluster of two one-thread workers against the single
process (both cores), in the same run, and what a cluster costs on a small table.

1. The big table (bench/make_big_table.py --dim 50: GloVe plus four noisy copies, 2,000,000
   × 50, imported into a library under /tmp as `engine import` does): anisotropy, exact
   hubness (k = 10) of its first --exact-rows rows, k-means (k = 8, the Map's default) of
   every row, map faithfulness's search of 1,000 sampled rows' 10 nearest among the first
   400,000 (the most a map draws), and hubness of every row through the saved ANN index
   (built once, before either run), each alone and on `local:2`; wall seconds, whether the
   numbers are identical, and the seconds the workers' tasks took (Dask's task stream), from
   which the wall time on W workers is projected as the cluster's start plus task seconds / W
   (the tasks are independent shares of the rows; an exact pass does twice the single
   process's work, which scores each pair once). k-means waits for every iteration's tasks,
   so its projection adds, instead of the start, the part of its wall time on local:2 that
   is not task seconds / 2 (seeding, the client's sums, one round trip per iteration).
2. Overhead on a small table (GloVe's first 20,000 rows): starting local:2, and each pass
   alone and on it.
3. With --engines, Dask against Ray, each started as a local cluster of 2 workers: start-up,
   memory of its processes, seconds per empty task, and one pass of moments over 400,000 × 50
   in 25 blocks (Ray is not a requirement: run this with a Python that has it, e.g.
   `python bench/bench_cluster.py --engines ray`).

Every line carries the load average.
Run:  .venv/bin/python bench/bench_cluster.py --big /tmp/big-2m-50.bin [--exact-rows N]
      [--passes anisotropy exact kmeans faithfulness index]   (the index pass on 2,000,000 rows takes about 20
      minutes on 2 idle cores, exact hubness of 400,000 rows about 2)
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

WORKERS = (2, 4, 8, 16)
PASSES = ("anisotropy", "exact", "kmeans", "faithfulness", "index")


def load() -> str:
    return "load " + " ".join(f"{x:.1f}" for x in os.getloadavg())


def timed(fn):
    started = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - started


def big_table(path: str, root: Path):
    """make_big_table.py's file imported as `big` into the library at `root` (once)."""
    from engine import library

    root.mkdir(parents=True, exist_ok=True)
    os.environ[library.LIBRARY_ENV] = str(root)
    if not library.has_table("big"):
        library.import_file(path, "big")
    return library.load_table("big")


def task_seconds(cluster, fn):
    """fn()'s value and the seconds its tasks ran on the workers (Dask's task stream)."""
    from distributed import get_task_stream

    with get_task_stream(cluster.client) as stream:
        value = fn()
    return value, sum(part["stop"] - part["start"] for task in stream.data
                      for part in task["startstops"] if part["action"] == "compute")


def compare(name: str, alone, clustered, same: bool, start: float, work: float) -> None:
    projected = "  ".join(f"{w} workers ≈ {start + work / w:.0f} s" for w in WORKERS)
    print(f"   {name}: alone {alone:.1f} s   local:2 {clustered:.1f} s ({alone / clustered:.2f}x)   "
          f"identical {same}   task seconds {work:.0f}   projected: {projected}   {load()}")


def passes_on(table, exact_rows: int, cluster, start: float, chosen=PASSES) -> None:
    """Each chosen pass alone, then on the cluster, compared (see compare)."""
    from engine import geometry
    from engine.approximate import approximate_hubness, cached_index
    from engine.cluster import passes

    if "anisotropy" in chosen:
        shape, t_alone = timed(lambda: geometry.anisotropy(table))
        (remote, work), t_cluster = timed(lambda: task_seconds(
            cluster, lambda: passes.anisotropy(table, None, cluster)))
        compare(f"anisotropy of {len(table):,} rows", t_alone, t_cluster,
                remote.to_dict() | {"seconds": 0} == shape.to_dict() | {"seconds": 0}, start, work)
    if "exact" in chosen:
        exact(table, exact_rows, cluster, start)
    if "kmeans" in chosen:
        kmeans(table, cluster)
    if "faithfulness" in chosen:
        faithfulness(table, cluster, start)
    if "index" not in chosen:
        return
    index, built = timed(lambda: cached_index(table)[0])
    print(f"   the ANN index: {built:.0f} s to build or read   {load()}")
    hubs, t_alone = timed(lambda: approximate_hubness(table, index, 10))
    ((remote, _), work), t_cluster = timed(lambda: task_seconds(
        cluster, lambda: passes.approximate_hubness(table, None, 10, cluster)))
    compare(f"hubness through the index (skewness {hubs.skewness:.3f})", t_alone, t_cluster,
            bool(np.array_equal(remote.occurrence, hubs.occurrence)), start, work)


def exact(table, rows: int, cluster, start: float) -> None:
    """Exact hubness of the first `rows` rows alone, then on the cluster."""
    from engine import geometry
    from engine.cluster import passes

    graph, t_alone = timed(lambda: geometry.neighbour_graph(table, 10, rows))
    (remote, work), t_cluster = timed(lambda: task_seconds(
        cluster, lambda: passes.neighbour_graph(table, 10, rows, cluster)))
    alone_hubs = geometry.hubness(table, graph)
    compare(f"exact hubness of {rows:,} rows (skewness {alone_hubs.skewness:.3f})", t_alone, t_cluster,
            bool(np.array_equal(remote.indices, graph.indices)), start, work)


def kmeans(table, cluster, k: int = 8) -> None:
    """k-means of every row alone (both cores), then on the cluster."""
    from engine.cluster import passes
    from engine.kmeans import kmeans as kmeans_here

    found, t_alone = timed(lambda: kmeans_here(table.unit, k))
    (remote, work), t_cluster = timed(lambda: task_seconds(cluster, lambda: passes.kmeans(table, None, k, cluster)))
    same = bool(np.array_equal(remote.labels, found.labels) and np.array_equal(remote.centres, found.centres)
                and remote.inertia == found.inertia)
    compare(f"k-means (k = {k}, {found.iterations} iterations)", t_alone, t_cluster, same,
            t_cluster - work / 2, work)


def faithfulness(table, cluster, start: float, rows: int = 400_000, sample: int = 1_000) -> None:
    """The map faithfulness's true-neighbour search (k = 10) of `sample` rows among the
    first `rows`, alone, then on the cluster."""
    from engine.cluster import passes
    from engine.neighbourhoods import share_neighbours

    rows = min(rows, len(table))
    chosen = np.sort(np.random.default_rng(0).choice(rows, sample, replace=False))
    unit = table.unit[:rows]
    alone, t_alone = timed(lambda: share_neighbours(unit, 0, unit[chosen], chosen, 10)[0])
    (remote, work), t_cluster = timed(lambda: task_seconds(
        cluster, lambda: passes.sample_neighbours(table, rows, chosen, 10, cluster)))
    compare(f"faithfulness's search, {sample:,} rows among {rows:,}", t_alone, t_cluster,
            bool(np.array_equal(remote, alone)), start, work)


def engines(which: list[str]) -> None:
    """Start-up, memory, per-task overhead and a moments pass, for Dask and/or Ray."""
    import psutil

    path = "/tmp/bench-cluster-engines.npy"
    if not os.path.exists(path):
        np.save(path, np.random.default_rng(0).standard_normal((400_000, 50)).astype(np.float32))
    for engine in which:
        started = time.perf_counter()
        if engine == "dask":
            from engine.cluster import connect

            context = connect("local:2")
            cluster = context.__enter__()

            def run(fn, tasks):
                return cluster.client.gather([cluster.client.submit(fn, *t, pure=False) for t in tasks])
        else:
            import ray

            ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
            remote = {}

            def run(fn, tasks):
                remote.setdefault(fn, ray.remote(num_cpus=1)(fn))
                return ray.get([remote[fn].remote(*t) for t in tasks])
        run(_noop, [(i,) for i in range(2)])
        start = time.perf_counter() - started
        memory = sum(p.memory_info().rss for p in psutil.Process().children(recursive=True)) / 1e6
        _, empty = timed(lambda: run(_noop, [(i,) for i in range(500)]))
        _, moments = timed(lambda: run(_moments, [(path, s, s + 16_384) for s in range(0, 400_000, 16_384)]))
        print(f"   {engine}: start {start:.1f} s   processes {memory:.0f} MB   per empty task "
              f"{empty / 500 * 1e3:.2f} ms   moments of 400,000 x 50 in 25 tasks {moments:.2f} s   {load()}")
        if engine == "dask":
            context.__exit__(None, None, None)
        else:
            ray.shutdown()


def _noop(i):
    return i


def _moments(path, start, stop):
    block = np.asarray(np.load(path, mmap_mode="r")[start:stop], dtype=np.float64)
    return block.sum(axis=0), block.T @ block


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--big", help="make_big_table.py's word2vec binary (2,000,000 × 50)")
    parser.add_argument("--exact-rows", type=int, default=400_000)
    parser.add_argument("--library", type=Path, default=Path("/tmp/bench-cluster-library"),
                        help="where the big table is imported (once)")
    parser.add_argument("--engines", nargs="*", choices=("dask", "ray"))
    parser.add_argument("--passes", nargs="+", choices=PASSES, default=list(PASSES),
                        help="which passes on the big table")
    args = parser.parse_args()
    if args.engines is not None:
        print("3. Dask against Ray, local clusters of 2 workers")
        engines(args.engines or ["dask"])
        return
    from engine.cluster import connect
    from engine.sources import load_builtin

    print("2. overhead on GloVe's first 20,000 rows")
    glove = load_builtin("glove-6b-50d").restrict(20_000)
    started = time.perf_counter()
    with connect("local:2") as cluster:
        start = time.perf_counter() - started
        print(f"   starting local:2: {start:.1f} s   {load()}")
        passes_on(glove, 20_000, cluster, start)
    if args.big:
        table = big_table(args.big, args.library)
        print(f"1. {table.name}: {len(table):,} × {table.dim}, exact hubness on the first {args.exact_rows:,} rows")
        with connect("local:2") as cluster:
            passes_on(table, args.exact_rows, cluster, start, args.passes)


if __name__ == "__main__":
    main()
