"""How Explore finds a word's neighbours: exact by cosine, dot product or CSLS, or on a big
table through the shared ANN index (cosine only). A word's list is computed once for every
visitor: a class types the same words, and each exact search reads the whole table."""
import streamlit as st

from engine import approximate, geometry
from engine.scoring import CSLS_K, neighbours_by
from engine.vectors import EmbeddingSet, Neighbour
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


@st.cache_data(show_spinner=False, max_entries=4096)
def _exact(key: str, _table: EmbeddingSet, word: str, topn: int, restrict: int, score: str,
           _penalty) -> tuple[Neighbour, ...]:
    """neighbours_by of the table whose cache key is `key` (its CSLS penalty follows from
    the key and `restrict`)."""
    return tuple(neighbours_by(_table, word, score, topn, restrict, _penalty))


@st.cache_data(show_spinner=False, max_entries=4096)
def _approximate(key: str, _table: EmbeddingSet, word: str, topn: int) -> tuple[Neighbour, ...]:
    return tuple(approximate.most_similar(_table, ann_index(key, _table)[0], word, topn))


def neighbours_of(table: EmbeddingSet, word: str, topn: int, restrict: int, score: str, exact: bool):
    """Exact neighbours, or on a big table by cosine (unless `exact`) the ANN index's, with a
    line on its recall."""
    key = table_key(table)
    if score != "cosine" or word not in table or exact:
        penalty = csls_penalty(table, restrict) if score == "csls" else None
        return _exact(key, table, word, topn, restrict, score, penalty)
    recall = ann_index(key, table)[1]
    st.caption(f"Approximate neighbours (faiss IVF index, {len(table):,} rows): recall@10 "
               f"{recall:.3f} against exact search, measured on 200 rows. Tick “Exact search” "
               "in the sidebar for the exact list (slower).")
    return _approximate(key, table, word, topn)
