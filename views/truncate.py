"""Truncate: keep the first m dimensions (Matryoshka-style), re-normalise, and see what is lost."""
import pandas as pd
import streamlit as st

from engine.plots.truncate import truncation_curves
from engine.truncate import default_dims, describe_effect, truncate, truncation_effect
from ui.downloads import download_table
from ui.notice import notice
from ui.presentation import chart, for_people
from ui.results import remembered_for, table_key
from ui.sources import add_user_source, pick_source
from ui.text import md_text, show_error
from ui.url_state import in_url
from ui.words import has_word, word_box

st.title("Truncate")
st.caption("Matryoshka models are trained so that the first dimensions carry the most; then a "
           "table can be cut short to save memory. Cut any table here and measure the loss "
           "(GloVe was not trained that way).")

table = pick_source()
dims = in_url(st.sidebar.multiselect, "Cut points (dimensions kept)", list(range(1, table.dim + 1)),
              key="cuts", default=default_dims(table.dim), depends_on=table.dim)
analogies = in_url(st.sidebar.checkbox, "Also score the Google analogies (slower)", key="analogies",
                   default=False, help="On the first 30,000 rows, at every cut point.")
try:
    effect = remembered_for(table, ("truncate", table_key(table), tuple(dims), analogies),
                            lambda t, progress: truncation_effect(t, dims, analogies=analogies,
                                                                  progress=progress),
                            "Cutting and scoring…")
except (KeyError, ValueError) as error:
    show_error(error)
    st.stop()
chart(st, truncation_curves(effect), width="stretch")
st.caption(f"Neighbour overlap: the share of the {effect.k} nearest neighbours (among the first "
           f"{effect.restrict:,} rows) of {effect.probes} frequent words that survive the cut. "
           "Benchmarks are scored as on the Benchmarks page (ρ: Spearman's rank correlation).")
notice(md_text(describe_effect(effect)))
for note in effect.notes:
    st.info(note)
frame = pd.DataFrame([vars(p) for p in effect.points])
# headers wrap (after a hyphen too): every column fits a 400 px screen
st.table(for_people(frame.round(4).rename(columns={"wordsim353_spearman": "WordSim-353 ρ",
                                                   "simlex999_spearman": "SimLex-999 ρ"})), hide_index=True)
download_table(frame, f"truncation-{table.name}.csv")

st.header("One word, before and after")
left, right = st.columns(2)
width = in_url(left.slider, "Dimensions kept", 1, table.dim, key="kept", default=max(1, table.dim // 5),
               depends_on=table.dim)
example = "king" if has_word(table)("king") else table.index_to_key[0]
word = word_box(table, "Word", key="truncate_word", default=example, where=right)
if word is None:
    st.stop()
short = truncate(table, width)
topn = min(10, len(table) - 1)              # a small table has fewer neighbours to show
before, after = table.most_similar(word, topn=topn), short.most_similar(word, topn=topn)
kept = {n.key for n in before} & {n.key for n in after}
st.dataframe(pd.DataFrame({f"all {table.dim} dims": [n.key for n in before],
                           "cosine": [round(n.score, 3) for n in before],
                           f"first {width} dims": [n.key for n in after],
                           "cosine ": [round(n.score, 3) for n in after]}),
             hide_index=True, width="stretch")
notice(f"{len(kept)} of {topn} neighbours of “{md_text(word)}” survive the cut to {width} dimensions.")
if st.button(f"Use the first {width} dimensions as a new source"):
    add_user_source(short)
    st.rerun()
