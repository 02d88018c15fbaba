"""Results shared by every visitor: computed once per key, with a progress bar, kept within
a memory budget, stopped when the visitor who asked leaves."""
from __future__ import annotations

import copy
import dataclasses
from typing import Callable

import streamlit as st

from engine.budget import budget_from_env
from engine.sources import SOURCES
from engine.store import Cancelled, ResultStore
from engine.vectors import EmbeddingSet
from ui.visitor import stopped_when_left, this_visitor

NAME_PLACEHOLDER = "\x00table\x00"   # stands for the asker's table name in shared results


def table_key(table: EmbeddingSet) -> str:
    """Cache key of a table: the name of a built-in, else a fingerprint of its contents
    (two visitors may upload different tables under one name)."""
    return table.name if table.name in SOURCES else table.fingerprint


@st.cache_resource
def _results() -> ResultStore:
    return ResultStore(budget_from_env("EMBEDDING_LAB_RESULTS_MB", 1024))


def remembered(key: tuple, compute: Callable, label: str):
    """compute(progress) once per key for all sessions, showing a progress bar while it
    runs; progress is a callable(done, total). A visitor asking for a key another visitor
    is computing waits for that result (with a spinner) instead of computing it again.
    Results are kept, least recently used out first, within $EMBEDDING_LAB_RESULTS_MB
    (1,024 MiB by default). (st.cache_data cannot replay a progress bar drawn from inside
    the cached call.)

    When this visitor leaves, its work stops at the next progress call, unless another
    visitor is waiting for the same key: then it finishes for them, drawn nowhere. Every
    result computed through here is such a shared result."""
    visitor, store = this_visitor(), _results()
    bar = None

    def progress(done: int, total: int) -> None:
        if visitor.left.is_set():
            if store.awaited(key):
                return
            raise Cancelled(f"{label} stopped: its visitor left")
        bar.progress(min(done / max(total, 1), 1.0), text=f"{label} {done:,} / {total:,}")

    def run():
        nonlocal bar
        bar = st.progress(0.0, text=label)
        return compute(progress)

    with stopped_when_left(visitor):
        try:
            return store.get_or_compute(
                key, run, cancel=visitor.left,
                waiting=lambda: st.spinner(f"{label} (another visitor asked for the same; "
                                           "waiting for that result)"))
        finally:                # done, or refused (a bad input's ValueError): the bar goes
            if bar is not None:
                bar.empty()


def is_remembered(key: tuple) -> bool:
    """Whether the result for `key` is kept (computed by some visitor, not yet dropped)."""
    return key in _results()


def remembered_for(table: EmbeddingSet, key: tuple, compute: Callable, label: str):
    """remembered() for results that carry a table's name (derived tables, score records):
    computed once per content key on a nameless view of `table`, then named for the asker,
    so that visitors who uploaded the same bytes under different names never see each
    other's names. compute(nameless_table, progress)."""
    nameless = renamed(table, NAME_PLACEHOLDER, NAME_PLACEHOLDER)
    try:
        result = remembered(key, lambda progress: compute(nameless, progress), label)
    except (KeyError, ValueError) as error:
        raise ValueError(str(error).replace(NAME_PLACEHOLDER, table.name)) from None
    return _named_for(result, table.name)


def renamed(table: EmbeddingSet, name: str, description: str) -> EmbeddingSet:
    """The same table (vectors, keys and computed norms shared, nothing copied) under
    another name."""
    view = copy.copy(table)
    view.name, view.description = name, description
    return view


def _named_for(result, name: str):
    if isinstance(result, EmbeddingSet):
        return renamed(result, result.name.replace(NAME_PLACEHOLDER, name),
                       result.description.replace(NAME_PLACEHOLDER, name))
    if dataclasses.is_dataclass(result):
        changes = {f.name: getattr(result, f.name).replace(NAME_PLACEHOLDER, name)
                   for f in dataclasses.fields(result) if isinstance(getattr(result, f.name), str)}
        return dataclasses.replace(result, **changes)
    return result
