"""Static versus contextual: one word's MiniLM vector in several sentences, layer by layer,
against the single row the token table gives it; then many sentences as a map of senses."""
import pandas as pd
import streamlit as st

from engine import contextual as ctx
from engine.plots.contextual import layer_cosines, sense_scatter
from ui.code import show_code
from ui.downloads import download_table
from ui.layer import minilm
from ui.presentation import chart as presentation_chart
from ui.text import show_error
from ui.url_state import in_url

chart = lambda figure: presentation_chart(st, figure)  # noqa: E731


def load_preset() -> None:
    chosen = st.session_state.ctx_preset
    if chosen:
        st.session_state.update(ctx_word=chosen, ctx_sentences="\n".join(ctx.PRESETS[chosen]))


def show_comparison(result) -> None:
    if len(result.pieces) > 1:
        st.info(f"“{result.word}” is not one WordPiece token: it splits into **{' '.join(result.pieces)}**. "
                "Its static row and its vector in each sentence are the mean of its pieces' vectors.")
    for number, occurrence in enumerate(result.occurrences, 1):
        if occurrence.truncated:
            st.warning(f"Sentence {number} is longer than {ctx.MAX_TOKENS} tokens; MiniLM reads only the "
                       f"first {ctx.MAX_TOKENS}.")
    between, to_static = result.cosine_between(), result.cosine_to_static()
    chart(layer_cosines(between, to_static))
    st.caption("Solid lines: how alike the word is in two sentences. At layer 0 only the position differs, "
               "so the cosine is high; in deeper layers different senses drift apart. Dotted: how far each "
               "one has moved from the static row it started as.")
    count = len(result.occurrences)
    frame = pd.DataFrame({"layer": range(result.layers)} |
                         {f"S{i + 1} vs S{j + 1}": between[:, i, j].round(4)
                          for i in range(count) for j in range(i + 1, count)} |
                         {f"S{i + 1} vs static": to_static[i].round(4) for i in range(count)})
    st.table(frame, hide_index=True)     # headers wrap: every column fits a narrow window
    download_table(frame, f"contextual-{result.word}.csv")
    show_code("contextual")


st.title("Static versus contextual")
st.caption("A static table gives a word one row, whatever it means. A transformer rewrites that row "
           "layer by layer from the words around it. Here is MiniLM (6 layers, 384 dimensions) doing it.")
st.pills("Presets", list(ctx.PRESETS), key="ctx_preset", on_change=load_preset)
left, right = st.columns([1, 3])
word = in_url(left.text_input, "Word", key="ctx_word", default="bank").strip()
text = in_url(right.text_area, "Sentences that use it, one a line", key="ctx_sentences", height=110,
              default="\n".join(ctx.PRESETS.get(word, ctx.PRESETS["bank"])))
tokenizer, model = minilm()
layers = model.config.num_hidden_layers + 1
try:
    show_comparison(ctx.static_vs_contextual(word, [s for s in text.splitlines() if s.strip()], tokenizer, model))
except ValueError as error:
    show_error(error)

st.subheader("Many sentences: a map of senses")
st.caption(f"Sentences from gensim's Lee corpus (Australian news) that use “{word}”, or your own. "
           "Type “sense | sentence” on each line to colour by your labels; otherwise k-means groups them.")
source = in_url(st.radio, "Sentences", ["Lee corpus", "My own"], horizontal=True, key="ctx_map_source",
                default="Lee corpus")
if source == "Lee corpus":
    sentences, labels = ctx.corpus_sentences_with(word, limit=40), None
else:
    sentences, labels = ctx.labelled_sentences(in_url(
        st.text_area, "One a line, optionally “sense | sentence”", key="ctx_map_text",
        default="\n".join(f"{'river' if i == 0 else 'money'} | {s}" for i, s in enumerate(ctx.PRESETS["bank"]))))
layer_column, k_column = st.columns(2)
layer = in_url(layer_column.slider, "Layer", 0, layers - 1, key="ctx_layer", default=layers - 1)
clusters = in_url(k_column.slider, "k-means groups (without labels)", 2, 6, key="ctx_k", default=2)
try:
    many = ctx.static_vs_contextual(word, sentences, tokenizer, model)
    senses = ctx.sense_map(many, layer, labels, clusters)
    chart(sense_scatter(senses.points, senses.labels, senses.sentences,
                        f"“{word}” in {len(sentences)} sentences, layer {layer} "
                        f"(PCA keeps {senses.explained:.0%} of the variance)"))
except ValueError as error:
    show_error(error)
