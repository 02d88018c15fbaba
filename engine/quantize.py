"""Shrink a table and see what it costs: float16 / bfloat16, int8 with a scale per row, int8
with ranges per dimension calibrated on the table or a sample (sentence-transformers'
recipe), binary (one sign bit per number), and product quantisation (faiss).

Rows are scaled to length 1 first (search is by cosine, as sentence-transformers quantises
normalised embeddings), so a table's row lengths are not kept. Each method keeps its codes as
they would be stored and searches them as they would be searched: float16, bfloat16 and int8
in blocks of rows turned into float32 for the product (NumPy has no half-precision or int8
product), binary by Hamming distance (faiss IndexBinaryFlat), PQ by faiss's asymmetric
distances. `decoded` is the float32 table each method stands for, for benchmarks and errors.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from engine.errors import check_int

METHODS = ("fp16", "bf16", "int8", "int8-ranges", "binary", "pq")
TITLES = {"fp32": "float32", "fp16": "float16", "bf16": "bfloat16", "int8": "int8, a scale per row",
          "int8-ranges": "int8, ranges per dimension", "binary": "binary (sign bits)",
          "pq": "product quantisation"}
_BLOCK = 8_192            # rows decoded at a time by the int8 searches
PQ_TRAIN_ROWS = 65_536    # rows the PQ code books are trained on (seeded sample)
QUERY_BATCH = 250         # queries searched at once when timed (a stop is heard between batches)


def bfloat16_bits(values: np.ndarray) -> np.ndarray:
    """float32 -> the uint16 bits of bfloat16, rounded to nearest, ties to even (as torch)."""
    bits = np.ascontiguousarray(values, dtype=np.float32).view(np.uint32).astype(np.uint64)
    return ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16).astype(np.uint16)


def from_bfloat16(bits: np.ndarray) -> np.ndarray:
    return (bits.astype(np.uint32) << 16).view(np.float32)


def int8_rows(unit: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric int8 with one float32 scale per row: codes = round(x / s), s = max|x| / 127.
    Returns ((n, d) int8 codes, (n,) scales); a zero row gets scale 1."""
    scale = np.abs(unit).max(axis=1) / 127
    scale[scale == 0] = 1
    return np.clip(np.rint(unit / scale[:, None]), -127, 127).astype(np.int8), scale.astype(np.float32)


def int8_ranges(unit: np.ndarray, calibration: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """sentence-transformers' int8: each dimension's [min, max] over the calibration rows cut
    into 256 buckets; code = clip(floor((x − min) / step), 0, 255) − 128. Returns ((n, d) int8
    codes, (2, d) ranges)."""
    ranges = np.vstack([calibration.min(axis=0), calibration.max(axis=0)]).astype(np.float32)
    step = (ranges[1] - ranges[0]) / 255
    step = np.where(step == 0, 1, step)
    return (np.clip(np.floor((unit - ranges[0]) / step), 0, 255) - 128).astype(np.int8), ranges


def decode_int8_ranges(codes: np.ndarray, ranges: np.ndarray) -> np.ndarray:
    """The centre of each code's bucket, float32."""
    step = (ranges[1] - ranges[0]) / 255
    step = np.where(step == 0, 1, step)
    return ((codes.astype(np.float32) + 128.5) * step + ranges[0]).astype(np.float32)


def binary_codes(unit: np.ndarray) -> np.ndarray:
    """One bit per number, set where it is positive, packed 8 to a byte: (n, ⌈d/8⌉) uint8
    (sentence-transformers' 'ubinary')."""
    return np.packbits(unit > 0, axis=1)


def default_pq_parts(dim: int) -> int:
    """Sub-vectors of product quantisation: the divisor of d nearest d/8 (one byte each, so
    about 32× smaller than float32, as binary), at least 1."""
    divisors = [m for m in range(1, dim + 1) if dim % m == 0]
    return min(divisors, key=lambda m: (abs(m - dim / 8), -m))


@dataclass
class Quantized:
    """One method's codes of a table: how many bytes, the float32 rows they stand for, and
    search(queries (q, d) unit float32, k) -> (q, k) row indices, best first."""

    method: str
    bytes: int
    decoded: np.ndarray = field(repr=False)
    search: object = field(repr=False)
    engine: str = ""


def _faiss():
    import faiss

    faiss.omp_set_num_threads(1)
    return faiss


def _block_search(queries: np.ndarray, k: int, rows: int, block) -> np.ndarray:
    """Top-k by inner product against rows produced block by block: block(start, stop) ->
    (stop − start, d) float32. Each block keeps its own k best per query (a partition, not a
    sort); the few kept are sorted once at the end."""
    kept_ids, kept_scores = [], []
    for start in range(0, rows, _BLOCK):
        stop = min(start + _BLOCK, rows)
        scores = queries @ block(start, stop).T                              # (q, b)
        take = min(k, stop - start)
        part = np.argpartition(-scores, take - 1, axis=1)[:, :take]
        kept_ids.append(part + start)
        kept_scores.append(np.take_along_axis(scores, part, axis=1))
    ids, scores = np.hstack(kept_ids), np.hstack(kept_scores)
    return np.take_along_axis(ids, _best_first(scores, ids, k), axis=1)


def _best_first(scores: np.ndarray, ids: np.ndarray, k: int) -> np.ndarray:
    """Per row, the positions of the k highest scores, ties broken by the lower id."""
    order = np.argsort(ids, axis=1, kind="stable")
    scores, ids = np.take_along_axis(scores, order, 1), np.take_along_axis(ids, order, 1)
    best = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    return np.take_along_axis(order, best, axis=1)


def quantize(unit: np.ndarray, method: str, calibration: np.ndarray | None = None,
             pq_parts: int | None = None, seed: int = 0) -> Quantized:
    """The `method` codes of unit rows (n, d) float32. calibration: the rows int8-ranges takes
    its ranges from (default: all of them); pq_parts: PQ's sub-vectors (default_pq_parts)."""
    n, d = unit.shape
    if method == "fp16":
        half = unit.astype(np.float16)
        block = lambda a, b: half[a:b].astype(np.float32)  # noqa: E731
        return Quantized(method, 2 * n * d, half.astype(np.float32),
                         lambda q, k: _block_search(q, k, n, block), "NumPy, float16 blocks")
    if method == "bf16":
        bits = bfloat16_bits(unit)
        block = lambda a, b: from_bfloat16(bits[a:b])  # noqa: E731
        return Quantized(method, 2 * n * d, from_bfloat16(bits),
                         lambda q, k: _block_search(q, k, n, block), "NumPy, bfloat16 blocks")
    if method == "int8":
        codes, scale = int8_rows(unit)
        block = lambda a, b: codes[a:b].astype(np.float32) * scale[a:b, None]  # noqa: E731
        return Quantized(method, n * d + 4 * n, codes.astype(np.float32) * scale[:, None],
                         lambda q, k: _block_search(q, k, n, block), "NumPy, int8 blocks")
    if method == "int8-ranges":
        codes, ranges = int8_ranges(unit, unit if calibration is None else calibration)
        block = lambda a, b: decode_int8_ranges(codes[a:b], ranges)  # noqa: E731
        return Quantized(method, n * d + 8 * d, decode_int8_ranges(codes, ranges),
                         lambda q, k: _block_search(q, k, n, block), "NumPy, int8 blocks")
    if method == "binary":
        codes = binary_codes(unit)
        index = _faiss().IndexBinaryFlat(8 * codes.shape[1])
        index.add(codes)
        signs = np.where(np.unpackbits(codes, axis=1)[:, :d] > 0, 1.0, -1.0).astype(np.float32)
        return Quantized(method, codes.size, signs / np.sqrt(d),
                         lambda q, k: index.search(binary_codes(q), k)[1], "faiss binary, Hamming")
    if method == "pq":
        return _pq(unit, pq_parts or default_pq_parts(d), seed)
    raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")


def _pq(unit: np.ndarray, parts: int, seed: int) -> Quantized:
    faiss = _faiss()
    n, d = unit.shape
    if d % parts:
        raise ValueError(f"product quantisation cuts the {d} dimensions into equal parts; {parts} does not "
                         f"divide {d} (try {default_pq_parts(d)})")
    if n < 256:
        raise ValueError(f"product quantisation trains 256 centroids per part; the table has only {n} rows")
    index = faiss.IndexPQ(d, parts, 8, faiss.METRIC_INNER_PRODUCT)
    rng = np.random.default_rng(seed)
    train = unit if n <= PQ_TRAIN_ROWS else unit[np.sort(rng.choice(n, PQ_TRAIN_ROWS, replace=False))]
    index.pq.cp.seed = seed
    index.train(np.ascontiguousarray(train))
    index.add(unit)
    decoded = index.reconstruct_n(0, n)
    search = lambda q, k: index.search(np.ascontiguousarray(q, np.float32), k)[1]  # noqa: E731
    return Quantized("pq", n * parts + 256 * d * 4, decoded, search, f"faiss PQ, {parts} bytes a row")


def recall(found: np.ndarray, exact: np.ndarray, exclude: np.ndarray | None = None, k: int = 10) -> float:
    """Mean share of each query's exact top-k among its found top-k; with `exclude`, each
    query's own row is dropped from both lists first (they hold k + 1)."""
    hits = 0
    for q, (got, want) in enumerate(zip(found, exact)):
        if exclude is not None:
            got, want = got[got != exclude[q]][:k], want[want != exclude[q]][:k]
        hits += len(np.intersect1d(got[:k], want[:k]))
    return hits / (k * len(found))


def probe_rows(rows: int, probes: int, seed: int = 0) -> np.ndarray:
    """`probes` seeded random rows (sorted), at most all of them."""
    probes = check_int("probes", probes, 1, 1_000_000)
    if probes >= rows:
        return np.arange(rows)
    return np.sort(np.random.default_rng(seed).choice(rows, probes, replace=False))


def timed(search, queries: np.ndarray, k: int, check=None, batch: int = QUERY_BATCH) -> tuple[np.ndarray, float]:
    """(indices, milliseconds per query) of search(queries, k), `batch` queries at a time,
    only the searches timed; check() before each batch (raising from it stops the search)."""
    found, seconds = [], 0.0
    for start in range(0, len(queries), batch):
        if check:
            check()
        started = time.perf_counter()
        found.append(np.asarray(search(queries[start:start + batch], k)))
        seconds += time.perf_counter() - started
    return np.vstack(found), 1000 * seconds / len(queries)
