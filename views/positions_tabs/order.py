"""Positions' Order tab: attention is blind to word order until position rows are added."""
import streamlit as st

from engine import positions as pos
from engine.plots import positions as plots
from ui.code import show_code
from ui.text import show_error
from ui.url_state import in_url
from views.positions_tabs.shared import chart


def show():
    st.caption("MiniLM's first attention layer scores every token pair. Without the position rows "
               "(token + segment rows only), reordering the words only reorders the scores; with them, "
               "the scores change (the ? on the metric lists every head). B is shown in A's token order.")
    left, middle, right = st.columns([2, 2, 1])
    sentence_a = in_url(left.text_input, "Sentence A", key="order_a", default="the dog bit the man")
    sentence_b = in_url(middle.text_input, "Sentence B: the same words in another order", key="order_b",
                        default="the man bit the dog")
    head = in_url(right.number_input, "Head", 0, pos.MINILM_HEADS - 1, key="order_head", default=5)
    try:
        blind = pos.order_blindness(sentence_a, sentence_b, head)
        left.metric("Largest score change, no positions", f"{blind.plain_change[head]:.1e}",
                    help=f"Float rounding only. Over all 12 heads: {blind.plain_change.max():.1e}")
        middle.metric("… with MiniLM's learned positions", f"{blind.positioned_change[head]:.2f}",
                      help="Per head: " + ", ".join(f"{c:.2f}" for c in blind.positioned_change))
        chart(plots.order_heatmaps(blind))
        show_code("positions.order")
    except (KeyError, ValueError) as error:
        show_error(error)
