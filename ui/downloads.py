"""Download buttons for every table and figure a page shows, built only when clicked."""
from __future__ import annotations

import pandas as pd
import pyarrow as pa
import streamlit as st


def download_table(frame: pd.DataFrame | pa.Table, filename: str, label: str = "Download CSV") -> None:
    """`frame` (a pandas DataFrame, or a pyarrow Table as Explore draws) as a CSV file,
    written only when clicked: not on every run (Explore draws two per typed word)."""
    st.download_button(label, lambda: csv_text(frame), file_name=filename,
                       mime="text/csv", key=f"download-{filename}", on_click="ignore")


def csv_text(frame: pd.DataFrame | pa.Table) -> str:
    """The CSV file of a table, without pandas' index."""
    return (frame if isinstance(frame, pd.DataFrame) else frame.to_pandas()).to_csv(index=False)


def figure_html(figure) -> str:
    """The figure as a standalone interactive HTML page with plotly.js inside (about 4.7 MB),
    so that it opens without internet, in a classroom or on a plane."""
    return figure.to_html(include_plotlyjs=True, full_html=True)


def download_figure(figure, filename: str) -> None:
    """The figure as a standalone interactive HTML file that works offline (PNG: the camera
    icon on the chart). Built only when clicked: plotly.js is large."""
    st.download_button("Download figure (HTML)", lambda: figure_html(figure), file_name=filename,
                       mime="text/html", key=f"download-{filename}", on_click="ignore")
