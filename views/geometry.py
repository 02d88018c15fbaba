"""Geometry: the narrow cone, hubs, rare-word effects, and the fixes with their measured effect."""
import streamlit as st

from ui.sources import pick_source, restrict_control
from ui.text import show_error
from ui.url_state import in_url
from views.geometry_tabs import cone, contextual_cone, fixes, frequency, hubness

st.title("Geometry")
st.caption("Three ways a table's geometry can go wrong: its rows crowd into a narrow cone, a few hub "
           "words sit in everyone's neighbour list, rare words get poor vectors. Each is measured "
           "exactly here on the table you choose, and each known fix is applied and measured again.")
table = pick_source()
rows = restrict_control(table, default=50_000, key="rows")
k = int(in_url(st.sidebar.number_input, "k (neighbours per row)", 1, 100, key="k", default=10))
st.sidebar.caption("Measured on the first N rows: 50,000 by default, where exact hubness takes "
                   "seconds. Its cost grows with N², so all 400,000 GloVe rows take minutes.")

parts = (cone, hubness, frequency, fixes, contextual_cone)
tabs = st.tabs(["Cone", "Hubness", "Frequency", "Fixes", "Contextual cone"], key="view",
               bind="query-params")
try:
    for tab, part in zip(tabs, parts):
        if tab.open:
            with tab:
                part.show(table, rows, k)
except (KeyError, ValueError) as error:
    show_error(error)

