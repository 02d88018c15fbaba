"""Train: word2vec, fastText, GloVe or a from-scratch skip-gram learned live from text; the
result becomes this visitor's source on every page."""
import streamlit as st

from engine.train.corpus import BUILTIN_CORPORA
from engine.train.job import training_turns
from engine.train.settings import PRESETS, TrainSettings
from engine.turns import ordinal
from ui.code import show_code
from ui.text import md_text, show_error
from ui.train import current_job, example_words, shared_corpus, show_epochs, start_job, uploaded_corpus
from ui.train_results import show_results
from ui.url_state import in_url
from views.train_parts.settings import chosen_settings, load_preset

st.title("Train")
st.caption("Watch an embedding table being learned from real text. When it ends, the table is your "
           "source on every page (Explore, Analogies, Map, …), for you only.")

st.pills("Presets", list(PRESETS), key="train_preset", on_change=load_preset, help=" ".join(
    f"“{name}”: {settings.method} {'skip-gram' if settings.sg else 'CBOW'}, {settings.dim}-d, {settings.epochs} "
    f"epochs on the {BUILTIN_CORPORA[corpus][1].split(':')[0]}." for name, (corpus, settings) in PRESETS.items()))
left = right = st.container()
choice = left.radio("Corpus", list(BUILTIN_CORPORA) + ["upload"], key="train_corpus", index=1,
                    format_func=lambda n: BUILTIN_CORPORA[n][1] if n in BUILTIN_CORPORA else "Your text file")
upload = left.file_uploader("UTF-8 text, one sentence per line", type=["txt", "cor"]) if choice == "upload" else None
try:
    corpus = (shared_corpus(choice) if choice != "upload" else
              uploaded_corpus(upload) if upload else None)
except ValueError as error:
    show_error(error)
    st.stop()
if corpus is None:
    st.info("Upload a plain-text file to train on it.")
    st.stop()
cells = right.columns(3)
cells[0].metric("Words", f"{corpus.words:,}")
cells[1].metric("Distinct words", f"{corpus.vocabulary:,}")
cells[2].metric("Lines", f"{len(corpus.sentences):,}")
right.caption("Most frequent: " + ", ".join(f"{w} ({c:,})" for w, c in corpus.top_words(15)))

method, values = chosen_settings()
probe_text, map_text = example_words(corpus)   # each corpus's own words, unless the visitor typed theirs
probes = in_url(st.text_input, "Probe words (neighbours listed after each epoch)", key="train_probes",
                default=probe_text, depends_on=corpus.name).lower().split()
map_words = in_url(st.text_area, "Words on the map", key="train_map", default=map_text, height=68,
                   depends_on=corpus.name).lower().split()
st.caption("The corpus is read in lower case, so are these words. Training runs in a process of its own, "
           "on one thread at low priority: the server's other core stays free for other visitors.")

job = current_job()
if st.button("Train", type="primary", disabled=job is not None and job.running, key="train_start"):
    try:
        start_job(corpus, TrainSettings(method=method, workers=1, **values), probes, map_words)
    except ValueError as error:
        show_error(error)
    job = current_job()


def live() -> None:
    job = current_job()
    if job is None or not job.running:
        if job is not None and st.session_state.get("train_drawn") != id(job):
            st.session_state["train_drawn"] = id(job)
            st.rerun()               # the run ended: draw the results (and the new source)
        return
    if job.place:
        st.info(f"Waiting for a free training process: yours is {ordinal(job.place)} in line "
                f"({training_turns().size} train at a time on this server).")
    st.progress(job.fraction, text=f"{job.settings.method} on {md_text(job.corpus.name)}: "
                f"{job.fraction:.0%}, {job.words_per_second:,.0f} words/s")
    if st.button("Stop", key="train_stop", help="End after the current batch; what was learned is kept."):
        job.stop()
    show_epochs(job)


st.fragment(live, run_every=1.0 if job is not None and job.running else None)()
if job is not None and not job.running:
    show_results(job)
show_code("train", {"train_probes": " ".join(probes), "train_upload": upload.name if upload else "corpus.txt"})
