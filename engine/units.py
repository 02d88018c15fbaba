"""Sizes for people, in one convention across the app and the command line: binary units,
labelled as such (1 KiB = 2¹⁰ bytes, 1 MiB = 2²⁰, 1 GiB = 2³⁰, 1 TiB = 2⁴⁰), the way the
memory budgets, the readers' limits, Streamlit's upload limit and the operating system count
memory. GPT-2's token table, 154,389,504 bytes, is 147.2 MiB; in powers of 1,000 it would be
154.4 MB, a different number, so a size without its unit's name is never shown. The
environment variables ending in _MB (budgets, limits) are in MiB too.
"""
from __future__ import annotations

MIB = 1 << 20
UNITS = ("bytes", "KiB", "MiB", "GiB", "TiB")


def human_bytes(count: float) -> str:
    """1,536 -> '1.5 KiB'; 100 -> '100 bytes' (powers of 1,024)."""
    unit, scale = binary_unit(count)
    return f"{count:,.0f} bytes" if unit == "bytes" else f"{count / scale:,.1f} {unit}"


def binary_unit(count: float) -> tuple[str, int]:
    """(name, bytes) of the largest binary unit that `count` bytes fill at least once, for an
    axis: 3 × 2³⁰ -> ('GiB', 2³⁰); 100 -> ('bytes', 1)."""
    power = 0
    while power < len(UNITS) - 1 and abs(count) >= 1024 ** (power + 1):
        power += 1
    return UNITS[power], 1024 ** power


def mebibytes(count: float) -> str:
    """Bytes in MiB for budgets: '1,024 MiB', or two figures below 10 MiB ('0.05 MiB')."""
    return f"{count / MIB:,.0f} MiB" if count >= 10 * MIB else f"{count / MIB:.2g} MiB"
