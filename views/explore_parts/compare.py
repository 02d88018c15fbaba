"""Two words compared: their cosine and where each sits in the other's neighbour list.
The two boxes are the visitor's own (kept in the URL): typing a new Explore word leaves them."""
import streamlit as st

from engine.examples import example_pair
from engine.vectors import EmbeddingSet
from ui.notice import notice
from ui.results import table_key
from ui.text import md_text, show_error
from ui.words import word_box


@st.cache_data(show_spinner=False, max_entries=256)
def _example_pair(key: str, _table: EmbeddingSet) -> tuple[str, str]:
    """example_pair of the table whose cache key is `key`: the same for every visitor."""
    return example_pair(_table)


@st.cache_data(show_spinner=False, max_entries=256)
def _compared(key: str, _table: EmbeddingSet, a: str, b: str) -> tuple[float, int, int]:
    """(cosine, rank of b among a's neighbours, rank of a among b's), computed once per pair
    for every visitor: each visitor opening Explore asks for the default pair, and each
    search and rank reads all the rows."""
    return _table.similarity(a, b), _table.rank(a, b), _table.rank(b, a)


@st.fragment
def compare_two_words(table: EmbeddingSet) -> None:
    st.subheader("Compare two words")
    defaults = _example_pair(table_key(table), table)
    first, second = st.columns(2)
    a = word_box(table, "First word", key="first", default=defaults[0], where=first)
    b = word_box(table, "Second word", key="second", default=defaults[1], where=second)
    if a is None or b is None:
        return
    try:
        cosine, rank_of_b, rank_of_a = _compared(table_key(table), table, a, b)
        st.metric("Cosine similarity", f"{cosine:.4f}")
        a_text, b_text = md_text(a), md_text(b)
        notice(f"“{b_text}” is neighbour number **{rank_of_b:,}** of “{a_text}”, and “{a_text}” is "
               f"number **{rank_of_a:,}** of “{b_text}” (over all {len(table):,} rows).")
    except (KeyError, ValueError) as error:
        show_error(error)
