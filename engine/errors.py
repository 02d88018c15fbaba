"""The errors the engine raises for bad input, and the range checks that raise them.

Every message names the bad value and says what is allowed, in one line, so that the
app can show it with st.error and the CLI can print it to stderr unchanged.
"""
from __future__ import annotations

import math
from numbers import Integral, Real


class UnknownWordError(KeyError):
    """A key that is not in a table; the message offers close spellings."""

    def __init__(self, word: str, source: str, rows: int, suggestions: list[str]):
        self.word, self.source, self.suggestions = word, source, suggestions
        hint = f"; closest spellings: {', '.join(suggestions)}" if suggestions else ""
        super().__init__(f"'{word}' is not in the vocabulary of {source} ({rows:,} words){hint}")

    def __str__(self) -> str:  # KeyError would quote the message
        return self.args[0]


def check_int(name: str, value, low: int, high: int | None = None) -> int:
    """`value` as an int in [low, high], else ValueError naming it and the range."""
    allowed = f"from {low:,} to {high:,}" if high is not None else f"of at least {low:,}"
    if isinstance(value, bool) or not isinstance(value, Integral):
        if isinstance(value, Real) and float(value).is_integer():
            value = int(value)
        else:
            raise ValueError(f"{name} must be a whole number {allowed}; got {value!r}")
    if value < low or (high is not None and value > high):
        raise ValueError(f"{name} must be a whole number {allowed}; got {value:,}")
    return int(value)


def check_float(name: str, value, low: float | None = None, high: float | None = None,
                low_open: bool = False) -> float:
    """`value` as a finite float in the range (open at `low` if low_open), else ValueError."""
    lo = "" if low is None else (f"> {low:g}" if low_open else f">= {low:g}")
    hi = "" if high is None else f"<= {high:g}"
    allowed = " and ".join(s for s in (lo, hi) if s) or "finite"
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number {allowed}; got {value!r}") from None
    bad_low = low is not None and (number <= low if low_open else number < low)
    if not math.isfinite(number) or bad_low or (high is not None and number > high):
        raise ValueError(f"{name} must be a number {allowed}; got {value!r}")
    return number
