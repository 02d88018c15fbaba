"""Health report: one click on any table (tokens or words) for its under-trained rows, norms,
anisotropy, hubness and near-duplicates, each with what it means and what to do; the whole
report as one HTML file."""
import streamlit as st

from engine.health import health_report
from ui.model_folders import token_context
from ui.results import remembered, table_key
from ui.sources import pick_source
from ui.text import md_text, show_error
from ui.url_state import in_url
from views.health_parts import findings, summary, under_trained

st.title("Health report")
st.caption("Everything that may be wrong with a table, measured: rows the model never learned "
           "(Land & Bartolo 2024), norms that carry frequency, the narrow cone, hubs, near-duplicate rows. "
           "Open a model folder on the Load page to see its tokenizer's view of every token too.")
table = pick_source()
sample = int(in_url(st.sidebar.number_input, "Rows for anisotropy, hubness and near-duplicates", 100,
                    200_000, key="health_sample", default=20_000, step=5_000,
                    help="Exact neighbours cost rows²; under-trained rows and norms always use every row."))
k = int(in_url(st.sidebar.number_input, "k (neighbours per row)", 1, 100, key="health_k", default=10))
try:
    context = token_context(table)
    report = remembered(("health", table_key(table), sample, k, context.status is not None,
                         context.output is not None),
                        lambda progress: health_report(table, context.output, context.status, context.init_std,
                                                       context.pad, sample=sample, k=k, progress=progress),
                        f"Checking {md_text(table.name)}: step")
except (KeyError, ValueError) as error:
    show_error(error)
    st.stop()
summary.show(table, report, context)
under_trained.show(table, report)
findings.show(table, report)
