"""Embedding Lab: page config, the shared page style (Presentation switch) and navigation.

The page scripts live in views/, not pages/: Streamlit treats a pages/ folder as its older
multipage layout when a visitor's first request is a deep link (/map), bypassing this file.
"""
import streamlit as st

from ui.layer import warm_up_minilm_once
from ui.lecture import use_pages
from ui.lecture_frame import lecture_frame
from ui.notice import start_page_run
from ui.presentation import page_style
from ui.process import set_up_server_process

# A local icon: a ":material/…:" page icon is fetched from fonts.gstatic.com, and the app works offline.
st.set_page_config(page_title="Embedding Lab", page_icon="assets/icon.png", layout="wide")
set_up_server_process()

pages = {
    "Lecture": [
        st.Page("views/lecture.py", title="Lecture", icon=":material/co_present:"),
    ],
    "The embedding layer": [
        st.Page("views/layer_lookup.py", title="Lookup", icon=":material/table_rows:"),
        st.Page("views/layer_gradients.py", title="Gradients and optimisers", icon=":material/trending_down:"),
        st.Page("views/layer_init.py", title="Initialisation and scale", icon=":material/casino:"),
        st.Page("views/layer_size.py", title="Size and cost", icon=":material/memory:"),
        st.Page("views/layer_frozen.py", title="Frozen or trainable", icon=":material/ac_unit:"),
        st.Page("views/train.py", title="Train", icon=":material/model_training:"),
    ],
    "Words": [
        st.Page("views/explore.py", title="Explore", icon=":material/search:", default=True),
        st.Page("views/analogies.py", title="Analogies", icon=":material/calculate:"),
        st.Page("views/benchmarks.py", title="Benchmarks", icon=":material/leaderboard:"),
    ],
    "The whole table": [
        st.Page("views/map.py", title="Map", icon=":material/scatter_plot:"),
        st.Page("views/geometry.py", title="Geometry", icon=":material/blur_on:"),
        st.Page("views/compare.py", title="Compare two tables", icon=":material/compare_arrows:"),
    ],
    "Inside transformers": [
        st.Page("views/positions.py", title="Positions", icon=":material/timeline:"),
        st.Page("views/contextual.py", title="Static vs contextual", icon=":material/translate:"),
        st.Page("views/retrieval.py", title="Sentence search", icon=":material/manage_search:"),
    ],
    "Your data": [
        st.Page("views/load.py", title="Load your vectors", icon=":material/upload_file:"),
        st.Page("views/vocabulary.py", title="Vocabulary", icon=":material/spellcheck:"),
        st.Page("views/health.py", title="Health report", icon=":material/health_and_safety:"),
        st.Page("views/truncate.py", title="Truncate", icon=":material/content_cut:"),
        st.Page("views/shrink.py", title="Shrink the table", icon=":material/compress:"),
        st.Page("views/categories.py", title="Categories", icon=":material/category:"),
    ],
}
navigation = st.navigation(pages, expanded=True)   # every page listed, none behind "View n more"
use_pages(pages)
page_style()
start_page_run()
with lecture_frame(navigation):    # a lecture's step bar, or "Add this view to your lecture"
    navigation.run()
warm_up_minilm_once()
