"""What the benchmarks share: the best of a few timed runs."""
from __future__ import annotations

import time


def best_of(function, repeats: int = 3) -> tuple[float, object]:
    """(the fastest of `repeats` runs of function() in seconds, the last run's result)."""
    times, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return min(times), result
