"""Vocabulary: a word list against the chosen table — what is covered, and what each
out-of-vocabulary strategy would give the words that are not."""
import pandas as pd
import streamlit as st

from engine.plots.text import plot_text
from engine.plots.vocabulary import coverage_map
from engine.row_numbers import row_heading, row_number
from engine.vocabulary import coverage, example_words, found_word_map, parse_word_list
from ui.downloads import download_table
from ui.presentation import chart, for_people
from ui.sources import pick_source
from ui.text import md_text, show_error
from ui.url_state import in_url
from views.vocabulary_parts.fallbacks import show_fallbacks

st.title("Vocabulary")
st.caption("Paste the words your task needs: see which the table has as spelled, only in another "
           "case, or not at all, and what a missing word would get from each common fallback.")

table = pick_source()
uploaded = st.sidebar.file_uploader("Word list (.txt, optional)", type=["txt", "tsv", "csv"])
example, where = example_words(table)
text = uploaded.getvalue().decode("utf-8", "replace") if uploaded else in_url(
    st.text_area, "Words", key="word_list", default=" ".join(example), depends_on=table.name,
    help="Separated by spaces, commas or new lines.")
if where and text == " ".join(example):
    st.caption(md_text(where))
try:
    cover = coverage(table, parse_word_list(text))
except ValueError as error:
    show_error(error)
    st.stop()

cells = st.columns(4)
cells[0].metric("Covered", f"{cover.ratio:.0%}", help=f"of {len(cover.words):,} words")
for cell, status in zip(cells[1:], ("exact", "other case", "missing")):
    cell.metric(status.capitalize(), cover.count(status))
heading = row_heading(table)
frame = pd.DataFrame([{"word": w.word, "status": w.status, "found as": w.key or "",
                       heading: None if w.row is None else row_number(table, w.row)} for w in cover.words]
                     ).astype({heading: "Int64"})
st.dataframe(for_people(frame), hide_index=True, width="stretch")
download_table(frame, f"coverage-{table.name}.csv")

st.header("Out-of-vocabulary strategies")
show_fallbacks(table, cover.missing())

st.header("Map of these words")
try:
    coords, found = found_word_map(table, cover)
    title = f"The words found in {plot_text(table.name)} (PCA of their unit rows)"
    chart(st, coverage_map(coords, [w.word for w in found], [w.key for w in found], [w.status for w in found], title),
          width="stretch")
except ValueError as error:
    show_error(error)
