"""Lookup: an embedding layer reads rows by index, on MiniLM's real 30,522 × 384 table."""
import streamlit as st

from engine.layer.lookup import check_texts, static_row
from engine.plots import layer as plots
from ui.common import download_figure, download_table, in_url, show_error
from ui.layer import lookup_results, minilm
from ui.text import md_text
from ui.presentation import chart

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
        figure_column, text_column = st.columns([3, 1])
        word = in_url(text_column.text_input, "Token", key="lookup_static_token", default="bank")
        examples = ["I sat on the river bank.", "The bank raised its rates.", "Bank on it."]
        try:
            same = static_row(minilm()[0], minilm()[1].embeddings.word_embeddings, word.strip(), examples)
        except ValueError as error:
            show_error(error)
        else:
            chart(figure_column, plots.lookup_table(minilm()[1].embeddings.word_embeddings.weight.detach()
                                       .numpy(), [same.id] * len(examples), examples), width="stretch")
            text_column.metric("largest difference between the rows", f"{same.max_difference:g}")
            text_column.markdown(f"'{md_text(same.token)}' is id {same.id} in all three sentences, so the layer "
                                 "returns "
                                 "the same row each time, whatever the sentence means. Only the layers "
                                 "above (attention) make it depend on the context.")

if check is None:
    for tab in (rows, one_hot, bert):
        tab.info("This part needs a sentence MiniLM can read (see the message above).")
    st.stop()
tokens = check.tokens


if rows.open:
    with rows:
        figure_column, text_column = st.columns([3, 1])
        figure = plots.lookup_table(minilm()[1].embeddings.word_embeddings.weight.detach().numpy(),
                                    tokens.ids, tokens.labels())
        chart(figure_column, figure, width="stretch")
        text_column.markdown(f"**{len(tokens.ids)} tokens select {len(set(tokens.ids))} of 30,522 rows.** "
                             "Each coloured line on the left is one id; the rows it points at, in sentence "
                             "order, are the layer's output (T × 384), on the right. A word outside the "
                             "vocabulary splits into ##pieces, each with its own row (try the second preset).")
        frame = tokens.to_frame()
        text_column.dataframe(frame, hide_index=True, height=min(400, 38 + 35 * len(frame)))
        download_table(frame, "lookup-tokens.csv")
        download_figure(figure, "lookup-rows.html")

if one_hot.open:
    with one_hot:
        figure_column, text_column = st.columns([3, 2])
        chart(figure_column, plots.cost_bars(check.index_seconds, check.one_hot_seconds), width="stretch")
        a, b = text_column.columns(2)
        a.metric("max |lookup − one-hot · W|", f"{check.max_abs_diff:g}")
        b.metric("one-hot · W is slower by", f"{check.speedup:,.0f}×")
        text_column.markdown(f"Writing each id as a one-hot vector of length V = 30,522 and multiplying by W "
                             f"gives **exactly** the same rows: every other term is 0 × w. But it does "
                             f"{check.multiply_adds:,} multiply-adds where indexing reads {check.numbers_read:,} "
                             "numbers. So a layer is described as one-hot · W and run as an index.")

if bert.open:
    with bert:
        parts = {"token rows": representation.token_rows, "+ position rows": representation.position_rows,
                 "+ segment rows": representation.segment_rows, "= sum": representation.summed,
                 "LayerNorm(sum): what layer 1 reads": representation.normed}
        figure_column, text_column = st.columns([3, 1])
        figure = plots.representation_parts(parts, tokens.labels())
        chart(figure_column, figure, width="stretch")
        text_column.metric("by hand vs transformers: max |diff|", f"{representation.max_abs_diff:.1e}")
        text_column.markdown("BERT-style models add three rows per token: the token's, its position's "
                             "(0–511, learned) and its segment's (A = 0, B = 1), then normalise each sum "
                             "to mean 0 and variance 1 and apply a learned gain and bias. Computed here by "
                             "hand and compared with transformers' own module.")
        download_figure(figure, "bert-input.html")
        chart(figure_column, plots.norm_bars(representation.row_norms(), tokens.labels(),
                                                   "Length of each token's row, part by part"), width="stretch")
