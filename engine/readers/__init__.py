"""Vector files in every common format -> EmbeddingSet, and back.

Formats (`FORMATS`): word2vec text (header "rows dim") and binary, GloVe text (no header),
fastText .vec (word2vec text by another name) and native .bin, TensorFlow Projector TSV
(vectors.tsv plus an optional metadata.tsv), NumPy .npy with a vocabulary file, safetensors,
PyTorch state dicts (loaded with ``weights_only=True`` only: no pickle from users), and gzip
of any of them. Other pickles (gensim .model / .kv) are refused with how to export them.

Every reader raises FileFormatError (a ValueError) with one line that names the line or
byte where the file goes wrong, and checks `Limits` (rows, dims, and the memory the table
will take) before it allocates, so that a hostile or broken file costs neither a crash nor
a memory blow-up. One module per format family: text, word2vec_binary, numpy_files,
tensors (safetensors, PyTorch), fasttext_bin; limits holds the bounds and the input.

gensim's load_word2vec_format reads a Python line at a time; measured on the 400k GloVe
table (bench/bench_readers.py) pandas' C tokenizer for the numbers and one slice-copy per
binary record are many times faster, so the readers are written here and checked against
gensim's reader and writer in the tests.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from engine.readers.detect import FORMATS, KEYLESS_FORMATS, detect_format
from engine.readers.fasttext_bin import read_fasttext_bin
from engine.readers.limits import LIMITS, UPLOAD_LIMITS, FileFormatError, Input, Limits, strip_extensions
from engine.readers.numpy_files import read_npy
from engine.readers.tensors import TensorInfo, read_safetensors, read_torch, safetensors_tensors, torch_tensors
from engine.readers.text import read_glove_text, read_tsv, read_vocabulary, read_word2vec_text
from engine.readers.word2vec_binary import read_word2vec_binary
from engine.readers.writers import write_vectors, write_vocabulary
from engine.vectors import EmbeddingSet

__all__ = ["FORMATS", "KEYLESS_FORMATS", "LIMITS", "UPLOAD_LIMITS", "FileFormatError", "Limits",
           "LoadedTable", "TensorInfo", "detect_format", "list_tensors", "load_vectors",
           "read_vectors", "write_vectors", "write_vocabulary"]


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


def _format_of(inp: Input, format: str) -> str:
    if format != "auto" and format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; choose auto or one of {', '.join(FORMATS)}")
    return detect_format(inp.head(), inp.name) if format == "auto" else format


def list_tensors(source, format: str = "auto", limits: Limits = LIMITS) -> tuple[TensorInfo, ...]:
    """Every tensor of a safetensors or PyTorch file (name, shape, dtype), read without their
    data (the safetensors header; PyTorch on the meta device); () for other formats."""
    inp = Input(source, limits)
    chosen = _format_of(inp, format)
    if chosen == "safetensors":
        return safetensors_tensors(inp)
    if chosen == "torch":
        return torch_tensors(inp, limits)
    return ()


def _read(inp: Input, chosen: str, tensor: str | None, limits: Limits, notes: list[str], progress):
    """(words or None, vectors, tensors, oov_vector or None) of a file in format `chosen`."""
    if chosen in ("word2vec-text", "fasttext-vec"):
        words, vectors, found = read_word2vec_text(inp, limits, progress)
    elif chosen == "word2vec-binary":
        words, vectors, found = read_word2vec_binary(inp, limits)
    elif chosen == "glove-text":
        words, vectors, found = read_glove_text(inp, limits, progress)
    elif chosen == "fasttext-bin":
        read = read_fasttext_bin(inp, limits, ngrams=True)
        words, vectors = read.words, read.vectors
        found = [f"fastText .bin: the {len(read.words):,} words of its vocabulary"
                 + (f", and a vector for any other word from its {read.header.bucket:,} character "
                    "n-gram buckets" if read.header.bucket else "; no n-gram buckets, so other "
                    "words have no vector")]
        notes.extend(found)
        return words, vectors, (), read.oov_vector()
    else:
        words, found = None, []
        if chosen == "tsv":
            vectors = read_tsv(inp, limits, progress)
        elif chosen == "npy":
            vectors = read_npy(inp, limits)
        else:
            reader = read_safetensors if chosen == "safetensors" else read_torch
            vectors, picked, tensors = reader(inp, tensor, limits)
            notes.append(f"tensor {picked!r} of {len(tensors)}")
            return None, vectors, tensors, None
    notes.extend(found)
    return words, vectors, (), None


def load_vectors(source, format: str = "auto", vocab=None, tensor: str | None = None,
                 name: str | None = None, limits: Limits = LIMITS, progress=None) -> LoadedTable:
    """Read a vector file into a LoadedTable (table, format, notes, tensors).

    Parameters
    ----------
    source : path, bytes or an uploaded file object (with .getvalue() and .name).
    format : 'auto' (detected from the first bytes and the extension) or one of FORMATS.
    vocab : keys for the formats without words (tsv metadata, npy, safetensors, torch):
        a path, bytes, file object or list; without it rows are named by id.
    tensor : which 2-D tensor of a safetensors / PyTorch file; default: the embedding.
    name : the table's name; default: the file name without extensions.
    limits : rows, dims and memory the table may take (UPLOAD_LIMITS in the app).
    progress : callable(bytes read, bytes in all) of the stored file, for the text formats.
    """
    inp = Input(source, limits)
    if format != "auto" and format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; choose auto or one of {', '.join(FORMATS)}")
    if not inp.head().strip():
        raise FileFormatError("the file is empty")
    chosen = _format_of(inp, format)
    if vocab is not None and chosen not in KEYLESS_FORMATS:
        raise ValueError(f"a {chosen} file names its own rows; a vocabulary file is only used "
                         f"with {', '.join(KEYLESS_FORMATS)}")
    notes: list[str] = []
    words, vectors, tensors, oov_vector = _read(inp, chosen, tensor, limits, notes, progress)
    if vectors.shape[0] == 0:
        raise FileFormatError("the file has no rows")
    if vectors.shape[1] == 0:
        raise FileFormatError(f"the table has {vectors.shape[0]:,} rows of 0 dimensions; a vector "
                              "needs at least 1")
    if words is None:
        if vocab is None:
            words = [str(i) for i in range(vectors.shape[0])]
            notes.append("no vocabulary file: rows are named by their id 0, 1, 2, …")
        else:
            words, vocab_notes = read_vocabulary(vocab, vectors.shape[0], limits)
            notes.extend(vocab_notes)
    stem, _ = strip_extensions(inp.name)
    table = EmbeddingSet(vectors, words, name or stem, frequency_ordered=False,
                         description=f"your {chosen} file {inp.name or ''}: "
                                     f"{vectors.shape[0]:,} rows × {vectors.shape[1]}".replace("  ", " "),
                         oov_vector=oov_vector)
    return LoadedTable(table, chosen, tuple(notes), tensors)


def read_vectors(path_or_bytes, format: str = "auto", vocab=None, tensor: str | None = None,
                 name: str | None = None, limits: Limits = LIMITS) -> EmbeddingSet:
    """The EmbeddingSet of a vector file in any of FORMATS (see load_vectors)."""
    return load_vectors(path_or_bytes, format, vocab, tensor, name, limits).table
