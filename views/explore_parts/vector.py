"""The word's raw vector beside its five nearest, as a strip of coloured cells."""
import numpy as np
import pandas as pd
import streamlit as st

from engine.plots.explore import vector_strip_html
from engine.vectors import EmbeddingSet
from ui.downloads import download_table
from ui.notice import notice

SHARED_PATTERN = 0.5      # cosine from which two strips' red and blue cells largely match


def vector_strip(table: EmbeddingSet, word: str, neighbours, score: str) -> None:
    """The strip of `word` and its five nearest `neighbours`, what to notice in it, and its CSV."""
    st.subheader("The vector")
    strip_words = [word] + [n.key for n in neighbours[:5]]
    st.caption(f"{table.dim} numbers per word; red is positive, blue negative (hover a cell "
               "for its value).")
    if score == "cosine" and len(strip_words) > 1:
        low, high = min(n.score for n in neighbours[:5]), max(n.score for n in neighbours[:5])
        notice(f"Its {len(strip_words) - 1} nearest have cosines {low:.2f}–{high:.2f} with it: their cells "
               + ("largely match its own." if low >= SHARED_PATTERN else "match its own only loosely."))
    strip = np.stack([table.get_vector(w) for w in strip_words])
    st.html(vector_strip_html(strip, strip_words))
    download_table(pd.DataFrame(strip, index=strip_words).rename_axis("word").reset_index(),
                   f"vectors-{table.name}-{word}.csv", "Download these vectors (CSV)")
