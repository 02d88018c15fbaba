"""Long engine work stops at its next natural step when its progress callback raises
(the app's does once the visitor has left): the thread pools of exact k-NN and of the
analogy benchmark run no more blocks after it, and a shared result whose asker left
finishes only while someone else waits for it."""
import os
import threading

import numpy as np
import pytest

from engine.store import Cancelled, ResultStore


def _stop_after(calls: int):
    seen = []

    def progress(done, total):
        seen.append(done)
        if len(seen) >= calls:
            raise Cancelled("left")
    return progress


def _counting(monkeypatch, module, name):
    calls = []
    original = getattr(module, name)

    def counted(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)
    monkeypatch.setattr(module, name, counted)
    return calls


def _unit(rows, dim=8, seed=0):
    vectors = np.random.default_rng(seed).standard_normal((rows, dim)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_exact_knn_of_every_row_stops_scoring_tiles_when_progress_raises(monkeypatch):
    from engine.geometry import neighbours

    monkeypatch.setattr(neighbours, "_shortlist_fits", lambda *_: False)      # the float32 path
    unit = _unit(40 * neighbours.TILE)             # 40 row blocks, 780 tiles between them
    tiles = _counting(monkeypatch, neighbours, "_tile_candidates")
    with pytest.raises(Cancelled):
        neighbours.exact_neighbours(unit, 5, progress=_stop_after(45))
    pairs = 40 * 39 // 2
    assert 0 < len(tiles) < pairs / 4, f"{len(tiles)} of {pairs} tiles scored after the stop"


def test_the_int16_knn_stops_after_its_current_round_when_progress_raises(monkeypatch):
    from engine.geometry import neighbours, shortlist
    from engine.geometry.vnni import available

    if not available():
        pytest.skip("this CPU has no AVX-512 VNNI: the int16 search never runs here")
    unit = _unit(neighbours.SHORTLIST_ROWS + 4 * shortlist.BLOCK)
    parts = _counting(monkeypatch, shortlist, "_tiles")
    with pytest.raises(Cancelled):
        neighbours.exact_neighbours(unit, 5, progress=_stop_after(2))
    rounds = len(shortlist._schedule(-(-len(unit) // shortlist.BLOCK), None, 1))
    assert 0 < len(parts) <= 2 * (os.cpu_count() or 1) and rounds > 8


def test_knn_of_given_queries_stops_at_the_next_block():
    from engine.geometry import neighbours

    unit = _unit(5_000)
    progress = _stop_after(2)
    with pytest.raises(Cancelled):
        neighbours.exact_neighbours(unit, 5, queries=np.arange(5_000), progress=progress)


def test_analogy_batches_stop_answering_blocks_when_progress_raises(monkeypatch):
    from engine import analogy

    unit = _unit(2_000)
    questions = np.random.default_rng(1).integers(0, 2_000, (256 * 240, 3))
    blocks = _counting(monkeypatch, analogy, "_answer_block")
    with pytest.raises(Cancelled):
        analogy.batch_3cosadd(unit, questions, progress=_stop_after(3))
    assert len(blocks) < 240 / 4, f"{len(blocks)} of 240 blocks answered after the stop"


def test_a_result_whose_asker_left_finishes_only_while_another_waits():
    store, key = ResultStore(10 ** 6), ("graph", "t")
    started, release = threading.Event(), threading.Event()
    answers = []

    def compute():
        started.set()
        release.wait(5)
        answers.append(store.awaited(key))
        return 42

    owner = threading.Thread(target=lambda: answers.append(store.get_or_compute(key, compute)))
    owner.start()
    started.wait(5)
    assert not store.awaited(key)
    waiter_left = threading.Event()
    results = []
    waiter = threading.Thread(target=lambda: results.append(store.get_or_compute(key, lambda: 0, cancel=waiter_left)))
    waiter.start()
    for _ in range(100):
        if store.awaited(key):
            break
        threading.Event().wait(0.02)
    assert store.awaited(key)
    release.set()
    owner.join(5)
    waiter.join(5)
    assert answers == [True, 42] and results == [42]


def test_a_waiter_who_leaves_stops_waiting_and_no_longer_counts():
    store, key = ResultStore(10 ** 6), ("cone", 200)
    release, left = threading.Event(), threading.Event()
    owner = threading.Thread(target=lambda: store.get_or_compute(key, lambda: release.wait(5)))
    owner.start()
    raised = []

    def wait():
        try:
            store.get_or_compute(key, lambda: 0, cancel=left)
        except Cancelled:
            raised.append(True)
    waiter = threading.Thread(target=wait)
    waiter.start()
    for _ in range(100):
        if store.awaited(key):
            break
        threading.Event().wait(0.02)
    left.set()
    waiter.join(5)
    assert raised == [True] and not store.awaited(key)
    release.set()
    owner.join(5)


@pytest.mark.parametrize("fix", ["centre", "all_but_the_top", "whiten"])
def test_a_geometry_fix_reports_both_passes_and_stops_between_blocks(fix, monkeypatch):
    from engine import geometry as geo
    from engine.geometry import rows
    from engine.vectors import EmbeddingSet

    monkeypatch.setattr(geo.fixes, "blocks", lambda n, size=100: rows.blocks(n, size))
    monkeypatch.setattr(geo.cone, "blocks", lambda n, size=100: rows.blocks(n, size))
    table = EmbeddingSet(_unit(1_000) * 3 + 1, [f"w{i}" for i in range(1_000)], "t")
    seen = []
    getattr(geo, fix)(table, fit_rows=400, progress=lambda done, total: seen.append((done, total)))
    assert seen[0] == (100, 1_400) and seen[3] == (400, 1_400) and seen[-1] == (1_400, 1_400)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    with pytest.raises(Cancelled):
        getattr(geo, fix)(table, fit_rows=400, progress=_stop_after(6))


def test_anisotropy_and_compare_report_every_pass():
    from engine import geometry as geo
    from engine.compare import compare_tables
    from engine.vectors import EmbeddingSet

    table = EmbeddingSet(_unit(3_000), [f"w{i}" for i in range(3_000)], "t")
    seen = []
    geo.anisotropy(table, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (6_000, 6_000) and (3_000, 6_000) in seen
    seen.clear()
    compare_tables(table, table, k=5, limit=3_000, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (6_000, 6_000) and (3_000, 6_000) in seen
