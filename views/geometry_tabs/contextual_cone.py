"""Geometry's Contextual cone tab: MiniLM's token vectors layer by layer."""
import streamlit as st

from engine import contextual
from engine.plots import geometry as plots
from ui.layer import minilm
from ui.presentation import chart
from ui.results import remembered


def show(table, rows, k):
    st.caption("all-MiniLM-L6-v2 run over real news sentences (gensim's lee_background.cor): "
               "the mean cosine of its token vectors after each layer, against its static "
               "token table.")
    count = int(st.number_input("Sentences", 4, 1000, 48,
                                help="More sentences, steadier numbers, longer run.",
                                key="geometry_sentences"))
    cone = remembered(("cone", count), lambda p: contextual.contextual_cone(
        contextual.lee_sentences(count), *minilm(), progress=p), "Running MiniLM…")
    chart(st, plots.cone_by_layer(cone), width="stretch")
    st.caption(f"{cone.tokens:,} token occurrences from {cone.sentences} sentences, "
               f"in {cone.seconds:.1f} s.")
