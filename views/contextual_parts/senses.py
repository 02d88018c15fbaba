"""Many sentences that use the word: a map of its vectors at one layer, and Ethayarajh's
measures of how contextual they are, layer by layer."""
import pandas as pd
import streamlit as st

from engine import contextual as ctx
from engine.contextuality import describe_contextuality, word_contextuality
from engine.plots.contextual import contextuality_by_layer, sense_scatter
from engine.plots.text import plot_text
from ui.code import show_code
from ui.downloads import download_table
from ui.notice import notice
from ui.presentation import chart
from ui.results import remembered
from ui.text import md_text, show_error
from ui.url_state import in_url


def measures_frame(measures) -> pd.DataFrame:
    """Each measure raw and minus its baseline, one row each, one column per layer."""
    rows = {"baseline cosine": measures.baseline.mean_cosine, "self-similarity": measures.self_similarity,
            "self-similarity, adjusted": measures.adjusted_self_similarity,
            "intra-sentence similarity": measures.baseline.intra_sentence,
            "intra-sentence, adjusted": measures.adjusted_intra_sentence, "MEV": measures.mev,
            "MEV of random tokens": measures.baseline.mev, "MEV, adjusted": measures.adjusted_mev}
    return pd.DataFrame({"": list(rows)} | {f"layer {layer}": [float(v[layer]) for v in rows.values()]
                                             for layer in range(len(measures.self_similarity))})


def show(word: str, tokenizer, model, baseline, layers: int) -> None:
    st.subheader("Many sentences: a map of senses and how contextual the word is")
    st.caption(f"Sentences from gensim's Lee corpus (Australian news) that use “{md_text(word)}”, or your own. "
               "Type “sense | sentence” on each line to colour by your labels; otherwise k-means groups them.")
    source = in_url(st.radio, "Sentences", ["Lee corpus", "My own"], horizontal=True, key="ctx_map_source",
                    default="Lee corpus")
    if source == "Lee corpus":
        sentences, labels = ctx.corpus_sentences_with(word, limit=ctx.MAP_SENTENCES), None
    else:
        sentences, labels = ctx.labelled_sentences(in_url(
            st.text_area, "One a line, optionally “sense | sentence”", key="ctx_map_text",
            default=ctx.preset_text("bank"), help=ctx.SIZE_LIMITS))
    layer_column, k_column = st.columns(2)
    layer = in_url(layer_column.slider, "Layer", 0, layers - 1, key="ctx_layer", default=layers - 1)
    clusters = in_url(k_column.slider, "k-means groups (without labels)", 2, 6, key="ctx_k", default=2)
    try:
        many = remembered(("contextual", word, tuple(sentences)),
                          lambda progress: ctx.static_vs_contextual(word, sentences, tokenizer, model, progress),
                          f"Running MiniLM on {len(sentences):,} sentences…")
        senses = remembered(("senses", word, tuple(sentences), layer, labels and tuple(labels), clusters),
                            lambda progress: ctx.sense_map(many, layer, labels, clusters), "Mapping the senses…")
        chart(st, sense_scatter(senses.points, senses.labels, senses.sentences,
                                f"“{plot_text(word)}” in {len(sentences)} sentences, layer {layer} "
                                f"(PCA keeps {senses.explained:.0%} of the variance)"))
        measures = word_contextuality(many, baseline)
    except ValueError as error:
        show_error(error)
        return
    st.markdown("**How contextual, layer by layer** (Ethayarajh 2019): *self-similarity*, the mean cosine "
                "between the word's vectors in different sentences; *intra-sentence similarity*, between a "
                "sentence's tokens and their mean; *MEV*, the share of the variance of the word's vectors "
                "that one direction (the best a static vector could do) explains. Each minus its value for "
                "random tokens.")
    chart(st, contextuality_by_layer(measures))
    notice(md_text(describe_contextuality(measures)))
    frame = measures_frame(measures)
    st.table(frame.style.format(precision=3), hide_index=True)   # headers wrap: it fits a 400 px phone
    download_table(frame, f"contextuality-{word}.csv")
    show_code("contextual.senses")
