"""BERT's input: token, position and segment rows summed and normalised, checked against
transformers' own module."""
import streamlit as st

from engine.plots import layer as plots
from ui.code import show_code
from ui.downloads import download_figure
from ui.notice import notice
from ui.presentation import chart


def show(representation, tokens) -> None:
    """representation: the sentence's input parts (T × 384 each) and the check against
    transformers; tokens: its Tokens."""
    parts = {"token rows": representation.token_rows, "+ position rows": representation.position_rows,
             "+ segment rows": representation.segment_rows, "= sum": representation.summed,
             "LayerNorm(sum): what layer 1 reads": representation.normed}
    figure_column, text_column = st.columns([3, 1])
    figure = plots.representation_parts(parts, tokens.labels())
    chart(figure_column, figure)
    text_column.metric("by hand vs transformers: max |diff|", f"{representation.max_abs_diff:.1e}")
    notice(representation.describe(), text_column)
    text_column.markdown("BERT-style models add three rows per token: the token's, its position's "
                         "(0–511, learned) and its segment's (A = 0, B = 1), then normalise each sum "
                         "to mean 0 and variance 1 and apply a learned gain and bias. Computed here by "
                         "hand and compared with transformers' own module.")
    download_figure(figure, "bert-input.html")
    chart(figure_column, plots.norm_bars(representation.row_norms(), tokens.labels(),
                                         "Length of each token's row, part by part"))
    show_code("lookup.bert_input")
