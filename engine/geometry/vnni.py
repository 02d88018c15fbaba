"""The AVX-512 VNNI micro-kernel of the exact all-rows k-NN (engine.geometry.shortlist):
int16 dot products of ROWS rows against 16·PANELS columns (`vpdpwssd`: 32 multiply-adds of
int16 pairs into int32 per instruction), each compared in registers with its row's and its
column's integer bound, so a product is looked at only when it may enter a top-k.

Why int16 and not bfloat16 or int8 (measured on this machine's AMD EPYC, Zen 4, which has
AVX-512 BF16 and VNNI but no AMX tiles): `vdpbf16ps` runs at the rate of `vpdpwssd` (about
105 billion multiply-adds a second per core in this kernel's shape) but keeps 8 significant
bits of each factor where int16 keeps 15, and int16 sums are exact; int8 (`vpdpbusd`) is
twice as fast, but its rounding (about 0.01 on a unit row) would send far more candidates
to the exact re-scoring and needs a float scale per cell. numba compiles the kernel through
LLVM's x86 intrinsic; `available()` says whether this CPU has the instruction.
"""
from __future__ import annotations

from functools import cache

from llvmlite import ir
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic

ROWS = 8          # rows of a micro-kernel: ROWS × PANELS accumulators of 16 int32 …
PANELS = 3        # … panels of 16 columns each (24 accumulators + 3 column vectors ≤ 32 zmm)
_I32 = ir.IntType(32)
_V16 = ir.VectorType(_I32, 16)
_PAIRS = ir.VectorType(ir.IntType(16), 32)


@cache
def available() -> bool:
    """Whether LLVM reports AVX-512 VNNI on this CPU (the kernel cannot compile elsewhere)."""
    import llvmlite.binding as llvm

    features = llvm.get_host_cpu_features()
    return bool(features.get("avx512vnni") and features.get("avx512bw"))


def _splat(builder, value):
    """A (16,) vector of one int32."""
    single = builder.insert_element(ir.Constant(_V16, ir.Undefined), value, ir.Constant(_I32, 0))
    return builder.shuffle_vector(single, ir.Constant(_V16, ir.Undefined), ir.Constant(_V16, None))


def _accumulate(builder, rows, row, panels, panel):
    """ROWS × PANELS (16,) int32 sums: Σ over int16 pairs of rows[row + r] · panels[panel + c]."""
    steps = builder.extract_value(rows.shape, 1)
    dot = cgutils.get_or_insert_function(builder.module, ir.FunctionType(_V16, [_V16, _PAIRS, _PAIRS]),
                                         "llvm.x86.avx512.vpdpwssd.512")
    row_words = [builder.gep(rows.data, [builder.mul(builder.add(row, ir.Constant(row.type, r)), steps)])
                 for r in range(ROWS)]
    panel_size = builder.mul(steps, ir.Constant(steps.type, 16))
    panel_words = [builder.bitcast(builder.gep(panels.data, [builder.mul(
        builder.add(panel, ir.Constant(panel.type, c)), panel_size)]), _V16.as_pointer())
        for c in range(PANELS)]
    sums = [[cgutils.alloca_once_value(builder, ir.Constant(_V16, None)) for _ in range(PANELS)]
            for _ in range(ROWS)]
    with cgutils.for_range(builder, steps) as loop:
        columns = [builder.bitcast(builder.load(builder.gep(words, [loop.index]), align=4), _PAIRS)
                   for words in panel_words]
        for r in range(ROWS):
            pair = builder.bitcast(_splat(builder, builder.load(builder.gep(row_words[r], [loop.index]))), _PAIRS)
            for c in range(PANELS):
                builder.store(builder.call(dot, [builder.load(sums[r][c]), pair, columns[c]]), sums[r][c])
    return [[builder.load(s) for s in line] for line in sums]


@intrinsic
def micro_kernel(typingctx, rows, row, panels, panel, bound, bias, out, hits):
    """rows (n, s) int32: each row's int16 pairs; panels (n/16, s, 16) int32: 16 columns at
    a time, pair by pair; bound, bias (n,) int32; out (ROWS, 16·PANELS) int32; hits
    (ROWS, PANELS) int32. Writes the products of rows[row:row+ROWS] with
    panels[panel:panel+PANELS] to out, and to hits the bits of the cells that reach a
    bound (bit j of hits[r, c]: out[r, 16c + j]): product − bias[column] ≥ bound[row], or
    product − bias[row] ≥ bound[column]. Returns whether any cell does."""
    def codegen(context, builder, signature, args):
        rows_a, panels_a, bound_a, bias_a, out_a, hits_a = (
            context.make_array(signature.args[i])(context, builder, args[i]) for i in (0, 2, 4, 5, 6, 7))
        row, panel = args[1], args[3]
        sums = _accumulate(builder, rows_a, row, panels_a, panel)

        def vector_at(array, start):
            return builder.load(builder.bitcast(builder.gep(array.data, [start]), _V16.as_pointer()), align=4)

        def scalar_at(array, index):
            return _splat(builder, builder.load(builder.gep(array.data, [index])))

        any_hit = ir.Constant(ir.IntType(16), 0)
        out = builder.bitcast(out_a.data, _V16.as_pointer())
        first_column = builder.mul(panel, ir.Constant(panel.type, 16))
        for c in range(PANELS):
            start = builder.add(first_column, ir.Constant(first_column.type, 16 * c))
            column_bound, column_bias = vector_at(bound_a, start), vector_at(bias_a, start)
            for r in range(ROWS):
                index = builder.add(row, ir.Constant(row.type, r))
                total = sums[r][c]
                builder.store(total, builder.gep(out, [ir.Constant(_I32, r * PANELS + c)]), align=4)
                as_row = builder.icmp_signed(">=", builder.sub(total, column_bias), scalar_at(bound_a, index))
                as_column = builder.icmp_signed(">=", builder.sub(total, scalar_at(bias_a, index)), column_bound)
                hit = builder.bitcast(builder.or_(as_row, as_column), ir.IntType(16))
                builder.store(builder.zext(hit, _I32), builder.gep(hits_a.data, [ir.Constant(_I32, r * PANELS + c)]))
                any_hit = builder.or_(any_hit, hit)
        return builder.icmp_unsigned("!=", any_hit, ir.Constant(ir.IntType(16), 0))

    return types.boolean(rows, row, panels, panel, bound, bias, out, hits), codegen
