"""Sentence search: MiniLM sentence vectors (mean pooling, unit length), exact and approximate
search over a collection, and cosine against raw dot product, for sentences and for words."""
import hashlib

import pandas as pd
import streamlit as st

from engine.contextual import all_lee_sentences
from engine.retrieval import cosine_vs_dot, embed_collection, search, split_sentences
from ui.common import ann_index, builtin_table, download_table, remembered, show_error
from ui.layer import minilm, seed_from_url


def hits_frame(hits, score: str) -> pd.DataFrame:
    return pd.DataFrame({"rank": [h.rank for h in hits], score: [round(h.score, 4) for h in hits],
                         "sentence": [h.key for h in hits]})


st.title("Sentence search")
st.caption("What a retrieval (RAG) system does under the hood: every sentence becomes one vector (MiniLM's "
           "last layer averaged over the sentence's tokens, scaled to length 1), and a query is answered "
           "by the sentences whose vectors have the largest cosine with the query's.")
LEE_FIRST = 300
kind = st.radio("Collection", [f"Lee corpus, first {LEE_FIRST} sentences", "Lee corpus, all sentences",
                               "My text"], horizontal=True, key="retrieval_collection",
                help="gensim's Lee corpus: Australian news. All of it (2,617 sentences) is embedded once "
                     "for every visitor, with a progress bar.")
try:
    if kind.startswith("Lee"):
        name, sentences = "lee", all_lee_sentences()
        sentences = sentences[:LEE_FIRST] if "first" in kind else sentences
    else:
        upload = st.file_uploader("A plain-text file (split into sentences)", type=["txt", "md"])
        if upload is None:
            st.info("Upload a .txt file to search it.")
            st.stop()
        name, sentences = upload.name, split_sentences(upload.getvalue().decode("utf-8", "replace"))
except ValueError as error:
    show_error(error)
    st.stop()
tokenizer, model = minilm()
digest = hashlib.blake2b("\n".join(sentences).encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()
collection = remembered(("sentences", digest), lambda progress: embed_collection(
    name, sentences, tokenizer, model, progress=progress), f"Embedding {len(sentences):,} sentences (once)")
index, index_recall = ann_index(collection.table.fingerprint, collection.table)
st.caption(f"{len(sentences):,} sentences × {collection.raw.shape[1]} dimensions; approximate index: faiss IVF, "
           f"{index.info.nlist} cells, {index.info.nprobe} searched per query, recall@10 {index_recall:.2f} "
           "on 200 of the sentences.")

seed_from_url("retrieval_query", "q", "fires burning near Sydney")
left, right = st.columns([4, 1])
query = left.text_input("Query", key="retrieval_query")
topn = right.number_input("Top k", 1, 50, 5, key="retrieval_topn")
st.query_params["q"] = query
try:
    report = search(collection, query, tokenizer, model, topn=int(topn), index=index)
except ValueError as error:
    show_error(error)
    st.stop()
if report.truncated:
    st.warning("The query is longer than 256 tokens; MiniLM reads only the first 256.")
exact, approximate = st.columns(2)
exact.subheader("Exact (every sentence scored)")
exact.dataframe(hits_frame(report.exact, "cosine"), hide_index=True)
download_table(hits_frame(report.exact, "cosine"), "search-exact.csv")
approximate.subheader(f"Approximate index: recall@{int(topn)} = {report.recall:.2f}")
approximate.dataframe(hits_frame(report.approximate, "cosine"), hide_index=True)

st.subheader("Cosine against raw dot product")
st.caption("Without the final scaling to length 1, a dot product rewards long vectors as much as "
           "well-aligned ones. Rows that change rank between the two lists are listed below each pair.")
sentences_side, words_side = st.columns(2)
sentences_side.markdown("**Sentences** (un-normalised mean-pooled vectors)")
sentences_side.dataframe(pd.DataFrame({"by cosine": [h.key for h in report.compared.cosine],
                                       "by dot product": [h.key for h in report.compared.dot]}), hide_index=True)
sentences_side.caption(f"{len(report.compared.changed())} sentences change rank.")
glove = builtin_table("glove-6b-50d")
words_side.markdown("**Words on GloVe** (norms grow with frequency)")
word = words_side.text_input("Word", "frog", key="retrieval_word").strip()
try:
    words = cosine_vs_dot(glove, glove[word], topn=10, exclude=glove.get_index(word))
    words_side.dataframe(pd.DataFrame({"by cosine": [h.key for h in words.cosine],
                                       "by dot product": [h.key for h in words.dot]}), hide_index=True)
    words_side.caption("Changed rank (cosine → dot): " + ", ".join(
        f"{k} {a or '–'}→{b or '–'}" for k, a, b in words.changed()))
except (KeyError, ValueError) as error:
    show_error(error)
