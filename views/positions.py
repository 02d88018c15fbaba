"""Positions: sinusoidal, learned, RoPE (and its long-context scaling) and ALiBi, on real weights."""
import streamlit as st

from ui.url_state import in_url
from views.positions_tabs import alibi, learned, long_context, order, rope, sinusoidal
from views.positions_tabs.shared import BASES

st.title("Positions")
st.caption("Attention compares every token with every other and, by itself, cannot tell order. "
           "These are the ways models add position, computed in PyTorch on real weights.")
base_key = in_url(st.sidebar.radio, "RoPE base", list(BASES), format_func=lambda k: BASES[k][0],
                  key="base", default="10000")
base, context = float(base_key), BASES[base_key][1]
head_dim = in_url(st.sidebar.radio, "RoPE head dimension", [64, 128], horizontal=True, key="head_dim",
                  default=64)
order_tab, sinusoidal_tab, learned_tab, rope_tab, long_tab, alibi_tab = st.tabs(
    ["Order", "Sinusoidal", "Learned", "RoPE", "Long context", "ALiBi"], key="tab", bind="query-params")

# Only the open tab runs: the six together send about 5 MB of figures on every change.
if order_tab.open:
    with order_tab:
        order.show()
if sinusoidal_tab.open:
    with sinusoidal_tab:
        sinusoidal.show()
if learned_tab.open:
    with learned_tab:
        learned.show()
if rope_tab.open:
    with rope_tab:
        rope.show(base, context, head_dim)
if long_tab.open:
    with long_tab:
        long_context.show(base_key, base, context, head_dim)
if alibi_tab.open:
    with alibi_tab:
        alibi.show()
