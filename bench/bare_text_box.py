"""The reference for bench_browser_latency.py: the least a Streamlit page can do when a
word is typed (one text box, one heading). Run by the bench, not part of the app."""
import streamlit as st

word = st.text_input("Word", "king")
st.subheader(f"Nearest to “{word}”")
