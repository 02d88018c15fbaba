"""Approximate nearest-neighbour search (faiss IVF) with its recall always measured.

faiss-cpu's inverted-file index (IndexIVFFlat) was chosen over HNSW (hnswlib, or faiss's own)
by measurement on GloVe's 400,000 × 50 (bench/bench_index.py): on this 2-core machine under
load it built in 46 s against 660 s for hnswlib's graph, and answered at recall@10 0.98 about
65× faster than exact search, where hnswlib needed 3.5 ms a query for 0.97. faiss also ships
wheels; hnswlib 0.8.0 compiles from source at install.

How it works: k-means splits the rows into `nlist` cells; a query scores only the rows of its
`nprobe` nearest cells. `build` raises nprobe (1, 2, …, 8, 10, 12, 15, …: a quarter at a
time) until a sample of the table's own rows finds at least `target_recall` of their exact
top-k neighbours, so every index comes with the recall it was tuned to. Cosine is the
inner product of unit rows.

With `compressed=True` the cells hold 4-bit codes instead of rows (IndexIVFPQFastScan, one
16-level code book per dimension, scanned 32 rows at a time in SIMD registers) and the
best K_FACTOR·k candidates of each query are scored again exactly on the full rows
(IndexRefineFlat). On GloVe 400,000 × 50 this reaches recall@10 0.96 in a fifth of
IVF-Flat's time per query (0.12 against 0.60 ms in a batch, bench/bench_index.py): it is
what makes hubness of every row through the index faster than exact k-NN. Codes of two dimensions each (PQ25) lost too
much: 0.86 even with 16·k candidates.
"""
from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np

from engine.atomic import atomic_path
from engine.errors import check_float, check_int
from engine.vectors import EmbeddingSet, top_k

METRICS = ("cosine", "dot")
_EXACT_BLOCK = 32          # query rows scored against the whole table at a time
K_FACTOR = 8               # compressed index: candidates per wanted neighbour re-scored exactly
CODE_LEVELS = 16           # 4-bit codes: faiss trains 16 levels a dimension, on at least as many rows
_MAX_K_FACTOR = 64


@dataclass(frozen=True)
class SearchResult:
    """Top-k of each query: indices (q, k) int64 rows of the table, best first (-1 where a
    query found fewer than k rows), scores (q, k) float32, and the seconds it took."""

    indices: np.ndarray
    scores: np.ndarray
    seconds: float


@dataclass(frozen=True)
class RecallReport:
    """Approximate against exact top-k on the same queries, timed in the same run."""

    k: int
    queries: int
    recall: float               # mean |ANN top-k ∩ exact top-k| / k
    ann_ms_per_query: float
    exact_ms_per_query: float
    speedup: float              # exact time / ANN time

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class IndexInfo:
    metric: str
    rows: int
    dim: int
    nlist: int
    nprobe: int
    build_seconds: float
    fingerprint: str
    k_factor: int = 0          # compressed index: candidates re-scored per neighbour; 0: IVF-Flat

    @property
    def method(self) -> str:
        """How the index answers, in words, for result captions."""
        if self.k_factor:
            return (f"faiss IVF-PQ fast scan, {self.nlist} cells, nprobe {self.nprobe}, "
                    f"{self.k_factor}·k candidates re-scored exactly")
        return f"faiss IVF, {self.nlist} cells, nprobe {self.nprobe}"

    def to_dict(self) -> dict:
        return asdict(self)


def _faiss(threads: int = 1):
    import faiss

    # one thread by default: OpenMP's busy waiting makes faiss many times slower when other
    # processes share the cores, and the app serves several visitors at once; long batches
    # (hubness of every row) ask for more
    faiss.omp_set_num_threads(threads)
    return faiss


def _searchable(table: EmbeddingSet, metric: str) -> np.ndarray:
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; use one of {', '.join(METRICS)}")
    return table.unit if metric == "cosine" else np.ascontiguousarray(table.vectors, dtype=np.float32)


def exact_search(matrix: np.ndarray, queries: np.ndarray, k: int) -> SearchResult:
    """Exact top-k by inner product of queries (q, d) with every row of matrix (n, d)."""
    started = time.perf_counter()
    k = min(k, matrix.shape[0])
    indices = np.empty((len(queries), k), dtype=np.int64)
    scores = np.empty((len(queries), k), dtype=np.float32)
    for start in range(0, len(queries), _EXACT_BLOCK):
        block = queries[start:start + _EXACT_BLOCK] @ matrix.T             # (b, n)
        for row, line in enumerate(block, start):
            indices[row] = top_k(line, k)
            scores[row] = line[indices[row]]
    return SearchResult(indices, scores, time.perf_counter() - started)


def _default_nlist(rows: int) -> int:
    # about 2·√n cells, each trained on at least 39 rows (faiss's own minimum)
    return max(1, min(int(2 * np.sqrt(rows)), rows // 39))


def _recall(ann: SearchResult, exact: SearchResult, exclude: np.ndarray | None, k: int) -> float:
    """Mean share of each exact top-k found by the approximate top-k; with `exclude`, each
    query's own row is dropped from both lists first (they were searched for k + 1)."""
    found = 0
    for q, (got, want) in enumerate(zip(ann.indices, exact.indices)):
        if exclude is not None:
            got, want = got[got != exclude[q]][:k], want[want != exclude[q]][:k]
        found += len(np.intersect1d(got[got >= 0], want))
    return found / (k * len(ann.indices))


class AnnIndex:
    """An IVF index over one table's rows (full rows, or 4-bit codes re-scored exactly).
    Build with `AnnIndex.build(table)`."""

    def __init__(self, table: EmbeddingSet, index, info: IndexInfo):
        self.table, self._index = table, index
        self._tune(info)

    # -- building ---------------------------------------------------------------------
    @classmethod
    def build(cls, table: EmbeddingSet, metric: str = "cosine", nlist: int | None = None,
              target_recall: float = 0.96, k: int = 10, sample: int = 500,
              seed: int = 0, compressed: bool = False) -> "AnnIndex":
        """Train the cells on (a sample of) the rows, add every row, tune nprobe.

        Parameters
        ----------
        table : the (V, d) table to index.
        metric : 'cosine' (unit rows) or 'dot' (raw rows, so long rows win).
        nlist : number of k-means cells; default about 2·√V.
        target_recall : nprobe is raised (by a quarter each step) until recall@k on `sample`
            rows reaches this; 0.96 on 500 rows lands above 0.95 on other samples.
        compressed : 4-bit codes in the cells and exact re-scoring of K_FACTOR·k candidates
            (see the module's docstring); if every cell is probed and the target is still
            missed, the candidates double (up to 64·k). Needs CODE_LEVELS rows or more.
        """
        if len(table) < 2:
            raise ValueError(f"an index needs a table of at least 2 rows; {table.name} has {len(table)}")
        if compressed and len(table) < CODE_LEVELS:
            raise ValueError(f"a compressed index needs at least {CODE_LEVELS} rows to train its 4-bit "
                             f"codes on; {table.name} has {len(table)}: search it exactly")
        faiss = _faiss()
        started = time.perf_counter()
        k, sample = min(k, len(table) - 1), min(sample, len(table))
        matrix = _searchable(table, metric)
        nlist = check_int("nlist", nlist if nlist is not None else _default_nlist(len(table)),
                          1, len(table))
        target_recall = check_float("target recall", target_recall, 0.0, 1.0)
        rng = np.random.default_rng(seed)
        train = matrix if len(matrix) <= 64 * nlist else \
            matrix[np.sort(rng.choice(len(matrix), 64 * nlist, replace=False))]
        quantizer = faiss.IndexFlatIP(matrix.shape[1])
        if compressed:
            cells = faiss.IndexIVFPQFastScan(quantizer, matrix.shape[1], nlist, matrix.shape[1], 4,
                                             faiss.METRIC_INNER_PRODUCT)
        else:
            cells = faiss.IndexIVFFlat(quantizer, matrix.shape[1], nlist, faiss.METRIC_INNER_PRODUCT)
        cells.cp.seed = seed
        cells.train(np.ascontiguousarray(train))
        index = faiss.IndexRefineFlat(cells) if compressed else cells
        index.add(matrix)
        info = IndexInfo(metric, len(table), table.dim, nlist, 1, 0.0, table.fingerprint,
                         K_FACTOR if compressed else 0)
        ann = cls(table, index, info)
        queries, exclude = ann._sample(sample, seed)
        exact = ann.exact(queries, k + 1)             # once; only nprobe and k_factor change
        while _recall(ann.query(queries, k + 1), exact, exclude, k) < target_recall:
            nprobe, k_factor = ann.info.nprobe, ann.info.k_factor
            if nprobe < nlist:
                nprobe = min(max(nprobe + 1, (5 * nprobe) // 4), nlist)
            elif 0 < k_factor < _MAX_K_FACTOR:
                k_factor *= 2
            else:
                break
            ann._tune(replace(ann.info, nprobe=nprobe, k_factor=k_factor))
        ann._tune(replace(ann.info, build_seconds=time.perf_counter() - started))
        return ann

    def _tune(self, info: IndexInfo) -> None:
        """Set the index's search parameters to those of `info`, and keep `info`."""
        self.info = info
        if info.k_factor:
            _faiss().downcast_index(self._index.base_index).nprobe = info.nprobe
            self._index.k_factor = info.k_factor
        else:
            self._index.nprobe = info.nprobe

    # -- querying ---------------------------------------------------------------------
    def query(self, vectors: np.ndarray, k: int = 10, threads: int = 1,
              k_factor: int | None = None) -> SearchResult:
        """Approximate top-k rows of each query vector; vectors (q, d) or (d,).
        With the cosine metric the queries are scaled to unit length first. `threads` > 1
        splits a long batch of queries between cores. `k_factor`: on a compressed index,
        re-score k_factor·k candidates in this call instead of the index's own number
        (the index is shared, so it is passed per call, never set on the index)."""
        queries = self._queries(vectors)
        k = check_int("k", k, 1, len(self.table))
        params = None
        if k_factor is not None and self.info.k_factor:
            params = _faiss().IndexRefineSearchParameters(
                k_factor=float(check_int("k_factor", k_factor, 1, _MAX_K_FACTOR)))
        started = time.perf_counter()
        _faiss(threads)
        try:
            scores, indices = self._index.search(queries, k, params=params)
        finally:
            _faiss()
        return SearchResult(indices, scores, time.perf_counter() - started)

    def exact(self, vectors: np.ndarray, k: int = 10) -> SearchResult:
        """The exact top-k for the same queries, by the same metric."""
        k = check_int("k", k, 1, len(self.table))
        return exact_search(_searchable(self.table, self.info.metric), self._queries(vectors), k)

    def _queries(self, vectors: np.ndarray) -> np.ndarray:
        queries = np.atleast_2d(np.asarray(vectors, dtype=np.float32))
        if queries.ndim != 2 or queries.shape[1] != self.table.dim:
            raise ValueError(f"query vectors must have {self.table.dim} columns (the table's "
                             f"width); got shape {np.shape(vectors)}")
        if self.info.metric == "cosine":
            norms = np.linalg.norm(queries, axis=1, keepdims=True)
            if (norms == 0).any():
                raise ValueError("a query vector is all zeros, so it has no direction to compare")
            queries = queries / norms
        return np.ascontiguousarray(queries)

    def recall_at_k(self, k: int = 10, sample: int = 200, queries: np.ndarray | None = None,
                    seed: int = 0) -> RecallReport:
        """Recall@k of this index against exact search, and both times.

        Without `queries`, `sample` rows of the table are the queries and each one's own row
        is left out of both lists (a word is trivially its own nearest neighbour)."""
        k = check_int("k", k, 1, len(self.table) - 1)
        if queries is None:
            queries, exclude = self._sample(sample, seed)
        else:
            exclude = None
        extra = 0 if exclude is None else 1
        ann, exact = self.query(queries, k + extra), self.exact(queries, k + extra)
        count = len(ann.indices)
        return RecallReport(k, count, _recall(ann, exact, exclude, k), 1000 * ann.seconds / count,
                            1000 * exact.seconds / count, exact.seconds / max(ann.seconds, 1e-9))

    def _sample(self, sample: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
        """(sample, d) rows of the table as queries, and their row numbers."""
        sample = check_int("sample", sample, 1, len(self.table))
        rows = np.random.default_rng(seed).choice(len(self.table), sample, replace=False)
        return self.table.vectors[rows], rows

    # -- caching beside a table ---------------------------------------------------------
    def save(self, path: str | Path) -> Path:
        """Write the index to `path` and its settings to `path` + '.json', each atomically,
        the settings first (a reader looks for the index, then reads its settings)."""
        path = Path(path)
        with atomic_path(path.with_name(path.name + ".json")) as partial:
            partial.write_text(json.dumps(self.info.to_dict()))
        with atomic_path(path) as partial:
            _faiss().write_index(self._index, str(partial))
        return path

    @classmethod
    def load(cls, path: str | Path, table: EmbeddingSet) -> "AnnIndex":
        """An index saved by `save`, for `table`; ValueError if it was built on other rows."""
        path = Path(path)
        info = IndexInfo(**json.loads(path.with_name(path.name + ".json").read_text()))
        if info.fingerprint != table.fingerprint:
            raise ValueError(f"the index at {path} was built on another table than "
                             f"{table.name} ({len(table):,} × {table.dim}); build it again")
        return cls(table, _faiss().read_index(str(path)), info)
