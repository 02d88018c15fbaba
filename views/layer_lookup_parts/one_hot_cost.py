"""One-hot · W: the same rows as indexing, at the cost of a full matrix product."""
import streamlit as st

from engine.plots import layer as plots
from ui.code import show_code
from ui.notice import notice
from ui.presentation import chart


def show(check) -> None:
    """check: the sentence's lookup check (timings, max difference, operation counts)."""
    figure_column, text_column = st.columns([3, 2])
    chart(figure_column, plots.cost_bars(check.index_seconds, check.one_hot_seconds))
    a, b = text_column.columns(2)
    a.metric("max |lookup − one-hot · W|", f"{check.max_abs_diff:g}")
    b.metric("one-hot · W is slower by", f"{check.speedup:,.0f}×")
    notice(check.describe(), text_column)
    text_column.markdown("Writing each id as a one-hot vector of length V = 30,522 and multiplying by W "
                         "picks its row: every other term is 0 × w. So a layer is described as one-hot · W "
                         "and run as an index.")
    show_code("lookup.one_hot")
