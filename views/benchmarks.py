"""Benchmarks: Google analogies, WordSim-353 and SimLex-999, scored as gensim scores them."""
import pandas as pd
import streamlit as st

from engine.evaluate import evaluate_word_analogies, evaluate_word_pairs
from engine.plots.explore import pair_scatter, section_bars
from ui.common import (download_table, pick_source, remembered, restrict_control, show_error,
                       table_key)
from ui.presentation import chart

st.title("Benchmarks")
st.caption("The standard intrinsic tests, computed exactly as gensim computes them "
           "(same questions kept, same answers) but batched, so the full test takes seconds.")

table = pick_source()
restrict = restrict_control(table, default=300_000, key="restrict_vocab")
st.sidebar.caption("Questions with a word outside the first N rows are skipped (gensim's "
                   "restrict_vocab; 300,000 is its default).")

st.header("Google analogy test set")
st.caption("19,544 questions such as athens : greece :: baghdad : ?, in 14 sections; an answer "
           "counts when the nearest word to B − A + C (inputs left out) is the expected one.")
try:
    score = remembered(("analogies", table_key(table), restrict),
                       lambda progress: evaluate_word_analogies(table, restrict_vocab=restrict,
                                                                progress=progress),
                       "Answering analogy questions…")
except (KeyError, ValueError) as error:
    show_error(error)
else:
    semantic, syntactic = score.subtotal(False), score.subtotal(True)
    cells = st.columns(4)
    cells[0].metric("Accuracy", f"{score.accuracy:.1%}", help=f"{score.correct:,} of {score.total:,}")
    cells[1].metric("Semantic", f"{semantic.accuracy:.1%}", help=f"{semantic.correct:,} of {semantic.total:,}")
    cells[2].metric("Syntactic", f"{syntactic.accuracy:.1%}", help=f"{syntactic.correct:,} of {syntactic.total:,}")
    cells[3].metric("Questions skipped", f"{score.oov_ratio:.1f}%",
                    help=f"{score.questions - score.total:,} questions have a word outside the first {restrict:,} rows")
    st.caption(f"{score.total:,} questions answered in {score.seconds:.1f} s.")
    sections = pd.DataFrame([{"section": s.name, "correct": s.correct, "total": s.total,
                              "accuracy": round(s.accuracy, 4)} for s in score.sections])
    chart(st, section_bars(sections["section"], sections["accuracy"], sections["total"]),
                    width="stretch")
    download_table(sections, f"analogies-{table.name}-{restrict}.csv")

st.header("Word similarity")
st.caption("Correlation between human similarity ratings and cosine similarity. WordSim-353 "
           "rewards relatedness (cup–coffee); SimLex-999 only true similarity, which is harder.")
for column, name, title in zip(st.columns(2), ("wordsim353", "simlex999"),
                               ("WordSim-353", "SimLex-999")):
    with column:
        st.subheader(title)
        try:
            pairs = evaluate_word_pairs(table, name, restrict_vocab=restrict)
        except (KeyError, ValueError) as error:
            show_error(error)
            continue
        cells = st.columns(3)
        cells[0].metric("Spearman", f"{pairs.spearman:.3f}")
        cells[1].metric("Pearson", f"{pairs.pearson:.3f}")
        cells[2].metric("Pairs out of vocabulary", f"{pairs.oov_ratio:.1f}%")
        gold = [p[2] for p in pairs.scored]
        cosine = [p[3] for p in pairs.scored]
        labels = [f"{p[0]} – {p[1]}" for p in pairs.scored]
        chart(st, pair_scatter(gold, cosine, labels, f"{pairs.pairs} pairs"), width="stretch")
        download_table(pd.DataFrame(pairs.scored, columns=["word1", "word2", "human", "cosine"]),
                       f"{name}-{table.name}.csv")
