"""What the word pages (Explore, Analogies) share: example words that survive a change of
table, and how a row is numbered."""
from __future__ import annotations

from typing import Callable

import streamlit as st

from engine.vectors import EmbeddingSet
from ui.common import in_url, resolved_word, set_in_url

# tables whose rows are not words in frequency order: what a row number means there
ROW_NAMES = {"minilm-tokens": "Token id", "minilm-positions": "Position"}


def keep_for_table(table: EmbeddingSet, key: str, default: str, fits: Callable[[str], bool]) -> None:
    """When the source changes, give the `in_url` box `key` the new table's `default` unless
    the value typed for the old table still `fits` the new one (a link's value is kept as
    it came, to be reported in place if it is wrong)."""
    seen = f"{key}_table"
    if st.session_state.get(seen) == table.name:
        return
    st.session_state[seen] = table.name
    if key in st.session_state and not fits(str(st.session_state[key])):
        set_in_url(key, default)


def resolves(table: EmbeddingSet) -> Callable[[str], bool]:
    """Whether `table` has a vector for every word of a text (words split on commas and
    spaces; any case)."""
    def fits(text: str) -> bool:
        words = text.replace(",", " ").split()
        return bool(words) and all(table.has_vector(w) or w.lower() in table for w in words)
    return fits


def row_name(table: EmbeddingSet) -> str:
    """What a row number is called on this table: a frequency rank (1-based), else an id
    (0-based, as nn.Embedding indexes it)."""
    if table.frequency_ordered:
        return "Frequency rank"
    return ROW_NAMES.get(table.name.split(" · ")[0], "Row id")


def row_number(table: EmbeddingSet, row: int) -> int:
    """The number shown for `row`: 1-based rank when frequency ordered, else 0-based id."""
    return row + 1 if table.frequency_ordered else row


def optional_word_box(table: EmbeddingSet, label: str, *, key: str, default: str,
                      where=st) -> str | None:
    """A word box (kept in the URL, resolved as word_box) that may stay empty: None while it
    is, with no error; None after an error shown in place for a word the table lacks."""
    text = in_url(where.text_input, label, key=key, default=default).strip()
    return resolved_word(table, text, where) if text else None
