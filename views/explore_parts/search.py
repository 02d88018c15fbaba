"""How Explore finds a word's neighbours: exact by cosine, dot product or CSLS, or on a big
table through the shared ANN index (cosine only)."""
import streamlit as st

from engine import approximate, geometry
from engine.scoring import CSLS_K, neighbours_by
from engine.vectors import EmbeddingSet
from ui.results import remembered, table_key
from ui.sources import ann_index

SCORES = {"cosine": "cosine", "dot": "dot product", "csls": "CSLS"}


def csls_penalty(table: EmbeddingSet, restrict: int):
    """r_k of every searched row, from the exact neighbour graph (the Geometry page's own
    key: computed once for both pages and every visitor)."""
    graph = remembered(("graph", table_key(table), restrict, CSLS_K),
                       lambda progress: geometry.neighbour_graph(table, CSLS_K, restrict, progress),
                       f"CSLS: the exact {CSLS_K} nearest neighbours of each of {restrict:,} rows, once…")
    return geometry.csls_penalty(graph)


def neighbours_of(table: EmbeddingSet, word: str, topn: int, restrict: int, score: str, exact: bool):
    """Exact neighbours, or on a big table by cosine (unless `exact`) the ANN index's, with a
    line on its recall."""
    if score != "cosine" or word not in table or exact:
        penalty = csls_penalty(table, restrict) if score == "csls" else None
        return neighbours_by(table, word, score, topn, restrict, penalty)
    index, recall = ann_index(table_key(table), table)
    st.caption(f"Approximate neighbours (faiss IVF index, {len(table):,} rows): recall@10 "
               f"{recall:.3f} against exact search, measured on 200 rows. Tick “Exact search” "
               "in the sidebar for the exact list (slower).")
    return approximate.most_similar(table, index, word, topn)
