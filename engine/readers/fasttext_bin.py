"""fastText's native .bin (Facebook's format): the vocabulary's vectors, and for the
Vocabulary page the character n-gram buckets that give unknown words a vector.

gensim's reader trusts the file (it loops forever at the end of a file cut short inside
the vocabulary, and never reads the output matrix at its end), so every header field and
size, and the file's length, is checked here first, against the file and the memory budget;
then gensim's load_facebook_vectors runs in a child process with a time limit, and hands
back plain arrays (no pickle) through a temporary .npz that is always deleted.
"""
from __future__ import annotations

import os
import struct
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from engine.readers.limits import KEY_BYTES, LONGEST_WORD, FileFormatError, Input, Limits, check_word
from engine.units import human_bytes

FASTTEXT_MAGIC = struct.pack("<i", 793712314)
HEADER = struct.Struct("<2i12id")            # magic, version, 12 int32 arguments, t (double)
ARGUMENTS = ("dim", "ws", "epoch", "min_count", "neg", "word_ngrams", "loss", "model", "bucket",
             "minn", "maxn", "lr_update_rate")
DICTIONARY = struct.Struct("<3i2q")          # size, nwords, nlabels, ntokens, pruneidx_size
ENTRY_TAIL = 9                               # int64 count + int8 type after each word
MATRIX = struct.Struct("<?2q")               # quantised?, rows, cols
MAX_NGRAM = 32


@dataclass(frozen=True)
class FastTextHeader:
    """What a .bin holds, checked against its length: nwords words of dim numbers, and
    bucket n-gram rows for character n-grams of minn to maxn characters."""

    dim: int
    nwords: int
    bucket: int
    minn: int
    maxn: int
    matrix_offset: int


def _field(name: str, value: int, low: int, high: int) -> int:
    if not low <= value <= high:
        raise FileFormatError(f"fastText .bin header: {name} is {value:,}; it must be from {low:,} "
                              f"to {high:,}")
    return value


def check_fasttext_header(data, limits: Limits) -> FastTextHeader:
    """Every field and size of a fastText .bin, checked before anything is allocated."""
    if len(data) < HEADER.size + DICTIONARY.size:
        raise FileFormatError(f"the fastText .bin file is {len(data):,} bytes; its header alone "
                              f"takes {HEADER.size + DICTIONARY.size}")
    magic, version, *arguments, _ = HEADER.unpack_from(data, 0)
    if struct.pack("<i", magic) != FASTTEXT_MAGIC:
        raise FileFormatError("not a fastText .bin file: the first 4 bytes are not its magic number")
    _field("the version", version, 11, 12)
    args = dict(zip(ARGUMENTS, arguments))
    dim = _field("dim", args["dim"], 1, limits.max_dim)
    bucket = _field("bucket", args["bucket"], 0, 100_000_000)
    minn = _field("minn", args["minn"], 0, MAX_NGRAM)
    maxn = _field("maxn", args["maxn"], minn, MAX_NGRAM)
    size, nwords, nlabels, _, pruned = DICTIONARY.unpack_from(data, HEADER.size)
    if nlabels:
        raise FileFormatError(f"the fastText .bin is a supervised classifier ({nlabels:,} labels); "
                              "only unsupervised word vectors (skipgram, cbow) are read")
    _field("the vocabulary size", size, 1, limits.max_rows)
    _field("nwords", nwords, size, size)
    _field("the pruned index size", pruned, -1, 0)
    needed = (nwords + bucket) * dim * 4 + nwords * (4 * dim + KEY_BYTES)
    if needed > limits.max_memory:
        raise FileFormatError(f"the fastText .bin holds {nwords:,} words and {bucket:,} n-gram buckets "
                              f"× {dim:,} dims, about {human_bytes(needed)} in memory; the budget is "
                              f"{human_bytes(limits.max_memory)}")
    position = HEADER.size + DICTIONARY.size
    for row in range(size):
        end = data.find(b"\x00", position, position + LONGEST_WORD + 1)
        if end < 0 or end + 1 + ENTRY_TAIL > len(data):
            raise FileFormatError(f"byte {position:,} (word {row + 1:,} of {size:,}): no word ends within "
                                  f"{LONGEST_WORD:,} bytes, or the file is cut short there")
        check_word(bytes(data[position:end]).decode("utf-8", "replace"), f"fastText word {row + 1:,}")
        position = end + 1 + ENTRY_TAIL
    if position + MATRIX.size > len(data):
        raise FileFormatError(f"byte {position:,}: the fastText .bin ends before its vectors")
    quantised, rows, cols = MATRIX.unpack_from(data, position)
    if quantised:
        raise FileFormatError("the fastText .bin is quantised (.ftz); export it unquantised")
    if (rows, cols) != (nwords + bucket, dim):
        raise FileFormatError(f"byte {position:,}: the input matrix is {rows:,} × {cols:,}; the header "
                              f"needs {nwords + bucket:,} (words + buckets) × {dim:,}")
    end = position + MATRIX.size + rows * cols * 4
    if end > len(data):
        raise FileFormatError(f"the fastText .bin is {len(data):,} bytes; its vectors need "
                              f"{end:,} (the file is cut short)")
    _check_output_matrix(data, end, dim)
    return FastTextHeader(dim, nwords, bucket, minn, maxn, position)


def _check_output_matrix(data, start: int, dim: int) -> None:
    """The output matrix that ends the file (fastText's training state, which gensim skips
    when it reads word vectors, so a file cut short inside it loaded without a word): it
    must be there, `dim` wide, and end exactly where the file does."""
    if start + MATRIX.size > len(data):
        raise FileFormatError(f"the fastText .bin is {len(data):,} bytes; it ends at byte {start:,}, "
                              "before its output matrix (the file is cut short)")
    quantised, rows, cols = MATRIX.unpack_from(data, start)
    if quantised or cols != dim or not 0 <= rows <= len(data):
        raise FileFormatError(f"byte {start:,}: the output matrix is {rows:,} × {cols:,}"
                              f"{' (quantised)' if quantised else ''}; a fastText .bin's is "
                              f"words × {dim:,} (dim)")
    end = start + MATRIX.size + rows * cols * 4
    if end != len(data):
        raise FileFormatError(f"the fastText .bin is {len(data):,} bytes; its header and matrices "
                              f"need exactly {end:,} (the file is "
                              f"{'cut short' if end > len(data) else 'followed by other bytes'})")


def looks_like_fasttext(head: bytes) -> bool:
    return head[:4] == FASTTEXT_MAGIC


def _run_gensim(path: Path, out: Path, ngrams: bool, limits: Limits) -> None:
    environment = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]),
                       OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    try:
        done = subprocess.run([sys.executable, "-m", "engine.readers.fasttext_bin", str(path), str(out),
                               "ngrams" if ngrams else "words", str(3 * limits.max_memory + (1 << 30))],
                              capture_output=True, text=True, timeout=limits.max_seconds, env=environment)
    except subprocess.TimeoutExpired:
        raise FileFormatError(f"reading the fastText .bin took longer than {limits.max_seconds:g} s; "
                              "it was stopped") from None
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or [f"exit code {done.returncode}"])[-1][:160]
        raise FileFormatError(f"gensim could not read the fastText .bin: {last}")


@dataclass(frozen=True)
class FastTextVectors:
    """A fastText .bin read back: words, their vectors (what fastText's get_word_vector gives),
    and with ngrams the raw word rows and n-gram buckets."""

    words: list[str]
    vectors: np.ndarray
    header: FastTextHeader
    vectors_vocab: np.ndarray | None = None
    vectors_ngrams: np.ndarray | None = None

    def keyed_vectors(self):
        """gensim's FastTextKeyedVectors (needs ngrams=True): vectors for unknown words too."""
        from gensim.models.fasttext import FastTextKeyedVectors

        h = self.header
        wv = FastTextKeyedVectors(h.dim, h.minn, h.maxn, h.bucket)
        wv.index_to_key = list(self.words)
        wv.key_to_index = {word: i for i, word in enumerate(self.words)}
        wv.vectors, wv.vectors_vocab, wv.vectors_ngrams = self.vectors, self.vectors_vocab, self.vectors_ngrams
        return wv

    def oov_vector(self):
        """callable(word) -> (dim,) vector, fastText's for any word (the mean of its n-gram
        buckets when it has no row); None without n-gram buckets."""
        if not self.header.bucket or self.vectors_ngrams is None:
            return None
        wv = self.keyed_vectors()
        return wv.get_vector


def read_fasttext_bin(inp: Input, limits: Limits, ngrams: bool = False) -> FastTextVectors:
    """A fastText .bin, checked here, then read by gensim in a child process."""
    data = inp.whole()
    header = check_fasttext_header(data, limits)
    with tempfile.TemporaryDirectory(prefix="embedding-lab-fasttext-") as folder:
        path = inp.plain_path
        if path is None:
            path = Path(folder) / "model.bin"
            path.write_bytes(data)
        out = Path(folder) / "vectors.npz"
        _run_gensim(path, out, ngrams, limits)
        with np.load(out, allow_pickle=False) as saved:
            words = bytes(saved["words"]).decode("utf-8").split("\n") if saved["words"].size else []
            arrays = {key: saved[key] for key in ("vectors", "vectors_vocab", "vectors_ngrams")
                      if key in saved}
    return FastTextVectors(words, arrays["vectors"], header, arrays.get("vectors_vocab"),
                           arrays.get("vectors_ngrams"))


def _child(path: str, out: str, what: str, ceiling: str) -> None:
    """In the child process: gensim reads the file; plain arrays go to `out`. The address
    space is bounded (gensim holds the matrix about twice on the way)."""
    import logging
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (int(ceiling), int(ceiling)))
    from gensim.models.fasttext import load_facebook_vectors

    logging.disable(logging.CRITICAL)
    wv = load_facebook_vectors(path)
    words = "\n".join(wv.index_to_key).encode("utf-8")
    arrays = {"words": np.frombuffer(words, dtype=np.uint8),
              "vectors": np.ascontiguousarray(wv.vectors, dtype=np.float32)}
    if what == "ngrams":
        arrays |= {"vectors_vocab": np.ascontiguousarray(wv.vectors_vocab, dtype=np.float32),
                   "vectors_ngrams": np.ascontiguousarray(wv.vectors_ngrams, dtype=np.float32)}
    np.savez(out, **arrays)


if __name__ == "__main__":
    _child(*sys.argv[1:5])
