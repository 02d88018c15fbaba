"""What every page shares: the cached table loaders, the source picker, each visitor's
own tables (uploads and derived tables), URL state and download buttons.

Pages import from here; the engine never does.
"""
from __future__ import annotations

import io
from collections import OrderedDict
from typing import Callable

import pandas as pd
import streamlit as st

from engine import library
from engine.sources import DEFAULT_SOURCE, SOURCES, load_builtin
from engine.vectors import EmbeddingSet

USER_SOURCES = "user_sources"     # session_state: {name: EmbeddingSet}, this visitor only
CHOSEN_SOURCE = "chosen_source"   # session_state: the source picked last, kept across pages


@st.cache_resource(show_spinner="Loading the table…")
def builtin_table(name: str) -> EmbeddingSet:
    """A built-in table, loaded once and shared by every session."""
    table = load_builtin(name)
    table.unit, table.key_to_index  # noqa: B018  (built once, here, not in the first query)
    return table


@st.cache_resource(show_spinner="Opening the library table…", max_entries=8)
def library_table(name: str, imported: str) -> EmbeddingSet:
    """A table of the shared library, memory-mapped once for every session (`imported`
    keys the cache, so a table imported again under the same name is opened again)."""
    table = library.load_table(name)
    table.key_to_index  # noqa: B018
    return table


def library_tables() -> dict[str, library.LibraryTable]:
    """The library's tables by name (read from the folder on each run: an import made
    while the app runs appears at the next click)."""
    return {t.name: t for t in library.list_tables()}


def user_sources() -> dict[str, EmbeddingSet]:
    """This visitor's uploaded and derived tables, by name."""
    return st.session_state.setdefault(USER_SOURCES, {})


def add_user_source(table: EmbeddingSet) -> None:
    """Make `table` a source on every page for this visitor, and select it (the source
    picker reads the URL first, so the URL changes too)."""
    user_sources()[table.name] = table
    select_source(table.name)


def select_source(name: str) -> None:
    """Make `name` the chosen source on every page (the source picker reads the URL first,
    so the URL changes too)."""
    st.session_state[CHOSEN_SOURCE] = name
    st.query_params["source"] = name


def remove_user_source(name: str) -> None:
    user_sources().pop(name, None)
    if st.session_state.get(CHOSEN_SOURCE) == name:
        st.session_state[CHOSEN_SOURCE] = DEFAULT_SOURCE
    if st.query_params.get("source") == name:
        del st.query_params["source"]


def source_label(name: str) -> str:
    if name in SOURCES:
        return SOURCES[name].title
    if library.has_table(name):
        return f"{name} (library)"
    return f"{name} (yours)"


def get_table(name: str) -> EmbeddingSet:
    """A built-in or this visitor's table by name; ValueError for anything else."""
    if name in SOURCES:
        return builtin_table(name)
    if name in user_sources():
        return user_sources()[name]
    shared = library_tables()
    if name in shared:
        return library_table(name, shared[name].imported)
    raise ValueError(f"unknown source {name!r}; choose one of "
                     f"{', '.join(list(SOURCES) + list(shared) + list(user_sources()))}")


def pick_source(allowed: list[str] | None = None, where=st.sidebar) -> EmbeddingSet:
    """Source select box (in the sidebar by default); the choice is kept in the URL
    (?source=...) and across pages. `allowed` limits the built-ins offered."""
    names = list(dict.fromkeys([n for n in SOURCES if allowed is None or n in allowed]
                               + list(user_sources())
                               + (list(library_tables()) if allowed is None else [])))
    wanted = st.query_params.get("source") or st.session_state.get(CHOSEN_SOURCE, DEFAULT_SOURCE)
    if wanted not in names:
        if "source" in st.query_params:
            st.warning(f"Source {wanted!r} from the link is not available here; "
                       f"showing {source_label(names[0])}.")
        wanted = names[0]
    name = where.selectbox("Source", names, index=names.index(wanted), format_func=source_label,
                           help="The embedding table every number on this page comes from.")
    st.session_state[CHOSEN_SOURCE] = name
    st.query_params["source"] = name
    table = get_table(name)
    where.caption(table.description or f"{len(table):,} rows × {table.dim}")
    return table


def url_text(key: str, default: str) -> str:
    """A text value kept in the URL so that a link reproduces the page."""
    return st.query_params.get(key, default)


def restrict_control(table: EmbeddingSet, where=st.sidebar, default: int | None = None) -> int:
    """How many rows to search: the N most frequent words (first N rows). Default: all."""
    order = "most frequent words" if table.frequency_ordered else "first rows (id order)"
    return int(where.number_input(
        f"Restrict to the N {order}", min_value=1, max_value=len(table),
        value=min(default or len(table), len(table)), step=1000,
        help="Only these rows are searched and scored. Rare words have noisier vectors; "
             "restricting hides them."))


def download_table(frame: pd.DataFrame, filename: str, label: str = "Download CSV") -> None:
    st.download_button(label, frame.to_csv(index=False).encode("utf-8"), file_name=filename,
                       mime="text/csv", key=f"download-{filename}")


def download_figure(figure, filename: str) -> None:
    """The figure as a standalone interactive HTML file (PNG: the camera icon on the chart)."""
    buffer = io.StringIO()
    figure.write_html(buffer, include_plotlyjs="cdn")
    st.download_button("Download figure (HTML)", buffer.getvalue().encode("utf-8"),
                       file_name=filename, mime="text/html", key=f"download-{filename}")


def table_key(table: EmbeddingSet) -> str:
    """Cache key of a table: the name of a built-in, else a fingerprint of its contents
    (two visitors may upload different tables under one name)."""
    return table.name if table.name in SOURCES else table.fingerprint


@st.cache_resource
def _results() -> OrderedDict:
    return OrderedDict()


def remembered(key: tuple, compute: Callable, label: str, keep: int = 64):
    """compute(progress) once per key for all sessions, showing a progress bar while it
    runs; progress is a callable(done, total). The last `keep` results are kept.
    (st.cache_data cannot replay a progress bar drawn from inside the cached call.)"""
    store = _results()
    if key not in store:
        bar = st.progress(0.0, text=label)
        store[key] = compute(lambda done, total: bar.progress(done / max(total, 1),
                                                              text=f"{label} {done:,} / {total:,}"))
        bar.empty()
        while len(store) > keep:
            store.popitem(last=False)
    store.move_to_end(key)
    return store[key]


def show_error(error: Exception) -> None:
    """One clear line for bad input, never a traceback."""
    st.error(str(error))
