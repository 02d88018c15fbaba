"""Where a cluster's workers read a table: the plain .npy files it is stored in, by path or
fsspec URL, in row blocks."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from engine import library
from engine.geometry.rows import first_rows
from engine.vectors import EmbeddingSet

CLUSTER_LIBRARY_ENV = "EMBEDDING_LAB_CLUSTER_LIBRARY"   # the library as the workers see it


@dataclass(frozen=True)
class TableFiles:
    """A table's first `rows` rows as workers find them: vectors (rows, dim) float32 .npy,
    and its unit rows, or None when workers normalise the vectors themselves."""

    name: str
    vectors: str
    unit: str | None
    rows: int
    dim: int


def table_files(table: EmbeddingSet, restrict: int | None = None) -> TableFiles:
    """The files of `table` (a library table, or the built-in GloVe), first `restrict` rows;
    ValueError for a table that lives only in this process's memory."""
    rows = len(first_rows(table, restrict))
    if table.fingerprint.startswith("library:") and library.has_table(table.name):
        folder = library.table_folder(table.name)
        return TableFiles(table.name, _for_workers(folder / "vectors.npy"),
                          _for_workers(folder / "unit.npy"), rows, table.dim)
    from engine.sources import SOURCES, glove_file

    if table.name == SOURCES["glove-6b-50d"].name:
        return TableFiles(table.name, str(glove_file()), None, rows, table.dim)
    raise ValueError(f"{table.name} is not stored in files a cluster's workers can read; import "
                     "it into the library first (python -m engine import FILE --name NAME) and "
                     "pass --source NAME")


def _for_workers(path: Path) -> str:
    """`path` under the library as the workers see it ($EMBEDDING_LAB_CLUSTER_LIBRARY, a
    folder or fsspec URL), else unchanged (a folder they share with this machine)."""
    seen = os.environ.get(CLUSTER_LIBRARY_ENV)
    if not seen:
        return str(path)
    return seen.rstrip("/") + "/" + path.relative_to(library.library_root()).as_posix()


def read_rows(location: str, start: int, stop: int) -> np.ndarray:
    """Rows start … stop − 1 of the (n, d) .npy at `location` (a path: memory-mapped; a
    URL: through fsspec, reading only those rows). OSError naming the location when the
    worker cannot read it."""
    try:
        if "://" not in location:
            return np.load(location, mmap_mode="r")[start:stop]
        return _read_url(location, start, stop)
    except OSError as error:
        raise OSError(f"a worker cannot read {location}: {error.strerror or error}") from None


def _read_url(url: str, start: int, stop: int) -> np.ndarray:
    import fsspec

    with fsspec.open(url, "rb") as stream:
        version = np.lib.format.read_magic(stream)
        read_header = np.lib.format.read_array_header_1_0 if version == (1, 0) else \
            np.lib.format.read_array_header_2_0
        shape, fortran, dtype = read_header(stream)
        if fortran or len(shape) != 2:
            raise OSError(f"{url} is not a row-major (rows, dims) array")
        row_bytes = shape[1] * dtype.itemsize
        stop = min(stop, shape[0])
        stream.seek(stream.tell() + start * row_bytes)
        raw = stream.read((stop - start) * row_bytes)
    return np.frombuffer(raw, dtype=dtype).reshape(stop - start, shape[1])
