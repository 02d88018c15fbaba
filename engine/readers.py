"""Vector files in every common format -> EmbeddingSet, and back.

Formats (`FORMATS`): word2vec text (header "rows dim") and binary, GloVe text (no header),
fastText .vec (word2vec text by another name), TensorFlow Projector TSV (vectors.tsv plus an
optional metadata.tsv), NumPy .npy with a vocabulary file, safetensors, PyTorch state dicts
(loaded with ``weights_only=True`` only: no pickle from users), and gzip of any of them.

Every reader raises FileFormatError (a ValueError) with one line that names the line or
byte where the file goes wrong, and checks `Limits` before it allocates, so that a hostile
or broken file costs neither a crash nor a memory blow-up.

gensim's load_word2vec_format reads a Python line at a time; measured on the 400k GloVe
table (bench/bench_readers.py) pandas' C tokenizer for the numbers and one slice-copy per
binary record are many times faster, so the readers are written here and checked against
gensim's reader and writer in the tests.
"""
from __future__ import annotations

import csv
import gzip
import io
import json
import math
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np

from engine.vectors import EmbeddingSet

FORMATS = ("word2vec-text", "word2vec-binary", "glove-text", "fasttext-vec", "tsv", "npy",
           "safetensors", "torch")
# formats whose rows carry no words: a vocabulary file names them, else row ids do
KEYLESS_FORMATS = ("tsv", "npy", "safetensors", "torch")

GZIP_MAGIC = b"\x1f\x8b"
NPY_MAGIC = b"\x93NUMPY"
ZIP_MAGIC = b"PK\x03\x04"
LONGEST_WORD = 1_000   # bytes; a longer "word" in a binary file means the offsets are off


class FileFormatError(ValueError):
    """A file that cannot be read as vectors; the message names where and why, in one line."""


@dataclass(frozen=True)
class Limits:
    """What one file may hold. Checked before memory is allocated."""

    max_bytes: int = 1 << 30        # after gzip is undone
    max_rows: int = 5_000_000
    max_dim: int = 8_192
    max_cells: int = 300_000_000    # rows × dims: 1.2 GB of float32

    def check(self, rows: int, dim: int, what: str) -> None:
        if rows > self.max_rows:
            raise FileFormatError(f"{what} has {rows:,} rows; at most {self.max_rows:,} are allowed")
        if dim > self.max_dim:
            raise FileFormatError(f"{what} has {dim:,} dimensions; at most {self.max_dim:,} are allowed")
        if rows * dim > self.max_cells:
            raise FileFormatError(f"{what} has {rows:,} × {dim:,} = {rows * dim:,} numbers; at most "
                                  f"{self.max_cells:,} are allowed")


LIMITS = Limits()


@dataclass(frozen=True)
class TensorInfo:
    """One tensor in a safetensors or PyTorch file."""

    name: str
    shape: tuple[int, ...]
    dtype: str

    @property
    def usable(self) -> bool:
        """2-D and floating point: can be an embedding table."""
        return len(self.shape) == 2 and self.dtype.lower().lstrip("torch.").startswith(("f", "bf"))


@dataclass(frozen=True)
class LoadedTable:
    """A file read into a table, with what the reader had to decide on the way."""

    table: EmbeddingSet
    format: str
    notes: tuple[str, ...] = ()
    tensors: tuple[TensorInfo, ...] = field(default=(), repr=False)

    def to_dict(self) -> dict:
        return {"name": self.table.name, "rows": len(self.table), "dim": self.table.dim,
                "format": self.format, "notes": list(self.notes)}


# -- bytes in -----------------------------------------------------------------------
def _raw_bytes(source, limits: Limits) -> tuple[bytes, str | None]:
    """(content, file name) of a path, bytes, or an uploaded file object."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source), None
    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.is_file():
            raise FileFormatError(f"no file at {str(path)!r}")
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise FileFormatError(f"{path.name} is {size:,} bytes; at most {limits.max_bytes:,} are allowed")
        return path.read_bytes(), path.name
    if hasattr(source, "getvalue") or hasattr(source, "read"):
        data = source.getvalue() if hasattr(source, "getvalue") else source.read()
        return bytes(data), getattr(source, "name", None)
    raise TypeError(f"expected a path, bytes or a file object; got {type(source).__name__}")


def _gunzip(data: bytes, limits: Limits) -> bytes:
    """Undo gzip, stopping (with an error) once more than limits.max_bytes come out."""
    out = io.BytesIO()
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            while chunk := stream.read(1 << 20):
                out.write(chunk)
                if out.tell() > limits.max_bytes:
                    raise FileFormatError(f"the gzip file unpacks to more than {limits.max_bytes:,} "
                                          "bytes, the most allowed")
    except (OSError, EOFError, zlib.error) as error:
        raise FileFormatError(f"the gzip stream is damaged after {out.tell():,} unpacked bytes: "
                              f"{error}") from None
    return out.getvalue()


def _strip_extensions(filename: str | None) -> tuple[str, str]:
    """(stem, last real extension) of a file name, '.gz' removed: 'a.vec.gz' -> ('a', '.vec')."""
    if not filename:
        return "uploaded", ""
    path = Path(filename)
    if path.suffix.lower() == ".gz":
        path = Path(path.stem)
    return (path.stem or "uploaded"), path.suffix.lower()


# -- format detection ------------------------------------------------------------------
def _first_line(data: bytes, start: int = 0, limit: int = 1 << 20) -> bytes:
    end = data.find(b"\n", start, start + limit)
    return data[start:end if end >= 0 else start + limit]


def _is_number(token: bytes) -> bool:
    try:
        float(token)
        return True
    except ValueError:
        return False


def _word2vec_header(line: bytes) -> tuple[int, int] | None:
    parts = line.split()
    if b"\t" not in line and len(parts) == 2 and all(p.isdigit() for p in parts):
        return int(parts[0]), int(parts[1])
    return None


def _looks_like_safetensors(data: bytes) -> bool:
    if len(data) < 10:
        return False
    length = struct.unpack("<Q", data[:8])[0]
    return 2 <= length <= len(data) - 8 and data[8:9] == b"{"


def _text_record_after_header(data: bytes, dim: int) -> bool:
    """Whether the first record after a word2vec header is text: a word and numbers (their
    count is checked by the text reader, which names the line)."""
    start = data.find(b"\n") + 1
    parts = _first_line(data, start, 16 * dim + 1_000).split()
    return len(parts) >= 2 and all(_is_number(p) for p in parts[1:])


def detect_format(data: bytes, filename: str | None = None) -> str:
    """The format of `data` (already un-gzipped), from its first bytes and, where they
    cannot tell (word2vec text vs fastText .vec), the file extension."""
    _, extension = _strip_extensions(filename)
    if data.startswith(NPY_MAGIC):
        return "npy"
    if data.startswith(ZIP_MAGIC) or data[:2] in (b"\x80\x02", b"\x80\x03", b"\x80\x04"):
        return "torch"
    if _looks_like_safetensors(data):
        return "safetensors"
    line = _first_line(data)
    header = _word2vec_header(line)
    if header:
        if not _text_record_after_header(data, header[1]):
            return "word2vec-binary"
        return "fasttext-vec" if extension == ".vec" else "word2vec-text"
    parts = line.split()
    if parts and all(_is_number(p) for p in parts):
        return "tsv"
    if len(parts) >= 2 and all(_is_number(p) for p in parts[1:]):
        return "glove-text"
    raise FileFormatError("could not tell the format from the first line "
                          f"{line[:60]!r}; choose it: {', '.join(FORMATS)}")


# -- text ------------------------------------------------------------------------------
def _decode_words(raw: Sequence[str], notes: list[str]) -> list[str]:
    """Words read with surrogateescape: those that were not UTF-8 are re-read as Latin-1
    (every byte is a character there), and a note says which."""
    try:
        "".join(raw).encode("utf-8")      # fails exactly when a word kept an undecodable byte
        return list(raw)
    except UnicodeEncodeError:
        bad = [i for i, w in enumerate(raw) if any("\udc80" <= c <= "\udcff" for c in w)]
    words = list(raw)
    for i in bad:
        words[i] = words[i].encode("utf-8", "surrogateescape").decode("latin-1")
    notes.append(f"{len(bad):,} word(s) were not valid UTF-8 (first: row {bad[0] + 1:,}, "
                 f"{words[bad[0]]!r}); they were decoded as Latin-1")
    return words


def _text_lines(body: bytes, first_line: int):
    """(line number, fields) of every non-blank line."""
    for number, line in enumerate(body.split(b"\n"), first_line):
        fields = line.split()
        if fields:
            yield number, fields


def _diagnose_text(body: bytes, first_line: int, dim: int, has_word: bool, cause: str) -> FileFormatError:
    """The first line that breaks the table (slow, pure Python: runs only on a bad file)."""
    width = dim + 1 if has_word else dim
    shape = f"a word and {dim} numbers" if has_word else f"{dim} numbers"
    for number, fields in _text_lines(body, first_line):
        if len(fields) != width:
            found = len(fields) - 1 if has_word else len(fields)
            return FileFormatError(f"line {number:,}: expected {shape}, found {found:,} "
                                   f"(rows must all be the same length)")
        for column, token in enumerate(fields[1:] if has_word else fields, 2 if has_word else 1):
            try:
                value = float(token)
            except ValueError:
                return FileFormatError(f"line {number:,}, field {column}: {token[:40]!r} is not a number")
            if not math.isfinite(value):
                return FileFormatError(f"line {number:,}, field {column}: {token.decode()} is not a "
                                       "finite number (NaN and infinity cannot be compared)")
    return FileFormatError(f"could not read the numbers: {cause}")


def _read_numbers(body: bytes, separator: str, dim: int, has_word: bool):
    """(raw words, (n, dim) float32) by pandas' C tokenizer, or None if this separator does
    not give a clean table."""
    import pandas as pd

    start = 1 if has_word else 0
    dtypes = {i: np.float32 for i in range(start, start + dim)}
    if has_word:
        dtypes[0] = object
    try:
        frame = pd.read_csv(io.BytesIO(body), sep=separator, header=None, quoting=csv.QUOTE_NONE,
                            na_filter=False, dtype=dtypes, engine="c", comment=None,
                            encoding="utf-8", encoding_errors="surrogateescape")
    except Exception:
        return None
    if frame.shape[1] == start + dim + 1 and (frame.iloc[:, -1] == "").all():
        frame = frame.iloc[:, :-1]          # a separator at the end of every line
    if frame.shape[1] != start + dim or not all(frame.dtypes.iloc[start:] == np.float32):
        return None
    vectors = np.ascontiguousarray(frame.iloc[:, start:].to_numpy(dtype=np.float32))
    if not np.isfinite(vectors).all():
        return None
    return (frame[0].tolist() if has_word else []), vectors


def _parse_text(body: bytes, first_line: int, dim: int, has_word: bool, separator: str,
                limits: Limits) -> tuple[list[str], np.ndarray]:
    """Rows of `body` (each: a word if has_word, then `dim` numbers) -> (raw words,
    (n, dim) float32). One separator first (fast), then any run of whitespace."""
    limits.check(body.count(b"\n") + 1, dim, "the file")
    for attempt in (separator, r"\s+"):
        parsed = _read_numbers(body, attempt, dim, has_word)
        if parsed is not None:
            return parsed
    raise _diagnose_text(body, first_line, dim, has_word, "the rows do not form a table")


def _split_header(data: bytes) -> tuple[tuple[int, int], int]:
    """((rows, dim), offset of the first record) of a word2vec file."""
    newline = data.find(b"\n")
    header = _word2vec_header(data[:newline if newline >= 0 else len(data)])
    if header is None:
        raise FileFormatError(f"line 1: expected the word2vec header 'rows dims', found "
                              f"{_first_line(data)[:60]!r}")
    if header[0] < 1 or header[1] < 1:
        raise FileFormatError(f"line 1: the header says {header[0]:,} rows × {header[1]:,} dims; "
                              "both must be at least 1")
    return header, newline + 1 if newline >= 0 else len(data)


def _check_row_count(rows: int, promised: int, last_line: int) -> None:
    if rows < promised:
        raise FileFormatError(f"the header promises {promised:,} rows but the file has {rows:,} "
                              f"(it ends at line {last_line:,})")
    if rows > promised:
        raise FileFormatError(f"the header promises {promised:,} rows but there are more: line "
                              f"{promised + 2:,} or later starts row {promised + 1:,}")


def read_word2vec_text(data: bytes, limits: Limits = LIMITS) -> tuple[list[str], np.ndarray, list[str]]:
    """word2vec / fastText .vec text: 'rows dim' then 'word v1 ... vd' per line."""
    (rows, dim), start = _split_header(data)
    limits.check(rows, dim, "the header")
    notes: list[str] = []
    raw, vectors = _parse_text(data[start:], 2, dim, True, " ", limits)
    _check_row_count(len(raw), rows, data.count(b"\n") + (not data.endswith(b"\n")))
    return _decode_words(raw, notes), vectors, notes


def read_glove_text(data: bytes, limits: Limits = LIMITS) -> tuple[list[str], np.ndarray, list[str]]:
    """GloVe text: 'word v1 ... vd' per line, no header."""
    first = next(_text_lines(data, 1), None)
    if first is None:
        raise FileFormatError("the file is empty: no rows")
    number, fields = first
    if len(fields) < 2:
        raise FileFormatError(f"line {number:,}: expected a word and numbers, found {fields[0][:40]!r} alone")
    notes: list[str] = []
    raw, vectors = _parse_text(data, 1, len(fields) - 1, True, " ", limits)
    return _decode_words(raw, notes), vectors, notes


def read_tsv(data: bytes, limits: Limits = LIMITS) -> np.ndarray:
    """TensorFlow Projector vectors.tsv: tab- (or space-) separated numbers, one row a line,
    no words."""
    first = next(_text_lines(data, 1), None)
    if first is None:
        raise FileFormatError("the file is empty: no rows")
    _, vectors = _parse_text(data, 1, len(first[1]), False, "\t", limits)
    return vectors


# -- word2vec binary ---------------------------------------------------------------------
def read_word2vec_binary(data: bytes, limits: Limits = LIMITS) -> tuple[list[str], np.ndarray, list[str]]:
    """word2vec binary: 'rows dim\\n' then per row 'word ' and dim little-endian float32."""
    (rows, dim), position = _split_header(data)
    limits.check(rows, dim, "the header")
    record = 4 * dim
    if rows * (record + 2) > len(data) - position + rows:   # each row needs ≥ record + 2 bytes
        raise FileFormatError(f"the header promises {rows:,} rows × {dim:,} dims (at least "
                              f"{rows * (record + 2):,} bytes) but only {len(data) - position:,} "
                              "bytes follow it: the file is cut short or the header is wrong")
    out = bytearray(rows * record)
    source, target = memoryview(data), memoryview(out)
    words: list[bytes] = []
    find = data.find
    for row in range(rows):
        while data[position:position + 1] in (b"\n", b" "):
            position += 1
        space = find(b" ", position, position + LONGEST_WORD)
        if space < 0:
            raise FileFormatError(f"byte {position:,} (row {row + 1:,} of {rows:,}): no word ends "
                                  f"within {LONGEST_WORD:,} bytes; the file is cut short or not "
                                  "word2vec binary")
        start = space + 1
        if start + record > len(data):
            raise FileFormatError(f"byte {start:,} (row {row + 1:,} of {rows:,}, "
                                  f"{data[position:space][:40]!r}): the file ends {start + record - len(data):,} "
                                  f"bytes before this row's {dim:,} numbers do (cut short)")
        words.append(data[position:space])
        target[row * record:(row + 1) * record] = source[start:start + record]
        position = start + record
    vectors = np.frombuffer(out, dtype="<f4").reshape(rows, dim).astype(np.float32, copy=False)
    if data[position:].strip():
        raise FileFormatError(f"byte {position:,}: the header promises {rows:,} rows but more "
                              "data follows the last one")
    _check_finite(vectors, lambda i: f"row {i + 1:,} ({words[i][:40]!r})")
    raw = [w.decode("utf-8", "surrogateescape") for w in words]
    notes: list[str] = []
    return _decode_words(raw, notes), vectors, notes


def _check_finite(vectors: np.ndarray, where) -> None:
    finite = np.isfinite(vectors).all(axis=1)
    if not finite.all():
        bad = int(np.argmin(finite))
        raise FileFormatError(f"{where(bad)} holds NaN or infinity ({int((~finite).sum()):,} such "
                              "rows); they cannot be compared")


# -- NumPy .npy --------------------------------------------------------------------------
def read_npy(data: bytes, limits: Limits = LIMITS) -> np.ndarray:
    """A 2-D floating .npy array (never a pickle: object arrays are refused)."""
    from numpy.lib import format as npy

    stream = io.BytesIO(data)
    try:
        major, _ = npy.read_magic(stream)
        if major == 1:
            shape, fortran, dtype = npy.read_array_header_1_0(stream)
        else:
            shape, fortran, dtype = npy.read_array_header_2_0(stream)
    except Exception as error:
        raise FileFormatError(f"not a readable .npy header: {error}") from None
    if len(shape) != 2:
        raise FileFormatError(f"the .npy array has shape {shape}; an embedding table must be 2-D")
    if dtype.kind != "f":
        raise FileFormatError(f"the .npy array holds {dtype}; only floating-point tables are read")
    limits.check(shape[0], shape[1], "the .npy array")
    offset = stream.tell()
    needed = shape[0] * shape[1] * dtype.itemsize
    if len(data) - offset < needed:
        raise FileFormatError(f"the .npy header promises {shape[0]:,} × {shape[1]:,} {dtype} "
                              f"({needed:,} bytes from byte {offset:,}) but the file ends at byte "
                              f"{len(data):,}")
    flat = np.frombuffer(data, dtype=dtype, count=shape[0] * shape[1], offset=offset)
    matrix = flat.reshape(shape[::-1]).T if fortran else flat.reshape(shape)
    return _finite_float32(matrix, "the .npy array")


def _finite_float32(matrix: np.ndarray, what: str) -> np.ndarray:
    vectors = np.ascontiguousarray(matrix, dtype=np.float32)
    _check_finite(vectors, lambda i: f"{what}, row {i + 1:,},")
    return vectors


# -- safetensors -------------------------------------------------------------------------
SAFETENSORS_DTYPES = {"F16": np.dtype("<f2"), "F32": np.dtype("<f4"), "F64": np.dtype("<f8"),
                      "BF16": np.dtype("<u2"), "I8": np.dtype("i1"), "U8": np.dtype("u1"),
                      "I16": np.dtype("<i2"), "I32": np.dtype("<i4"), "I64": np.dtype("<i8"),
                      "BOOL": np.dtype("?")}


def _safetensors_header(data: bytes) -> tuple[dict, int]:
    """(tensor name -> {dtype, shape, data_offsets}, offset of the data), every entry checked
    against the file: the header is JSON that a writer can get wrong."""
    if len(data) < 8:
        raise FileFormatError(f"a safetensors file starts with an 8-byte header length; this one has "
                              f"{len(data)} bytes")
    length = struct.unpack("<Q", data[:8])[0]
    if length > len(data) - 8:
        raise FileFormatError(f"bytes 0–7: the header length says {length:,} bytes but only "
                              f"{len(data) - 8:,} follow")
    try:
        header = json.loads(data[8:8 + length].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise FileFormatError(f"bytes 8–{8 + length:,}: the safetensors header is not JSON ({error})") from None
    if not isinstance(header, dict):
        raise FileFormatError("bytes 8 on: the safetensors header is not a JSON object")
    base, size = 8 + length, len(data) - 8 - length
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        try:
            dtype = SAFETENSORS_DTYPES[entry["dtype"]]
            shape = tuple(int(n) for n in entry["shape"])
            begin, end = (int(n) for n in entry["data_offsets"])
        except (KeyError, TypeError, ValueError):
            raise FileFormatError(f"the safetensors header entry for {name!r} needs a known dtype, "
                                  f"a shape and two data_offsets; found {str(entry)[:80]}") from None
        if any(n < 0 for n in shape) or not 0 <= begin <= end:
            raise FileFormatError(f"tensor {name!r}: shape {list(shape)} or data_offsets "
                                  f"[{begin}, {end}] are negative or reversed")
        if end > size:
            raise FileFormatError(f"tensor {name!r}: data_offsets end at byte {base + end:,} but the "
                                  f"file ends at byte {len(data):,}")
        needed = math.prod(shape) * dtype.itemsize
        if end - begin != needed:
            raise FileFormatError(f"tensor {name!r}: shape {list(shape)} of {entry['dtype']} needs "
                                  f"{needed:,} bytes but data_offsets span {end - begin:,} (bytes "
                                  f"{base + begin:,}–{base + end:,})")
        tensors[name] = {"dtype": entry["dtype"], "shape": shape, "begin": base + begin, "end": base + end}
    return tensors, base


def _safetensors_tensors(data: bytes) -> tuple[TensorInfo, ...]:
    header, _ = _safetensors_header(data)
    return tuple(TensorInfo(name, entry["shape"], entry["dtype"]) for name, entry in header.items())


def read_safetensors(data: bytes, tensor: str | None, limits: Limits = LIMITS) -> tuple[np.ndarray, str]:
    """(the chosen 2-D float tensor as float32, its name). BF16 is widened bit-exactly."""
    header, _ = _safetensors_header(data)
    name = _choose_tensor(tuple(TensorInfo(n, e["shape"], e["dtype"]) for n, e in header.items()), tensor)
    entry = header[name]
    limits.check(entry["shape"][0], entry["shape"][1], f"tensor {name!r}")
    raw = np.frombuffer(data, dtype=SAFETENSORS_DTYPES[entry["dtype"]],
                        count=math.prod(entry["shape"]), offset=entry["begin"])
    if entry["dtype"] == "BF16":   # bfloat16 is the top half of a float32
        raw = (raw.astype(np.uint32) << 16).view(np.float32)
    return _finite_float32(raw.reshape(entry["shape"]), f"tensor {name!r}"), name


def _choose_tensor(tensors: Sequence[TensorInfo], wanted: str | None) -> str:
    """`wanted` if it is a usable tensor; by default the largest 2-D float tensor whose name
    says embedding (word_embeddings, embed_tokens, wte, ...), else the largest one."""
    usable = [t for t in tensors if t.usable]
    if wanted is not None:
        found = {t.name: t for t in tensors}.get(wanted)
        if found is None:
            raise FileFormatError(f"no tensor named {wanted!r}; 2-D float tensors here: "
                                  f"{', '.join(t.name for t in usable) or 'none'}")
        if not found.usable:
            raise FileFormatError(f"tensor {wanted!r} has shape {list(found.shape)} of {found.dtype}; "
                                  "an embedding table is a 2-D floating-point tensor")
        return wanted
    if not usable:
        listed = ", ".join(f"{t.name} {list(t.shape)}" for t in tensors[:8]) or "none"
        raise FileFormatError(f"the file has no 2-D floating-point tensor to use as a table "
                              f"(tensors: {listed})")
    named = [t for t in usable if any(s in t.name.lower() for s in ("embed", "wte", "tok", "vocab"))]
    return max(named or usable, key=lambda t: math.prod(t.shape)).name


# -- PyTorch -----------------------------------------------------------------------------
def _torch_load(data: bytes):
    import pickle

    import torch

    try:
        return torch.load(io.BytesIO(data), map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as error:
        first = str(error).strip().splitlines()[0][:160] if str(error).strip() else "refused"
        raise FileFormatError("the PyTorch file holds more than tensors; only weights are loaded "
                              f"(weights_only=True): {first}") from None
    except Exception as error:
        first = str(error).strip().splitlines()[0][:160] if str(error).strip() else type(error).__name__
        raise FileFormatError(f"not a readable PyTorch file: {first}") from None


def _flatten_state(obj, prefix: str = "") -> dict:
    """name -> tensor for a tensor, a state dict, or dicts of them (a checkpoint's 'model')."""
    import torch

    if isinstance(obj, torch.Tensor):
        return {prefix or "tensor": obj}
    if isinstance(obj, dict):
        found = {}
        for key, value in obj.items():
            found.update(_flatten_state(value, f"{prefix}.{key}" if prefix else str(key)))
        return found
    return {}


def _torch_tensors(state: dict) -> tuple[TensorInfo, ...]:
    return tuple(TensorInfo(name, tuple(t.shape), str(t.dtype).replace("torch.", ""))
                 for name, t in state.items())


def read_torch(data: bytes, tensor: str | None, limits: Limits = LIMITS) -> tuple[np.ndarray, str, tuple]:
    """(the chosen 2-D float tensor as float32, its name, all tensors) of a PyTorch file."""
    state = _flatten_state(_torch_load(data))
    tensors = _torch_tensors(state)
    name = _choose_tensor(tensors, tensor)
    chosen = state[name]
    limits.check(chosen.shape[0], chosen.shape[1], f"tensor {name!r}")
    return _finite_float32(chosen.detach().float().numpy(), f"tensor {name!r}"), name, tensors


def list_tensors(source, format: str = "auto", limits: Limits = LIMITS) -> tuple[TensorInfo, ...]:
    """Every tensor of a safetensors or PyTorch file (name, shape, dtype); () for other formats."""
    data, filename = _raw_bytes(source, limits)
    if data.startswith(GZIP_MAGIC):
        data = _gunzip(data, limits)
    chosen = detect_format(data, filename) if format == "auto" else format
    if chosen == "safetensors":
        return _safetensors_tensors(data)
    if chosen == "torch":
        return _torch_tensors(_flatten_state(_torch_load(data)))
    return ()


# -- vocabulary files ----------------------------------------------------------------------
def read_vocabulary(source, rows: int, limits: Limits = LIMITS) -> tuple[list[str], list[str]]:
    """(one key per row, notes) from a vocabulary or Projector metadata file: one word a line;
    with tabs, a header row and the first column is the key (TensorFlow Projector's rule)."""
    if isinstance(source, (list, tuple)):
        keys, notes = [str(k) for k in source], []
    else:
        data, _ = _raw_bytes(source, limits)
        if data.startswith(GZIP_MAGIC):
            data = _gunzip(data, limits)
        notes: list[str] = []
        lines = data.decode("utf-8", "surrogateescape").split("\n")
        lines = [line.rstrip("\r") for line in lines]
        while lines and lines[-1] == "":
            lines.pop()
        if lines and "\t" in lines[0]:
            notes.append(f"the vocabulary file has columns {lines[0].split(chr(9))[:6]}; keys come from "
                         "the first, the first line is the header")
            lines = [line.split("\t")[0] for line in lines[1:]]
        keys = _decode_words(lines, notes)
    if len(keys) != rows:
        raise FileFormatError(f"the vocabulary has {len(keys):,} entries for {rows:,} rows; "
                              "it needs one per row")
    return keys, notes


# -- the entry point -------------------------------------------------------------------------
def load_vectors(source, format: str = "auto", vocab=None, tensor: str | None = None,
                 name: str | None = None, limits: Limits = LIMITS) -> LoadedTable:
    """Read a vector file into a LoadedTable (table, format, notes, tensors).

    Parameters
    ----------
    source : path, bytes or an uploaded file object (with .getvalue() and .name).
    format : 'auto' (detected from the first bytes and the extension) or one of FORMATS.
    vocab : keys for the formats without words (tsv metadata, npy, safetensors, torch):
        a path, bytes, file object or list; without it rows are named by id.
    tensor : which 2-D tensor of a safetensors / PyTorch file; default: the embedding.
    name : the table's name; default: the file name without extensions.
    """
    if format != "auto" and format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; choose auto or one of {', '.join(FORMATS)}")
    data, filename = _raw_bytes(source, limits)
    if data.startswith(GZIP_MAGIC):
        data = _gunzip(data, limits)
    if not data.strip():
        raise FileFormatError("the file is empty")
    chosen = detect_format(data, filename) if format == "auto" else format
    if vocab is not None and chosen not in KEYLESS_FORMATS:
        raise ValueError(f"a {chosen} file names its own rows; a vocabulary file is only used "
                         f"with {', '.join(KEYLESS_FORMATS)}")
    notes: list[str] = []
    tensors: tuple[TensorInfo, ...] = ()
    words = None
    if chosen in ("word2vec-text", "fasttext-vec"):
        words, vectors, notes = read_word2vec_text(data, limits)
    elif chosen == "word2vec-binary":
        words, vectors, notes = read_word2vec_binary(data, limits)
    elif chosen == "glove-text":
        words, vectors, notes = read_glove_text(data, limits)
    elif chosen == "tsv":
        vectors = read_tsv(data, limits)
    elif chosen == "npy":
        vectors = read_npy(data, limits)
    elif chosen == "safetensors":
        tensors = _safetensors_tensors(data)
        vectors, picked = read_safetensors(data, tensor, limits)
        notes.append(f"tensor {picked!r} of {len(tensors)}")
    else:
        vectors, picked, tensors = read_torch(data, tensor, limits)
        notes.append(f"tensor {picked!r} of {len(tensors)}")
    if words is None:
        if vocab is None:
            words = [str(i) for i in range(vectors.shape[0])]
            notes.append("no vocabulary file: rows are named by their id 0, 1, 2, …")
        else:
            words, vocab_notes = read_vocabulary(vocab, vectors.shape[0], limits)
            notes.extend(vocab_notes)
    if vectors.shape[0] == 0:
        raise FileFormatError("the file has no rows")
    stem, _ = _strip_extensions(filename)
    table = EmbeddingSet(vectors, words, name or stem, frequency_ordered=False,
                         description=f"your {chosen} file {filename or ''}: "
                                     f"{vectors.shape[0]:,} rows × {vectors.shape[1]}".replace("  ", " "))
    return LoadedTable(table, chosen, tuple(notes), tensors)


def read_vectors(path_or_bytes, format: str = "auto", vocab=None, tensor: str | None = None,
                 name: str | None = None, limits: Limits = LIMITS) -> EmbeddingSet:
    """The EmbeddingSet of a vector file in any of FORMATS (see load_vectors)."""
    return load_vectors(path_or_bytes, format, vocab, tensor, name, limits).table


# -- writers (round trips, downloads) ----------------------------------------------------------
def _text_rows(table: EmbeddingSet, separator: str = " ", words: bool = True) -> bytes:
    # NumPy's float32 -> str is the shortest text that reads back to the same float32
    cells = np.asarray(table.vectors, dtype=np.float32).astype(str)
    rows = (separator.join(row) for row in cells.tolist())
    lines = (f"{key}{separator}{row}" for key, row in zip(table.index_to_key, rows)) if words else rows
    return ("\n".join(lines) + "\n").encode("utf-8")


def write_vectors(table: EmbeddingSet, format: str) -> bytes:
    """The table as a file in `format` (not torch: use torch.save on the tensor). For tsv and
    npy the words go in a separate file: see write_vocabulary."""
    vectors = np.ascontiguousarray(table.vectors, dtype=np.float32)
    if format in ("word2vec-text", "fasttext-vec"):
        return f"{len(table)} {table.dim}\n".encode() + _text_rows(table)
    if format == "glove-text":
        return _text_rows(table)
    if format == "tsv":
        return _text_rows(table, "\t", words=False)
    if format == "word2vec-binary":
        parts = [f"{len(table)} {table.dim}\n".encode()]
        for key, row in zip(table.index_to_key, vectors.astype("<f4")):
            parts.append(key.encode("utf-8") + b" " + row.tobytes() + b"\n")
        return b"".join(parts)
    if format == "npy":
        buffer = io.BytesIO()
        np.save(buffer, vectors, allow_pickle=False)
        return buffer.getvalue()
    if format == "safetensors":
        from safetensors.numpy import save

        return save({"embeddings": vectors})
    raise ValueError(f"cannot write format {format!r}; writable: word2vec-text, word2vec-binary, "
                     "glove-text, fasttext-vec, tsv, npy, safetensors")


def write_vocabulary(table: EmbeddingSet) -> bytes:
    """One key a line: the metadata.tsv / vocab.txt beside a tsv, npy or safetensors file."""
    return ("\n".join(table.index_to_key) + "\n").encode("utf-8")
