"""Explore: a word's neighbours, its vector, two words compared, the odd one out.

Typing a word reruns only the word's fragment, not the page, and the neighbour table
carries its own cosine bars instead of a separate chart: the browser then has a handful
of elements to redraw, and the neighbours show well under half a second after Enter.
"""
import pandas as pd
import streamlit as st

from engine import approximate
from engine.metadata import rows_metadata
from engine.plots.explore import vector_strip_html
from engine.vectors import EmbeddingSet
from ui.common import (ann_index, download_table, pick_source, restrict_control, show_error,
                       table_key, url_text)
from ui.text import md_text

COSINE_BARS = st.column_config.ProgressColumn("cosine", format="%.4f", min_value=0.0, max_value=1.0,
                                              help="Cosine similarity with the word; bars run from 0 to 1.")


def neighbours_of(table: EmbeddingSet, word: str, topn: int, restrict: int):
    """Exact neighbours, or on a big table the ANN index's, with a line on its recall."""
    if not approximate.prefers_index(table, restrict) or st.session_state.get("explore_exact"):
        return table.most_similar(word, topn=topn, restrict_vocab=restrict)
    index, recall = ann_index(table_key(table), table)
    st.caption(f"Approximate neighbours (faiss IVF index, {len(table):,} rows): recall@10 "
               f"{recall:.3f} against exact search, measured on 200 rows. Tick “Exact search” "
               "in the sidebar for the exact list (slower).")
    return approximate.most_similar(table, index, word, topn)


@st.fragment
def word_view(table: EmbeddingSet, restrict: int, topn: int) -> None:
    word = st.text_input("Word", key="explore_word").strip()
    st.query_params["word"] = word
    try:
        neighbours = neighbours_of(table, word, topn, restrict)
        row = table.get_index(word)
    except (KeyError, ValueError) as error:
        show_error(error)
        return
    rank_label = "Frequency rank" if table.frequency_ordered else "Row (id order)"
    nearest, vector = st.columns([2, 3])
    with nearest:
        st.subheader(f"Nearest to “{md_text(word)}”")
        frame = pd.DataFrame({"rank": range(1, len(neighbours) + 1), "word": [n.key for n in neighbours],
                              "cosine": [round(n.score, 4) for n in neighbours],
                              rank_label.lower(): [table.key_to_index[n.key] + 1 for n in neighbours]})
        if table.metadata is not None:      # an ID table: what each neighbour is
            st.caption(" · ".join(f"{c}: {v}" for c, v in rows_metadata(table, [row]).iloc[0].items()))
            frame = pd.concat([frame, rows_metadata(table, [table.key_to_index[n.key] for n in neighbours])],
                              axis=1)
        st.dataframe(frame, hide_index=True, width="stretch", column_config={"cosine": COSINE_BARS})
        download_table(frame, f"neighbours-{table.name}-{word}.csv")
    with vector:
        left, middle, right = st.columns(3)
        left.metric(f"{rank_label} of {len(table):,}", f"{row + 1:,}")
        middle.metric("Vector norm", f"{table.norms[row]:.3f}")
        right.metric("Norm percentile", f"{(table.norms < table.norms[row]).mean():.0%}",
                     help="Share of all rows with a smaller norm.")
        st.subheader("The vector")
        st.caption(f"{table.dim} numbers per word; red is positive, blue negative (hover a cell "
                   "for its value). Neighbours share a pattern.")
        strip_words = [word] + [n.key for n in neighbours[:5]]
        strip = table.vectors[[table.key_to_index[w] for w in strip_words]]
        st.html(vector_strip_html(strip, strip_words))
        download_table(pd.DataFrame(strip, index=strip_words).rename_axis("word").reset_index(),
                       f"vectors-{table.name}-{word}.csv", "Download these vectors (CSV)")
    compare_two_words(table, word, neighbours[0].key)


def compare_two_words(table: EmbeddingSet, a: str, b: str) -> None:
    st.subheader("Compare two words")
    first, second = st.columns(2)
    a = first.text_input("First word", a).strip()
    b = second.text_input("Second word", b).strip()
    try:
        st.metric("Cosine similarity", f"{table.similarity(a, b):.4f}")
        a_text, b_text = md_text(a), md_text(b)
        st.write(f"“{b_text}” is neighbour number **{table.rank(a, b):,}** of “{a_text}”, and “{a_text}” is "
                 f"number **{table.rank(b, a):,}** of “{b_text}” (over all {len(table):,} rows).")
    except (KeyError, ValueError) as error:
        show_error(error)


@st.fragment
def odd_one_out(table: EmbeddingSet) -> None:
    st.subheader("Odd one out")
    text = st.text_input("Words (comma or space separated)", "breakfast, cereal, dinner, lunch",
                         key="explore_odd_words")
    try:
        ranked = table.centrality([w for w in text.replace(",", " ").split() if w])
        st.write(f"**{md_text(ranked[0].key)}** fits least: its cosine with the group's mean direction is "
                 f"{ranked[0].score:.3f}; the others score " +
                 ", ".join(f"{md_text(n.key)} {n.score:.3f}" for n in ranked[1:]) + ".")
    except (KeyError, ValueError) as error:
        show_error(error)


st.title("Explore")
st.caption("Type a word: its nearest neighbours by cosine similarity, where it sits in the "
           "table, and its raw vector. The link in your address bar reproduces this view.")

table = pick_source()
restrict = restrict_control(table)
most = max(1, min(50, restrict - 1))
topn = st.sidebar.slider("Neighbours to show", 1, most, min(10, most)) if most > 1 else 1
if approximate.prefers_index(table, restrict):
    st.sidebar.checkbox("Exact search", key="explore_exact",
                        help="Score every row: exact, but it reads the whole table per word.")
if "explore_word" not in st.session_state:  # first visit: the link's word, else an example
    example = "king" if "king" in table else table.index_to_key[min(5, len(table) - 1)]
    st.session_state.explore_word = url_text("word", example)

word_view(table, restrict, topn)
odd_one_out(table)
