"""Cosine against raw dot product on GloVe's words: which words each lists, and what changes
in their frequency, measured over many query words."""
import pandas as pd
import streamlit as st

from engine.dot_product import describe_bands, describe_word, frequency_bands, frequency_shift
from engine.retrieval import cosine_vs_dot
from ui.notice import notice
from ui.results import remembered
from ui.sources import builtin_table
from ui.text import md_text
from ui.words import word_box

DEFAULT_WORD = "doctor"      # frequent words climb its dot-product list: her, she, hospital, mother


def show() -> None:
    st.subheader("Cosine against raw dot product, on GloVe words")
    glove = builtin_table("glove-6b-50d")
    bands = remembered(("dot-frequency", glove.name), lambda progress: frequency_bands(glove),
                       "Ranking 300 query words by cosine and by dot product (once)…")
    notice(md_text(describe_bands(bands)))
    word = word_box(glove, "Word", key="retrieval_word", default=DEFAULT_WORD)
    if word is None:
        return
    row = glove.get_index(word)
    words = cosine_vs_dot(glove, glove.vectors[row], topn=10, exclude=row)
    rank = lambda hit: glove.get_index(hit.key) + 1  # noqa: E731
    st.table(pd.DataFrame({"by cosine": [h.key for h in words.cosine],     # headers wrap: it fits a phone
                           "frequency rank (cosine)": [rank(h) for h in words.cosine],
                           "by dot product": [h.key for h in words.dot],
                           "frequency rank (dot)": [rank(h) for h in words.dot]}), hide_index=True)
    notice(md_text(describe_word(word, frequency_shift(glove, [row]))))
    st.caption("Changed rank (cosine → dot): " + md_text(", ".join(
        f"{k} {a or '–'}→{b or '–'}" for k, a, b in words.changed())))
