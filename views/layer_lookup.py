"""Lookup: an embedding layer reads rows by index, on MiniLM's real 30,522 × 384 table."""
import streamlit as st

from engine.layer.lookup import check_texts
from ui.layer import lookup_results
from ui.text import show_error
from ui.url_state import in_url
from views.layer_lookup_parts import bert_input, one_hot_cost, same_row, token_rows

PRESETS = {"The cat sat.": "", "Tokenisation is unbelievably subwordy.": "",
           "The bank raised its rates.": "I sat on the river bank."}


def load_preset() -> None:
    chosen = st.session_state.lookup_preset
    st.session_state.update(lookup_sentence=chosen, lookup_second=PRESETS.get(chosen, ""))


st.title("Lookup")
st.caption("An embedding layer is a table of V × d trainable numbers. The forward pass reads one "
           "row per token id; nothing is multiplied. Here: MiniLM's real table and WordPiece "
           "tokenizer, in PyTorch (torch.nn.Embedding).")
st.pills("Presets", list(PRESETS), key="lookup_preset", on_change=load_preset)
left, right = st.columns(2)
sentence = in_url(left.text_input, "Sentence", key="lookup_sentence", default="The cat sat.", max_chars=20_000)
second = in_url(right.text_input, "Second sentence (segment B, optional)", key="lookup_second", default="",
                max_chars=20_000)
try:
    check_texts(sentence, second or None)
    check, representation = lookup_results(sentence, second)
except ValueError as error:
    show_error(error)
    check = None
rows, one_hot, static, bert = st.tabs(["Rows", "One-hot · W", "Same id, same row", "BERT's input"],
                                     key="lookup_tab", bind="query-params")

if static.open:
    with static:
        same_row.show()
if check is None:
    for tab in (rows, one_hot, bert):
        tab.info("This part needs a sentence MiniLM can read (see the message above).")
    st.stop()
if rows.open:
    with rows:
        token_rows.show(check.tokens)
if one_hot.open:
    with one_hot:
        one_hot_cost.show(check)
if bert.open:
    with bert:
        bert_input.show(representation, check.tokens)
