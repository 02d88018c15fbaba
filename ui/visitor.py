"""One visitor (a browser session): its own tables within their memory budget, and the
event that says it has left, which every long computation of its watches."""
from __future__ import annotations

import dataclasses
import threading
import uuid

import streamlit as st

from engine.budget import MemoryBudget, budget_from_env, return_freed_memory
from engine.vectors import EmbeddingSet

VISITOR = "visitor"               # session_state: this browser session's Visitor


@dataclasses.dataclass
class Visitor:
    """One browser session: its own tables, and whether it has left."""

    id: str
    tables: dict[str, EmbeddingSet] = dataclasses.field(default_factory=dict)
    left: threading.Event = dataclasses.field(default_factory=threading.Event)


@st.cache_resource
def table_budget() -> MemoryBudget:
    """Bytes of visitors' own tables: $EMBEDDING_LAB_SESSION_MB each (default 1,024) and
    $EMBEDDING_LAB_SERVER_MB for everyone together (default 4,096)."""
    return MemoryBudget(budget_from_env("EMBEDDING_LAB_SESSION_MB", 1024),
                        budget_from_env("EMBEDDING_LAB_SERVER_MB", 4096))


def _visitors_left(visitors: list[Visitor]) -> None:
    """Streamlit drops a session's scoped resources when its browser disconnects (closed
    tab, reload): stop its work, drop its tables and give their memory back."""
    for visitor in visitors:
        visitor.left.set()
        visitor.tables.clear()
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
