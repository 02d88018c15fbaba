"""Processes the engine spawns start without running the parent's __main__: under Streamlit
(the app and its AppTest) that is the page script, which must not run again in each child."""
import sys
import time
import types

import numpy as np
import pytest

from engine import own_process, spawn
from engine.project_worker import kmeans_in_worker
from engine.train.corpus import Corpus, builtin_corpus
from engine.train.job import TrainingJob
from engine.train.settings import TrainSettings


@pytest.fixture
def page_as_main(tmp_path, monkeypatch):
    """__main__ as Streamlit leaves it after a script run: a module named by a script's path,
    here a script that leaves a mark and fails if it is ever run."""
    mark = tmp_path / "ran"
    script = tmp_path / "page.py"
    script.write_text(f"open({str(mark)!r}, 'w').close()\nraise SystemExit(1)\n")
    page = types.ModuleType("__main__")
    page.__file__ = str(script)
    monkeypatch.setitem(sys.modules, "__main__", page)
    return page, mark


def test_a_spawned_child_does_not_run_the_page_script(page_as_main):
    page, mark = page_as_main
    process = spawn.spawn_context().Process(target=time.sleep, args=(0,))
    spawn.start(process)
    process.join(60)
    assert process.exitcode == 0 and not mark.exists()
    assert sys.modules["__main__"] is page


def test_training_and_workers_start_under_a_page_script(page_as_main, monkeypatch):
    _, mark = page_as_main
    corpus = Corpus("lee-50", builtin_corpus("lee").sentences[:50])
    job = TrainingJob(corpus, TrainSettings("word2vec", dim=8, epochs=1, workers=1)).start()
    job.wait(180)
    assert job.error is None and job.result is not None
    monkeypatch.setattr(own_process, "_idle", [])          # a new worker, not a kept one
    points = np.random.default_rng(0).standard_normal((200, 4)).astype(np.float32)
    assert len(kmeans_in_worker(points, 3, 0, None)) == 200
    assert not mark.exists()


def test_a_local_dask_cluster_starts_under_a_page_script(page_as_main):
    from engine.cluster import connect

    _, mark = page_as_main
    with connect("local:1") as cluster:
        assert cluster.workers == 1
    assert not mark.exists()
