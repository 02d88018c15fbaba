"""What every page looks like: the sidebar's Presentation switch (larger text and figures for
a class, kept in the URL as ?present=1) and the CSS that keeps metrics and tables whole on
a narrow window. `chart` draws a Plotly figure in the size the switch asks for.
"""
from __future__ import annotations

import pandas as pd
import plotly.io as pio
import streamlit as st

from engine.plots.style import PRESENTATION_SCALE, TEMPLATE, fit_titles, presented

# Importing streamlit makes its own Plotly template the default: when an engine.plots module
# was imported first (a test process), every figure would lose the lab's readable text.
pio.templates.default = TEMPLATE

PRESENTATION = "presentation"     # session_state key of the switch, and the URL's ?present=1
URL_PARAM = "present"

# Metric values and labels wrap instead of ending in "…": five metrics in a row on an 800 px
# window (a laptop at 150 %) are otherwise cut to "0.0…". A column (or a box of a horizontal
# container) holding a table or a figure, or a metric, has a least width: below it, it moves
# under its neighbour (the row wraps) instead of hiding the table's last columns or breaking a
# label mid-word. A row holding tables or figures stacks when the main block itself is narrow
# (a container query: with the sidebar open it is 300 px narrower than the window).
PAGE_CSS = """
[data-testid="stMetricValue"] > div, [data-testid="stMetricLabel"] p,
[data-testid="stMetricLabel"] > div { white-space: normal; overflow: visible; text-overflow: clip; }
[data-testid="stMainBlockContainer"] { container: main / inline-size; }
@media (min-width: 641px) {   /* narrower, Streamlit stacks every column */
  [data-testid="stColumn"]:has([data-testid="stMetric"]) { min-width: min(100%, 9rem); }
  :is([data-testid="stColumn"], [data-testid="stHorizontalBlock"] > [data-testid="stLayoutWrapper"]):has(
    [data-testid="stDataFrame"], [data-testid="stTable"], [data-testid="stPlotlyChart"]) {
    min-width: min(100%, 24rem);
  }
}
@container main (max-width: 40rem) {   /* too narrow for two tables or figures side by side */
  [data-testid="stHorizontalBlock"]:has([data-testid="stDataFrame"], [data-testid="stTable"],
    [data-testid="stPlotlyChart"]) > * { flex: 1 1 100%; }
}
@container main (max-width: 30rem) {   /* a phone: a plain table's cells give their side padding */
  [data-testid="stTable"] :is(th, td) { padding-left: 3px; padding-right: 3px; }
}
[data-testid="stMetricValue"] { font-size: clamp(1.5rem, 2.6vw, 2.25rem); line-height: 1.15; }
[data-testid="stMetricLabel"] p { color: #262730; }
[data-testid="stCaptionContainer"] { color: #3d3d46; }
"""
# Presentation: everything a size up (Streamlit sizes in rem, so the root font size scales it).
PRESENT_CSS = """
html { font-size: 20px; }
[data-testid="stMetricValue"] { font-size: clamp(1.8rem, 3.2vw, 2.8rem); }
[data-testid="stCaptionContainer"] { font-size: 1rem; }
"""


def page_style() -> bool:
    """The Presentation switch in the sidebar and the page CSS; True when presenting.
    Seeded once from the URL, then the switch's own state rules (and writes the URL)."""
    if PRESENTATION not in st.session_state:
        st.session_state[PRESENTATION] = st.query_params.get(URL_PARAM) == "1"
    on = st.sidebar.toggle("Presentation", key=PRESENTATION,
                           help="Larger text and figures, for a projector or a class at the back "
                                "of the room. Kept in the link.")
    if on:
        st.query_params[URL_PARAM] = "1"
    elif URL_PARAM in st.query_params:
        del st.query_params[URL_PARAM]
    st.html(f"<style>{PAGE_CSS}{PRESENT_CSS if on else ''}</style>")
    return on


def chart(where, figure, **kwargs):
    """where.plotly_chart(figure) (where: st, a column, a tab), full width by default,
    enlarged when presenting, its titles in lines that fit a phone; returns what plotly_chart
    returns (the selection event when on_select is set)."""
    kwargs.setdefault("width", "stretch")
    kwargs.setdefault("theme", None)    # Streamlit's theme would set 12 px grey text over ours
    on = bool(st.session_state.get(PRESENTATION))
    fit_titles(presented(figure, on), PRESENTATION_SCALE if on else 1.0)
    return where.plotly_chart(figure, **kwargs)


def for_people(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with headers in words ("rare neighbour share", not rare_neighbour_share) and
    "—" where a value is missing, never "None" or "nan"."""
    shown = frame.rename(columns=lambda name: str(name).replace("_", " "))
    for column in shown.columns[shown.isna().any()]:
        shown[column] = shown[column].astype(object).where(shown[column].notna(), "—")
    return shown
