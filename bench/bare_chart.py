"""The floor for bench_minilm_wait.py: the least a Streamlit page with one Plotly chart can
do as a first page (a heading and a two-line chart, as the Static vs contextual page's
first), served as the app's processes are set up (ui/process.py). Run by the bench, not part
of the app."""
import plotly.graph_objects as go
import streamlit as st

from ui.process import set_up_server_process

set_up_server_process()
st.title("Static versus contextual")
st.plotly_chart(go.Figure([go.Scatter(y=[0.9, 0.8, 0.6, 0.5, 0.4, 0.3, 0.3], name="S1 vs S2"),
                           go.Scatter(y=[1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.5], name="S1 vs static")]))
