"""One word-similarity test (WordSim-353 or SimLex-999): correlations next to how many pairs
the table could score, and the pairs as a scatter."""
import pandas as pd
import streamlit as st

from engine.evaluate import NothingToScore, evaluate_word_pairs
from engine.plots.explore import pair_scatter
from engine.vectors import EmbeddingSet
from ui.downloads import download_table
from ui.presentation import chart
from ui.text import md_text, show_error


def word_pairs(table: EmbeddingSet, name: str, title: str, restrict: int) -> None:
    st.subheader(title)
    try:
        pairs = evaluate_word_pairs(table, name, restrict_vocab=restrict)
    except NothingToScore as error:
        st.info(f"{md_text(str(error)[:1].upper() + str(error)[1:])}: this test needs a table of English words.")
        return
    except (KeyError, ValueError) as error:
        show_error(error)
        return
    cells = st.columns(3)
    cells[0].metric("Spearman", f"{pairs.spearman:.3f}")
    cells[1].metric("Pearson", f"{pairs.pearson:.3f}")
    cells[2].metric("Pairs scored", f"{100 - pairs.oov_ratio:.1f}%",
                    help=f"{pairs.pairs:,} pairs have both words in the first {restrict:,} rows")
    if pairs.oov_ratio > 50:
        st.warning(f"Only {pairs.pairs:,} pairs ({100 - pairs.oov_ratio:.1f}%) have both words in the "
                   f"first {restrict:,} rows; the correlations are over those few.")
    gold = [p[2] for p in pairs.scored]
    cosine = [p[3] for p in pairs.scored]
    labels = [f"{p[0]} – {p[1]}" for p in pairs.scored]
    chart(st, pair_scatter(gold, cosine, labels, f"{pairs.pairs} pairs"), width="stretch")
    download_table(pd.DataFrame(pairs.scored, columns=["word1", "word2", "human", "cosine"]),
                   f"{name}-{table.name}.csv")
