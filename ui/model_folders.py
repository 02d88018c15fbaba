"""A visitor's model folders: the token table (and an untied output embedding) become their
sources, and what the health report needs besides the rows (the tokenizer's status of each
token, the initialisation scale, the padding row) is kept beside them for this visitor."""
from __future__ import annotations

import streamlit as st

from engine import library
from engine.sources import SOURCES
from engine.token_context import TokenContext, context_of_model, context_of_table
from engine.vectors import EmbeddingSet
from ui.results import table_key
from ui.sources import add_user_source, select_source, user_sources

CONTEXTS = "token_contexts"       # session_state: {table name: TokenContext}, this visitor only


def add_model(model) -> None:
    """Make a ModelTables' input table this visitor's chosen source, its untied output
    embedding a source too, and keep its TokenContext (the tokenizer run once, here)."""
    context = context_of_model(model)
    add_user_source(model.input)
    if model.output is not None:
        add_user_source(model.output)
        select_source(model.input.name)
    st.session_state.setdefault(CONTEXTS, {})[model.input.name] = context


@st.cache_resource(show_spinner="Running the tokenizer over every token…", max_entries=8)
def _shared_context(key: str, _table: EmbeddingSet) -> TokenContext:
    return context_of_table(_table)


def token_context(table: EmbeddingSet) -> TokenContext:
    """The TokenContext of a table: a model folder this visitor opened, MiniLM's built-in
    token table, a library table imported from a model folder, else an empty one."""
    own = st.session_state.get(CONTEXTS, {}).get(table.name)
    if own is not None and user_sources().get(table.name) is table:
        return own
    if table.name in SOURCES or library.has_table(table.name):
        return _shared_context(table_key(table), table)
    return TokenContext()
