"""Work in a worker process: the same answers as in this process, the worker kept for the
next task, killed the moment its asker's progress raises, a task's bad input back as one
ValueError, and askers past the bound waiting in line with their place."""
import threading

import numpy as np
import pytest

from engine import own_process
from engine.project import MapSpec, kmeans_here
from engine.project_worker import kmeans_in_worker, project_in_worker
from engine.store import Cancelled


@pytest.fixture
def points():
    return np.random.default_rng(3).standard_normal((3_000, 8)).astype(np.float32)


def test_a_worker_answers_as_this_process_would_and_is_kept(points):
    labels = kmeans_in_worker(points, 4, 0, None)
    np.testing.assert_array_equal(labels, kmeans_here(points, 4, 0))
    worker = own_process._idle[-1]
    kmeans_in_worker(points, 5, 0, None)
    assert own_process._idle[-1] is worker and worker.process.is_alive()


def test_a_raising_progress_kills_the_worker_at_once(points, monkeypatch):
    taken, seen = [], []
    take = own_process._take
    monkeypatch.setattr(own_process, "_take", lambda: taken.append(take()) or taken[-1])

    def progress(fraction, text):
        seen.append(text)
        raise Cancelled("left")
    spec = MapSpec(method="tsne", rows=len(points)).checked(_table(points))
    with pytest.raises(Cancelled):
        project_in_worker(spec, points, progress)
    worker = taken[0]
    assert len(seen) == 1 and not worker.process.is_alive() and worker not in own_process._idle


def test_a_tasks_bad_input_comes_back_as_one_value_error(points):
    spec = MapSpec(method="umap", rows=40, n_neighbors=60).checked(_table(points[:40]))
    with pytest.raises(ValueError, match="UMAP n_neighbors must be a whole number from 2 to 39; got 60"):
        project_in_worker(spec, points[:40], None)
    assert own_process._idle and own_process._idle[-1].process.is_alive()


def test_past_the_bound_an_asker_waits_in_line_and_may_leave(points, monkeypatch):
    monkeypatch.setenv("EMBEDDING_LAB_WORKERS", "1")
    own_process._turns.cache_clear()
    try:
        release, running = threading.Event(), threading.Event()

        def holder_progress(fraction, text):
            running.set()
            if release.is_set():
                raise Cancelled("done holding")
        spec = MapSpec(method="tsne", rows=len(points)).checked(_table(points))
        holder = threading.Thread(target=lambda: pytest.raises(Cancelled, project_in_worker, spec,
                                                               points, holder_progress))
        holder.start()
        running.wait(60)
        places = []

        def waiting(fraction, text):
            places.append(text)
            if len(places) == 3:
                raise Cancelled("left the line")
        with pytest.raises(Cancelled):
            kmeans_in_worker(points, 3, 0, waiting)
        assert places == ["waiting for a free worker process (1st in line)"] * 3
        release.set()
        holder.join(60)
        assert own_process._turns().waiting == 0 and own_process._turns().holding == 0
    finally:
        own_process._turns.cache_clear()


def _table(points):
    from engine.vectors import EmbeddingSet

    return EmbeddingSet(points, [f"w{i}" for i in range(len(points))], "points")


def test_t_sne_in_a_worker_reports_its_iterations_and_draws_the_same_map(points):
    from threadpoolctl import threadpool_limits

    from engine.projections import TSNEProjection

    texts = []
    spec = MapSpec(method="tsne", rows=300, perplexity=10).checked(_table(points[:300]))
    coords, seconds = project_in_worker(spec, points[:300], lambda fraction, text: texts.append(text))
    assert any(t.startswith("t-SNE: iteration") for t in texts) and seconds > 0
    with threadpool_limits(1):
        np.testing.assert_array_equal(coords, TSNEProjection(perplexity=10).fit_transform(points[:300]))
