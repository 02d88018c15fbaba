"""Positions' Learned tab: MiniLM's 512 learned position rows against the sinusoid."""
import streamlit as st

from engine import positions as pos
from engine.plots import positions as plots
from ui.code import show_code
from ui.presentation import chart
from ui.sources import builtin_table


def show():
    st.caption("BERT-style models learn one row per position instead. MiniLM's table has 512 rows: "
               "position 512 does not exist, so longer texts must be cut (GPT-2 stops at 1,024). "
               "A formula such as the sinusoid gives every position a vector, though a model still "
               "only knows the lengths it was trained on.")
    learned_table = builtin_table("minilm-positions").vectors
    left, right = st.columns([2, 3])
    chart(left, plots.heatmap(learned_table, "MiniLM position table (512 × 384)", "dimension",
                                    "position", height=520), width="stretch")
    chart(right, plots.heatmaps_side_by_side(
        {"learned (MiniLM)": pos.position_cosines(learned_table),
         "sinusoidal, same 512 × 384": pos.position_cosines(pos.sinusoidal_table(512, 384))},
        "position", "Cosine similarity between positions", height=520), width="stretch")
    show_code("positions.learned")
