"""Embedding Lab: page config and navigation, nothing else."""
import streamlit as st

st.set_page_config(page_title="Embedding Lab", page_icon=":material/search:", layout="wide")

pages = [
    st.Page("pages/explore.py", title="Explore", icon=":material/search:", default=True),
    st.Page("pages/analogies.py", title="Analogies", icon=":material/calculate:"),
    st.Page("pages/benchmarks.py", title="Benchmarks", icon=":material/leaderboard:"),
    st.Page("pages/map.py", title="Map", icon=":material/scatter_plot:"),
    st.Page("pages/positions.py", title="Positions", icon=":material/timeline:"),
    st.Page("pages/load.py", title="Load your vectors", icon=":material/upload_file:"),
    st.Page("pages/vocabulary.py", title="Vocabulary", icon=":material/spellcheck:"),
    st.Page("pages/truncate.py", title="Truncate", icon=":material/content_cut:"),
    st.Page("pages/geometry.py", title="Geometry", icon=":material/blur_on:"),
]
st.navigation(pages).run()
