"""The Health report's top: the numbers at a glance, and the report as one HTML file."""
import streamlit as st

from engine.health_html import health_html
from ui.text import md_text


def show(table, report, context) -> None:
    cells = st.columns(5)
    cells[0].metric("Rows", f"{report.rows:,}", help=f"{report.dim} dimensions")
    cells[1].metric("Under-trained cluster", f"{report.under.cluster:,}",
                    help="Rows past the valley of the score's histogram; 0 when no cluster stands apart.")
    cells[2].metric("Mean cosine", f"{report.anisotropy.mean_cosine:.3f}", help="0: directions spread evenly")
    cells[3].metric("Hub skewness", f"{report.hubness.skewness:.2f}", help=f"k = {report.hubness.k}")
    cells[4].metric("Near-duplicates", f"{report.near_duplicate_rows:,}",
                    help="Rows of the sample with a neighbour at cosine ≥ 0.99")
    st.caption(md_text(f"Under-trained rows and norms: all {report.rows:,} rows. Anisotropy, hubness and "
                       f"near-duplicates: {report.sample_how}. Computed in {report.seconds:.1f} s.")
               + ("" if context.tying is None else " Output embedding: " + md_text(context.tying) + "."))
    st.download_button("Download the whole report (one HTML file)",
                       lambda: health_html(report, table.index_to_key, table.norms),
                       file_name=f"health-{table.name}.html", mime="text/html", on_click="ignore",
                       key="download-health-html", type="primary")
