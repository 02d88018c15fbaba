"""Geometry: the narrow cone, hubs, rare-word effects, and the fixes with their measured effect."""
import pandas as pd
import streamlit as st

from engine import contextual, geometry as geo
from engine.plots import geometry as plots
from ui.common import (add_user_source, pick_source, remembered, remembered_for, restrict_control,
                       show_error, table_key, url_text)
from ui.text import md_text

BENCH_ROWS = 30_000
FIXES = {"Mean-centring": lambda t, _, n: geo.centre(t, n), "All-but-the-top": geo.all_but_the_top,
         "Whitening": geo.whiten, "CSLS retrieval": None}
st.title("Geometry")
st.caption("Embeddings crowd into a narrow cone, a few hub words sit in everyone's neighbour "
           "list, rare words get poor vectors. Each effect is measured exactly here, and each "
           "known fix is applied and measured again.")
table = pick_source()
rows = restrict_control(table, default=50_000)
k = int(st.sidebar.number_input("k (neighbours per row)", 1, 100, 10))
st.sidebar.caption("Measured on the first N rows: 50,000 by default, where exact hubness takes "
                   "seconds. Its cost grows with N², so all 400,000 GloVe rows take minutes.")


def shape_of(t):
    return remembered(("anisotropy", table_key(t), rows), lambda p: geo.anisotropy(t, rows), "Anisotropy…")


def graph_of(t):
    return remembered(("graph", table_key(t), rows, k), lambda p: geo.neighbour_graph(t, k, rows, p),
                      f"Exact {k} nearest neighbours of {rows:,} rows…")


def scores(t, penalty=None):
    analogy_rows = min(BENCH_ROWS, rows)
    return remembered(("fix-bench", table_key(t), rows, None if penalty is None else k),
                      lambda p: geo.benchmark_scores(t, rows, analogy_rows, penalty, p),
                      f"Benchmarks (analogies on the first {analogy_rows:,} rows)…")


@st.cache_resource(show_spinner="Loading MiniLM…")
def minilm():
    return contextual.load_minilm()


tabs = st.tabs(["Cone", "Hubness", "Frequency", "Fixes", "Contextual cone"], key="view",
               bind="query-params")
try:
    if tabs[0].open:
        shape = shape_of(table)
        with tabs[0]:
            cells = st.columns(5)
            cells[0].metric("Mean cosine", f"{shape.mean_cosine:.4f}", help="Exact, over all pairs of "
                            "rows, from the sum of unit vectors. About 0 for random directions.")
            cells[1].metric("‖mean‖ / mean ‖row‖", f"{shape.norm_ratio:.3f}",
                            help="0 when the rows cancel out, 1 when all are the same vector.")
            cells[2].metric("I(W)", f"{shape.isotropy:.4f}", help="Mu & Viswanath's partition-"
                            "function isotropy, min Z(c) / max Z(c); 1 is isotropic.")
            cells[3].metric("IsoScore", f"{shape.isoscore:.3f}", help="Rudman et al.: how evenly "
                            "variance spreads over the dimensions; 1 is isotropic.")
            cells[4].metric("Top component", f"{shape.explained_variance[0]:.1%}",
                            help="Share of variance on the first principal axis.")
            if shape.zero_norm_rows:
                st.warning(f"{shape.zero_norm_rows:,} rows have length 0; cosines leave them out.")
            left, right = st.columns(2)
            left.plotly_chart(plots.scree(shape.explained_variance), width="stretch")
            pairs, gauss = geo.sample_pair_cosines(table, 20_000, rows)
            right.plotly_chart(plots.cosine_histograms(pairs, gauss, table.name), width="stretch")
    if tabs[1].open:
        graph = graph_of(table)
        hubs = geo.hubness(table, graph)
        with tabs[1]:
            cells = st.columns(4)
            cells[0].metric("Skewness of N_k", f"{hubs.skewness:.2f}",
                            help="0 for a symmetric spread; large when a few rows are hubs.")
            cells[1].metric("Robin Hood index", f"{hubs.robin_hood:.3f}", help="Share of neighbour "
                            "slots that would have to move for every row to appear k times.")
            cells[2].metric("Anti-hubs (N_k = 0)", f"{hubs.antihub_fraction:.1%}")
            cells[3].metric("Largest N_k", f"{hubs.max_occurrence:,}")
            st.caption(f"Exact cosine {k}-NN of {rows:,} rows, self excluded, in {graph.seconds:.1f} s.")
            left, right = st.columns([2, 1])
            left.plotly_chart(plots.occurrence_histogram(hubs.occurrence, k), width="stretch")
            right.dataframe(pd.DataFrame(hubs.hubs, columns=["hub", "N_k"]), hide_index=True, height=340)
            st.subheader("CSLS neighbours against cosine neighbours")
            st.caption("CSLS = 2·cos(x, y) − r(x) − r(y), r = mean cosine to the k nearest rows; "
                       "it demotes hubs (Conneau et al. 2018).")
            word = st.text_input("Word", url_text("word", table.index_to_key[min(300, rows - 1)]), key="geometry_word")
            st.query_params["word"] = word
            left, right = st.columns(2)
            left.dataframe(pd.DataFrame(table.most_similar(word, topn=10, restrict_vocab=rows))
                           .rename(columns={"key": "cosine neighbour"}), hide_index=True)
            right.dataframe(pd.DataFrame(geo.csls_most_similar(table, word, geo.csls_penalty(graph)))
                            .rename(columns={"key": "CSLS neighbour"}), hide_index=True)
    if tabs[2].open:
        profile = geo.frequency_profile(table, graph_of(table))
        with tabs[2]:
            if not table.frequency_ordered:
                st.info(f"{md_text(table.name)} is in id order, not frequency order: rank means row number.")
            left, right = st.columns(2)
            keys = [table.index_to_key[r - 1] for r in profile.ranks]
            left.plotly_chart(plots.norm_by_rank(profile.ranks, profile.norms, keys,
                                                 table.frequency_ordered), width="stretch")
            right.plotly_chart(plots.neighbour_quality_by_rank(profile.bins), width="stretch")
            st.dataframe(pd.DataFrame(profile.bins), hide_index=True)
    if tabs[3].open:
        with tabs[3]:
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
            if chosen and chosen[0] == table_key(table):
                _, fix, setting = chosen
                graph = graph_of(table)
                before = {**geo.measures(shape_of(table), geo.hubness(table, graph)), **scores(table)}
                if FIXES[fix] is None:
                    csls_hubs = remembered(("csls-hubs", table_key(table), rows, k),
                                           lambda p: geo.csls_hubness(table, graph, p), "CSLS neighbours…")
                    after = {**geo.measures(None, csls_hubs), **scores(table, geo.csls_penalty(graph))}
                    st.caption("CSLS changes retrieval, not vectors: cone measures stay as they are; "
                               "hubness and benchmarks are measured with CSLS neighbours.")
                else:
                    fixed = remembered_for(table, ("fix", table_key(table), fix, setting, rows),
                                           lambda t, p: FIXES[fix](t, setting, rows), f"{fix}…")
                    add_user_source(fixed)
                    after = {**geo.measures(shape_of(fixed), geo.hubness(fixed, graph_of(fixed))),
                             **scores(fixed)}
                    st.success(f"“{md_text(fixed.name)}” is now a source on every page.")
                frame = pd.DataFrame({"measure": list(before), "before": list(before.values()),
                                      "after": [after.get(m) for m in before]})
                st.table(frame.set_index("measure").style.format(precision=4, na_rep="—"))
    if tabs[4].open:
        with tabs[4]:
            st.caption("all-MiniLM-L6-v2 run over real news sentences (gensim's lee_background.cor): "
                       "the mean cosine of its token vectors after each layer, against its static "
                       "token table.")
            count = int(st.number_input("Sentences", 4, 1000, 48,
                                        help="More sentences, steadier numbers, longer run.",
                                        key="geometry_sentences"))
            cone = remembered(("cone", count), lambda p: contextual.contextual_cone(
                contextual.lee_sentences(count), *minilm(), progress=p), "Running MiniLM…")
            st.plotly_chart(plots.cone_by_layer(cone), width="stretch")
            st.caption(f"{cone.tokens:,} token occurrences from {cone.sentences} sentences, "
                       f"in {cone.seconds:.1f} s.")
except (KeyError, ValueError) as error:
    show_error(error)
