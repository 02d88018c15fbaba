"""Geometry's Cone tab: how far the rows crowd into one direction, said from the measurement,
and tables where they do."""
import streamlit as st

from engine import geometry as geo
from engine.plots import geometry as plots
from ui.notice import notice
from ui.presentation import chart
from ui.text import md_text
from views.geometry_tabs import cone_tables
from views.geometry_tabs.measured import computed_on, shape_of


def show(table, rows, k):
    shape = shape_of(table, rows)
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
    if shape.where:
        st.caption(f"Every metric exact over all {rows:,} rows, computed{computed_on(shape)}.")
    if shape.zero_norm_rows:
        st.warning(f"{shape.zero_norm_rows:,} rows have length 0; cosines leave them out.")
    pairs, gauss = geo.sample_pair_cosines(table, 20_000, rows)
    notice(md_text(geo.describe_cone(shape, table.name, pairs, gauss)))
    left, right = st.columns(2)
    chart(left, plots.scree(shape.explained_variance), width="stretch")
    chart(right, plots.cosine_histograms(pairs, gauss, table.name), width="stretch")
    cone_tables.show()
