"""Geometry's Fixes tab: centring, all-but-the-top, whitening and CSLS, measured before and after.

Each fix starts from the table the visitor chose, not from the last fix's result, unless they
tick "Chain"; the result becomes the source (the sidebar names it) and remembers its origin."""
import pandas as pd
import streamlit as st

from engine import geometry as geo
from ui.results import remembered, remembered_for, table_key
from ui.sources import add_user_source, get_table, select_source
from ui.text import md_text
from ui.url_state import in_url
from views.geometry_tabs.measured import BENCH_ROWS, graph_of, scores, shape_of

FIXES = {"Mean-centring": lambda t, _, n, progress: geo.centre(t, n, progress),
         "All-but-the-top": geo.all_but_the_top, "Whitening": geo.whiten, "CSLS retrieval": None}
ORIGINS = "fix_origins"   # session_state: {fixed table's name: the table its fixes start from}
LAST_FIX = "last_fix"     # session_state: the fix applied last, {base, fix, setting, after}


def show(table, rows, k):
    base = starting_table(table)
    st.caption(f"Each fix is fitted on the first {rows:,} rows of **{md_text(base.name)}**, applied to "
               f"all rows, and becomes the source on every page. Measures and word pairs use the first "
               f"{rows:,} rows; analogies the first {BENCH_ROWS:,}, to stay quick.")
    fix = in_url(st.selectbox, "Fix", list(FIXES), key="fix", default="Mean-centring")
    setting = None
    if fix == "All-but-the-top":
        setting = int(in_url(st.number_input, "Principal components to remove (D)", 1, max(1, base.dim - 1),
                             key="fix_d", default=geo.default_removed_components(base.dim), depends_on=base.dim))
    elif fix == "Whitening":
        directions = shape_of(base, rows).directions
        setting = int(in_url(st.number_input, "Keep dimensions", 1, directions, key="fix_dims",
                             default=directions, depends_on=directions,
                             help=f"At most {directions}: the principal axes with variance in the first "
                                  f"{rows:,} rows of {base.name}."))
    if st.button("Apply and measure", type="primary"):
        apply(base, fix, setting, rows)
    last = st.session_state.get(LAST_FIX)
    if last and last["after"] == table.name:
        compare(get_table(last["base"]), table, last["fix"], rows, k)


def starting_table(table):
    """The table a fix starts from: the one the visitor chose before any fix, unless `table`
    is a fix's result and they tick Chain."""
    origin = st.session_state.get(ORIGINS, {}).get(table.name)
    if origin is None:
        return table
    if in_url(st.checkbox, f"Chain: apply the next fix to {table.name}", key="chain", default=False,
              help=f"Off: every fix starts again from {origin}, so “before” is the original."):
        return table
    try:
        return get_table(origin)
    except ValueError:          # the origin was removed meanwhile
        return table


def apply(base, fix, setting, rows):
    """Make the fixed table (CSLS: the base itself) the source and show it from the next run."""
    if FIXES[fix] is None:
        after = base
        select_source(base.name)
    else:
        after = remembered_for(base, ("fix", table_key(base), fix, setting, rows),
                               lambda t, p: FIXES[fix](t, setting, rows, p), f"{fix}…")
        add_user_source(after)
        origins = st.session_state.setdefault(ORIGINS, {})
        origins[after.name] = origins.get(base.name, base.name)
    st.session_state[LAST_FIX] = {"base": base.name, "fix": fix, "after": after.name}
    st.rerun()


def compare(base, fixed, fix, rows, k):
    graph = graph_of(base, rows, k)
    before = {**geo.measures(shape_of(base, rows), geo.hubness(base, graph)), **scores(base, rows, k)}
    if FIXES[fix] is None:
        csls_hubs = remembered(("csls-hubs", table_key(base), rows, k),
                               lambda p: geo.csls_hubness(base, graph, p), "CSLS neighbours…")
        after = {**geo.measures(None, csls_hubs), **scores(base, rows, k, geo.csls_penalty(graph))}
        st.caption("CSLS changes retrieval, not vectors: cone measures stay as they are; "
                   "hubness and benchmarks are measured with CSLS neighbours.")
    else:
        after = {**geo.measures(shape_of(fixed, rows), geo.hubness(fixed, graph_of(fixed, rows, k))),
                 **scores(fixed, rows, k)}
        st.success(f"“{md_text(fixed.name)}” is now the source on every page; before is "
                   f"“{md_text(base.name)}”.")
    frame = pd.DataFrame({"measure": list(before), "before": list(before.values()),
                          "after": [after.get(m) for m in before]})
    st.table(frame.set_index("measure").style.format(precision=4, na_rep="—"))
