"""Which format a file is in, from its first bytes and, where they cannot tell (word2vec
text vs fastText .vec), the file extension."""
from __future__ import annotations

import struct

from engine.readers.fasttext_bin import looks_like_fasttext
from engine.readers.limits import FileFormatError, strip_extensions
from engine.readers.tensors import PICKLE_REFUSED, TORCH_LEGACY_MAGIC, ZIP_MAGIC, is_pickle
from engine.readers.text import first_line, is_number, word2vec_header

FORMATS = ("word2vec-text", "word2vec-binary", "glove-text", "fasttext-vec", "fasttext-bin", "tsv",
           "npy", "safetensors", "torch")
# formats whose rows carry no words: a vocabulary file names them, else row ids do
KEYLESS_FORMATS = ("tsv", "npy", "safetensors", "torch")
NPY_MAGIC = b"\x93NUMPY"


def _looks_like_safetensors(head: bytes) -> bool:
    if len(head) < 10:
        return False
    length = struct.unpack("<Q", head[:8])[0]
    return 2 <= length and head[8:9] == b"{"


def _text_record_after_header(head: bytes, dim: int) -> bool:
    """Whether the first record after a word2vec header is text: a word and numbers (their
    count is checked by the text reader, which names the line)."""
    start = head.find(b"\n") + 1
    parts = first_line(head, start, 16 * dim + 1_000).split()
    return len(parts) >= 2 and all(is_number(p) for p in parts[1:])


def detect_format(head: bytes, filename: str | None = None) -> str:
    """The format of a file whose content (gzip undone) starts with `head` (1 MB is plenty)."""
    _, extension = strip_extensions(filename)
    if head.startswith(NPY_MAGIC):
        return "npy"
    if looks_like_fasttext(head):
        return "fasttext-bin"
    if head.startswith(ZIP_MAGIC) or head.startswith(TORCH_LEGACY_MAGIC):
        return "torch"
    if is_pickle(head):
        raise FileFormatError(PICKLE_REFUSED)
    if _looks_like_safetensors(head):
        return "safetensors"
    line = first_line(head)
    header = word2vec_header(line)
    if header:
        if not _text_record_after_header(head, min(header[1], 1 << 16)):
            return "word2vec-binary"
        return "fasttext-vec" if extension == ".vec" else "word2vec-text"
    parts = line.split()
    if parts and all(is_number(p) for p in parts):
        return "tsv"
    if len(parts) >= 2 and all(is_number(p) for p in parts[1:]):
        return "glove-text"
    raise FileFormatError("could not tell the format from the first line "
                          f"{line[:60]!r}; choose it: {', '.join(FORMATS)}")
