"""Rows: the ids a sentence's tokens select, and the rows they read, in sentence order."""
import streamlit as st

from engine.plots import layer as plots
from ui.code import show_code
from ui.downloads import download_figure, download_table
from ui.layer import minilm
from ui.notice import notice
from ui.presentation import chart


def show(tokens) -> None:
    """tokens: the sentence's Tokens (ids, labels)."""
    figure_column, text_column = st.columns([3, 1])
    table = minilm()[1].embeddings.word_embeddings.weight.detach().numpy()      # (V, d)
    figure = plots.lookup_table(table, tokens.ids, tokens.labels())
    chart(figure_column, figure)
    notice(f"{len(tokens.ids)} tokens select {len(set(tokens.ids))} of {len(table):,} rows: the layer's output is "
           f"{len(tokens.ids)} × {table.shape[1]} numbers, read without a multiplication.", text_column)
    text_column.markdown("Each coloured line on the left is one id; the rows it points at, in sentence "
                         "order, are the layer's output (T × 384), on the right. A word outside the "
                         "vocabulary splits into ##pieces, each with its own row (try the second preset).")
    frame = tokens.to_frame()
    text_column.dataframe(frame, hide_index=True, height=min(400, 38 + 35 * len(frame)))
    download_table(frame, "lookup-tokens.csv")
    download_figure(figure, "lookup-rows.html")
    show_code("lookup.rows")
