"""A word's nearest neighbours, where it sits in the table, and its raw vector.

Typing a word reruns only this fragment, not the page, and the neighbour table carries its
own cosine bars instead of a separate chart: the browser then has a handful of elements to
redraw, and the neighbours show well under half a second after Enter.
"""
import numpy as np
import pyarrow as pa
import streamlit as st

from engine.examples import example_word
from engine.metadata import rows_metadata
from engine.vectors import EmbeddingSet
from ui.downloads import download_table
from ui.text import md_text, show_error
from ui.words import row_name, row_number, word_box
from views.explore_parts.search import SCORES, neighbours_of
from views.explore_parts.vector import vector_strip

SCORE_NOTES = {
    "cosine": "Scored by cosine: the angle between the vectors, whatever their lengths.",
    "dot": "Scored by the raw dot product: long vectors score high whatever their direction; "
           "compare with cosine (Sentence search measures which words that lifts in GloVe).",
    "csls": "Scored by CSLS = 2·cos(x, y) − r(x) − r(y), r the mean cosine of a row's 10 nearest "
            "rows: words near everything (hubs) drop, words with a sparse neighbourhood rise."}
# 130 px: the bars' own width would leave the four columns 6 px short of a 400 px phone screen.
COSINE_BARS = st.column_config.ProgressColumn("cosine", format="%.4f", min_value=0.0, max_value=1.0, width=130,
                                              help="Cosine similarity with the word; bars run from 0 to 1.")


@st.fragment
def word_view(table: EmbeddingSet, restrict: int, topn: int, score: str, exact: bool) -> None:
    word = word_box(table, "Word", key="word", default=example_word(table))
    if word is None:
        return
    try:
        neighbours = neighbours_of(table, word, topn, restrict, score, exact)
    except (KeyError, ValueError) as error:
        show_error(error)
        return
    row = st.container(horizontal=True, gap="medium")    # side by side, stacked when narrow
    nearest, vector = row.container(), row.container()
    with nearest:
        neighbour_table(table, word, neighbours, score)
    with vector:
        where_it_sits(table, word)
        vector_strip(table, word, neighbours, score)


def neighbour_table(table: EmbeddingSet, word: str, neighbours, score: str) -> None:
    st.subheader(f"Nearest to “{md_text(word)}”")
    rows = [table.key_to_index[n.key] for n in neighbours]
    label = SCORES[score]
    # an Arrow table goes to the browser as it is (a pandas frame took 20 times as long to convert)
    frame = pa.table({"rank": range(1, len(neighbours) + 1), "word": [n.key for n in neighbours],
                      label: [round(n.score, 4) for n in neighbours],
                      row_name(table).lower(): [row_number(table, r) for r in rows]})
    if table.metadata is not None:      # an ID table: what each neighbour is
        if word in table:
            st.caption(" · ".join(f"{c}: {v}" for c, v in
                                  rows_metadata(table, [table.key_to_index[word]]).iloc[0].items()))
        described = pa.Table.from_pandas(rows_metadata(table, rows), preserve_index=False)
        for name, column in zip(described.column_names, described.columns):
            frame = frame.append_column(name, column)
    st.dataframe(frame, hide_index=True, width="stretch",
                 column_config={"cosine": COSINE_BARS} if score == "cosine" else None)
    st.caption(SCORE_NOTES[score])
    download_table(frame, f"neighbours-{table.name}-{word}.csv")


def where_it_sits(table: EmbeddingSet, word: str) -> None:
    """The word's row number and norm, or, for a word without a row, how its vector was made.
    One row of metrics (a row of three columns is four blocks more to send per word)."""
    vector_norm = float(np.linalg.norm(table.get_vector(word)))
    label = f"{row_name(table)} of {len(table):,}"
    metrics = st.container(horizontal=True)
    if word in table:
        metrics.metric(label, f"{row_number(table, table.key_to_index[word]):,}",
                       help=None if table.frequency_ordered else "0-based, as nn.Embedding indexes it.")
    else:
        metrics.metric(label, "none")
    metrics.metric("Vector norm", f"{vector_norm:.3f}")
    metrics.metric("Norm percentile", f"{(table.norms < vector_norm).mean():.0%}",
                   help="Share of all rows with a smaller norm.")
    if word not in table:
        st.info(f"“{md_text(word)}” has no row in {md_text(table.name)}: its vector was built from "
                "its character n-grams (fastText), so it has no frequency rank. Its neighbours "
                "are rows that share pieces and contexts with those n-grams.")
