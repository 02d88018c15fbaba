"""The library and approximate search on big tables, each against its reference in the
same run.

1. Import of a 2,000,000 × 300 word2vec-binary file (bench/make_big_table.py) into the
   library, against gensim's load_word2vec_format of the same file: seconds and peak memory
   (each in a fresh process), then exact top-10 over the imported, memory-mapped table.
2. The table's cached ANN index (engine.approximate, faiss IVF-PQ fast scan + exact
   re-scoring) against exact search on GloVe's 400,000 rows: query time and recall@10.
Hubness through the index against exact k-NN is measured by bench/bench_index.py.

Run: .venv/bin/python bench/bench_library.py [--big /tmp/big-2m-300.bin]
The big file and the library it is imported into stay under /tmp.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine.sources import load_builtin  # noqa: E402

CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
started = time.perf_counter()
{body}
print(json.dumps({{"seconds": time.perf_counter() - started,
                  "peak_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6}}))
"""
OURS = """
from engine.library import import_file
import_file({path!r}, "big", root={root_dir!r})
"""
GENSIM = """
from gensim.models import KeyedVectors
kv = KeyedVectors.load_word2vec_format({path!r}, binary=True)
"""


def in_child(body: str) -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD.format(root=str(ROOT), body=body)],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench_import(path: Path) -> None:
    from engine.library import load_table

    size = path.stat().st_size
    with tempfile.TemporaryDirectory(dir="/tmp") as folder:
        ours = in_child(OURS.format(path=str(path), root_dir=folder))
        theirs = in_child(GENSIM.format(path=str(path)))
        table = load_table("big", folder)
        print(f"\n1. import {path.name} ({size / 1e9:.2f} GB, {len(table):,} × {table.dim})")
        print(f"{'':<36} {'seconds':>8} {'peak GB':>8}")
        print(f"{'Embedding Lab import (to disk)':<36} {ours['seconds']:>8.1f} {ours['peak_gb']:>8.2f}")
        print(f"{'gensim load_word2vec_format':<36} {theirs['seconds']:>8.1f} {theirs['peak_gb']:>8.2f}")
        print(f"gensim / ours: {theirs['seconds'] / ours['seconds']:.1f}× the time, "
              f"{theirs['peak_gb'] / ours['peak_gb']:.1f}× the memory; table {size / 1e9:.2f} GB")
        started = time.perf_counter()
        table.key_to_index  # noqa: B018
        print(f"open the library table (memory map + {len(table):,} keys): "
              f"{time.perf_counter() - started:.1f} s")
        words = table.index_to_key[100:120]
        table.most_similar(words[0])                  # pages the table in once
        times = []
        for word in words:
            started = time.perf_counter()
            table.most_similar(word, topn=10)
            times.append(time.perf_counter() - started)
        print(f"exact top-10 over all {len(table):,} rows: median {1000 * np.median(times):.0f} ms, "
              f"worst {1000 * max(times):.0f} ms (20 words, table in the page cache)")


def bench_ann(glove) -> None:
    from engine.approximate import cached_index

    started = time.perf_counter()
    index, built = cached_index(glove)
    what = "built" if built else "read from disk"
    print(f"\n2. ANN on GloVe {len(glove):,} × {glove.dim}: index {what} in "
          f"{time.perf_counter() - started:.1f} s ({index.info.nlist} cells, nprobe {index.info.nprobe})")
    report = index.recall_at_k(k=10, sample=500)
    print(f"recall@10 {report.recall:.3f} on {report.queries} rows; {report.ann_ms_per_query:.2f} ms "
          f"a query against exact {report.exact_ms_per_query:.2f} ms ({report.speedup:.0f}×)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--big", default="/tmp/big-2m-300.bin",
                        help="the word2vec-binary file of bench/make_big_table.py (skipped if absent)")
    args = parser.parse_args()
    if Path(args.big).is_file():
        bench_import(Path(args.big))
    else:
        print(f"1. skipped: no {args.big} (make it with bench/make_big_table.py)")
    glove = load_builtin("glove-6b-50d")
    bench_ann(glove)


if __name__ == "__main__":
    main()
