"""Positions' ALiBi tab: linear biases instead of position vectors."""
import streamlit as st

from engine import positions as pos
from engine.plots import positions as plots
from ui.code import show_code
from ui.presentation import chart
from ui.url_state import in_url


def show():
    st.caption("Press et al.: no position vectors at all. Each head subtracts slope · distance from "
               "its scores; slopes 2^(−8i/n), and for n not a power of two, the slopes of the power of "
               "two below, then every other slope of the one above.")
    left, middle, right = st.columns(3)
    heads = in_url(left.number_input, "Heads", 1, 64, key="alibi_heads", default=12)
    length = in_url(middle.slider, "Sequence length", 4, 128, key="alibi_length", default=24)
    alibi_head = in_url(right.number_input, "Head to show", 0, heads - 1, key="alibi_head", default=0,
                        depends_on=heads)
    slopes = pos.alibi_slopes(heads)
    left, right = st.columns(2)
    chart(left, plots.slope_bars(slopes), width="stretch")
    chart(right, plots.alibi_heatmap(pos.alibi_bias(slopes, length)[alibi_head], alibi_head,
                                     float(slopes[alibi_head])), width="stretch")
    show_code("positions.alibi")
