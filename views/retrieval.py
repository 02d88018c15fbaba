"""Sentence search: MiniLM sentence vectors (mean pooling, unit length), exact and approximate
search over a collection, and cosine against raw dot product, for sentences and for words."""
import pandas as pd
import streamlit as st

from engine.contextual import all_lee_sentences
from engine.retrieval import INDEX_MIN_SENTENCES, search, split_sentences
from ui.downloads import download_table
from ui.layer import minilm
from ui.notice import notice
from ui.sentences import sentence_collection
from ui.sources import ann_index
from ui.text import show_error
from ui.url_state import in_url
from views.retrieval_parts import words

LEE_FIRST = 300
COLLECTIONS = [f"Lee corpus, first {LEE_FIRST} sentences", "Lee corpus, all sentences", "My text"]


def hits_frame(hits, score: str) -> pd.DataFrame:
    return pd.DataFrame({"rank": [h.rank for h in hits], score: [round(h.score, 4) for h in hits],
                         "sentence": [h.key for h in hits]})


def chosen_sentences(kind: str) -> tuple[str, list[str]] | None:
    """(name, sentences) of the chosen collection; None until a visitor's file is uploaded."""
    if kind.startswith("Lee"):
        sentences = all_lee_sentences()
        return "lee", sentences[:LEE_FIRST] if "first" in kind else sentences
    upload = st.file_uploader("A plain-text file (split into sentences)", type=["txt", "md"])
    if upload is None:
        st.info("Upload a .txt file to search it.")
        return None
    return upload.name, split_sentences(upload.getvalue().decode("utf-8", "replace"))


def show_search(name: str, sentences: list[str], query: str, topn: int) -> None:
    tokenizer, model = minilm()
    collection = sentence_collection(name, sentences)
    index = None
    if len(sentences) >= INDEX_MIN_SENTENCES:
        index, index_recall = ann_index(collection.table.fingerprint, collection.table)
        st.caption(f"{len(sentences):,} sentences × {collection.raw.shape[1]} dimensions; approximate index: "
                   f"{index.info.method}, recall@10 {index_recall:.2f} on {min(200, len(sentences))} of the "
                   "sentences.")
    else:
        st.caption(f"{len(sentences):,} sentences: too few for an approximate index (it trains on at least "
                   f"{INDEX_MIN_SENTENCES}), so every search is exact.")
    report = search(collection, query, tokenizer, model, topn=topn, index=index)
    if report.truncated:
        st.warning("The query is longer than 256 tokens; MiniLM reads only the first 256.")
    exact, approximate = st.columns(2)
    exact.subheader("Exact (every sentence scored)")
    exact.table(hits_frame(report.exact, "cosine"), hide_index=True)     # sentences wrap
    download_table(hits_frame(report.exact, "cosine"), "search-exact.csv")
    if index is not None:
        approximate.subheader(f"Approximate index: recall@{topn} = {report.recall:.2f}")
        approximate.table(hits_frame(report.approximate, "cosine"), hide_index=True)
    st.markdown("**Cosine against raw dot product, on sentences** (un-normalised mean-pooled vectors)")
    st.table(pd.DataFrame({"by cosine": [h.key for h in report.compared.cosine],
                           "by dot product": [h.key for h in report.compared.dot]}), hide_index=True)
    notice(f"{len(report.compared.changed())} sentences change rank.")


st.title("Sentence search")
st.caption("What a retrieval (RAG) system does under the hood: every sentence becomes one vector (MiniLM's "
           "last layer averaged over the sentence's tokens, scaled to length 1), and a query is answered "
           "by the sentences whose vectors have the largest cosine with the query's. Without that final "
           "scaling to length 1, a dot product rewards long vectors as much as well-aligned ones: "
           "compared below each search.")
kind = in_url(st.radio, "Collection", COLLECTIONS, horizontal=True, key="retrieval_collection", default=COLLECTIONS[0],
              help="gensim's Lee corpus: Australian news. All of it (2,617 sentences) is embedded once "
                   "for every visitor, with a progress bar.")
left, right = st.columns([4, 1])
query = in_url(left.text_input, "Query", key="retrieval_query", default="fires burning near Sydney")
topn = int(in_url(right.number_input, "Top k", 1, 50, key="retrieval_topn", default=5))
try:
    chosen = chosen_sentences(kind)
    if chosen is not None:
        show_search(*chosen, query, topn)
except ValueError as error:
    show_error(error)

words.show()
