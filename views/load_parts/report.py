"""The Load page's report on the table in use: counts, what may be wrong, the norms and how
they follow frequency (measured, as Geometry's Frequency tab measures it)."""
import pandas as pd
import streamlit as st

from engine.plots.load import norm_histogram
from engine.table_report import norms_by_frequency, table_report
from ui.notice import notice
from ui.presentation import chart
from ui.text import md_text


def show(table) -> None:
    report = table_report(table)
    st.header(f"What is in {md_text(table.name)}")
    cells = st.columns(3) + st.columns(3)
    cells[0].metric("Rows", f"{report.rows:,}")
    cells[1].metric("Dimensions", report.dim)
    cells[2].metric("Memory", f"{report.mebibytes:,.1f} MiB", help=report.dtype)
    cells[3].metric("Repeated keys", f"{report.duplicate_keys:,}",
                    help="Keys naming more than one row; lookups use the first. "
                         + ", ".join(report.duplicate_examples))
    cells[4].metric("Zero rows", f"{report.zero_rows:,}", help="All-zero rows have no direction: "
                    "their cosine with anything is undefined (shown as 0).")
    cells[5].metric("NaN / inf rows", f"{report.nonfinite_rows:,}")
    chart(st, norm_histogram(table.norms, table.name), width="stretch")
    st.dataframe(pd.DataFrame({"quantile %": [0, 1, 5, 25, 50, 75, 95, 99, 100],
                               "row norm": report.norm_quantiles}).round(4), hide_index=True)
    trend = norms_by_frequency(table)
    if trend:
        notice(md_text(trend.sentence()) + " Geometry's Frequency tab shows the norm of every rank band.")
    else:
        st.caption(f"{md_text(table.name)} is not in frequency order, so its norms say nothing about "
                   "frequency here.")
    st.caption("Spikes at 0 or many identical norms hint at padding or untrained rows.")
