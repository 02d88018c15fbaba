"""Geometry's Frequency tab: vector length and neighbour quality against frequency rank."""
import pandas as pd
import streamlit as st

from engine import geometry as geo
from engine.plots import geometry as plots
from ui.presentation import chart, for_people
from ui.text import md_text
from views.geometry_tabs.measured import graph_of


def show(table, rows, k):
    profile = geo.frequency_profile(table, graph_of(table, rows, k))
    if not table.frequency_ordered:
        st.info(f"{md_text(table.name)} is in id order, not frequency order: rank means row number.")
    left, right = st.columns(2)
    keys = [table.index_to_key[r - 1] for r in profile.ranks]
    chart(left, plots.norm_by_rank(profile.ranks, profile.norms, keys,
                                         table.frequency_ordered), width="stretch")
    chart(right, plots.neighbour_quality_by_rank(profile.bins), width="stretch")
    bands = pd.DataFrame(profile.bins)
    if not table.frequency_ordered:      # rows are ids: numbered from 0, as nn.Embedding does
        bands = bands.assign(from_rank=bands.from_rank - 1, to_rank=bands.to_rank - 1).rename(
            columns={"from_rank": "from_id", "to_rank": "to_id"})
    # a plain table, without the row count its first two columns give: its headers wrap, so
    # every column fits a 400 px screen (a grid's do not)
    st.table(for_people(bands.drop(columns="rows")), hide_index=True)
