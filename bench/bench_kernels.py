"""Which low-precision product the exact k-NN shortlists with: multiply-adds per second of one
core (CPU time, so other jobs on the machine matter less), for the micro-kernel shape of
engine/geometry/vnni.py (8 rows × 48 columns, d = 50), each instruction through LLVM's x86
intrinsic in numba:

- int16 pairs, `vpdpwssd` (AVX-512 VNNI): what the engine uses; exact integer sums;
- int8 quads, `vpdpbusd` (AVX-512 VNNI): twice the rate, eight times the rounding;
- bfloat16 pairs, `vdpbf16ps` (AVX-512 BF16): the rate of int16, 8 significant bits;

and, for the same products as whole tiles (768 × 50 · 50 × 768), torch's bfloat16 and float32
matmul (oneDNN / MKL) and NumPy's float32 matmul, each on one thread. The CPU's flags are
printed first (this machine: AMD EPYC Zen 4, AVX-512 BF16 and VNNI, no AMX tiles).

Run:  .venv/bin/python bench/bench_kernels.py   (under a minute)
"""
from __future__ import annotations

import os
import sys
import time

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.core import cgutils
from numba.extending import intrinsic

ROWS, PANELS, D = 8, 3, 50
I32 = ir.IntType(32)
V16 = ir.VectorType(I32, 16)
KINDS = {  # name: (LLVM intrinsic, accumulator, factor vector, values per 32-bit word)
    "int16 vpdpwssd": ("llvm.x86.avx512.vpdpwssd.512", V16, ir.VectorType(ir.IntType(16), 32), 2),
    "int8 vpdpbusd": ("llvm.x86.avx512.vpdpbusd.512", V16, ir.VectorType(ir.IntType(8), 64), 4),
    "bf16 vdpbf16ps": ("llvm.x86.avx512bf16.dpbf16ps.512", ir.VectorType(ir.FloatType(), 16), V16, 2),
}


def micro_kernel(name: str, accumulator, factors):
    """An intrinsic: out (ROWS·PANELS·16,) ← Σ_step rows[row + r, step] · panels[panel + c, step]."""
    @intrinsic
    def kernel(typingctx, rows, row, panels, panel, out):
        def codegen(context, builder, signature, args):
            rows_a, panels_a, out_a = (context.make_array(signature.args[i])(context, builder, args[i])
                                       for i in (0, 2, 4))
            steps = builder.extract_value(rows_a.shape, 1)
            dot = cgutils.get_or_insert_function(builder.module, ir.FunctionType(
                accumulator, [accumulator, factors, factors]), name)
            sums = [cgutils.alloca_once_value(builder, ir.Constant(accumulator, None))
                    for _ in range(ROWS * PANELS)]
            with cgutils.for_range(builder, steps) as loop:
                columns = [builder.bitcast(builder.load(builder.gep(builder.bitcast(panels_a.data, V16.as_pointer()), [
                    builder.add(builder.mul(builder.add(args[3], ir.Constant(args[3].type, c)), steps), loop.index)]),
                    align=4), factors) for c in range(PANELS)]
                for r in range(ROWS):
                    word = builder.load(builder.gep(rows_a.data, [builder.add(builder.mul(
                        builder.add(args[1], ir.Constant(args[1].type, r)), steps), loop.index)]))
                    splat = builder.shuffle_vector(builder.insert_element(ir.Constant(V16, ir.Undefined), word,
                                                                          ir.Constant(I32, 0)),
                                                   ir.Constant(V16, ir.Undefined), ir.Constant(V16, None))
                    for c in range(PANELS):
                        total = sums[r * PANELS + c]
                        builder.store(builder.call(dot, [builder.load(total), builder.bitcast(splat, factors),
                                                         columns[c]]), total)
            out = builder.bitcast(out_a.data, accumulator.as_pointer())
            for i, total in enumerate(sums):
                builder.store(builder.load(total), builder.gep(out, [ir.Constant(I32, i)]), align=4)
            return context.get_dummy_value()

        return types.void(rows, row, panels, panel, out), codegen

    return kernel


def rate(kind: str, n: int = 2_304, repeats: int = 20) -> float:
    """Billions of multiply-adds (of d = 50) a second on one core, CPU time, best of 3."""
    name, accumulator, factors, per_word = KINDS[kind]
    kernel = micro_kernel(name, accumulator, factors)

    @njit(nogil=True)
    def sweep(rows, panels, out, repeats):
        for _ in range(repeats):
            for row in range(0, rows.shape[0], ROWS):
                for panel in range(0, panels.shape[0], PANELS):
                    kernel(rows, row, panels, panel, out)

    steps = -(-D // per_word)
    words = np.random.default_rng(0).integers(0, 1 << 14, (n, steps), dtype=np.int32) | 0x3C003C00
    panels = np.ascontiguousarray(words.reshape(n // 16, 16, steps).transpose(0, 2, 1))
    out = np.zeros(ROWS * PANELS * 16, np.float32 if accumulator is not V16 else np.int32)
    sweep(words, panels, out, 1)
    best = min(_cpu(lambda: sweep(words, panels, out, repeats)) for _ in range(3))
    return repeats * n * n * D / best / 1e9


def _cpu(fn) -> float:
    started = time.process_time()
    fn()
    return time.process_time() - started


def tile_rates() -> dict[str, float]:
    import torch

    torch.set_num_threads(1)
    a, b = np.random.default_rng(1).standard_normal((2, 768, D)).astype(np.float32)
    ta, tb = torch.from_numpy(a), torch.from_numpy(b.T.copy())
    cases = {"torch bf16 matmul (oneDNN)": (lambda: ta16 @ tb16),
             "torch float32 matmul": (lambda: ta @ tb), "NumPy float32 matmul": (lambda: a @ b.T)}
    ta16, tb16 = ta.bfloat16(), tb.bfloat16()
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):
        return {name: 200 * 768 * 768 * D / min(_cpu(lambda: [fn() for _ in range(200)]) for _ in range(3)) / 1e9
                for name, fn in cases.items()}


def main() -> None:
    import llvmlite.binding as llvm

    features = llvm.get_host_cpu_features()
    print(f"CPU {llvm.get_host_cpu_name()}: " + ", ".join(
        f"{flag} {'yes' if features.get(flag) else 'no'}" for flag in
        ("avx512vnni", "avx512bf16", "amx-bf16", "amx-int8")) + f"   load {os.getloadavg()[0]:.1f}")
    for kind in KINDS:
        flag = "avx512bf16" if kind.startswith("bf16") else "avx512vnni"
        if features.get(flag):
            print(f"   {kind:28} {rate(kind):6.1f} billion multiply-adds a second (one core)")
    for name, value in tile_rates().items():
        print(f"   {name:28} {value:6.1f} billion multiply-adds a second (one core)")


if __name__ == "__main__":
    sys.exit(main())
