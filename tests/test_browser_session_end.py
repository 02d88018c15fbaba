"""Long work ends with its visitor: for each kind of long computation, a real Chromium tab
starts it, the tab closes mid-computation, and the server's CPU (its own and its worker and
training processes', from /proc) falls to idle after a few CPU-seconds; and SIGTERM stops a server
that runs such work within seconds, leaving no process behind."""
import os
import signal
import time
from pathlib import Path

import pytest

from tests.browser import cores_used, descendants, serving, settle, tree_cpu_seconds

pytestmark = pytest.mark.browser

# CPU-seconds the server may still spend once the tab has closed: the step running then (a block,
# a batch, a poll) finishes. Counted in CPU time, not wall time, so that a busy machine (the
# tests run side by side) stretches the wait but not the measure; work that went on would
# spend tens of CPU-seconds more.
STOP_CPU_SECONDS = 8
BUSY = 0.25               # cores: the work has started (the machine is shared; workers run niced)
IDLE = 0.1                # cores: nothing runs for the tab that closed


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app with an empty map and sentence cache, without the MiniLM warm-up (which
    would keep the CPU busy on its own)."""
    cache = tmp_path_factory.mktemp("cache")
    with serving(EMBEDDING_LAB_CACHE=str(cache), EMBEDDING_LAB_WARM_UP="0") as (base, pid):
        yield base, pid


def _click(page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()


def _open(page, url: str) -> None:
    page.goto(url)
    settle(page)


def start_umap(page, base):
    _open(page, f"{base}/map?method=umap&map_rows=150000")
    _click(page, "Compute the UMAP map of 150,000 words")


def start_tsne(page, base):
    _open(page, f"{base}/map?method=tsne&map_rows=20000")
    _click(page, "Compute the t-SNE map of 20,000 words")


def start_contextual(page, base):
    _open(page, f"{base}/contextual")
    sentence = "The bank by the river " + "was quiet and green and very far away " * 24
    box = page.get_by_label("Sentences that use it, one a line, optionally “sense | sentence”", exact=True)
    box.fill("\n".join([sentence] * 48))
    box.press("Control+Enter")


def start_sentence_search(page, base):
    page.goto(f"{base}/retrieval?retrieval_collection=Lee+corpus%2C+all+sentences")


def start_hubness(page, base):
    page.goto(f"{base}/geometry?view=Hubness&rows=400000")


def start_benchmarks(page, base):
    page.goto(f"{base}/benchmarks?restrict_vocab=400000")


def start_fix(page, base):
    _open(page, f"{base}/geometry?view=Fixes&rows=200000&k=12")
    _click(page, "Apply and measure")


def start_health(page, base):
    page.goto(f"{base}/health?health_sample=200000")


def start_shrink(page, base):
    page.goto(f"{base}/shrink?probes=5000&shrink_analogies=true")


def start_training(page, base):
    _open(page, f"{base}/train")
    page.get_by_text("Wikipedia sample", exact=False).first.click()
    settle(page)
    epochs = page.get_by_label("Epochs", exact=True)
    epochs.fill("200")
    epochs.press("Enter")
    settle(page)
    _click(page, "Train")


# each kind of long work, and how long it runs before its tab closes: UMAP's neighbour search
# and layout run in numba for tens of seconds without a callback, so its tab closes then
WORK = {"UMAP (worker process)": (start_umap, 8), "t-SNE (worker process)": (start_tsne, 2),
        "MiniLM batches (Static vs contextual)": (start_contextual, 0),
        "MiniLM batches (Sentence search)": (start_sentence_search, 2),
        "k-NN blocks (Geometry hubness)": (start_hubness, 2),
        "benchmark blocks (Benchmarks)": (start_benchmarks, 0),
        "a fix and its measures (Geometry fixes)": (start_fix, 2),
        "a health report's steps and blocks (Health report)": (start_health, 4),
        "quantising and its benchmarks (Shrink the table)": (start_shrink, 2),
        "training (child process)": (start_training, 2)}


def _idle(pid: int, limit: float = 300) -> None:
    """Wait until the server is idle (the work of an earlier test may still be stopping)."""
    deadline = time.monotonic() + limit
    while cores_used(pid, 2.0) >= IDLE:
        assert time.monotonic() < deadline, "the server never became idle"


@pytest.mark.parametrize("kind", list(WORK))
def test_closing_the_tab_mid_computation_stops_the_work(server, chromium, kind):
    base, pid = server
    start, running = WORK[kind]
    _idle(pid)
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(180_000)
    start(page, base)
    deadline, busy = time.monotonic() + 180, 0.0
    while busy < BUSY and time.monotonic() < deadline:
        busy = cores_used(pid, 2.0)
    assert busy >= BUSY, f"{kind}: the work never started"
    time.sleep(running)
    context.close()                                     # mid-computation
    closed = tree_cpu_seconds(pid)
    _idle(pid, 120)
    spent = tree_cpu_seconds(pid) - closed
    assert spent < STOP_CPU_SECONDS, f"{kind}: {spent:.1f} CPU-seconds spent after the tab closed"


def test_sigterm_stops_a_busy_server_and_its_processes(chromium, tmp_path):
    with serving(EMBEDDING_LAB_CACHE=str(tmp_path), EMBEDDING_LAB_WARM_UP="0") as (base, pid):
        pages = [chromium.new_context().new_page() for _ in range(3)]
        for page in pages:
            page.set_default_timeout(180_000)
        start_umap(pages[0], base)
        start_contextual(pages[1], base)
        start_training(pages[2], base)
        deadline, busy = time.monotonic() + 120, 0.0
        while (len(descendants(pid)) < 2 or busy < BUSY) and time.monotonic() < deadline:
            busy = cores_used(pid, 2.0)
        children = descendants(pid)
        assert len(children) >= 2 and busy >= BUSY, (children, busy)
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        while _running(pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _running(pid), "the server still ran 15 s after SIGTERM"
        time.sleep(1)
        assert [c for c in children if _running(c)] == []
        for page in pages:
            page.context.close()


def _running(pid: int) -> bool:
    """Whether `pid` is a process that still runs (not gone, not a zombie waiting to be reaped)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
