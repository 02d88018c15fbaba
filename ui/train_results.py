"""The Train page's results: the summary card, the animated map across epochs, rare versus
frequent words, what the method's own machinery looked like, and the download."""
from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from engine.plots import train as plots
from engine.train.job import TrainingJob
from engine.train.report import describe_rare_vs_frequent, describe_scores
from ui.downloads import download_figure
from ui.notice import notice
from ui.text import md_text, show_error
from ui.train import finish, show_epochs


def _score(value, digits=3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def summary_card(job: TrainingJob, scores: dict) -> None:
    trained = job.result
    with st.container(border=True):
        st.subheader(md_text(trained.table.name))
        cells = st.columns(3) + st.columns(2)
        cells[0].metric("You waited", f"{job.waited_seconds:.1f} s", help="From pressing Train to the table: "
                        "waiting for a free training process, starting it, sending it the corpus, waiting "
                        "for a core, training and sending the table back")
        cells[1].metric("Training", f"{trained.seconds:.1f} s", help="The training loop alone")
        cells[2].metric("Words/s", f"{trained.words_per_second:,.0f}", help="Training speed")
        cells[3].metric("Vocabulary", f"{len(trained.table):,}")
        cells[4].metric("Epochs", f"{len(trained.epochs)} of {trained.settings.epochs}")
        cells = st.columns(3)
        for cell, name, title in zip(cells, ("wordsim353", "simlex999"), ("WordSim-353", "SimLex-999")):
            cell.metric(f"{title} ρ", _score(scores[name]["spearman"]),
                        help=f"Spearman, on the {scores[name]['pairs']} pairs whose words the vocabulary has")
            cell.caption(f"{scores[name]['coverage']:.0%} of the pairs covered")
        analogies = scores["analogies"]
        cells[2].metric("Analogies", f"{analogies['correct']} / {analogies['questions']}",
                        help="Google's analogy questions answered right, of those the vocabulary covers")
        cells[2].caption(f"{analogies['coverage']:.1%} of the 19,544 questions covered")
        notice(describe_scores(scores, job.corpus.words))
        st.caption(" · ".join(f"{k} {v}" for k, v in trained.settings.used().items()))


def epoch_map_view(job: TrainingJob) -> None:
    from engine.train.align import epoch_maps

    trained = job.result
    try:
        maps = epoch_maps([e.snapshot for e in trained.epochs])
    except ValueError as error:
        show_error(error)
        return
    figure = plots.epoch_map(maps, trained.map_words, "Your words after each epoch (PCA, each epoch "
                             "turned onto the last by orthogonal Procrustes)")
    st.plotly_chart(figure, width="stretch")
    st.caption("Press ▶ to replay training. Only rotation and mirroring are removed between epochs, so "
               "every move is learning, not axes.")
    download_figure(figure, f"epochs-{trained.table.name}.html")


def rare_view(job: TrainingJob, rare) -> None:
    if isinstance(rare, str):
        st.info(rare)
        return
    bins, chance = rare
    st.plotly_chart(plots.rare_vs_frequent(bins, chance, "GloVe 6B"), width="stretch")
    st.caption("For each word both tables have, the share of its 10 nearest neighbours (among the shared "
               "words) that GloVe, trained on 6 billion words, agrees with; the dotted line is chance.")
    notice(describe_rare_vs_frequent(bins, chance))


def method_view(job: TrainingJob) -> None:
    trained = job.result
    if trained.cooccurrence is not None:
        left, right = st.columns(2)
        n = min(15, len(trained.table))
        corner = trained.cooccurrence.tocsr()[:n, :n].toarray()
        left.plotly_chart(plots.cooccurrence_corner(corner, trained.table.index_to_key[:n]), width="stretch")
        right.plotly_chart(plots.weighting_curve(trained.settings.x_max), width="stretch")
        right.caption(f"{trained.cooccurrence.nnz:,} nonzero cells of {len(trained.table) ** 2:,}: "
                      "GloVe fits only these, each weighted by f(x).")
    if trained.steps:
        rows = len(trained.table)
        st.dataframe(pd.DataFrame([{"step": s.step + 1, "loss": round(s.loss, 4),
                                    "input rows changed": f"{len(s.input_rows):,} of {rows:,}",
                                    "output rows changed": f"{len(s.output_rows):,} of {rows:,}",
                                    "some input rows": ", ".join(trained.table.index_to_key[i]
                                                                 for i in np.sort(s.input_rows)[:6])}
                                   for s in trained.steps]), hide_index=True, width="stretch")
        st.caption("SparseAdam touches only the rows a batch used: its centre words in the input table, "
                   "its context and noise words in the output table.")
    if trained.cooccurrence is None and not trained.steps:
        st.caption("gensim's C code updates the rows of each word pair in place; see the torch skip-gram "
                   "for the rows one step changes.")


def show_results(job: TrainingJob) -> None:
    if job.error:
        show_error(ValueError(job.error))
        return
    from engine.readers import write_vectors

    extras = finish(job)
    trained = job.result
    if not trained.complete:
        st.warning(f"Stopped: {md_text(trained.table.name)} holds what {len(trained.epochs)} of "
                   f"{trained.settings.epochs} epochs learned (partial).")
    summary_card(job, extras["scores"])
    st.download_button("Download the table (word2vec text)", write_vectors(trained.table, "word2vec-text"),
                       file_name=f"{trained.table.name}.vec", key="train_download")
    if trained.settings.method == "fasttext":
        from engine.train.fasttext import fasttext_bin

        st.download_button("Download the fastText model (.bin, with its n-grams)",
                           lambda: fasttext_bin(trained.model), file_name=f"{trained.table.name}.bin",
                           mime="application/octet-stream", key="train_download_bin", on_click="ignore",
                           help="Facebook's format: fastText, gensim's load_facebook_model and the Load "
                                "page read it, with vectors for unseen words")
    learning, moving, rare, inside = st.tabs(["Learning", "Map across epochs", "Rare vs frequent",
                                              "Inside the method"])
    with learning:
        show_epochs(job)
    with moving:
        epoch_map_view(job)
    with rare:
        rare_view(job, extras["rare"])
    with inside:
        method_view(job)
