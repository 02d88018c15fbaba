"""Warm-up: when a lecture opens, the server draws every step's view once in the background,
in the order of the steps, so that its slow results are computed before the class sees it.

Each view is drawn by running the app itself, headless, in this process (Streamlit's own
script runner, as its AppTest does, but against the server's runtime): the page computes
exactly what it computes for a visitor, through the same st.cache_data, st.cache_resource and
shared result store, with no copy of any page's logic. What the view showed (its sentences,
metrics, figures and code) is kept for the step bar's "what to notice" and for the handout.
One worker thread per server draws one view at a time. Warm-up work is shared: it is not
stopped when the visitor who opened the lecture leaves. Each drawing is a visitor of its own
(ui.visitor), which leaves when the drawing is done.
"""
from __future__ import annotations

import os
import threading
import time
from collections import deque
from pathlib import Path

import streamlit as st

from engine.handout import MAX_FIGURE_CHARS, ViewRecord
from engine.lecture import Lecture, Step
from ui.notice import page_notices

WARM_UP_ENV = "EMBEDDING_LAB_LECTURE_WARM_UP"     # "0": no warm-up
APP = str(Path(__file__).resolve().parent.parent / "app.py")
REWARM_AFTER = 30 * 60      # seconds: a lecture opened again later is drawn again (evicted results)
MAX_RECORDS = 200           # views whose records are kept, the least recently drawn out first


def draw_headless(step: Step) -> ViewRecord:
    """Run the app for `step`'s page with its settings, as a fresh visitor would, in this
    thread; what it showed."""
    from urllib.parse import urlencode

    from streamlit.runtime.caching.cache_resource_api import clear_session_cache
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.runtime.scriptrunner import RerunData
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.runtime.state.safe_session_state import SafeSessionState
    from streamlit.runtime.state.session_state import SessionState
    from streamlit.testing.v1.element_tree import parse_tree_from_messages
    from streamlit.testing.v1.local_script_runner import LocalScriptRunner
    from streamlit.util import calc_hash

    state = SafeSessionState(SessionState(), lambda: None)
    runner = LocalScriptRunner(APP, state, PagesManager(APP, ScriptCache(), setup_watcher=False))
    start = time.perf_counter()
    runner.request_rerun(RerunData(query_string=urlencode(step.query),
                                   page_script_hash=calc_hash(step.page)))
    runner.start()
    runner.join()                   # the script thread ends after its one run
    seconds = time.perf_counter() - start
    # The run's visitor leaves with it: what it held (a table the view trained or derived)
    # and its memory budget go, as when a browser session ends.
    clear_session_cache(runner._session_id)
    tree = parse_tree_from_messages(runner.forward_msgs())
    titles = [title.value for title in tree.title]
    figures = tuple(chart.proto.spec for chart in tree.get("plotly_chart"))
    problems = [str(box.value) for box in [*tree.exception, *tree.error]]
    if sum(map(len, figures)) > MAX_FIGURE_CHARS:
        problems.append(f"The figures of this view ({sum(map(len, figures)) / 1e6:,.0f} MB) are too "
                        "large to keep for a handout; open the live view.")
        figures = ()
    return ViewRecord(title=titles[0] if titles else step.page,
                      notices=tuple(page_notices(state)),
                      metrics=tuple((metric.label, metric.value) for metric in tree.metric),
                      figures=figures, problems=tuple(problems), seconds=seconds,
                      code=tuple(block.value for expander in tree.expander if expander.label == "The code"
                                 for block in expander.code))


def view_key(step: Step) -> tuple:
    return step.page, step.settings


class WarmUp:
    """Every lecture opened on this server, drawn view by view by one worker thread."""

    def __init__(self, draw=draw_headless):
        self._draw = draw
        self._lock = threading.Lock()
        self._records: dict[tuple, tuple[float, ViewRecord]] = {}   # view -> (when, record)
        self._queue: deque[Lecture] = deque()
        self._warmed: dict[str, float] = {}          # lecture's views_key -> when it was done
        self._worker: threading.Thread | None = None

    def request(self, lecture: Lecture) -> None:
        """Draw every step of `lecture` not drawn in the last REWARM_AFTER seconds, after
        the lectures asked for before it."""
        with self._lock:
            done = self._warmed.get(lecture.views_key)
            if (done is not None and time.time() - done < REWARM_AFTER
                    or any(queued.views_key == lecture.views_key for queued in self._queue)):
                return
            self._queue.append(lecture)
            if self._worker is None:
                self._worker = threading.Thread(target=self._work, name="lecture-warm-up", daemon=True)
                self._worker.start()

    def _work(self) -> None:
        while True:
            with self._lock:
                if not self._queue:
                    self._worker = None
                    return
                lecture = self._queue[0]
            for step in lecture.steps:
                if not self._fresh(step):
                    try:
                        record = self._draw(step)
                    except Exception as error:        # one bad view never stops the others
                        record = ViewRecord(step.page, problems=(f"{type(error).__name__}: {error}",))
                    with self._lock:
                        self._records.pop(view_key(step), None)
                        self._records[view_key(step)] = (time.time(), record)
                        while len(self._records) > MAX_RECORDS:
                            del self._records[next(iter(self._records))]
            with self._lock:
                self._warmed[lecture.views_key] = time.time()
                self._queue.popleft()

    def _fresh(self, step: Step) -> bool:
        with self._lock:
            kept = self._records.get(view_key(step))
        return kept is not None and time.time() - kept[0] < REWARM_AFTER

    def ready(self, lecture: Lecture) -> int:
        """How many of `lecture`'s steps have been drawn recently."""
        return sum(self._fresh(step) for step in lecture.steps)

    def running(self, lecture: Lecture) -> bool:
        """Whether `lecture` is waiting for its warm-up or in it."""
        with self._lock:
            return any(queued.views_key == lecture.views_key for queued in self._queue)

    def record(self, step: Step) -> ViewRecord | None:
        """What `step`'s view showed when last drawn, or None."""
        with self._lock:
            kept = self._records.get(view_key(step))
        return kept[1] if kept else None


@st.cache_resource(show_spinner=False)
def warm_up() -> WarmUp:
    """The server's warm-up (one for all sessions)."""
    return WarmUp()


def can_warm_up() -> bool:
    """False when the server's owner turned it off (EMBEDDING_LAB_LECTURE_WARM_UP=0), and
    inside an AppTest run (its runtime is a stand-in that a second script runner cannot
    share): the page says so instead of warming up."""
    from streamlit import config

    return os.environ.get(WARM_UP_ENV, "1") != "0" and not config.get_option("global.appTest")


def progress_line(lecture: Lecture) -> str:
    """"7 of 22 steps ready" while warming up; who is waiting otherwise."""
    ready, total = warm_up().ready(lecture), len(lecture)
    if not can_warm_up():
        return "This server does not warm lectures up: each step computes its results when first shown."
    if ready == total:
        return f"All {lecture.size} ready: each draws from computed results."
    waiting = "" if warm_up().running(lecture) else " (opening the lecture warms it up)"
    return f"{ready} of {lecture.size} ready{waiting}: the server is computing the rest in step order."
