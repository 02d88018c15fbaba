"""What every page shares: the cached table loaders, the source picker, each visitor's
own tables (uploads and derived tables), URL state and download buttons.

Pages import from here; the engine never does.
"""
from __future__ import annotations

import copy
import dataclasses
import threading
import uuid
from typing import Callable

import pandas as pd
import streamlit as st

from engine import library
from engine.budget import MemoryBudget, budget_from_env, return_freed_memory
from engine.sources import DEFAULT_SOURCE, SOURCES, load_builtin
from engine.store import Cancelled, ResultStore, estimate_bytes
from engine.vectors import EmbeddingSet
from ui.text import md_text

USER_SOURCES = "user_sources"     # session_state: {name: EmbeddingSet}, this visitor only
CHOSEN_SOURCE = "chosen_source"   # session_state: the source picked last, kept across pages
VISITOR = "visitor"               # session_state: this browser session's Visitor
SOURCE_KEY = "source"             # the source picker's widget key and URL parameter
NEXT_URL_VALUES = "next_url_values"  # session_state: {key: value} for in_url widgets' next draw


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


@st.cache_resource(show_spinner="Building the approximate-neighbour index (once per table)…",
                   max_entries=4)
def ann_index(key: str, _table: EmbeddingSet):
    """(the table's ANN index, its recall@10 on 200 rows), read from disk or built and
    saved there once; shared by every session."""
    from engine.approximate import cached_index

    index, _ = cached_index(_table)
    return index, index.recall_at_k(k=10, sample=200).recall


def user_sources() -> dict[str, EmbeddingSet]:
    """This visitor's uploaded and derived tables, by name (also in session_state, where
    the tests read them)."""
    tables = this_visitor().tables
    st.session_state[USER_SOURCES] = tables
    return tables


def add_user_source(table: EmbeddingSet) -> None:
    """Make `table` a source on every page for this visitor, and select it (the source
    picker reads the URL first, so the URL changes too). Raises OverBudget (a ValueError
    naming the budget) when it would take this visitor or the server past its budget."""
    visitor = this_visitor()
    table_budget().charge(visitor.id, table.name, estimate_bytes(table))
    visitor.tables[table.name] = table
    select_source(table.name)


def select_source(name: str) -> None:
    """Make `name` the chosen source on every page: the source picker shows it when next
    drawn (later in this run, or after st.rerun() if it was drawn already)."""
    st.session_state[CHOSEN_SOURCE] = name
    set_in_url(SOURCE_KEY, name)


def remove_user_source(name: str) -> None:
    user_sources().pop(name, None)
    table_budget().release(this_visitor().id, name)
    if st.session_state.get(CHOSEN_SOURCE) == name:
        select_source(DEFAULT_SOURCE)


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
    linked = st.query_params.get(SOURCE_KEY)
    if linked is not None and linked not in names:
        st.warning(f"Source {md_text(repr(linked))} from the link is not available here; "
                   f"showing {md_text(source_label(names[0]))}.")
    elif linked is None and SOURCE_KEY not in st.session_state:   # a page switch: keep the choice
        set_in_url(SOURCE_KEY, st.session_state.get(CHOSEN_SOURCE, DEFAULT_SOURCE))
    default = DEFAULT_SOURCE if DEFAULT_SOURCE in names else names[0]
    name = in_url(where.selectbox, "Source", names, key=SOURCE_KEY, default=default,
                  format_func=source_label,
                  help="The embedding table every number on this page comes from.")
    st.session_state[CHOSEN_SOURCE] = name
    table = get_table(name)
    where.caption(md_text(table.description) or f"{len(table):,} rows × {table.dim}")
    return table


def in_url(widget: Callable, label: str, *args, key: str, default, **kwargs):
    """`widget(label, *args, **kwargs)` (st.selectbox, st.sidebar.radio, st.text_input,
    st.number_input, st.slider, st.checkbox, …) whose value lives in the URL as ?key=value,
    so a link reproduces it.

    `key` is the widget's stable identity and the parameter's name. The value is seeded once
    into st.session_state[key], from the URL if it holds one the widget can take, else
    `default`; it is never passed again as `index=`/`value=` (a default recomputed on each
    run makes Streamlit see a new widget and drop every second change). After the widget,
    the URL gets the value, or loses the parameter while the value equals `default`.
    Options widgets take their options as the first positional argument; number widgets
    their bounds as the first two; a multiselect's list is kept as "a,b,c". Change the value
    from code with `set_in_url`.
    """
    options = list(args[0]) if args and isinstance(args[0], (list, tuple, dict)) else None
    bounds = args[:2] if len(args) >= 2 and all(isinstance(a, (int, float)) for a in args[:2]) else None
    pending = st.session_state.get(NEXT_URL_VALUES, {})
    if key in pending and _fits(pending[key], options, bounds):
        st.session_state[key] = pending.pop(key)
    elif key not in st.session_state or not _fits(st.session_state[key], options, bounds):
        st.session_state[key] = _from_url(key, default, options, bounds)
    else:  # set, not left as widget state: the same key drawn by another page adopts it
        st.session_state[key] = st.session_state[key]
    value = widget(label, *args, key=key, **kwargs)
    text = _as_text(value)
    if value == default:
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get(key) != text:
        st.query_params[key] = text
    return value


def _as_text(value) -> str:
    if isinstance(value, list):
        return ",".join(map(_as_text, value))
    return str(value).lower() if isinstance(value, bool) else str(value)


def _fits(value, options, bounds) -> bool:
    if options is not None:
        return (all(v in options for v in value) if isinstance(value, list)
                else value in options)
    if bounds is not None:
        return isinstance(value, (int, float)) and bounds[0] <= value <= bounds[1]
    return True


def _from_url(key: str, default, options, bounds):
    """The URL's value for `key` as the widget's type, or `default` if absent or unusable."""
    text = st.query_params.get(key)
    if text is None:
        return default
    if options is not None and isinstance(default, list):
        by_text = {_as_text(o): o for o in options}
        chosen = [by_text.get(part) for part in text.split(",") if part]
        return default if None in chosen else chosen
    if options is not None:
        return next((o for o in options if _as_text(o) == text), default)
    try:
        if isinstance(default, bool):
            value = {"true": True, "false": False}[text]
        elif isinstance(default, (int, float)):
            value = type(default)(float(text)) if isinstance(default, float) else int(text)
        else:
            value = text
    except (KeyError, ValueError):
        return default
    return value if _fits(value, None, bounds) else default


def set_in_url(key: str, value) -> None:
    """Give the `in_url` widget `key` this value when it is next drawn: later in this run, or
    after `st.rerun()` if it was drawn already (a drawn widget's state cannot be set)."""
    st.session_state.setdefault(NEXT_URL_VALUES, {})[key] = value


def url_text(key: str, default: str) -> str:
    """A text value kept in the URL so that a link reproduces the page."""
    return st.query_params.get(key, default)


def word_box(table: EmbeddingSet, label: str, *, key: str, default: str, where=st,
             **kwargs) -> str | None:
    """A text box for one word of `table`, kept in the URL as ?key=…: the table's key for
    the typed word (see `resolved_word`), or None once an error is shown in place."""
    text = in_url(where.text_input, label, key=key, default=default, **kwargs)
    return resolved_word(table, text.strip(), where)


def resolved_word(table: EmbeddingSet, word: str, where=st) -> str | None:
    """`table.resolve(word)`, with a caption when the case was changed ("King" → "king"); on
    an unknown or empty word, the error is shown in `where` and None returned, so the
    controls around it keep working."""
    try:
        key = table.resolve(word)
    except (KeyError, ValueError) as error:
        where.error(md_text(error))
        return None
    if key != word:
        where.caption(case_note([(word, key)]))
    return key


def resolved_words(table: EmbeddingSet, words: list[str], where=st) -> list[str] | None:
    """`resolved_word` for a list: the keys, one caption for every changed case, or None
    after one error line naming the words the table lacks."""
    keys, unknown = [], []
    for word in words:
        try:
            keys.append(table.resolve(word))
        except (KeyError, ValueError):
            unknown.append(word)
    if unknown:
        where.error(md_text(f"not in {table.name}: {', '.join(map(repr, unknown))}; "
                            "use words of this table"))
        return None
    changed = [(w, k) for w, k in zip(words, keys) if w != k]
    if changed:
        where.caption(case_note(changed))
    return keys


def case_note(changed: list[tuple[str, str]]) -> str:
    """One line saying which typed words were found in lower case."""
    pairs = ", ".join(f"“{md_text(w)}” as “{md_text(k)}”" for w, k in changed)
    return f"Found {pairs}: this table keeps them in lower case."


def restrict_control(table: EmbeddingSet, where=st.sidebar, default: int | None = None,
                     key: str = "restrict") -> int:
    """How many rows to search: the N most frequent words (first N rows), kept in the URL
    as ?key=N. Default: all rows, or `default` if the table has that many."""
    order = "most frequent words" if table.frequency_ordered else "first rows (id order)"
    if st.session_state.get(f"{key}_of") != table.name:   # another table: its own default
        st.session_state.pop(key, None)
        st.session_state[f"{key}_of"] = table.name
    return int(in_url(
        where.number_input, f"Restrict to the N {order}", 1, len(table), key=key,
        default=min(default or len(table), len(table)), step=1000,
        help="Only these rows are searched and scored. Rare words have noisier vectors; "
             "restricting hides them."))


def download_table(frame: pd.DataFrame, filename: str, label: str = "Download CSV") -> None:
    """`frame` as a CSV file, written only when clicked: not on every run (Explore draws two
    per typed word)."""
    st.download_button(label, lambda: frame.to_csv(index=False), file_name=filename,
                       mime="text/csv", key=f"download-{filename}", on_click="ignore")


def figure_html(figure) -> str:
    """The figure as a standalone interactive HTML page with plotly.js inside (about 4.7 MB),
    so that it opens without internet, in a classroom or on a plane."""
    return figure.to_html(include_plotlyjs=True, full_html=True)


def download_figure(figure, filename: str) -> None:
    """The figure as a standalone interactive HTML file that works offline (PNG: the camera
    icon on the chart). Built only when clicked: plotly.js is large."""
    st.download_button("Download figure (HTML)", lambda: figure_html(figure), file_name=filename,
                       mime="text/html", key=f"download-{filename}", on_click="ignore")


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
    (1,024 MB by default). The work stops (Cancelled) if this visitor leaves meanwhile.
    (st.cache_data cannot replay a progress bar drawn from inside the cached call.)"""
    visitor = this_visitor()

    def run():
        bar = st.progress(0.0, text=label)

        def progress(done: int, total: int) -> None:
            if visitor.left.is_set():
                raise Cancelled(f"{label} stopped: its visitor left")
            bar.progress(min(done / max(total, 1), 1.0), text=f"{label} {done:,} / {total:,}")

        value = compute(progress)
        bar.empty()
        return value

    return _results().get_or_compute(
        key, run, waiting=lambda: st.spinner(f"{label} (another visitor asked for the same; "
                                             "waiting for that result)"))


NAME_PLACEHOLDER = "\x00table\x00"   # stands for the asker's table name in shared results


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


def show_error(error: Exception) -> None:
    """One clear line for bad input, never a traceback (shown as text: it may echo input)."""
    st.error(md_text(error))
