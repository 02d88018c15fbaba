"""The Load page's report on the table in use: counts, what may be wrong, the norms and how
they follow frequency (measured, as Geometry's Frequency tab measures it)."""
import pandas as pd
import streamlit as st

from engine.plots.load import norm_histogram
from engine.table_report import NormsByFrequency, TableReport, norms_by_frequency, table_report
from engine.vectors import EmbeddingSet
from ui.notice import notice
from ui.presentation import chart
from ui.results import table_key
from ui.text import md_text


@st.cache_data(show_spinner=False, max_entries=64)
def _measured(key: str, name: str, ordered: bool, _table: EmbeddingSet) -> tuple[TableReport, NormsByFrequency | None]:
    """The report and the norms' trend of the table whose cache key is `key`, once for every
    visitor: counting GloVe's 400,000 keys and ranking its norms took a third of a second,
    holding up every other visitor's word on each opening of this page."""
    return table_report(_table), norms_by_frequency(_table)


def show(table) -> None:
    report, trend = _measured(table_key(table), table.name, table.frequency_ordered, table)
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
    if trend:
        notice(md_text(trend.sentence()) + " Geometry's Frequency tab shows the norm of every rank band.")
    else:
        st.caption(f"{md_text(table.name)} is not in frequency order, so its norms say nothing about "
                   "frequency here.")
    st.caption("Spikes at 0 or many identical norms hint at padding or untrained rows.")
