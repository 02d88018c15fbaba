"""Geometry's Fixes tab: centring, all-but-the-top, whitening and CSLS, measured before and after."""
import pandas as pd
import streamlit as st

from engine import geometry as geo
from ui.common import add_user_source, remembered, remembered_for, table_key
from ui.text import md_text
from views.geometry_tabs.measured import BENCH_ROWS, graph_of, scores, shape_of

FIXES = {"Mean-centring": lambda t, _, n: geo.centre(t, n), "All-but-the-top": geo.all_but_the_top,
         "Whitening": geo.whiten, "CSLS retrieval": None}


def show(table, rows, k):
    st.caption(f"Each fix is fitted on the first {rows:,} rows, applied to all rows, and becomes "
               f"a source on every page. Measures and word pairs use the first {rows:,} rows; "
               f"analogies the first {BENCH_ROWS:,}, to stay quick.")
    fix = st.selectbox("Fix", list(FIXES), key="geometry_fix_choice")
    setting = None
    if fix == "All-but-the-top":
        setting = int(st.number_input("Principal components to remove (D)", 1,
                                      max(1, table.dim - 1), geo.default_removed_components(table.dim)))
    elif fix == "Whitening":
        setting = int(st.number_input("Keep dimensions", 1, table.dim, table.dim))
    if st.button("Apply and measure", type="primary"):
        st.session_state["geometry_fix"] = (table_key(table), fix, setting)
    chosen = st.session_state.get("geometry_fix")
    if not chosen or chosen[0] != table_key(table):
        return
    _, fix, setting = chosen
    graph = graph_of(table, rows, k)
    before = {**geo.measures(shape_of(table, rows), geo.hubness(table, graph)), **scores(table, rows, k)}
    if FIXES[fix] is None:
        csls_hubs = remembered(("csls-hubs", table_key(table), rows, k),
                               lambda p: geo.csls_hubness(table, graph, p), "CSLS neighbours…")
        after = {**geo.measures(None, csls_hubs), **scores(table, rows, k, geo.csls_penalty(graph))}
        st.caption("CSLS changes retrieval, not vectors: cone measures stay as they are; "
                   "hubness and benchmarks are measured with CSLS neighbours.")
    else:
        fixed = remembered_for(table, ("fix", table_key(table), fix, setting, rows),
                               lambda t, p: FIXES[fix](t, setting, rows), f"{fix}…")
        add_user_source(fixed)
        after = {**geo.measures(shape_of(fixed, rows), geo.hubness(fixed, graph_of(fixed, rows, k))),
                 **scores(fixed, rows, k)}
        st.success(f"“{md_text(fixed.name)}” is now a source on every page.")
    frame = pd.DataFrame({"measure": list(before), "before": list(before.values()),
                          "after": [after.get(m) for m in before]})
    st.table(frame.set_index("measure").style.format(precision=4, na_rep="—"))
