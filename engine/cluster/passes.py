"""The all-rows passes run on a Cluster: the same results as engine.geometry,
engine.approximate, engine.kmeans and engine.neighbourhoods compute in one process (each
block's partial result is computed by the same function; the client adds them in row order,
concatenates the rows' neighbour lists, or merges the shares' top lists)."""
from __future__ import annotations

import time
from dataclasses import replace
from typing import Callable

import numpy as np

from engine import kmeans as means
from engine.cluster import work
from engine.cluster.connection import Cluster, configured, shared_cluster
from engine.cluster.files import TableFiles, table_files
from engine.errors import check_int
from engine.geometry import Anisotropy, Hubness, NeighbourGraph, Progress, csls_penalty, hubness_from_indices
from engine.geometry.cone import anisotropy_from, isotropy_directions, isotropy_from, sum_moments
from engine.geometry.rows import blocks
from engine.neighbourhoods import merged_neighbours
from engine.vectors import EmbeddingSet

TASKS_PER_WORKER = 4        # shares of the rows per worker: a slow or lost worker costs a quarter


def cluster_for(table: EmbeddingSet) -> Cluster | None:
    """The app's cluster ($EMBEDDING_LAB_CLUSTER, connected once per server) when the owner
    configured one and its workers can read `table` (a library table or the built-in
    GloVe); None to compute in this process (a visitor's upload lives only here)."""
    spec = configured()
    if spec is None:
        return None
    try:
        table_files(table)
    except ValueError:
        return None
    return shared_cluster(spec)


def anisotropy(table: EmbeddingSet, restrict: int | None, cluster: Cluster) -> Anisotropy:
    """geometry.anisotropy of the first `restrict` rows, its two passes over row blocks
    (the moments, then the partition function along the gram's eigenvectors) on the workers."""
    started = time.perf_counter()
    files = table_files(table, restrict)
    spans = list(blocks(files.rows))
    moments = sum_moments(cluster.map(work.moments_part, [(files, *span) for span in spans]))
    directions = cluster.share(isotropy_directions(moments.gram))
    logs = cluster.map(work.log_partition_part, [(files, *span, directions) for span in spans])
    return replace(anisotropy_from(moments, isotropy_from(logs), started), where=cluster.description)


def _shares(files: TableFiles, cluster: Cluster, block: int | None = None) -> list[tuple[int, int]]:
    """Row ranges of whole blocks (default: the int16 kernel's), TASKS_PER_WORKER per worker
    (or fewer)."""
    from engine.geometry.shortlist import BLOCK

    block = block or BLOCK
    tasks = max(1, TASKS_PER_WORKER * cluster.workers)
    return list(blocks(files.rows, -(-files.rows // tasks // block) * block or block))


def _search(files: TableFiles, k: int, cluster: Cluster, progress: Progress,
            row_bias: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    spans = _shares(files, cluster)
    bias = None if row_bias is None else cluster.share(row_bias)
    parts = cluster.map(work.neighbours_part, [(files, *span, k, bias) for span in spans],
                        [stop - start for start, stop in spans], progress)
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def neighbour_graph(table: EmbeddingSet, k: int, restrict: int | None, cluster: Cluster,
                    progress: Progress = None) -> NeighbourGraph:
    """geometry.neighbour_graph on the workers: each searches its share of the rows against
    all rows (twice the single process's work, which scores each pair once: the cluster
    pays off from about three workers; see the README's cluster benchmark)."""
    started = time.perf_counter()
    files = table_files(table, restrict)
    k = check_int("k", k, 1, files.rows - 1)
    indices, scores = _search(files, k, cluster, progress)
    return NeighbourGraph(indices, scores, time.perf_counter() - started, cluster.description)


def csls_hubness(table: EmbeddingSet, graph: NeighbourGraph, cluster: Cluster,
                 progress: Progress = None) -> Hubness:
    """geometry.csls_hubness on the workers (r_k of every row sent to each once)."""
    started = time.perf_counter()
    files = table_files(table, graph.rows)
    indices, _ = _search(files, graph.k, cluster, progress, csls_penalty(graph) / 2)
    found = hubness_from_indices(indices, table.index_to_key)
    return replace(found, retrieval="CSLS", seconds=time.perf_counter() - started + graph.seconds)


def approximate_hubness(table: EmbeddingSet, restrict: int | None, k: int, cluster: Cluster,
                        progress: Progress = None) -> tuple[Hubness, object]:
    """approximate.approximate_hubness of the first `restrict` rows on the workers, through
    the index cached beside the table (built here first if there is none), which the
    workers read from the same path. Returns (hubness, index)."""
    from engine.approximate import HUBNESS_K_FACTOR, QUERY_BLOCK, cached_index, hubness_through, index_path

    started = time.perf_counter()
    files = table_files(table, restrict)
    rows = table.restrict(files.rows)
    index, _ = cached_index(rows)
    location = index_path(rows)
    if not location.is_file():
        raise ValueError(f"the ANN index of {table.name} could not be saved at {location}, "
                         "where the workers would read it; make that folder writable")
    spans = list(blocks(files.rows, QUERY_BLOCK))
    parts = cluster.map(work.indexed_part, [(files, str(location), *span, k) for span in spans],
                        [stop - start for start, stop in spans], progress)
    return hubness_through(index, rows, np.concatenate(parts), HUBNESS_K_FACTOR, started), index


def kmeans(table: EmbeddingSet, restrict: int | None, k: int, cluster: Cluster, random_state: int = 0,
           progress: Callable[[int, int], None] | None = None) -> means.KMeansResult:
    """engine.kmeans.kmeans of the first `restrict` unit rows on the workers: the client
    seeds it from the rows it samples, each iteration's block parts come from the workers
    (whole blocks a task) and are added here in block order."""
    files = table_files(table, restrict)
    k = check_int("clusters", k, 2, min(50, files.rows))
    init = means.seeds(table.unit[:files.rows], k, random_state)
    spans = _shares(files, cluster, means.BLOCK)

    def steps(centres: np.ndarray) -> list:
        parts = cluster.map(work.kmeans_part, [(files, *span, centres, means.BLOCK) for span in spans])
        return [part for task in parts for part in task]
    return replace(means.lloyd(steps, files.rows, init, progress=progress), where=cluster.description)


def sample_neighbours(table: EmbeddingSet, restrict: int | None, chosen: np.ndarray, k: int,
                      cluster: Cluster) -> np.ndarray:
    """(q, k) true (cosine) neighbours among the first `restrict` rows of the rows `chosen`
    (q,), as engine.neighbourhoods.measure_faithfulness finds them: each worker's share
    searched for the sample's top k, merged here."""
    files = table_files(table, restrict)
    queries = cluster.share(np.ascontiguousarray(table.unit[chosen]))
    parts = cluster.map(work.sample_neighbours_part,
                        [(files, *span, queries, chosen, k) for span in _shares(files, cluster)])
    return merged_neighbours(parts, len(chosen), k)[0]
