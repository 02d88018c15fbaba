"""Same id, same row: one token in three sentences reads one row, whatever the sentence means."""
import streamlit as st

from engine.examples import SAME_ROW_SENTENCES
from engine.layer.lookup import static_row
from engine.plots import layer as plots
from ui.code import show_code
from ui.layer import minilm
from ui.presentation import chart
from ui.text import md_text, show_error
from ui.url_state import in_url


def show() -> None:
    figure_column, text_column = st.columns([3, 1])
    word = in_url(text_column.text_input, "Token", key="lookup_static_token", default="bank")
    layer = minilm()[1].embeddings.word_embeddings
    try:
        same = static_row(minilm()[0], layer, word.strip(), SAME_ROW_SENTENCES)
    except ValueError as error:
        show_error(error)
        return
    rows = [same.id] * len(SAME_ROW_SENTENCES)
    chart(figure_column, plots.lookup_table(layer.weight.detach().numpy(), rows, SAME_ROW_SENTENCES))
    text_column.metric("largest difference between the rows", f"{same.max_difference:g}")
    text_column.markdown(f"'{md_text(same.token)}' is id {same.id} in all three sentences, so the layer "
                         "returns the same row each time, whatever the sentence means. Only the layers "
                         "above (attention) make it depend on the context.")
    show_code("lookup.same_row", {"lookup_static_token": same.token})
