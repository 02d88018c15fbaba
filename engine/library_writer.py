"""Writing one library table: rows streamed into a temporary folder beside the library, with
table.json describing it, renamed into the library when whole (an interrupted write is
never listed)."""
from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from engine.metadata import align_metadata
from engine.readers.streamed import CHUNK_ROWS, Progress
from engine.vectors import EmbeddingSet


@dataclass(frozen=True)
class LibraryTable:
    """What table.json says about one library table."""

    name: str
    rows: int
    dim: int
    format: str
    source_file: str
    imported: str
    metadata_columns: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict:
        return asdict(self) | {"metadata_columns": list(self.metadata_columns),
                               "notes": list(self.notes)}


class TableWriter:
    """Rows streamed into a temporary folder; `finish` renames it into the library."""

    def __init__(self, root: Path, name: str, rows: int, dim: int):
        self.root, self.name, self.rows, self.dim = root, name, rows, dim
        self.folder = root / f".importing-{name}-{os.getpid()}-{time.time_ns()}"
        self.folder.mkdir()
        # plain appending writes, not a writable memory map: the written pages then count
        # against the page cache, not this process, and memory stays at one block
        self.vectors = self._npy(self.folder / "vectors.npy")
        self.unit = self._npy(self.folder / "unit.npy")
        self.keys: list[str] = []

    def _npy(self, path: Path):
        out = open(path, "wb")
        np.lib.format.write_array_header_1_0(out, {"descr": "<f4", "fortran_order": False,
                                                   "shape": (self.rows, self.dim)})
        return out

    def write(self, keys: list[str], block: np.ndarray) -> None:
        """Append rows: keys (n,) and block (n, dim) float32, finite."""
        start = len(self.keys)
        if start + len(keys) > self.rows:
            raise ValueError(f"the file has more than the {self.rows:,} rows its header promises")
        bad = ~np.isfinite(block).all(axis=1)
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise ValueError(f"row {start + row + 1:,} ({keys[row][:40]!r}) holds NaN or infinity, "
                             "which cannot be compared")
        block = np.ascontiguousarray(block, dtype="<f4")
        self.vectors.write(block.tobytes())
        norms = np.linalg.norm(block, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        self.unit.write((block / norms).astype("<f4").tobytes())
        self.keys.extend(keys)

    def finish(self, info: dict, metadata=None, aligned: bool = False) -> LibraryTable:
        """Write the keys, the metadata (`aligned`: already one row per key, in order) and
        table.json, and rename the folder into the library."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        if len(self.keys) != self.rows:
            raise ValueError(f"the header promises {self.rows:,} rows but the file has {len(self.keys):,}")
        self.vectors.close()
        self.unit.close()
        pq.write_table(pa.table({"key": pa.array(self.keys, pa.string())}), self.folder / "keys.parquet")
        notes = list(info.pop("notes", []))
        columns: tuple[str, ...] = ()
        if metadata is not None:
            if not aligned:
                metadata, note = align_metadata(metadata, self.keys)
                notes.append(note)
            metadata.to_parquet(self.folder / "metadata.parquet", index=False)
            columns = tuple(c for c in metadata.columns if c != "key")
        duplicates = len(self.keys) - len(set(self.keys))
        if duplicates:
            notes.append(f"{duplicates:,} repeated key(s): each resolves to its first row")
        table = LibraryTable(name=self.name, rows=self.rows, dim=self.dim, metadata_columns=columns,
                             notes=tuple(notes), imported=time.strftime("%Y-%m-%dT%H:%M:%S"), **info)
        (self.folder / "table.json").write_text(json.dumps(table.to_dict(), indent=1), encoding="utf-8")
        try:
            self.folder.rename(self.root / self.name)   # atomic: listed whole or not at all
        except OSError:
            raise ValueError(f"the library already has a table named {self.name!r}; choose "
                             "another name") from None
        return table

    def discard(self) -> None:
        self.vectors.close()
        self.unit.close()
        shutil.rmtree(self.folder, ignore_errors=True)


class Staging:
    """Called as writer_for(rows, dim) once a reader knows the table's size, it creates the
    table's writer; leaving its `with` block on any error discards what was half written."""

    def __init__(self, folder: Path, name: str):
        self.folder, self.name, self.writer = folder, name, None

    def __call__(self, rows: int, dim: int) -> TableWriter:
        self.writer = TableWriter(self.folder, self.name, rows, dim)
        return self.writer

    def __enter__(self) -> "Staging":
        return self

    def __exit__(self, kind, error, trace) -> bool:
        if kind is not None and self.writer is not None:
            self.writer.discard()
        return False


def write_table(table: EmbeddingSet, writer_for, progress: Progress | None) -> None:
    writer = writer_for(len(table), table.dim)
    for start in range(0, len(table), CHUNK_ROWS):
        stop = min(start + CHUNK_ROWS, len(table))
        writer.write(table.index_to_key[start:stop], np.asarray(table.vectors[start:stop], np.float32))
        if progress:
            progress(stop, len(table))
