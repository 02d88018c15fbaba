"""The odd one out of a typed list: the word least like the group's mean direction."""
import streamlit as st

from engine.examples import odd_one_out_example
from engine.vectors import EmbeddingSet
from ui.notice import notice
from ui.text import md_text, show_error
from ui.url_state import in_url
from ui.words import has_words, resolved_words


@st.fragment
def odd_one_out(table: EmbeddingSet) -> None:
    st.subheader("Odd one out")
    example = ", ".join(odd_one_out_example(table))
    text = in_url(st.text_input, "Words (comma or space separated)", key="odd", default=example,
                  depends_on=table.name, usable=has_words(table))
    words = text.replace(",", " ").split()
    if not words:
        st.info(f"{md_text(table.name)} has too few rows for an example: type three or more of its words.")
        return
    words = resolved_words(table, words)
    if words is None:
        return
    try:
        ranked = table.centrality(words)
    except (KeyError, ValueError) as error:
        show_error(error)
        return
    notice(f"**{md_text(ranked[0].key)}** fits least: its cosine with the group's mean direction is "
           f"{ranked[0].score:.3f}; the others score " +
           ", ".join(f"{md_text(n.key)} {n.score:.3f}" for n in ranked[1:]) + ".")
