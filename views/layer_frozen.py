"""Frozen or trainable: one small real task, the embedding layer trained three ways."""
import numpy as np
import streamlit as st

from engine.layer.frozen import MODES, describe_runs, train_words
from engine.plots import layer as plots
from ui.code import show_code
from ui.downloads import download_figure
from ui.layer import classifier_runs
from ui.notice import notice
from ui.presentation import chart

st.title("Frozen or trainable")
st.caption("A sentiment classifier on gensim's 200 labelled movie-review sentences: the mean of a "
           "sentence's word rows (torch.nn.EmbeddingBag), then one linear unit. Its table starts "
           "from GloVe rows and stays frozen, or is fine-tuned, or starts from random rows.")
left, right = st.columns([3, 1])
seed = right.number_input("Seed (split and init)", 0, 99, 0, key="frozen_seed")
epochs = right.select_slider("Epochs (full batch, Adam)", [50, 100, 200], 100, key="frozen_epochs")
data, runs = classifier_runs(int(seed), int(epochs))
figure = plots.classifier_results(runs, MODES)
chart(left, figure, width="stretch")
frozen = runs[list(MODES).index("frozen")]
with right:
    notice(describe_runs(data, runs))
right.caption(f"The frozen rows carry what these {len(data.words):,} words meant in six billion tokens of "
              f"text; the trainable ones learn from {len(data.train)} sentences. Other seeds split the sentences "
              "differently and can change the order.")
download_figure(figure, "frozen-or-trainable.html")

st.subheader("Which rows moved")
left, right = st.columns([3, 1])
mode = right.radio("Table", ["fine_tuned", "random"], format_func=MODES.get, key="frozen_mode")
run = runs[list(MODES).index(mode)]
seen = train_words(data)
chart(left, plots.moved_words(data.words, run.moved, f"Rows that moved farthest ({MODES[mode]})"),
                  width="stretch")
right.metric(f"rows that moved, of {len(data.words):,}", f"{int((run.moved > 0).sum()):,}")
right.metric("… all in the training sentences", "yes" if np.array_equal(run.moved > 0, seen) else "no")
right.metric("mean move / row length", f"{run.relative_move:.0%}")
with right:
    notice(f"Only the {int(seen.sum()):,} words of the training sentences get a gradient; the "
           f"{int((~seen).sum()):,} words seen only in held-out sentences keep their start rows while the "
           f"rows around them move. The frozen table moved {int((frozen.moved > 0).sum())} rows. Words GloVe "
           f"lacks ({1 - data.coverage:.1%} of tokens) are left out.")
show_code("frozen")
