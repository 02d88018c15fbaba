"""One visitor (a browser session): its own tables within their memory budget, and the
event that says it has left, which every long computation of its watches.

When it is set, the visitor's own work stops at its next step (`left_check`, `stop_if_left`;
its training child and worker processes are killed), and so does a shared result of
ui.results.remembered unless another visitor waits for it. What is loaded once for every
visitor always finishes, whoever asked first: the built-in and library tables, MiniLM, a
table's approximate index (ui.sources) and the Vocabulary page's fastText model."""
from __future__ import annotations

import dataclasses
import threading
import uuid
from contextlib import contextmanager
from typing import Callable

import streamlit as st

from engine.budget import MemoryBudget, budget_from_env, return_freed_memory
from engine.store import Cancelled
from engine.vectors import EmbeddingSet

VISITOR = "visitor"               # session_state: this browser session's Visitor


@dataclasses.dataclass
class Visitor:
    """One browser session: its own tables, what else it holds (its training text and
    run, by name), and whether it has left."""

    id: str
    tables: dict[str, EmbeddingSet] = dataclasses.field(default_factory=dict)
    left: threading.Event = dataclasses.field(default_factory=threading.Event)
    held: dict[str, object] = dataclasses.field(default_factory=dict)


@st.cache_resource
def table_budget() -> MemoryBudget:
    """Bytes of visitors' own tables and training texts: $EMBEDDING_LAB_SESSION_MB each
    (default 1,024) and $EMBEDDING_LAB_SERVER_MB for everyone together (default 4,096)."""
    return MemoryBudget(budget_from_env("EMBEDDING_LAB_SESSION_MB", 1024),
                        budget_from_env("EMBEDDING_LAB_SERVER_MB", 4096))


def _visitors_left(visitors: list[Visitor]) -> None:
    """Streamlit drops a session's scoped resources when its browser disconnects (closed
    tab, reload) and when the server stops: stop its work, drop its tables and everything
    else it holds, and give their memory back."""
    for visitor in visitors:
        visitor.left.set()
        visitor.tables.clear()
        visitor.held.clear()
        table_budget().release(visitor.id)
    return_freed_memory()


@st.cache_resource(scope="session", on_release=_visitors_left, show_spinner=False)
def _session_visitors() -> list[Visitor]:
    return []


def this_visitor() -> Visitor:
    """The current visitor: kept in session_state, released with the browser session."""
    visitor = st.session_state.get(VISITOR)
    if visitor is None or visitor.left.is_set():
        visitor = st.session_state[VISITOR] = Visitor(uuid.uuid4().hex)
        _session_visitors().append(visitor)
    return visitor


@contextmanager
def stopped_when_left(visitor: Visitor):
    """Work inside ends this script run quietly (st.stop, no traceback in the server's log)
    when it stops with Cancelled because `visitor` has left: nobody is there to see it."""
    try:
        yield
    except Cancelled:
        if not visitor.left.is_set():
            raise
        st.stop()


def stop_if_left() -> None:
    """End this script run quietly if its visitor has left: called between the steps of
    work inside st.cache_data (which must not draw), where nobody else waits for it."""
    visitor = st.session_state.get(VISITOR)
    if visitor is not None and visitor.left.is_set():
        st.stop()


def left_check(visitor: Visitor) -> Callable[..., None]:
    """A progress callback that draws nothing (for work inside st.cache_data, which must not
    draw) and raises Cancelled once `visitor` has left; run the work inside
    `stopped_when_left`. The work is this visitor's alone: st.cache_data lets no one else
    wait for it."""
    def check(*_) -> None:
        if visitor.left.is_set():
            raise Cancelled("stopped: its visitor left")
    return check
