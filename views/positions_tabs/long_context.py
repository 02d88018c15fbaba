"""Positions' Long context tab: RoPE's scaling rules past the training length."""
import streamlit as st

from engine import positions as pos
from engine.plots import positions as plots
from ui.code import show_code
from ui.downloads import download_table
from ui.notice import notice
from ui.text import show_error
from ui.url_state import in_url
from views.positions_tabs.shared import SCALINGS, chart


def show(base_key, base, context, head_dim):
    st.caption("Past its training length L₀, a model meets angles it never saw on the slow pairs. "
               "Each rule stretches some wavelengths so that the longer context maps back into L₀.")
    left, middle, right = st.columns(3)
    scaling = in_url(left.selectbox, "Scaling", list(SCALINGS), format_func=SCALINGS.get,
                     key="scaling", default="yarn")
    factor = in_url(middle.number_input, "Factor s (new context = s · L₀)", 1.0, 64.0, step=1.0,
                    key="rope_factor", default=8.0)
    original = in_url(right.number_input, "Original context L₀", 128, 1_000_000, step=1_024,
                      key="rope_original", default=context, depends_on=base_key)
    try:
        scaled = pos.rope_frequencies(head_dim, base, scaling, factor, original)
    except ValueError as error:
        show_error(error)
    else:
        chart(plots.scaling_wavelengths(scaled, SCALINGS[scaling]))
        notice(scaled.describe(SCALINGS[scaling]))
        download_table(scaled.to_frame(), f"rope-{scaling}-{head_dim}-{base_key}.csv")
        show_code("positions.long_context")
