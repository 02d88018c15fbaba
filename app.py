"""Embedding Lab: page config and navigation, nothing else."""
import streamlit as st

st.set_page_config(page_title="Embedding Lab", page_icon="🔎", layout="wide")

pages = [
    st.Page("pages/explore.py", title="Explore", icon="🔎", default=True),
    st.Page("pages/analogies.py", title="Analogies", icon="➗"),
    st.Page("pages/benchmarks.py", title="Benchmarks", icon="📏"),
    st.Page("pages/map.py", title="Map", icon="🗺️"),
    st.Page("pages/positions.py", title="Positions", icon="🌀"),
    st.Page("pages/load.py", title="Load your vectors", icon="📂"),
    st.Page("pages/vocabulary.py", title="Vocabulary", icon=":material/spellcheck:"),
    st.Page("pages/truncate.py", title="Truncate", icon=":material/content_cut:"),
]
st.navigation(pages).run()
