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

import gzip
import json
import os
import re
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import numpy as np

from engine.units import MIB, human_bytes, mebibytes
from engine.vectors import EmbeddingSet

if TYPE_CHECKING:
    import pandas as pd

LIBRARY_ENV = "EMBEDDING_LAB_LIBRARY"
DEFAULT_ROOT = Path(__file__).resolve().parent.parent / ".library-tables"
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
CHUNK_ROWS = 16_384                 # rows parsed and written at a time (20 MB at 300 dims)
READ_BYTES = 1 << 25                # 32 MB reads
ID_COLUMNS = ("id", "key", "word", "item", "node")
UPLOADS_ENV = "EMBEDDING_LAB_LIBRARY_UPLOADS"          # "1": visitors may keep uploads
UPLOAD_MB_ENV = "EMBEDDING_LAB_LIBRARY_UPLOAD_MB"      # size limit per kept upload (200)
UPLOAD_COUNT_ENV = "EMBEDDING_LAB_LIBRARY_UPLOAD_COUNT"  # kept uploads at most (20)

Progress = Callable[[int, int], None]


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


# -- writing a table -------------------------------------------------------------------
class _TableWriter:
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


def _open_bytes(path: Path):
    """A binary stream of the file, gzip undone."""
    with open(path, "rb") as probe:
        zipped = probe.read(2) == b"\x1f\x8b"
    return gzip.open(path, "rb") if zipped else open(path, "rb")


def _header(line: bytes) -> tuple[int, int] | None:
    fields = line.split()
    if len(fields) == 2 and all(f.isdigit() for f in fields):
        return int(fields[0]), int(fields[1])
    return None


def _stream_word2vec_binary(path: Path, writer_for, progress: Progress | None):
    """Parse a word2vec binary file record by record from 32 MB reads."""
    with _open_bytes(path) as stream:
        header = _header(stream.readline())
        rows, dim = header
        writer = writer_for(rows, dim)
        record = 4 * dim
        buffer, position, done = b"", 0, 0
        while done < rows:
            wanted = min(CHUNK_ROWS, rows - done)
            keys, numbers = [], bytearray(wanted * record)
            target, source = memoryview(numbers), memoryview(buffer)
            while len(keys) < wanted:
                while position < len(buffer) and buffer[position] in b"\n ":
                    position += 1
                space = buffer.find(b" ", position, position + 1_000)
                if space < 0 or space + 1 + record > len(buffer):
                    more = stream.read(READ_BYTES)
                    if not more:
                        raise ValueError(f"the file ends inside row {done + len(keys) + 1:,} of the "
                                         f"{rows:,} its header promises (cut short)")
                    buffer, position = buffer[position:] + more, 0
                    source.release()
                    source = memoryview(buffer)
                    continue
                at = len(keys) * record
                target[at:at + record] = source[space + 1:space + 1 + record]
                keys.append(_decode_key(buffer[position:space]))
                position = space + 1 + record
            source.release()
            writer.write(keys, np.frombuffer(numbers, "<f4").reshape(wanted, dim))
            done += len(keys)
            if progress:
                progress(done, rows)
        if buffer[position:].strip() or stream.read(1 << 16).strip():
            raise ValueError(f"the header promises {rows:,} rows but more data follows the last one")
    return writer


def _decode_key(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")     # every byte is a character there


def _count_rows(path: Path) -> int:
    """Non-blank lines of a text file."""
    with _open_bytes(path) as stream:
        return sum(1 for line in stream if line.strip())


def _stream_text(path: Path, has_header: bool, writer_for, progress: Progress | None):
    """Parse word2vec / GloVe text in blocks of whole lines with the text reader."""
    from engine.readers import read_glove_text

    with _open_bytes(path) as stream:
        if has_header:
            rows, dim = _header(stream.readline())
        else:
            first = stream.readline()
            dim = len(first.split()) - 1
            rows = _count_rows(path)
            stream = _chain_first(first, stream)
        writer = writer_for(rows, dim)
        done, line = 0, 2 if has_header else 1
        while True:
            lines = list(_take_lines(stream, CHUNK_ROWS))
            if not lines:
                break
            body, first_line = b"".join(lines), line
            line += len(lines)
            if not body.strip():
                continue
            try:
                words, vectors, _ = read_glove_text(body)
            except ValueError as error:
                raise ValueError(f"in the block of lines from {first_line:,}: {error}") from None
            if vectors.shape[1] != dim:
                raise ValueError(f"near line {first_line:,}: rows have {vectors.shape[1]} numbers, "
                                 f"the first had {dim}")
            writer.write(words, vectors)
            done += len(words)
            if progress:
                progress(done, rows)
    return writer


def _chain_first(first: bytes, stream):
    yield first
    yield from stream


def _take_lines(lines, n: int):
    for _, line in zip(range(n), lines):
        yield line


def _copy_npy(path: Path, writer_for, progress: Progress | None):
    vectors = np.load(path, mmap_mode="r", allow_pickle=False)
    if vectors.ndim != 2:
        raise ValueError(f"{path.name} holds an array of shape {vectors.shape}; a table is 2-D")
    writer = writer_for(*vectors.shape)
    for start in range(0, vectors.shape[0], CHUNK_ROWS):
        block = np.asarray(vectors[start:start + CHUNK_ROWS], dtype=np.float32)
        writer.write([str(i) for i in range(start, start + len(block))], block)
        if progress:
            progress(start + len(block), vectors.shape[0])
    return writer


STREAMED = {"word2vec-binary", "word2vec-text", "fasttext-vec", "glove-text"}


def _detect(path: Path) -> str:
    from engine.readers import detect_format

    with _open_bytes(path) as stream:
        head = stream.read(1 << 16)
    return detect_format(head, path.name)


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
    chosen = _detect(path) if format == "auto" else format
    with _Staging(folder, name) as writer_for:
        if chosen == "word2vec-binary":
            _stream_word2vec_binary(path, writer_for, progress)
        elif chosen in ("word2vec-text", "fasttext-vec", "glove-text"):
            _stream_text(path, chosen != "glove-text", writer_for, progress)
        elif chosen == "npy" and vocab is None:
            _copy_npy(path, writer_for, progress)
        else:
            _import_whole(path, chosen, vocab, writer_for, progress)
        if writer_for.writer is None:
            raise ValueError(f"{path.name} holds no rows")
        return writer_for.writer.finish({"format": chosen, "source_file": path.name}, frame)


class _Staging:
    """Called as writer_for(rows, dim) once a reader knows the table's size, it creates the
    table's writer; leaving its `with` block on any error discards what was half written."""

    def __init__(self, folder: Path, name: str):
        self.folder, self.name, self.writer = folder, name, None

    def __call__(self, rows: int, dim: int) -> _TableWriter:
        self.writer = _TableWriter(self.folder, self.name, rows, dim)
        return self.writer

    def __enter__(self) -> "_Staging":
        return self

    def __exit__(self, kind, error, trace) -> bool:
        if kind is not None and self.writer is not None:
            self.writer.discard()
        return False


def _import_whole(path: Path, chosen: str, vocab, writer_for, progress: Progress | None) -> None:
    from engine.readers import load_vectors

    check_fits_in_memory(3 * path.stat().st_size, f"{path.name} ({chosen}, read whole)")
    table = load_vectors(path, format=chosen, vocab=vocab).table
    _write_table(table, writer_for, progress)


def _write_table(table: EmbeddingSet, writer_for, progress: Progress | None) -> None:
    writer = writer_for(len(table), table.dim)
    for start in range(0, len(table), CHUNK_ROWS):
        stop = min(start + CHUNK_ROWS, len(table))
        writer.write(table.index_to_key[start:stop], np.asarray(table.vectors[start:stop], np.float32))
        if progress:
            progress(stop, len(table))


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
        with _Staging(folder, table_name) as writer_for:
            _write_table(table, writer_for, progress)
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
    with _Staging(folder, name) as writer_for:
        _write_table(table, writer_for, None)
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


# -- metadata ----------------------------------------------------------------------------
def read_metadata(source) -> pd.DataFrame:
    """A metadata file (CSV, TSV or Parquet; path or file object), every column kept; the
    id column ('id', 'key', 'word', 'item' or 'node', else the first) becomes 'key', as text."""
    import pandas as pd

    name = str(getattr(source, "name", source))
    try:
        if name.lower().endswith(".parquet"):
            frame = pd.read_parquet(source)
        else:
            frame = pd.read_csv(source, sep=None, engine="python", dtype={0: str})
    except UnicodeDecodeError as error:
        raise ValueError(f"the metadata file {Path(name).name} is not UTF-8 text: byte "
                         f"0x{error.object[error.start]:02x} is not a character (a binary file?); give "
                         "CSV or TSV text in UTF-8, or a Parquet file") from None
    except (OSError, ValueError, pd.errors.ParserError) as error:
        raise ValueError(f"cannot read the metadata file {Path(name).name}: {error}") from None
    if frame.shape[1] < 1 or frame.shape[0] < 1:
        raise ValueError(f"the metadata file {Path(name).name} has no rows or no columns")
    lower = {str(c).lower(): c for c in frame.columns}
    id_column = next((lower[c] for c in ID_COLUMNS if c in lower), frame.columns[0])
    frame = frame.rename(columns={id_column: "key"})
    frame["key"] = frame["key"].astype(str)
    frame = frame[["key"] + [c for c in frame.columns if c != "key"]]
    repeated = frame["key"].duplicated()
    if repeated.any():
        raise ValueError(f"the metadata has {int(repeated.sum()):,} repeated id(s) (first: "
                         f"{frame['key'][repeated].iloc[0]!r}); give one row per id")
    return frame


def align_metadata(frame, keys: list[str]) -> tuple[pd.DataFrame, str]:
    """(one metadata row per key, in row order, empty where the file has none; a note).
    ValueError, saying how many match, when fewer than half the keys have a row."""
    import pandas as pd

    indexed = frame.set_index("key")
    matched = indexed.index.isin(pd.Index(keys))
    found = int(pd.Index(keys).isin(indexed.index).sum())
    if found * 2 < len(keys):
        example = frame["key"].iloc[0]
        raise ValueError(f"only {found:,} of the table's {len(keys):,} keys have a metadata row "
                         f"({int(matched.sum()):,} of the metadata's {len(frame):,} ids match; e.g. "
                         f"metadata id {example!r}, table key {keys[0]!r}); the id column must hold "
                         "the table's keys")
    aligned = indexed.reindex(keys).reset_index().rename(columns={"index": "key"})
    note = f"metadata for {found:,} of {len(keys):,} keys"
    if len(frame) - int(matched.sum()):
        note += f"; {len(frame) - int(matched.sum()):,} metadata id(s) are not in the table"
    return aligned, note
