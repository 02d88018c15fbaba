"""What several Geometry tabs measure, remembered for every visitor: the cone shape, the exact
neighbour graph and the benchmark scores of a table on its first `rows` rows."""

from engine import geometry as geo
from ui.results import remembered, table_key

BENCH_ROWS = 30_000


def shape_of(t, rows):
    return remembered(("anisotropy", table_key(t), rows), lambda p: geo.anisotropy(t, rows), "Anisotropy…")


def graph_of(t, rows, k):
    return remembered(("graph", table_key(t), rows, k), lambda p: geo.neighbour_graph(t, k, rows, p),
                      f"Exact {k} nearest neighbours of {rows:,} rows…")


def scores(t, rows, k, penalty=None):
    analogy_rows = min(BENCH_ROWS, rows)
    return remembered(("fix-bench", table_key(t), rows, None if penalty is None else k),
                      lambda p: geo.benchmark_scores(t, rows, analogy_rows, penalty, p),
                      f"Benchmarks (analogies on the first {analogy_rows:,} rows)…")


