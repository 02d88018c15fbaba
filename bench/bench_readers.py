"""Reading the real GloVe table (400,000 × 50) as word2vec text and binary: our readers
against gensim's KeyedVectors.load_word2vec_format, timed in the same run.

Targets (issue 7): text under 10 s, binary under 2 s, and no slower than gensim.
The files are written by gensim's save_word2vec_format, so both readers see gensim's bytes.
Run: .venv/bin/python bench/bench_readers.py
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.timing import best_of  # noqa: E402
from engine.readers import read_vectors  # noqa: E402
from engine.sources import load_builtin  # noqa: E402


def main() -> None:
    from gensim.models import KeyedVectors

    glove = load_builtin("glove-6b-50d")
    kv = KeyedVectors(vector_size=glove.dim)
    kv.add_vectors(glove.index_to_key, np.asarray(glove.vectors))
    with tempfile.TemporaryDirectory() as folder:
        print(f"{'file':<22} {'MB':>7} {'ours s':>8} {'gensim s':>9} {'gensim/ours':>12} {'target':>8}")
        for binary, target in ((False, 10.0), (True, 2.0)):
            path = Path(folder) / ("glove.bin" if binary else "glove.txt")
            kv.save_word2vec_format(str(path), binary=binary)
            ours_s, ours = best_of(lambda: read_vectors(path), 2)
            gensim_s, theirs = best_of(lambda: KeyedVectors.load_word2vec_format(str(path), binary=binary), 1)
            assert ours.index_to_key == theirs.index_to_key
            assert np.array_equal(ours.vectors, theirs.vectors)
            verdict = "ok" if ours_s < target and ours_s <= gensim_s else "MISSED"
            print(f"{path.name + (' (binary)' if binary else ' (text)'):<22} "
                  f"{path.stat().st_size / 1e6:>7.1f} {ours_s:>8.2f} {gensim_s:>9.2f} "
                  f"{gensim_s / ours_s:>11.1f}× {f'<{target:g} s':>8} {verdict}")


if __name__ == "__main__":
    main()
