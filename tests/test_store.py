"""The shared result store: bounded by bytes, safe under threads, one computation per key."""
import threading
import time
from dataclasses import dataclass

import numpy as np
import pytest

from engine.store import Cancelled, ResultStore, estimate_bytes
from engine.vectors import EmbeddingSet


@dataclass(frozen=True)
class Scores:
    name: str
    values: np.ndarray


def test_estimate_bytes_counts_arrays_tables_and_dataclasses():
    array = np.zeros((1000, 50), np.float32)
    assert estimate_bytes(array) == 200_000
    assert 200_000 <= estimate_bytes(Scores("x", array)) < 201_000
    table = EmbeddingSet(array, [f"w{i}" for i in range(1000)], "t")
    bare = estimate_bytes(table)
    assert 200_000 + 1000 * 40 < bare < 200_000 + 1000 * 120    # vectors + keys
    table.unit  # noqa: B018
    assert estimate_bytes(table) - bare == 200_000              # the unit rows it computed
    assert estimate_bytes({"a": [array, array]}) > 400_000


def test_store_is_bounded_by_bytes_least_recently_used_out():
    store = ResultStore(max_bytes=3 * 80_000 + 10_000)
    for i in range(3):
        store.get_or_compute(i, lambda: np.zeros(20_000, np.float32))   # 80,000 bytes each
    store.get_or_compute(0, lambda: pytest.fail("kept, not recomputed"))  # 0 is now the newest
    store.get_or_compute(3, lambda: np.zeros(20_000, np.float32))
    assert 1 not in store and {0, 2, 3} <= {k for k in range(4) if k in store}
    assert store.bytes <= store.max_bytes
    huge = store.get_or_compute("huge", lambda: np.zeros(1_000_000, np.float32))
    assert huge.shape == (1_000_000,) and "huge" not in store and len(store) == 3


def test_concurrent_readers_and_evictions_never_fail():
    store = ResultStore(max_bytes=10 * 8_000)
    errors = []

    def worker(seed):
        rng = np.random.default_rng(seed)
        try:
            for _ in range(3_000):
                key = int(rng.integers(0, 40))
                value = store.get_or_compute(key, lambda key=key: np.full(1_000, key, np.float64))
                assert value[0] == key
        except Exception as error:   # noqa: BLE001  (collected, asserted below)
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(s,)) for s in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and store.bytes <= store.max_bytes


def test_second_asker_waits_for_the_first_result_instead_of_computing():
    store = ResultStore(max_bytes=1 << 20)
    calls, waited, results = [], [], []
    started = threading.Event()

    def slow():
        calls.append(1)
        started.set()
        time.sleep(0.3)
        return np.arange(10)

    class Spinner:
        def __enter__(self):
            waited.append(1)

        def __exit__(self, *exc):
            return False

    first = threading.Thread(target=lambda: results.append(store.get_or_compute("hub", slow)))
    first.start()
    started.wait()
    seconds = [threading.Thread(target=lambda: results.append(
        store.get_or_compute("hub", slow, waiting=Spinner))) for _ in range(3)]
    for t in seconds:
        t.start()
    for t in [first, *seconds]:
        t.join()
    assert len(calls) == 1 and len(waited) == 3
    assert len(results) == 4 and all(r is results[0] for r in results)


def test_waiters_share_an_error_but_recompute_after_a_cancellation():
    store = ResultStore(max_bytes=1 << 20)
    started, release = threading.Event(), threading.Event()
    outcome = {}

    def failing(error):
        def compute():
            started.set()
            release.wait()
            raise error
        return compute

    def ask(name, compute):
        try:
            outcome[name] = store.get_or_compute("k", compute)
        except Exception as error:  # noqa: BLE001
            outcome[name] = error

    for error, expected in ((ValueError("bad value 'x'"), ValueError), (Cancelled("left"), "mine")):
        started.clear(), release.clear()
        owner = threading.Thread(target=ask, args=("owner", failing(error)))
        owner.start()
        started.wait()
        waiter = threading.Thread(target=ask, args=("waiter", lambda: "mine"))
        waiter.start()
        time.sleep(0.05)
        release.set()
        owner.join(), waiter.join()
        if expected is ValueError:
            assert isinstance(outcome["waiter"], ValueError) and "bad value" in str(outcome["waiter"])
            assert "k" not in store
        else:
            assert outcome["waiter"] == "mine" and store.get_or_compute("k", lambda: 0) == "mine"
