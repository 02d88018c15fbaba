"""Training in a child process: the same vectors as in the server's own process, reports
streamed back as plain arrays, Stop keeping what was learned, the child ended when its
visitor leaves, bad settings refused before any process starts; and the trained fastText
model as a .bin that the project's reader loads back with its n-grams."""
import threading
import time

import numpy as np
import pytest

from engine.train.corpus import Corpus, builtin_corpus
from engine.train.job import TrainingJob
from engine.train.monitor import Monitor
from engine.train.run import train
from engine.train.settings import TrainSettings

PROBES = ["police", "government"]
MAP_WORDS = "police fire people government minister australia".split()


@pytest.fixture(scope="module")
def lee_small():
    return Corpus("lee-100", builtin_corpus("lee").sentences[:100])


def finished(job: TrainingJob) -> TrainingJob:
    job.wait(180)
    assert not job.running and job.error is None, job.error
    return job


def test_wire_carries_arrays_and_json_but_no_objects():
    from engine.train.wire import decode, decode_words, encode, encode_words

    words = ["naïve", "don't", "東京"]
    kind, meta, arrays = decode(encode("epoch", {"loss": 1.5, "near": {"a": ["b"]}},
                                       {"v": np.arange(6, dtype=np.float32).reshape(2, 3),
                                        "keys": encode_words(words)}))
    assert (kind, meta) == ("epoch", {"loss": 1.5, "near": {"a": ["b"]}})
    np.testing.assert_array_equal(arrays["v"], [[0, 1, 2], [3, 4, 5]])
    assert arrays["v"].dtype == np.float32 and decode_words(arrays["keys"]) == words
    with pytest.raises(TypeError, match="dtype object"):
        encode("x", arrays={"o": np.array([{"a": 1}], dtype=object)})


def test_a_child_process_learns_exactly_what_the_server_would(lee_small):
    settings = TrainSettings("word2vec", dim=16, epochs=2, workers=1, seed=5)
    job = finished(TrainingJob(lee_small, settings, PROBES, MAP_WORDS).start())
    here = train(lee_small, settings, Monitor(PROBES, MAP_WORDS))
    ours = job.result
    assert ours.table.index_to_key == here.table.index_to_key
    assert np.array_equal(ours.table.vectors, here.table.vectors)
    assert [e.loss for e in ours.epochs] == [e.loss for e in here.epochs]
    assert [e.neighbours for e in ours.epochs] == [e.neighbours for e in here.epochs]
    assert all(np.array_equal(a.snapshot, b.snapshot) for a, b in zip(ours.epochs, here.epochs))
    assert ours.complete and ours.map_words == here.map_words and job.fraction == 1.0
    assert job._process.exitcode == 0


def test_glove_in_a_child_process_brings_its_cooccurrences_back(lee_small):
    tiny = Corpus("lee-20", lee_small.sentences[:20])
    settings = TrainSettings("glove", dim=8, epochs=1, min_count=2, x_max=10)
    ours = finished(TrainingJob(tiny, settings).start()).result
    here = train(tiny, settings)
    assert np.array_equal(ours.table.vectors, here.table.vectors)
    assert (ours.cooccurrence.tocsr() != here.cooccurrence.tocsr()).nnz == 0


def test_fasttext_in_a_child_process_builds_unseen_words_and_saves_a_bin(lee_small):
    from gensim.models import FastText

    from engine.readers import load_vectors
    from engine.train.fasttext import fasttext_bin

    settings = TrainSettings("fasttext", dim=16, epochs=1, workers=1, bucket=20_000)
    ours = finished(TrainingJob(lee_small, settings).start()).result
    reference = FastText(lee_small.sentences, vector_size=16, window=5, min_count=5, epochs=1, sg=1,
                         negative=5, seed=1, workers=1, min_n=3, max_n=6, bucket=20_000)
    assert "policemen" not in ours.table
    assert np.array_equal(ours.table.get_vector("policemen"), reference.wv["policemen"])
    saved = fasttext_bin(ours.model)
    assert saved == fasttext_bin(reference)           # the model rebuilt from arrays is gensim's, byte for byte
    loaded = load_vectors(saved, format="fasttext-bin", name="trained.bin").table
    assert loaded.index_to_key == ours.table.index_to_key
    np.testing.assert_allclose(loaded.vectors, ours.table.vectors, atol=1e-6)
    for unseen in ("policemen", "firefighting", "governmental"):
        assert unseen not in loaded
        np.testing.assert_allclose(loaded.get_vector(unseen), ours.table.get_vector(unseen), atol=1e-6)


def test_stop_keeps_what_the_child_learned(lee_small):
    job = TrainingJob(lee_small, TrainSettings("word2vec", dim=8, epochs=500, workers=1), PROBES).start()
    while not job.epochs and job.running:
        time.sleep(0.05)
    job.stop()
    trained = finished(job).result
    assert not trained.complete and 1 <= len(trained.epochs) < 500
    assert trained.table.name.endswith("-partial") and 0 < job.fraction < 1


def test_the_child_ends_when_its_visitor_leaves(lee_small):
    left = threading.Event()
    job = TrainingJob(lee_small, TrainSettings("word2vec", dim=8, epochs=500, workers=1), cancel=left).start()
    while job.fraction == 0 and job.running:
        time.sleep(0.05)
    left.set()
    job.wait(30)
    assert not job.running and not job._process.is_alive()
    assert job.error == "training stopped: its visitor left" and job.result is None


def test_bad_settings_are_refused_before_a_process_starts(lee_small):
    with pytest.raises(ValueError, match=r"min_count 100,000 keeps 0 distinct word\(s\) of lee-100"):
        TrainingJob(lee_small, TrainSettings(min_count=100_000))


def test_past_the_bound_a_run_waits_in_line_and_says_its_place(lee_small, monkeypatch):
    from engine.train import job as jobs

    monkeypatch.setenv("EMBEDDING_LAB_TRAINING_PROCESSES", "1")
    jobs.training_turns.cache_clear()
    try:
        long = TrainSettings("word2vec", dim=8, epochs=1_000, workers=1)
        first = TrainingJob(lee_small, long).start()
        while first.fraction == 0 and first.running:
            time.sleep(0.05)
        second = TrainingJob(lee_small, TrainSettings("word2vec", dim=8, epochs=1, workers=1)).start()
        third = TrainingJob(lee_small, TrainSettings("word2vec", dim=8, epochs=1, workers=1)).start()
        deadline = time.monotonic() + 60
        while (second.place, third.place) != (1, 2) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert (second.place, third.place) == (1, 2) and second._process is None and first.running
        third.stop()                                 # leaves the line without a process
        third.wait(5)
        assert third.error == "training stopped before it started" and third._process is None
        first.stop()
        finished(first)
        assert finished(second).result.complete and second.place == 0
    finally:
        jobs.training_turns.cache_clear()


def test_turns_serve_in_arrival_order_and_a_waiter_may_leave():
    from engine.store import Cancelled
    from engine.turns import Turns, ordinal

    turns, order, places = Turns(1), [], {}
    hold = threading.Event()

    def holder():
        with turns.turn():
            hold.wait(5)
            order.append("holder")

    def waiter(name, leave=None):
        def waiting(place):
            places.setdefault(name, place)
            if leave is not None and leave.is_set():
                raise Cancelled("left")
        try:
            with turns.turn(waiting):
                order.append(name)
        except Cancelled:
            order.append(f"{name} left")

    leave = threading.Event()
    threads = [threading.Thread(target=holder)]
    threads[0].start()
    while turns.holding == 0:
        time.sleep(0.01)
    for name, event in (("a", None), ("b", leave), ("c", None)):
        threads.append(threading.Thread(target=waiter, args=(name, event)))
        threads[-1].start()
        while turns.waiting < len(threads) - 1:
            time.sleep(0.01)
    time.sleep(0.6)
    leave.set()
    time.sleep(0.6)
    hold.set()
    for thread in threads:
        thread.join(5)
    assert order == ["b left", "holder", "a", "c"] and places == {"a": 1, "b": 2, "c": 3}
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 111)] == \
        ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "111th"]
