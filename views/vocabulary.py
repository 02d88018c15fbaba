"""Vocabulary: a word list against the chosen table — what is covered, and what each
out-of-vocabulary strategy would give the words that are not."""
import pandas as pd
import streamlit as st

from engine.plots.text import plot_text
from engine.plots.vocabulary import coverage_map
from engine.readers import UPLOAD_LIMITS
from engine.row_numbers import row_heading, row_number
from engine.vocabulary import (
    OOV_STRATEGIES,
    coverage,
    example_words,
    fasttext_from_bin,
    found_word_map,
    lee_fasttext,
    oov_vectors,
    parse_word_list,
)
from ui.downloads import download_table
from ui.presentation import chart, for_people
from ui.sources import pick_source
from ui.text import md_text, show_error
from ui.train import trained_fasttext
from ui.url_state import in_url

STRATEGY_TITLES = {"unk": "UNK vector", "wordpiece": "WordPiece pieces (MiniLM)",
                   "fasttext": "fastText character n-grams", "hashing": "Hashing into buckets"}

st.title("Vocabulary")
st.caption("Paste the words your task needs: see which the table has as spelled, only in another "
           "case, or not at all, and what a missing word would get from each common fallback.")


@st.cache_resource(show_spinner="Training fastText on gensim's Lee corpus (once, about ten seconds)…")
def default_fasttext():
    return lee_fasttext()


@st.cache_resource(max_entries=2, show_spinner="Reading your fastText model…")
def uploaded_fasttext(file_id: str, _data: bytes):
    return fasttext_from_bin(_data, UPLOAD_LIMITS)


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
missing = cover.missing()
if not missing:
    st.caption("Every word is covered; add a made-up word to compare the fallbacks.")
else:
    left, right = st.columns([2, 3])
    word = left.selectbox("Missing word", missing)
    strategies = right.multiselect("Strategies", OOV_STRATEGIES, default=list(OOV_STRATEGIES),
                                   format_func=STRATEGY_TITLES.get)
    buckets = left.number_input("Hash buckets", 1, 10_000_000, 10_000, step=1_000)
    trained = trained_fasttext()
    fasttext_bin = right.file_uploader("Your fastText .bin (optional; else " + (
        f"{md_text(trained[1])}, trained on the Train page)" if trained else "the Lee-corpus model; or train "
        "one on the Train page)"), type=["bin"])
    try:
        model, model_name = ((uploaded_fasttext(fasttext_bin.file_id, fasttext_bin.getvalue()), fasttext_bin.name)
                             if fasttext_bin else trained or (default_fasttext() if "fasttext" in strategies
                                                              else None, "fasttext-lee"))
        results = oov_vectors(table, word, strategies, fasttext_model=model, buckets=buckets,
                              fasttext_name=model_name)
    except (KeyError, ValueError) as error:
        show_error(error)
        results = []
    for column, result in zip(st.columns(max(len(results), 1)), results):
        column.subheader(STRATEGY_TITLES[result.strategy])
        column.caption(md_text(result.explanation))
        if result.parts:
            column.code(" ".join(result.parts[:40]), language=None)
        column.write(f"Nearest in **{md_text(result.space)}**: " +
                     md_text(", ".join(f"{n.key} ({n.score:.2f})" for n in result.neighbours)))

st.header("Map of these words")
try:
    coords, found = found_word_map(table, cover)
    chart(st, coverage_map(coords, [w.word for w in found], [w.key for w in found],
                                 [w.status for w in found], f"The words found in {plot_text(table.name)} (PCA of "
                                 "their unit rows)"), width="stretch")
except ValueError as error:
    show_error(error)
