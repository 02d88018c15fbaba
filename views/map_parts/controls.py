"""The Map page's sidebar: method, size, method parameters, colouring; and the search box."""
from dataclasses import dataclass

import streamlit as st

from engine.metadata import metadata_columns
from engine.project import COLOURINGS, METHOD_TITLES
from ui.common import url_text


@dataclass(frozen=True)
class MapChoices:
    spec: dict        # MapSpec fields, checked against the table later
    colouring: str
    clusters: int | None
    listed: str
    word: str


def choose(table) -> MapChoices:
    side = st.sidebar
    methods = list(METHOD_TITLES)
    wanted = url_text("method", "pca")
    method = side.radio("Method", methods, horizontal=True, format_func=METHOD_TITLES.get, key="map_method",
                        index=methods.index(wanted) if wanted in methods else 0)
    st.query_params["method"] = method
    rows = int(side.number_input("Words (most frequent first)", 3, len(table), min(10_000, len(table)),
                                 step=5_000, help="PCA and word axes take all rows; UMAP up to "
                                 "200,000 (minutes); t-SNE up to 20,000."))
    dims = side.radio("Dimensions", (2, 3), horizontal=True)
    spec = dict(method=method, rows=rows, dims=dims)
    if method == "umap":
        spec.update(n_neighbors=side.slider("n_neighbors", 2, 200, 15),
                    min_dist=side.slider("min_dist", 0.0, 0.99, 0.1, 0.01))
    elif method == "tsne":
        spec.update(perplexity=side.slider("Perplexity", 2.0, 100.0, 30.0, 1.0))
    elif method == "axes":
        defaults = ("woman - man", "good - bad", "big - small")
        spec.update(axes=tuple(side.text_input(f"{axis} axis (a word formula)", default)
                               for axis, default in zip("xyz", defaults[:dims])))
    columns = metadata_columns(table)
    how = side.selectbox("Colour by", columns + list(COLOURINGS),
                         help="An ID table's metadata columns come first; click a legend entry to "
                              "hide that category, double-click to show it alone.")
    clusters = side.slider("Clusters (k)", 2, 50, 8) if how == "k-means cluster" else None
    listed = side.text_input("Your words", "king, queen, paris, france, apple") if how == "word list" else ""
    word = st.text_input("Search a word", url_text("word", ""), key="map_word").strip()
    st.query_params["word"] = word
    return MapChoices(spec, how, clusters, listed, word)
