"""Benchmarks: Google analogies, WordSim-353 and SimLex-999, scored as gensim scores them."""
import streamlit as st

from ui.sources import pick_source, restrict_control
from ui.url_state import in_url
from views.benchmarks_parts.analogy_test import analogy_test
from views.benchmarks_parts.word_pairs import word_pairs

SHOWN = {"all": "All three", "analogies": "Google analogies", "wordsim353": "WordSim-353",
         "simlex999": "SimLex-999"}

st.title("Benchmarks")
st.caption("The standard intrinsic tests, computed exactly as gensim computes them "
           "(same questions kept, same answers) but batched, so the full test takes seconds.")

table = pick_source()
restrict = restrict_control(table, default=300_000, key="restrict_vocab")
st.sidebar.caption("Questions with a word outside the first N rows are skipped (gensim's "
                   "restrict_vocab; 300,000 is its default).")
shown = in_url(st.sidebar.radio, "Show", list(SHOWN), key="benchmark", default="all",
               format_func=SHOWN.get)

if shown in ("all", "analogies"):
    analogy_test(table, restrict)
if shown == "all":
    st.header("Word similarity")
    st.caption("Correlation between human similarity ratings and cosine similarity. WordSim-353 "
               "rewards relatedness (cup–coffee); SimLex-999 only true similarity, which is harder.")
    for column, name in zip(st.columns(2), ("wordsim353", "simlex999")):
        with column:
            word_pairs(table, name, SHOWN[name], restrict)
elif shown != "analogies":
    word_pairs(table, shown, SHOWN[shown], restrict)
