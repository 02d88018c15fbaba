"""A 2,000,000-row test table for the million-row work, written as word2vec binary.

GloVe 6B 50d (400,000 real words) plus four perturbed copies of it ("king~1" … "king~4": the
row plus Gaussian noise of 0.15 × the row's norm spread over its dimensions), then, for a
300-dimension table, every row mapped through one fixed random 50 × 300 matrix plus a little
independent noise (so the 300 dimensions are not just 50 in disguise). It is a stand-in for
fastText's crawl vectors (2,000,000 × 300), not a trained table: neighbours of "king" are
its own copies first, then GloVe's neighbours and their copies.

Run: .venv/bin/python bench/make_big_table.py --rows 2000000 --dim 300 --out /tmp/big-2m-300.bin
(about 2.4 GB; keep it under /tmp, never in git). With --dim 50 --out /tmp/big-2m-50.bin the
copies stay in GloVe's 50 dimensions (0.42 GB, 10 s): bench/bench_index.py --big measures
hubness of all its rows through the index.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.sources import load_builtin  # noqa: E402

COPIES_NOISE = 0.15
WIDE_NOISE = 0.05


def perturbed_copies(rows: int, dim: int, seed: int = 0):
    """Yield (keys, (n, dim) float32) blocks, 400,000 rows at most each, `rows` in all."""
    glove = load_builtin("glove-6b-50d")
    base = np.asarray(glove.vectors, dtype=np.float32)
    rng = np.random.default_rng(seed)
    widen = rng.standard_normal((base.shape[1], dim)).astype(np.float32) / np.sqrt(base.shape[1]) \
        if dim != base.shape[1] else None
    spread = np.linalg.norm(base, axis=1, keepdims=True) / np.sqrt(base.shape[1])
    done, copy = 0, 0
    while done < rows:
        n = min(len(base), rows - done)
        block = base[:n] if copy == 0 else \
            base[:n] + COPIES_NOISE * spread[:n] * rng.standard_normal((n, base.shape[1]), np.float32)
        if widen is not None:
            block = block @ widen
            block += WIDE_NOISE * rng.standard_normal(block.shape, np.float32) * \
                np.linalg.norm(block, axis=1, keepdims=True) / np.sqrt(dim)
        keys = glove.index_to_key[:n] if copy == 0 else [f"{k}~{copy}" for k in glove.index_to_key[:n]]
        yield keys, np.ascontiguousarray(block, dtype="<f4")
        done, copy = done + n, copy + 1


def write_word2vec_binary(path: Path, rows: int, dim: int) -> None:
    with open(path, "wb") as out:
        out.write(f"{rows} {dim}\n".encode())
        for keys, block in perturbed_copies(rows, dim):
            raw = block.tobytes()
            record = 4 * dim
            out.write(b"".join(k.encode("utf-8") + b" " + raw[i * record:(i + 1) * record] + b"\n"
                               for i, k in enumerate(keys)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--dim", type=int, default=300)
    parser.add_argument("--out", default="/tmp/big-2m-300.bin")
    args = parser.parse_args()
    started = time.perf_counter()
    write_word2vec_binary(Path(args.out), args.rows, args.dim)
    size = Path(args.out).stat().st_size
    print(f"wrote {args.out}: {args.rows:,} × {args.dim}, {size / 1e9:.2f} GB in "
          f"{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
