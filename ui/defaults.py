"""Defaults that follow the source: a value kept in the URL (see ui.url_state.in_url) whose
default depends on the table, such as an example word or word list."""
from typing import Callable

import streamlit as st

from engine.vectors import EmbeddingSet
from ui.url_state import set_in_url


def follow_table(table: EmbeddingSet, key: str, default,
                 usable: Callable[[object], bool] = lambda value: True) -> None:
    """Call before drawing the in_url widget `key`. When the source has changed since it was
    last drawn and its value is still the previous table's default, or is not usable on this
    table (a word the table lacks), the widget starts from this table's `default` instead of
    an error; a value the visitor typed that still works stays."""
    seen = st.session_state.get(f"{key}_follows")       # (table name, its default)
    st.session_state[f"{key}_follows"] = (table.name, default)
    if seen is None or seen[0] == table.name or key not in st.session_state:
        return
    kept = st.session_state[key]
    if kept == seen[1] or not usable(kept):
        set_in_url(key, default)


def has_word(table: EmbeddingSet) -> Callable[[object], bool]:
    """usable() for a word box: True when `table` resolves the word ("King" as "king")."""
    def usable(word) -> bool:
        try:
            table.resolve(str(word).strip())
        except (KeyError, ValueError):
            return False
        return True
    return usable
