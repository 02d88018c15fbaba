"""What the Train page keeps: the corpora (built-ins loaded once for everyone, an upload per
visitor, within its memory budget), this visitor's training job (both dropped when it
leaves), and the reports computed once when it ends (benchmarks, rare vs frequent against
GloVe), after which the table becomes a source."""
from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from engine.train.corpus import Corpus, builtin_corpus, corpus_from_bytes
from engine.train.job import TrainingJob
from ui.sources import add_user_source, builtin_table
from ui.visitor import table_budget, this_visitor

if TYPE_CHECKING:
    import pandas as pd

JOB = "train_job"            # Visitor.held: this visitor's training run
TEXT = "training text"       # Visitor.held: (upload id, Corpus) of its uploaded text
EXAMPLE_WORDS = {
    "lee": ("police fire israeli", "police officers fire firefighters israeli palestinian arafat "
            "sharon taliban afghanistan kabul laden government minister howard australia sydney "
            "security military attack killed people children men women"),
    "head500": ("king war music", "war armi battl film music album song king emperor church god "
                "philosophi theori languag citi state countri man woman peopl french german english"),
}


@st.cache_resource(show_spinner="Reading the corpus…")
def shared_corpus(name: str) -> Corpus:
    return builtin_corpus(name)


def uploaded_corpus(upload) -> Corpus:
    """This visitor's uploaded text (a Streamlit UploadedFile), read once per upload and
    counted against the visitor's and the server's memory budgets like a table: the corpus
    and the upload's bytes (which Streamlit keeps while the file is in its box). Dropped when
    another text replaces it or the visitor leaves. ValueError: bad or too large a text."""
    visitor, budget = this_visitor(), table_budget()
    held = visitor.held.get(TEXT)
    if held is not None and held[0] == upload.file_id:
        return held[1]
    if held is not None:
        budget.release(visitor.id, _item(held[1].name))
        del visitor.held[TEXT]
    item = _item(upload.name)
    budget.charge(visitor.id, item, upload.size)           # the bytes alone must fit first
    try:
        with st.spinner("Reading your text…"):
            corpus = corpus_from_bytes(upload.getvalue(), upload.name)
        budget.charge(visitor.id, item, corpus.nbytes + upload.size)
    except ValueError:
        budget.release(visitor.id, item)
        raise
    visitor.held[TEXT] = (upload.file_id, corpus)
    return corpus


def _item(name: str) -> str:
    return f"{name} (training text)"


def example_words(corpus: Corpus) -> tuple[str, str]:
    """(probe words, map words) for a corpus: curated for the built-ins, else its most
    frequent words of four letters or more."""
    if corpus.name in EXAMPLE_WORDS:
        return EXAMPLE_WORDS[corpus.name]
    common = [w for w, _ in corpus.counts.most_common(400) if len(w) >= 4][:25]
    return " ".join(common[:3]), " ".join(common)


def current_job() -> TrainingJob | None:
    return this_visitor().held.get(JOB)


def trained_fasttext() -> tuple[object, str] | None:
    """(gensim FastText model, table name) of this visitor's finished fastText run, if any."""
    job = current_job()
    if job is None or job.running or job.result is None or job.settings.method != "fasttext":
        return None
    return job.result.model, job.result.table.name


def start_job(corpus: Corpus, settings, probes: list[str], map_words: list[str]) -> None:
    """Train in a child process, ended if this visitor leaves. Bad settings raise ValueError
    before it starts."""
    visitor = this_visitor()
    job = TrainingJob(corpus, settings, probes, map_words, cancel=visitor.left)
    visitor.held[JOB] = job.start()


def finish(job: TrainingJob) -> dict:
    """Once per finished job: the scores and the rare-vs-frequent bins; the table becomes
    this visitor's source on every page."""
    if not job.extras:
        from engine.train.report import benchmark_scores, bins_to_dicts, rare_vs_frequent

        table = job.result.table
        job.extras["scores"] = benchmark_scores(table)
        try:
            bins, chance = rare_vs_frequent(table, job.corpus.counts, builtin_table("glove-6b-50d"))
            job.extras["rare"] = (bins_to_dicts(bins), chance)
        except ValueError as error:
            job.extras["rare"] = str(error)
        add_user_source(table)
    return job.extras


def epochs_frame(epochs) -> pd.DataFrame:
    """One row per epoch: loss, words/s and each probe word's nearest neighbours."""
    import pandas as pd

    return pd.DataFrame([{"epoch": e.epoch, "loss": e.loss, "words/s": round(e.words_per_second),
                          **{f"near “{w}”": ", ".join(n) for w, n in e.neighbours.items()}}
                         for e in epochs])


def show_epochs(job: TrainingJob) -> None:
    """The loss curve and the probe words' neighbours after each epoch so far."""
    from engine.plots.train import loss_curve

    epochs = list(job.epochs)
    if not epochs:
        st.caption("The first epoch's loss and neighbours appear when it ends.")
        return
    frame = epochs_frame(epochs)
    left, right = st.container(), st.container()
    if frame["loss"].notna().any():
        what = {"glove": "weighted squared error per co-occurrence cell",
                "torch-sgns": "mean −log σ loss per pair"}.get(job.settings.method,
                                                               "gensim's summed loss in the epoch")
        left.plotly_chart(loss_curve(frame["epoch"], frame["loss"], f"Loss ({what})"), width="stretch")
    else:
        left.info("gensim does not compute a loss for fastText; watch the neighbours instead.")
    right.dataframe(frame.drop(columns="loss"), hide_index=True, width="stretch")
