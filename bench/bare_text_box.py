"""The reference for bench_browser_latency.py and bench_class.py: the least a Streamlit page
can do when a word is typed (one text box, one heading), served as the app's processes are
set up (ui/process.py). Run by the benches, not part of the app."""
import streamlit as st

from ui.process import set_up_server_process

set_up_server_process()
word = st.text_input("Word", "king")
st.subheader(f"Nearest to “{word}”")
