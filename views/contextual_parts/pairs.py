"""One word in a few sentences: their cosines layer by layer, raw or minus the anisotropy
baseline, and whether (on these numbers) sentences of one sense stay closer than two senses."""
import pandas as pd
import streamlit as st

from engine import contextual as ctx
from engine.contextuality import describe_separation, sense_separation
from engine.plots.contextual import layer_cosines
from ui.code import show_code
from ui.downloads import download_table
from ui.notice import notice
from ui.presentation import chart
from ui.text import md_text
from ui.url_state import in_url

MODES = ["adjusted for anisotropy", "raw"]


def cosine_frame(result, labels, baseline, adjusted: bool) -> pd.DataFrame:
    """One row per pair of sentences, one column per layer: adjusted, after the baseline that
    they subtract; raw, followed by each sentence against the static row."""
    between, to_static = result.cosine_between(), result.cosine_to_static()
    count = len(result.occurrences)
    sense = (lambda i, j: "") if labels is None else (
        lambda i, j: f" ({labels[i]})" if labels[i] == labels[j] else f" ({labels[i]}–{labels[j]})")
    rows = {"baseline (two random tokens)": baseline.mean_cosine} if adjusted else {}
    rows |= {f"S{i + 1} vs S{j + 1}{sense(i, j)}": between[:, i, j] - (baseline.mean_cosine if adjusted else 0)
             for i in range(count) for j in range(i + 1, count)}
    if not adjusted:
        rows |= {f"S{i + 1} vs static row": to_static[i] for i in range(count)}
    return pd.DataFrame({"": list(rows)} | {f"layer {layer}": [round(float(v[layer]), 3) for v in rows.values()]
                                             for layer in range(result.layers)})


def show(result, labels, baseline) -> None:
    if len(result.pieces) > 1:
        st.info(f"“{md_text(result.word)}” is not one WordPiece token: it splits into "
                f"**{md_text(' '.join(result.pieces))}**. Its static row and its vector in each sentence "
                "are the mean of its pieces' vectors.")
    for number, occurrence in enumerate(result.occurrences, 1):
        if occurrence.truncated:
            st.warning(f"Sentence {number} is longer than {ctx.MAX_TOKENS} tokens; MiniLM reads only the "
                       f"first {ctx.MAX_TOKENS}.")
    adjusted = in_url(st.radio, "Cosine", MODES, horizontal=True, key="ctx_cosine", default=MODES[0],
                      help="Every layer's vectors share a direction, which inflates every cosine by a different "
                           "amount per layer (Ethayarajh 2019). Adjusted: minus the mean cosine of two random "
                           "tokens of different Lee corpus sentences at that layer.") == MODES[0]
    between = result.cosine_between()
    chart(st, layer_cosines(between, result.cosine_to_static(), baseline.mean_cosine, labels, adjusted))
    shown = between - baseline.mean_cosine[:, None, None] if adjusted else between
    separation = sense_separation(shown, labels) if labels else None
    if separation is not None:
        notice(md_text(describe_separation(separation)))
    else:
        st.caption("Label each sentence with its sense (“river | I sat on the bank.”) to check whether "
                   "sentences of one sense stay closer than sentences of two.")
    frame = cosine_frame(result, labels, baseline, adjusted)
    st.table(frame.style.format(precision=3), hide_index=True)   # headers wrap: it fits a 400 px phone
    download_table(frame, f"contextual-{result.word}.csv")
    show_code("contextual")
