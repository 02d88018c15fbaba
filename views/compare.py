"""Compare two tables on the words they share: Procrustes residual, neighbour overlap
(Jaccard@k) per word, linear CKA, the most and least changed words, and the two maps side by side."""
import pandas as pd
import streamlit as st

from engine.compare import compare_tables, highlight_roles, shared_maps
from engine.plots.contextual import two_maps
from engine.sources import SOURCES
from ui.downloads import download_table
from ui.presentation import chart, for_people
from ui.results import remembered, table_key
from ui.sources import get_table, library_tables, source_label, user_sources
from ui.text import md_text, show_error
from ui.url_state import in_url
from ui.words import word_box

st.title("Compare two tables")
st.caption("Two tables trained apart live in unrelated coordinates. Neighbour overlap asks, word by "
           "word, whether both tables agree on its nearest words (Jaccard@k: shared / all). Orthogonal "
           "Procrustes finds the rotation that lays A's rows on B's; what remains is each word's residual. Linear "
           "CKA sums up how alike the two similarity structures are in one number.")
names = list(dict.fromkeys(list(SOURCES) + list(user_sources()) + list(library_tables())))
left, right = st.columns(2)
name_a = in_url(left.selectbox, "Table A", names, format_func=source_label, key="compare_a", default="glove-6b-50d")
name_b = in_url(right.selectbox, "Table B", names, format_func=source_label, key="compare_b",
                default="minilm-tokens")
k = in_url(st.sidebar.number_input, "k (neighbours)", 1, 100, key="compare_k", default=10)
limit = in_url(st.sidebar.slider, "Shared words compared (most frequent first in A)", 1_000, 20_000, step=1_000,
               key="compare_limit", default=5_000)
try:
    a, b = get_table(name_a), get_table(name_b)
    result = remembered(("compare", table_key(a), table_key(b), int(k), limit),
                        lambda progress: compare_tables(a, b, int(k), limit, progress),
                        "Finding every shared word's neighbours in both tables")
except (KeyError, ValueError) as error:
    show_error(error)
    st.stop()
cols = st.columns(4)
cols[0].metric("Shared words", f"{result.shared:,}", help=f"{len(result.keys):,} of them compared")
cols[1].metric(f"Mean Jaccard@{result.k}", f"{result.mean_jaccard:.3f}", help="1 = identical neighbourhoods")
cols[2].metric("Procrustes residual (mean)", "—" if result.mean_residual is None else f"{result.mean_residual:.3f}",
               help="‖â·R − b̂‖ of unit rows after the best rotation R; 0 = one table is a rotation of the "
                    "other. None when the widths differ (there is no rotation between them).")
cols[3].metric("Linear CKA", f"{result.cka:.3f}", help="Kornblith et al. 2019: how alike the two tables' "
               "similarity structures are on the compared words (unit rows): 1 = the same up to a rotation "
               "and a scale, near 0 = unrelated. Works across widths.")

def changes_frame(changes) -> pd.DataFrame:
    return pd.DataFrame({"word": [c.key for c in changes],
                         f"Jaccard@{result.k}": [round(c.jaccard, 3) for c in changes],
                         "residual": [None if c.residual is None else round(c.residual, 4) for c in changes]}
                        ).dropna(axis="columns", how="all")     # no residual when the widths differ

most, least = st.columns(2)
most.subheader("Most changed")
most.dataframe(for_people(changes_frame(result.most_changed(15))), hide_index=True)
least.subheader("Least changed")
least.dataframe(for_people(changes_frame(result.least_changed(15))), hide_index=True)
download_table(changes_frame(result.most_changed(len(result.keys))), f"compare-{name_a}-{name_b}.csv",
               "Download every word (CSV)")

shared = set(result.keys)
word = word_box(a, "Highlight a word and its neighbours in both maps", key="compare_word",
                default="king" if "king" in shared else result.keys[0], depends_on=name_b,
                usable=lambda text: text.strip() in shared)
roles = {}
try:
    if word is not None:
        roles = highlight_roles(result, word)
        in_a, in_b = result.neighbours(word)
        st.write(md_text(f"Neighbours of “{word}” — in A: {', '.join(in_a)}; in B: {', '.join(in_b)}."))
except ValueError as error:
    show_error(error)
points_a, points_b = shared_maps(result, a, b)
chart(st, two_maps(points_a, points_b, result.keys, [f"A: {source_label(name_a)} (PCA)",
                                                     f"B: {source_label(name_b)} (PCA)"], roles), width="stretch")
