"""Vocabulary page: the out-of-vocabulary strategies side by side for one missing word."""
import streamlit as st

from engine.readers import UPLOAD_LIMITS
from engine.vocabulary import OOV_STRATEGIES, fasttext_from_bin, lee_fasttext, oov_vectors
from ui.text import md_text, show_error
from ui.train import trained_fasttext

STRATEGY_TITLES = {"unk": "UNK vector", "wordpiece": "WordPiece pieces (MiniLM)",
                   "fasttext": "fastText character n-grams", "hashing": "Hashing into buckets"}


@st.cache_resource(show_spinner="Training fastText on gensim's Lee corpus (once, about ten seconds)…")
def default_fasttext():
    return lee_fasttext()


@st.cache_resource(max_entries=2, show_spinner="Reading your fastText model…")
def uploaded_fasttext(file_id: str, _data: bytes):
    return fasttext_from_bin(_data, UPLOAD_LIMITS)


def fasttext_model(upload, strategies: list[str]) -> tuple[object, str]:
    """(model, name) of the fastText model the fallback uses: the visitor's .bin, else the one
    trained on the Train page, else the Lee-corpus model (trained only when shown)."""
    if upload:
        return uploaded_fasttext(upload.file_id, upload.getvalue()), upload.name
    return trained_fasttext() or (default_fasttext() if "fasttext" in strategies else None, "fasttext-lee")


def show_fallbacks(table, missing: list[str]) -> None:
    """The missing word chosen, and what each chosen fallback strategy gives it."""
    if not missing:
        st.caption("Every word is covered; add a made-up word to compare the fallbacks.")
        return
    left, right = st.columns([2, 3])
    word = left.selectbox("Missing word", missing)
    strategies = right.multiselect("Strategies", OOV_STRATEGIES, default=list(OOV_STRATEGIES),
                                   format_func=STRATEGY_TITLES.get)
    buckets = left.number_input("Hash buckets", 1, 10_000_000, 10_000, step=1_000)
    trained = trained_fasttext()
    upload = right.file_uploader("Your fastText .bin (optional; else " + (
        f"{md_text(trained[1])}, trained on the Train page)" if trained else "the Lee-corpus model; or train "
        "one on the Train page)"), type=["bin"])
    try:
        model, model_name = fasttext_model(upload, strategies)
        results = oov_vectors(table, word, strategies, fasttext_model=model, buckets=buckets,
                              fasttext_name=model_name)
    except (KeyError, ValueError) as error:
        show_error(error)
        results = []
    for column, result in zip(st.columns(max(len(results), 1)), results):
        column.subheader(STRATEGY_TITLES[result.strategy])
        column.caption(md_text(result.explanation))
        if result.parts:
            column.code(" ".join(result.parts[:40]), language=None)
        column.write(f"Nearest in **{md_text(result.space)}**: " +
                     md_text(", ".join(f"{n.key} ({n.score:.2f})" for n in result.neighbours)))
