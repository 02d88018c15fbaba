"""Train: word2vec, fastText, GloVe or a from-scratch skip-gram learned live from text; the
result becomes this visitor's source on every page."""
import streamlit as st

from engine.train.corpus import BUILTIN_CORPORA
from engine.train.settings import HELP, METHODS, TrainSettings
from ui.code import show_code
from ui.text import show_error
from ui.train import current_job, example_words, shared_corpus, show_epochs, start_job, uploaded_corpus
from ui.train_results import show_results

st.title("Train")
st.caption("Watch an embedding table being learned from real text. When it ends, the table is your "
           "source on every page (Explore, Analogies, Map, …), for you only.")

left = right = st.container()
choice = left.radio("Corpus", list(BUILTIN_CORPORA) + ["upload"], key="train_corpus",
                    format_func=lambda n: BUILTIN_CORPORA[n][1] if n in BUILTIN_CORPORA else "Your text file")
upload = left.file_uploader("UTF-8 text, one sentence per line", type=["txt", "cor"]) if choice == "upload" else None
try:
    corpus = (shared_corpus(choice) if choice != "upload" else
              uploaded_corpus(upload.file_id, upload.name, upload.getvalue()) if upload else None)
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

method = st.selectbox("Method", list(METHODS), format_func=METHODS.get, key="train_method")
gensim = method in ("word2vec", "fasttext")
columns = st.columns(5)


def number(column: int, label: str, name: str, low, high, default, **options):
    return columns[column].number_input(label, low, high, default, help=HELP[name], key=f"train_{name}",
                                        **options)


values = dict(dim=number(0, "Dimension", "dim", 1, 2000, 100), window=number(1, "Window", "window", 1, 100, 5),
              min_count=number(2, "min_count", "min_count", 1, 10**9, 5),
              epochs=number(3, "Epochs", "epochs", 1, 1000, 10), seed=number(4, "Seed", "seed", 0, 2**31 - 1, 1))
if gensim:
    values["sg"] = columns[0].radio("Architecture", ["skip-gram", "CBOW"], help=HELP["sg"],
                                    key="train_sg") == "skip-gram"
    values["hs"] = columns[1].checkbox("Hier. softmax", help=HELP["hs"], key="train_hs")
if method != "glove":
    values["negative"] = number(2, "negative", "negative", 0, 100, 5)
    values["sample"] = number(3, "sample", "sample", 0.0, 1.0, 1e-3, format="%g")
if method == "fasttext":
    values["min_n"], values["max_n"] = number(4, "min_n", "min_n", 1, 20, 3), number(4, "max_n", "max_n", 1, 20, 6)
if method == "glove":
    values["x_max"] = number(2, "x_max", "x_max", 1.0, 10_000.0, 10.0)
if method in ("glove", "torch-sgns"):
    values["learning_rate"] = number(3, "Learning rate", "learning_rate", 0.0001, 1.0,
                                     0.05 if method == "glove" else 0.01, format="%g")
probe_text, map_text = example_words(corpus)
probes = st.text_input("Probe words (neighbours listed after each epoch)", probe_text, key=f"train_probes_{corpus.name}").lower().split()
map_words = st.text_area("Words on the map", map_text, height=68, key=f"train_map_{corpus.name}").lower().split()
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
        if job is not None and st.session_state.get("train_drawn") is not job:
            st.session_state["train_drawn"] = job
            st.rerun()               # the run ended: draw the results (and the new source)
        return
    st.progress(job.fraction, text=f"{job.settings.method} on {job.corpus.name}: "
                f"{job.fraction:.0%}, {job.words_per_second:,.0f} words/s")
    if st.button("Stop", key="train_stop", help="End after the current batch; what was learned is kept."):
        job.stop()
    show_epochs(job)


st.fragment(live, run_every=1.0 if job is not None and job.running else None)()
if job is not None and not job.running:
    show_results(job)
show_code("train", {"train_probes": " ".join(probes), "train_upload": upload.name if upload else "corpus.txt"})
