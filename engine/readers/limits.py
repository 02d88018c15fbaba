"""What a file may cost, and how its bytes come in.

`Limits` bounds memory, not only rows and bytes: a table costs rows × (dims × 4 + KEY_BYTES)
bytes (float32 numbers plus its key in index_to_key and key_to_index), and a reader checks
that against `max_memory` from the header or while it streams, before it allocates.
`Input` gives a reader the bytes of a path, bytes or an uploaded file, with gzip undone
as a stream that stops at the limit, so that text is parsed a block at a time and never
held whole.
"""
from __future__ import annotations

import gzip
import io
import mmap
import os
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from engine.units import human_bytes

GZIP_MAGIC = b"\x1f\x8b"
LONGEST_WORD = 1_000        # bytes; a longer "word" means a broken or hostile file
KEY_BYTES = 160             # a key's str, list slot and dict entry (measured in the tests)
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
# model folders: the JSON files beside the weights (the largest real tokenizer.json files,
# of 256,000-token vocabularies, are over 30 MiB; a config or a shard index is kilobytes)
MAX_TOKENIZER_JSON = 64 << 20
MAX_CONFIG_JSON = 16 << 20


class FileFormatError(ValueError):
    """A file that cannot be read as vectors; the message names where and why, in one line."""


def _megabytes_from_env(variable: str, default: int) -> int:
    value = os.environ.get(variable, "").strip()
    if not value:
        return default << 20
    if not value.isdigit() or not 1 <= int(value) <= 1 << 20:
        raise ValueError(f"{variable}={value[:20]!r}: expected a whole number of MiB "
                         "from 1 to 1,048,576")
    return int(value) << 20


@dataclass(frozen=True)
class Limits:
    """What one file may hold. Checked before memory is allocated.

    max_memory is the budget of the table built from the file: rows × (dims × 4 + KEY_BYTES)
    bytes, its numbers, keys and key index. Reading it (and the CLI's report of it) takes
    that plus the blocks being parsed, tens of MB, beside the program itself. The CLI's
    default, 2 GB, comes from EMBEDDING_LAB_TABLE_MB; the app passes UPLOAD_LIMITS
    (EMBEDDING_LAB_UPLOAD_MB, default 768 MB).
    """

    max_bytes: int = 4 << 30        # bytes read from the file, after gzip is undone
    max_rows: int = 5_000_000
    max_dim: int = 8_192
    max_memory: int = field(default_factory=lambda: _megabytes_from_env("EMBEDDING_LAB_TABLE_MB", 2048))
    max_seconds: float = 120.0      # a fastText .bin read by gensim in a child process

    def table_bytes(self, rows: int, dim: int) -> int:
        return rows * (4 * dim + KEY_BYTES)

    def fitting_rows(self, dim: int) -> int:
        """The most rows of `dim` numbers that both limits allow."""
        return min(self.max_rows, self.max_memory // (4 * dim + KEY_BYTES))

    def check(self, rows: int, dim: int, what: str) -> None:
        """Raise FileFormatError if `what` (rows × dim) is too big."""
        if rows > self.max_rows:
            raise FileFormatError(f"{what} has {rows:,} rows; at most {self.max_rows:,} are allowed")
        if dim > self.max_dim:
            raise FileFormatError(f"{what} has {dim:,} dimensions; at most {self.max_dim:,} are allowed")
        if self.table_bytes(rows, dim) > self.max_memory:
            raise FileFormatError(
                f"{what} has {rows:,} rows × {dim:,} dimensions, about "
                f"{human_bytes(self.table_bytes(rows, dim))} in memory; the budget is "
                f"{human_bytes(self.max_memory)} (at most {self.fitting_rows(dim):,} rows of {dim:,})")

    def check_growing(self, rows: int, dim: int, what: str) -> None:
        """Raise FileFormatError if a table still being read has grown to more rows than fit."""
        fitting = self.fitting_rows(dim)
        if rows > fitting == self.max_rows:
            raise FileFormatError(f"{what} has more than {fitting:,} rows; at most {fitting:,} are allowed")
        if rows > fitting:
            raise FileFormatError(f"{what} has more than {fitting:,} rows of {dim:,} numbers; the memory "
                                  f"budget of {human_bytes(self.max_memory)} holds at most {fitting:,}")


LIMITS = Limits()
# what a visitor of the app may load: the server holds many visitors' tables at once
UPLOAD_LIMITS = Limits(max_bytes=1 << 30, max_memory=_megabytes_from_env("EMBEDDING_LAB_UPLOAD_MB", 768),
                       max_seconds=60.0)


def check_word(word: str, where: str) -> None:
    """Refuse a key longer than LONGEST_WORD characters or holding a control character (NUL,
    tab, newline, escape...): they cannot be shown, typed or searched as text."""
    if len(word) > LONGEST_WORD:
        raise FileFormatError(f"{where}: a word of {len(word):,} characters; at most "
                              f"{LONGEST_WORD:,} are allowed")
    found = CONTROL_CHARACTERS.search(word)
    if found:
        raise FileFormatError(f"{where}: the word {word[:40]!r} holds the control character "
                              f"U+{ord(found.group()):04X}; words must be printable text")


def check_words(words: list[str], where) -> None:
    """check_word on every word, fast when all are fine; where(i) names word i."""
    if not words:
        return
    if max(map(len, words)) > LONGEST_WORD or CONTROL_CHARACTERS.search("".join(words)):
        for i, word in enumerate(words):
            check_word(word, where(i))


def strip_extensions(filename: str | None) -> tuple[str, str]:
    """(stem, last real extension) of a file name, '.gz' removed: 'a.vec.gz' -> ('a', '.vec')."""
    if not filename:
        return "uploaded", ""
    path = Path(filename)
    if path.suffix.lower() == ".gz":
        path = Path(path.stem)
    return (path.stem or "uploaded"), path.suffix.lower()


class _Gunzip(io.RawIOBase):
    """A gzip stream that stops with FileFormatError once more than `limit` bytes came out."""

    def __init__(self, raw, limit: int):
        self._raw, self._stream = raw, gzip.GzipFile(fileobj=raw)
        self._limit, self.count = limit, 0

    def close(self) -> None:
        self._stream.close()
        self._raw.close()
        super().close()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            n = self._stream.readinto(buffer)
        except (OSError, EOFError, zlib.error) as error:
            raise FileFormatError(f"the gzip stream is damaged after {self.count:,} unpacked bytes: "
                                  f"{error}") from None
        self.count += n
        if self.count > self._limit:
            raise FileFormatError(f"the gzip file unpacks to more than {self._limit:,} bytes, the "
                                  "most allowed; reading stopped there")
        return n


class Input:
    """The bytes of a path, bytes or an uploaded file object (.getvalue(), .name).

    A plain file is memory-mapped, never copied; gzip is undone as a bounded stream.
    """

    def __init__(self, source, limits: Limits):
        self.limits, self.path, self.name = limits, None, None
        if isinstance(source, (bytes, bytearray, memoryview)):
            self._raw = bytes(source) if not isinstance(source, bytes) else source
        elif isinstance(source, (str, Path)):
            self.path = Path(source)
            if not self.path.is_file():
                raise FileFormatError(f"no file at {str(self.path)!r}")
            self.name = self.path.name
            size = self.path.stat().st_size
            if size > limits.max_bytes:
                raise FileFormatError(f"{self.path.name} is {size:,} bytes; at most "
                                      f"{limits.max_bytes:,} are allowed")
            self._raw = self._map(self.path) if size else b""
        elif hasattr(source, "getvalue") or hasattr(source, "read"):
            data = source.getvalue() if hasattr(source, "getvalue") else source.read()
            self._raw, self.name = bytes(data), getattr(source, "name", None)
        else:
            raise TypeError(f"expected a path, bytes or a file object; got {type(source).__name__}")
        self.gzipped = self._raw[:2] == GZIP_MAGIC

    @staticmethod
    def _map(path: Path):
        with open(path, "rb") as handle:
            return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)

    @property
    def plain_path(self) -> Path | None:
        """The file on disk, when its bytes are the content (not gzipped, not uploaded)."""
        return self.path if self.path is not None and not self.gzipped else None

    def _opened(self):
        self._reading = open(self.path, "rb") if self.path is not None else io.BytesIO(self._raw)
        return self._reading

    @property
    def size(self) -> int:
        """Bytes of the file as stored (compressed, if gzipped)."""
        return len(self._raw)

    def bytes_read(self) -> int:
        """How far the last stream has read into the stored file."""
        reading = getattr(self, "_reading", None)
        return 0 if reading is None or reading.closed else reading.tell()

    def stream(self) -> io.BufferedIOBase:
        """A fresh stream of the content (gzip undone, at most limits.max_bytes)."""
        raw = self._opened()
        if not self.gzipped:
            if len(self._raw) > self.limits.max_bytes:
                raise FileFormatError(f"the file is {len(self._raw):,} bytes; at most "
                                      f"{self.limits.max_bytes:,} are allowed")
            return raw
        return io.BufferedReader(_Gunzip(raw, self.limits.max_bytes), 1 << 20)

    def head(self, n: int = 1 << 20) -> bytes:
        """The first n bytes of the content."""
        if not self.gzipped:
            return bytes(self._raw[:n])
        with self.stream() as stream:
            return stream.read(n)

    def whole(self):
        """All of the content as a bytes-like object. Gzip is undone into memory, so the bound
        is the memory budget (for the binary formats, whose bytes are the table)."""
        if not self.gzipped:
            return self._raw
        out = bytearray()
        limit = min(self.limits.max_bytes, self.limits.max_memory)
        with io.BufferedReader(_Gunzip(self._opened(), limit), 1 << 20) as stream:
            while chunk := stream.read(1 << 22):
                out += chunk
        return out


def as_input(source, limits: Limits) -> Input:
    """`source` (an Input, a path, bytes or a file object) as an Input."""
    return source if isinstance(source, Input) else Input(source, limits)
