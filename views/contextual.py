"""Static versus contextual: one word's MiniLM vector in several sentences, layer by layer,
against the single row the token table gives it and against the anisotropy baseline; then
many sentences as a map of senses, with Ethayarajh's measures of how contextual it is."""
import streamlit as st

from engine import contextual as ctx
from engine.contextuality import BASELINE_SENTENCES, describe_baseline, lee_baseline
from ui.layer import minilm
from ui.notice import notice
from ui.results import remembered
from ui.text import md_text, show_error
from ui.url_state import in_url
from views.contextual_parts import pairs, senses


def load_preset() -> None:
    chosen = st.session_state.ctx_preset
    if chosen:
        st.session_state.update(ctx_word=chosen, ctx_sentences=ctx.preset_text(chosen))


st.title("Static versus contextual")
st.caption("A static table gives a word one row, whatever it means. A transformer rewrites that row "
           "layer by layer from the words around it. Here is MiniLM (6 layers, 384 dimensions) doing it.")
st.pills("Presets", list(ctx.PRESETS), key="ctx_preset", on_change=load_preset)
left, right = st.columns([1, 3])
word = in_url(left.text_input, "Word", key="ctx_word", default="bank").strip()
text = in_url(right.text_area, "Sentences that use it, one a line, optionally “sense | sentence”",
              key="ctx_sentences", height=140, default=ctx.preset_text(word if word in ctx.PRESETS else "bank"),
              depends_on=word, help=ctx.SIZE_LIMITS)
tokenizer, model = minilm()
layers = model.config.num_hidden_layers + 1
baseline = remembered(("contextual-baseline", BASELINE_SENTENCES),
                      lambda progress: lee_baseline(tokenizer, model, progress=progress),
                      f"Anisotropy baseline: MiniLM over {BASELINE_SENTENCES} Lee corpus sentences (once)…")
notice(md_text(describe_baseline(baseline)))
try:
    sentences, labels = ctx.labelled_sentences(text)
    compared = remembered(("contextual", word, tuple(sentences)),
                          lambda progress: ctx.static_vs_contextual(word, sentences, tokenizer, model, progress),
                          "Running MiniLM on the sentences…")
    pairs.show(compared, labels, baseline)
except ValueError as error:
    show_error(error)
senses.show(word, tokenizer, model, baseline, layers)
