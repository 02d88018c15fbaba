"""Two words compared: their cosine and where each sits in the other's neighbour list.
The two boxes are the visitor's own (kept in the URL): typing a new Explore word leaves them."""
import streamlit as st

from engine.examples import example_pair
from engine.vectors import EmbeddingSet
from ui.common import show_error, word_box
from ui.text import md_text
from ui.word_pages import keep_for_table, resolves


@st.fragment
def compare_two_words(table: EmbeddingSet) -> None:
    st.subheader("Compare two words")
    defaults = example_pair(table)
    first, second = st.columns(2)
    for key, default in zip(("first", "second"), defaults):
        keep_for_table(table, key, default, resolves(table))
    a = word_box(table, "First word", key="first", default=defaults[0], where=first)
    b = word_box(table, "Second word", key="second", default=defaults[1], where=second)
    if a is None or b is None:
        return
    try:
        st.metric("Cosine similarity", f"{table.similarity(a, b):.4f}")
        a_text, b_text = md_text(a), md_text(b)
        st.write(f"“{b_text}” is neighbour number **{table.rank(a, b):,}** of “{a_text}”, and “{a_text}” is "
                 f"number **{table.rank(b, a):,}** of “{b_text}” (over all {len(table):,} rows).")
    except (KeyError, ValueError) as error:
        show_error(error)
