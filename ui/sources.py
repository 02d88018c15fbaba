"""Where a page's table comes from: the cached loaders of the built-in and library tables,
this visitor's own tables (uploads and derived tables), and the sidebar's Source picker."""
from __future__ import annotations

import streamlit as st

from engine import library
from engine.sources import DEFAULT_SOURCE, SOURCES, load_builtin
from engine.store import estimate_bytes
from engine.vectors import EmbeddingSet
from ui.text import md_text
from ui.url_state import in_url, set_in_url
from ui.visitor import table_budget, this_visitor

USER_SOURCES = "user_sources"     # session_state: {name: EmbeddingSet}, this visitor only
CHOSEN_SOURCE = "chosen_source"   # session_state: the source picked last, kept across pages
SOURCE_KEY = "source"             # the source picker's widget key and URL parameter


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


@st.cache_resource(show_spinner="Building the approximate-neighbour index (once per table)…",
                   max_entries=4)
def ann_index(key: str, _table: EmbeddingSet):
    """(the table's ANN index, its recall@10 on 200 rows, or all of a smaller table), read
    from disk or built and saved there once; shared by every session."""
    from engine.approximate import cached_index

    index, _ = cached_index(_table)
    return index, index.recall_at_k(k=min(10, len(_table) - 1), sample=min(200, len(_table))).recall


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


def restrict_control(table: EmbeddingSet, where=st.sidebar, default: int | None = None,
                     key: str = "restrict") -> int:
    """How many rows to search: the N most frequent words (first N rows), kept in the URL
    as ?key=N. Default: all rows, or `default` if the table has that many; another table
    brings its own default unless the N chosen still fits it."""
    order = "most frequent words" if table.frequency_ordered else "first rows (id order)"
    return int(in_url(
        where.number_input, f"Restrict to the N {order}", 1, len(table), key=key,
        default=min(default or len(table), len(table)), depends_on=table.name, step=1000,
        help="Only these rows are searched and scored. Rare words have noisier vectors; "
             "restricting hides them."))
