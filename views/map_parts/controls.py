"""The Map page's sidebar: method, size, method parameters, colouring; and the search box."""
from dataclasses import dataclass

import streamlit as st

from engine.metadata import metadata_columns
from engine.project import COLOURINGS, METHOD_TITLES, example_word_list, split_words
from ui.url_state import in_url
from ui.words import has_formula, has_word, has_words, resolved_words


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
    method = in_url(side.radio, "Method", methods, horizontal=True, format_func=METHOD_TITLES.get,
                    key="method", default="pca")
    rows = int(in_url(side.number_input, "Words (most frequent first)", 3, len(table), key="map_rows",
                      default=min(10_000, len(table)), depends_on=table.name, step=5_000,
                      help="PCA and word axes take all rows, UMAP too (minutes; computed once and kept); "
                           "t-SNE up to 20,000."))
    dims = in_url(side.radio, "Dimensions", (2, 3), horizontal=True, key="dims", default=2)
    spec = dict(method=method, rows=rows, dims=dims)
    if method == "umap":
        spec.update(n_neighbors=in_url(side.slider, "n_neighbors", 2, 200, key="n_neighbors", default=15),
                    min_dist=in_url(side.slider, "min_dist", 0.0, 0.99, 0.01, key="min_dist", default=0.1))
    elif method == "tsne":
        spec.update(perplexity=in_url(side.slider, "Perplexity", 2.0, 100.0, 1.0, key="perplexity",
                                      default=30.0))
    elif method == "axes":
        defaults = ("woman - man", "good - bad", "big - small")
        spec.update(axes=tuple(in_url(side.text_input, f"{axis} axis (a word formula)", key=axis, default=default,
                                      depends_on=table.name, usable=has_formula(table))
                               for axis, default in zip("xyz", defaults[:dims])))
    columns = metadata_columns(table)
    how = in_url(side.selectbox, "Colour by", columns + list(COLOURINGS), key="colour",
                 default=(columns + list(COLOURINGS))[0], depends_on=table.name,
                 help="An ID table's metadata columns come first; click a legend entry to "
                      "hide that category, double-click to show it alone.")
    clusters = (in_url(side.slider, "Clusters (k)", 2, 50, key="clusters", default=8)
                if how == "k-means cluster" else None)
    listed = your_words(table) if how == "word list" else ""
    how = "frequency rank" if listed is None else how
    known = has_word(table)
    word = in_url(st.text_input, "Search a word", key="map_word", default="", depends_on=table.name,
                  usable=lambda text: not text.strip() or known(text)).strip()
    return MapChoices(spec, how, clusters, listed or "", word)


def your_words(table) -> str | None:
    """The listed words as the table's keys ("King" as "king", said in a caption), or None
    after an error in the sidebar (the map is then coloured by frequency)."""
    example = ", ".join(example_word_list(table))
    text = in_url(st.sidebar.text_input, "Your words", key="words", default=example, depends_on=table.name,
                  usable=has_words(table))
    keys = resolved_words(table, split_words(text), st.sidebar)
    return None if keys is None else ", ".join(keys)
