"""Geometry's Hubness tab: rows that sit in everyone's neighbour list, and CSLS against them."""
import pandas as pd
import streamlit as st

from engine import geometry as geo
from engine.plots import geometry as plots
from ui.notice import notice
from ui.presentation import chart
from ui.text import md_text
from ui.words import word_box
from views.geometry_tabs.measured import computed_on, graph_of


def show(table, rows, k):
    graph = graph_of(table, rows, k)
    hubs = geo.hubness(table, graph)
    cells = st.columns(4)
    cells[0].metric("Skewness of N_k", f"{hubs.skewness:.2f}",
                    help="0 for a symmetric spread; large when a few rows are hubs.")
    cells[1].metric("Robin Hood index", f"{hubs.robin_hood:.3f}", help="Share of neighbour "
                    "slots that would have to move for every row to appear k times.")
    cells[2].metric("Anti-hubs (N_k = 0)", f"{hubs.antihub_fraction:.1%}")
    cells[3].metric("Largest N_k", f"{hubs.max_occurrence:,}")
    notice(md_text(hubs.describe()))
    st.caption(f"Exact cosine {k}-NN of {rows:,} rows, self excluded, in {graph.seconds:.1f} s"
               f"{computed_on(graph)}.")
    left, right = st.columns([2, 1])
    chart(left, plots.occurrence_histogram(hubs.occurrence, k), width="stretch")
    right.dataframe(pd.DataFrame(hubs.hubs, columns=["hub", "N_k"]), hide_index=True, height=340)
    st.subheader("CSLS neighbours against cosine neighbours")
    st.caption("CSLS = 2·cos(x, y) − r(x) − r(y), r = mean cosine to the k nearest rows; "
               "it demotes hubs (Conneau et al. 2018).")
    example = table.index_to_key[min(300, rows - 1)]
    word = word_box(table, "Word", key="hub_word", default=example, depends_on=rows)
    if word is None:
        return
    left, right = st.columns(2)
    left.dataframe(pd.DataFrame(table.most_similar(word, topn=10, restrict_vocab=rows))
                   .rename(columns={"key": "cosine neighbour"}), hide_index=True)
    right.dataframe(pd.DataFrame(geo.csls_most_similar(table, word, geo.csls_penalty(graph)))
                    .rename(columns={"key": "CSLS neighbour"}), hide_index=True)
