"""What a cluster's worker computes for one task: a block of rows' partial result, with the
same functions the single-process path uses. A worker keeps the last table it searched
(its unit rows, their int16 form, its ANN index) for the next task on the same table."""
from __future__ import annotations

import numpy as np

from engine.cluster.files import TableFiles, read_rows
from engine.geometry.cone import block_log_partition, block_moments, single_thread
from engine.geometry.rows import blocks

_KEPT: dict[tuple, dict] = {}       # (what, files) -> the worker's copy, one table at a time


def _kept(files: TableFiles) -> dict:
    key = (files.vectors, files.unit, files.rows)
    if key not in _KEPT:
        _KEPT.clear()
        _KEPT[key] = {}
    return _KEPT[key]


def unit_rows_of(files: TableFiles) -> np.ndarray:
    """(rows, dim) float32 unit rows of the table: its unit.npy, or its vectors normalised
    exactly as EmbeddingSet.unit does, row by row."""
    kept = _kept(files)
    if "unit" not in kept:
        from engine.vectors import unit_rows

        kept["unit"] = np.ascontiguousarray(read_rows(files.unit, 0, files.rows)) if files.unit \
            else unit_rows(read_rows(files.vectors, 0, files.rows))
    return kept["unit"]


def moments_part(files: TableFiles, start: int, stop: int) -> tuple:
    """block_moments of rows start … stop − 1."""
    with single_thread():
        return block_moments(read_rows(files.vectors, start, stop))


def log_partition_part(files: TableFiles, start: int, stop: int, directions: np.ndarray) -> np.ndarray:
    """block_log_partition of rows start … stop − 1."""
    with single_thread():
        return block_log_partition(read_rows(files.vectors, start, stop), directions)


def neighbours_part(files: TableFiles, start: int, stop: int, k: int,
                    row_bias: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Exact top-k of rows start … stop − 1 among all rows, ranked as the single process
    ranks them: on the int16 kernel where the worker's CPU has VNNI, else float32 candidates
    re-ranked exactly. ((m, k) rows, (m, k) float32 scores)."""
    from engine.geometry.neighbours import ranked_rows
    from engine.geometry.vnni import available

    unit = unit_rows_of(files)
    zero = int((np.einsum("ij,ij->i", unit[start:stop], unit[start:stop]) == 0).sum())
    if zero:
        raise ValueError(f"{files.name} has {zero:,} rows of length 0 among rows {start:,}–"
                         f"{stop - 1:,}: they have no direction, so no cosine neighbours")
    with single_thread():
        if not available():
            return ranked_rows(unit, k, start, stop, row_bias=row_bias)
        from engine.geometry.shortlist import int16_table, shortlisted_neighbours

        kept = _kept(files)
        if "int16" not in kept:
            kept["int16"] = int16_table(unit)
        return shortlisted_neighbours(kept["int16"], k, row_bias=row_bias, threads=1, rows=(start, stop))


def indexed_part(files: TableFiles, index_file: str, start: int, stop: int, k: int) -> np.ndarray:
    """(m, k) rows nearest to rows start … stop − 1 through the table's saved ANN index."""
    from engine.approximate import indexed_neighbours
    from engine.index import AnnIndex

    kept = _kept(files)
    if kept.get("index file") != index_file:
        kept["index"] = AnnIndex.load(index_file, _FingerprintOnly(files, index_file))
        kept["index file"] = index_file
    return indexed_neighbours(kept["index"], unit_rows_of(files)[start:stop], start, k)


class _FingerprintOnly:
    """What AnnIndex.load checks of a table, taken from the index's own settings: the worker
    searches the rows the client named, the index was built on that table by the client."""

    def __init__(self, files: TableFiles, index_file: str):
        import json

        info = json.loads(open(index_file + ".json", encoding="utf-8").read())
        self.fingerprint, self.name, self.dim = info["fingerprint"], files.name, files.dim
        self.rows = files.rows

    def __len__(self) -> int:
        return self.rows


def kmeans_part(files: TableFiles, start: int, stop: int, centres: np.ndarray, block: int) -> list:
    """engine.kmeans.block_step of each block of `block` rows in start … stop − 1 (a run of
    whole blocks), in order."""
    from engine.kmeans import block_step

    unit = unit_rows_of(files)
    with single_thread():
        return [block_step(unit[start + first:start + last], centres)
                for first, last in blocks(stop - start, block)]


def sample_neighbours_part(files: TableFiles, start: int, stop: int, queries: np.ndarray,
                           query_rows: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """engine.neighbourhoods.share_neighbours of the sample among rows start … stop − 1."""
    from engine.neighbourhoods import share_neighbours

    with single_thread():
        return share_neighbours(unit_rows_of(files)[start:stop], start, queries, query_rows, k)
