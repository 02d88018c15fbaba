"""Explore: a word's neighbours, its vector, two words compared, the odd one out."""
import streamlit as st

from engine import approximate
from ui.sources import pick_source, restrict_control
from ui.url_state import in_url
from views.explore_parts.compare import compare_two_words
from views.explore_parts.neighbours import word_view
from views.explore_parts.odd_one_out import odd_one_out
from views.explore_parts.search import SCORES

st.title("Explore")
st.caption("Type a word: its nearest neighbours, where it sits in the table, and its raw "
           "vector. The link in your address bar reproduces this view.")

table = pick_source()
restrict = restrict_control(table)
most = max(1, min(50, restrict - 1))
topn = in_url(st.sidebar.slider, "Neighbours to show", 1, most, key="topn",
              default=min(10, most), depends_on=most) if most > 1 else 1
score = in_url(st.sidebar.radio, "Score by", list(SCORES), key="score", default="cosine",
               format_func=SCORES.get,
               help="Cosine ignores length. The raw dot product favours long vectors. CSLS (Conneau et al. "
                    "2018) = 2·cos(x, y) − r(x) − r(y), r the mean cosine of a row's 10 nearest rows: it "
                    "lowers hubs that are near everything.")
if score == "csls":
    st.sidebar.caption("CSLS needs every searched row's 10 nearest rows: computed once per table "
                       "and N (seconds for 50,000 rows, about a minute and a half for 400,000).")
exact = not approximate.prefers_index(table, restrict) or in_url(
    st.sidebar.checkbox, "Exact search", key="exact", default=False,
    help="Score every row: exact, but it reads the whole table per word.")

word_view(table, restrict, topn, score, exact)
compare_two_words(table)
odd_one_out(table)
