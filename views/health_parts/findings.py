"""The Health report's other findings: norms, the cone, hubs, near-duplicates; each with its
numbers, what it means, what to do, and its figure or list."""
import pandas as pd
import streamlit as st

from engine.plots.geometry import occurrence_histogram, scree
from engine.plots.health import norms_along_rows
from ui.notice import notice
from ui.presentation import chart
from ui.text import md_text


def _finding(finding) -> None:
    st.header(finding.title)
    notice(md_text(finding.measured))
    st.markdown(f"**What it means.** {finding.meaning}  \n**What to do.** {finding.action}")


def show(table, report) -> None:
    norms, cone, hubs, duplicates = report.findings[1:]
    _finding(norms)
    chart(st, norms_along_rows(table.norms, table.index_to_key, report.norms), width="stretch")
    _finding(cone)
    chart(st, scree(report.anisotropy.explained_variance), width="stretch")
    _finding(hubs)
    left, right = st.columns([2, 1])
    chart(left, occurrence_histogram(report.hubness.occurrence, report.hubness.k), width="stretch")
    right.dataframe(pd.DataFrame(report.hubness.hubs, columns=["hub", f"among the {report.hubness.k} nearest of"]),
                    hide_index=True, height=340)
    _finding(duplicates)
    if report.near_duplicates:
        st.dataframe(pd.DataFrame(report.near_duplicates, columns=["row", "nearest row", "cosine"]).round(4),
                     hide_index=True)
