"""The shared table library: a folder of tables imported once, opened memory-mapped by
every visitor and every command.

One folder per table, written under a temporary name and renamed when complete (an
interrupted import is never listed)::

    <library>/<name>/vectors.npy     (rows, dim) float32, as read
                     unit.npy        (rows, dim) float32, unit-length rows (what queries read)
                     keys.parquet    one column 'key', row order
                     metadata.parquet  optional: 'key' + any columns, one row per table row
                     table.json      rows, dim, format, source file, notes, when

The folder is EMBEDDING_LAB_LIBRARY, or `.library-tables/` in the project.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from engine.library_writer import LibraryTable, Staging, write_table
from engine.metadata import read_metadata
from engine.readers.streamed import Progress, copy_npy, detect_file_format, stream_text, stream_word2vec_binary
from engine.units import MIB, human_bytes, mebibytes
from engine.vectors import EmbeddingSet

LIBRARY_ENV = "EMBEDDING_LAB_LIBRARY"
DEFAULT_ROOT = Path(__file__).resolve().parent.parent / ".library-tables"
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
UPLOADS_ENV = "EMBEDDING_LAB_LIBRARY_UPLOADS"          # "1": visitors may keep uploads
UPLOAD_MB_ENV = "EMBEDDING_LAB_LIBRARY_UPLOAD_MB"      # size limit per kept upload (200)
UPLOAD_COUNT_ENV = "EMBEDDING_LAB_LIBRARY_UPLOAD_COUNT"  # kept uploads at most (20)


def library_root() -> Path:
    """The library folder: $EMBEDDING_LAB_LIBRARY, else `.library-tables/` in the project."""
    chosen = os.environ.get(LIBRARY_ENV)
    return Path(chosen).expanduser() if chosen else DEFAULT_ROOT


def _root(root: Path | str | None) -> Path:
    return Path(root) if root is not None else library_root()


def check_root(root: Path | str | None = None) -> Path:
    """The library folder; ValueError when that path is a file, not a folder."""
    folder = _root(root)
    if folder.exists() and not folder.is_dir():
        raise ValueError(f"the library folder {folder} is a file, not a folder; set {LIBRARY_ENV} "
                         "to a folder")
    return folder


# -- reading the library ----------------------------------------------------------------
def list_tables(root: Path | str | None = None) -> list[LibraryTable]:
    """Every complete table in the library, by name; [] when the folder does not exist."""
    folder = _root(root)
    if not folder.is_dir():
        return []
    found = []
    for entry in sorted(folder.iterdir()):
        if not entry.name.startswith(".") and (entry / "table.json").is_file():
            found.append(_read_info(entry))
    return found


def table_names(root: Path | str | None = None) -> list[str]:
    return [t.name for t in list_tables(root)]


def has_table(name: str, root: Path | str | None = None) -> bool:
    return bool(NAME_PATTERN.fullmatch(name)) and (_root(root) / name / "table.json").is_file()


def _read_info(folder: Path) -> LibraryTable:
    info = json.loads((folder / "table.json").read_text(encoding="utf-8"))
    info["metadata_columns"] = tuple(info.get("metadata_columns", ()))
    info["notes"] = tuple(info.get("notes", ()))
    return LibraryTable(**info)


def table_folder(name: str, root: Path | str | None = None) -> Path:
    """Folder of the library table `name`; ValueError naming the tables there if absent."""
    folder = _root(root) / name
    if not NAME_PATTERN.fullmatch(name) or not (folder / "table.json").is_file():
        names = table_names(root)
        raise ValueError(f"no table {name!r} in the library at {_root(root)}; it has "
                         f"{', '.join(names) if names else 'no tables yet'}")
    return folder


def load_table(name: str, root: Path | str | None = None) -> EmbeddingSet:
    """The library table `name`, memory-mapped (read-only; nothing is copied into memory
    until a page or command reads it). Its metadata, if any, is in `table.metadata`."""
    import pyarrow.parquet as pq

    folder = table_folder(name, root)
    info = _read_info(folder)
    vectors = np.load(folder / "vectors.npy", mmap_mode="r")
    keys = pq.read_table(folder / "keys.parquet", columns=["key"]).column("key").to_pylist()
    metadata = None
    if (folder / "metadata.parquet").is_file():
        metadata = pq.read_table(folder / "metadata.parquet").to_pandas()
    table = EmbeddingSet(vectors, keys, name, frequency_ordered=False, metadata=metadata,
                         description=f"library table {name}: {info.rows:,} rows × {info.dim} "
                                     f"(from {info.source_file})")
    # the unit rows were written at import: mapped too, so every process shares one copy
    # in the page cache, and the fingerprint need not hash gigabytes
    table.unit = np.load(folder / "unit.npy", mmap_mode="r")
    table.fingerprint = f"library:{name}:{info.imported}"
    return table


# -- checks before writing -------------------------------------------------------------
def check_name(name: str, root: Path | str | None = None) -> str:
    """`name` if it can name a new library table, else ValueError saying why."""
    from engine.sources import SOURCES

    if not NAME_PATTERN.fullmatch(name or ""):
        raise ValueError(f"table name {name!r} is not allowed: use 1–64 letters, digits, '.', '_' "
                         "or '-', starting with a letter or digit")
    if name in SOURCES:
        raise ValueError(f"{name!r} is a built-in source; choose another name")
    if (_root(root) / name).exists():
        raise ValueError(f"the library already has a table named {name!r}; choose another "
                         "name (or delete its folder to replace it)")
    return name


def writable_root(root: Path | str | None = None) -> Path:
    """The library folder, ready to write: the project's default is created; a folder the
    owner chose must exist and be writable."""
    folder = check_root(root)
    if root is None and LIBRARY_ENV not in os.environ:
        folder.mkdir(parents=True, exist_ok=True)
    if not folder.is_dir():
        raise ValueError(f"the library folder {folder} does not exist; create it or set "
                         f"{LIBRARY_ENV} to a folder that does")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ValueError(f"the library folder {folder} is read-only for this user; tables can "
                         f"be opened from it but not imported into it")
    return folder


def available_memory() -> int:
    """Bytes of memory available to a new allocation (MemAvailable), or a large number
    where the system does not say."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 1 << 62


def check_fits_in_memory(nbytes: int, what: str) -> None:
    """ValueError, before anything is read, when importing `what` whole would take `nbytes`,
    more than 80% of the memory available now; it says which formats import streams."""
    free = available_memory()
    if nbytes > 0.8 * free:
        raise ValueError(f"{what} needs about {human_bytes(nbytes)} of memory but only "
                         f"{human_bytes(free)} is available; import streams word2vec binary or text, "
                         "GloVe text and .npy without --vocab to disk: convert the table to one of "
                         "those and import that")


def import_file(path: str | Path, name: str, metadata: str | Path | None = None,
                format: str = "auto", vocab: str | Path | None = None,
                root: Path | str | None = None, progress: Progress | None = None) -> LibraryTable:
    """Convert a vector file (any format the readers know) into a library table.

    word2vec binary and text, fastText .vec and GloVe text (plain or gzip) and .npy are
    streamed: the table is never held in memory whole (peak: one 16,384-row block plus
    the keys). Other formats are read whole, after checking that they fit in memory.

    Parameters
    ----------
    path : the vector file.
    name : the new table's name (must not exist yet).
    metadata : optional CSV / Parquet, one row per key (see align_metadata).
    format : 'auto' or one of engine.readers.FORMATS.
    vocab : keys for formats without words (npy, tsv, safetensors, torch).
    progress : callable(rows done, rows in all).
    """
    path = Path(path)
    if path.is_dir():
        return import_model_folder(path, name, root=root, progress=progress)[0]
    if not path.is_file():
        raise ValueError(f"no file at {str(path)!r}")
    folder = writable_root(root)
    check_name(name, folder)
    frame = read_metadata(metadata) if metadata is not None else None
    chosen = detect_file_format(path) if format == "auto" else format
    with Staging(folder, name) as writer_for:
        if chosen == "word2vec-binary":
            stream_word2vec_binary(path, writer_for, progress)
        elif chosen in ("word2vec-text", "fasttext-vec", "glove-text"):
            stream_text(path, chosen != "glove-text", writer_for, progress)
        elif chosen == "npy" and vocab is None:
            copy_npy(path, writer_for, progress)
        else:
            _import_whole(path, chosen, vocab, writer_for, progress)
        if writer_for.writer is None:
            raise ValueError(f"{path.name} holds no rows")
        return writer_for.writer.finish({"format": chosen, "source_file": path.name}, frame)


def _import_whole(path: Path, chosen: str, vocab, writer_for, progress: Progress | None) -> None:
    from engine.readers import load_vectors

    check_fits_in_memory(3 * path.stat().st_size, f"{path.name} ({chosen}, read whole)")
    table = load_vectors(path, format=chosen, vocab=vocab).table
    write_table(table, writer_for, progress)


def output_name(name: str) -> str:
    """The library name of table `name`'s output embedding (a model folder's, when untied)."""
    return f"{name}-output"


def import_model_folder(path: str | Path, name: str, tensor: str | None = None,
                        root: Path | str | None = None, progress: Progress | None = None
                        ) -> list[LibraryTable]:
    """A model folder's token table as `name` (its token strings as keys; metadata columns
    token, kind and tokenizer: engine.token_status), and its output embedding as
    output_name(name) when untied. Both names are checked before anything is written.
    Returns the tables written."""
    from engine.readers.model_folder import read_model_folder

    folder = writable_root(root)
    check_name(name, folder)
    model = read_model_folder(path, tensor=tensor, name=name)
    if model.vocabulary is not None:            # what the tokenizer does, kept for health reports
        from engine.token_context import STATUS_COLUMN
        from engine.token_status import token_statuses

        model.input.metadata[STATUS_COLUMN] = token_statuses(model.vocabulary, len(model.input))
    tables = [(name, model.input)]
    if model.output is not None:
        tables.append((check_name(output_name(name), folder), model.output))
    written = []
    for table_name, table in tables:
        with Staging(folder, table_name) as writer_for:
            write_table(table, writer_for, progress)
            info = {"format": "model folder", "source_file": f"{Path(path).name}: "
                    f"{model.input_tensor if table is model.input else model.output_tensor}",
                    "notes": [model.tying_reason, *model.notes]}
            written.append(writer_for.writer.finish(info, table.metadata, aligned=True))
    return written


def save_table(table: EmbeddingSet, name: str, root: Path | str | None = None,
               metadata=None) -> LibraryTable:
    """Write an in-memory table (a visitor's upload) into the library as `name`."""
    folder = writable_root(root)
    check_name(name, folder)
    with Staging(folder, name) as writer_for:
        write_table(table, writer_for, None)
        return writer_for.writer.finish({"format": "upload", "source_file": table.name}, metadata)


@dataclass(frozen=True)
class UploadPolicy:
    """Whether visitors' uploads may be kept in the library (the server owner's choice,
    off by default), and how big and how many."""

    allowed: bool
    max_megabytes: float
    max_tables: int

    @classmethod
    def from_environment(cls) -> "UploadPolicy":
        return cls(os.environ.get(UPLOADS_ENV, "").lower() in ("1", "true", "yes", "on"),
                   float(os.environ.get(UPLOAD_MB_ENV, 200)), int(os.environ.get(UPLOAD_COUNT_ENV, 20)))

    def check(self, table: EmbeddingSet, root: Path | str | None = None) -> None:
        """ValueError when `table` may not be kept: not allowed, too big, or the library
        holds max_tables visitors' tables already."""
        if not self.allowed:
            raise ValueError(f"this server does not keep visitors' tables in the library "
                             f"(the owner can allow it with {UPLOADS_ENV}=1)")
        size = len(table) * table.dim * 4
        if size > self.max_megabytes * MIB:
            raise ValueError(f"{table.name} is {human_bytes(size)} as float32; visitors' tables in "
                             f"the library may be at most {mebibytes(self.max_megabytes * MIB)}")
        kept = sum(t.format == "upload" for t in list_tables(root))
        if kept >= self.max_tables:
            raise ValueError(f"the library already keeps {kept} visitors' tables, the most this "
                             "server allows; ask its owner to remove some")


