"""What several Geometry tabs measure, remembered for every visitor: the cone shape, the exact
neighbour graph and the benchmark scores of a table on its first `rows` rows (the first two on
the server's cluster when its owner configured one: $EMBEDDING_LAB_CLUSTER)."""

from engine import geometry as geo
from engine.cluster import passes
from ui.results import remembered, table_key

BENCH_ROWS = 30_000


def shape_of(t, rows):
    cluster = passes.cluster_for(t)
    return remembered(("anisotropy", table_key(t), rows),
                      lambda p: geo.anisotropy(t, rows, p) if cluster is None
                      else passes.anisotropy(t, rows, cluster),
                      "Anisotropy…")


def graph_of(t, rows, k):
    cluster = passes.cluster_for(t)
    return remembered(("graph", table_key(t), rows, k),
                      lambda p: geo.neighbour_graph(t, k, rows, p) if cluster is None
                      else passes.neighbour_graph(t, k, rows, cluster, p),
                      f"Exact {k} nearest neighbours of {rows:,} rows…")


def computed_on(result) -> str:
    """' on the Dask cluster at …' when a cluster computed `result`, else ''."""
    return f" on {result.where}" if result.where else ""


def scores(t, rows, k, penalty=None):
    analogy_rows = min(BENCH_ROWS, rows)
    return remembered(("fix-bench", table_key(t), rows, None if penalty is None else k),
                      lambda p: geo.benchmark_scores(t, rows, analogy_rows, penalty, p),
                      f"Benchmarks (analogies on the first {analogy_rows:,} rows)…")


