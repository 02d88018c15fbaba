"""The Map page's work: the projection (remembered; slow methods only on request) and the
colouring."""
import streamlit as st

from engine.metadata import colour_codes, metadata_columns
from engine.project import (
    MAP_MAX_ROWS,
    METHOD_TITLES,
    Colouring,
    MapSpec,
    cached_map,
    colour_by,
    fingerprint,
    is_cached,
    kmeans_labels,
)
from ui.sources import get_table


@st.cache_data(show_spinner="Computing the map…", max_entries=12)
def remembered_map(source: str, rows_print: str, spec: MapSpec):
    return cached_map(get_table(source), spec)


@st.cache_data(show_spinner="k-means in the full space…", max_entries=12)
def remembered_clusters(source: str, rows_print: str, rows: int, k: int):
    return kmeans_labels(get_table(source).vectors[:rows], k)


def computed_map(table, choices):
    """(checked MapSpec, map result, colouring) for the choices; ValueError/KeyError for bad input. Stops the
    page behind a button when a slow method's map is not saved yet."""
    spec, fresh = MapSpec(**choices.spec).checked(table), None
    method, rows = spec.method, spec.rows
    if rows < choices.spec["rows"]:
        st.info(f"A map draws at most {MAP_MAX_ROWS:,} words: these are the {rows:,} most "
                f"frequent (first) rows of the {choices.spec['rows']:,} asked for.")
    if method in ("umap", "tsne") and not is_cached(table, spec):
        pace = {"umap": "about 25 s per 50,000 words, all 400,000 about 12 minutes of one core (45 on a "
                        "busy server), plus about a minute to compile the first time",
                "tsne": "about a minute per 10,000 words"}[method]
        st.info(f"{METHOD_TITLES[method]} takes a while ({pace}). The map is saved, so it runs once.")
        if not st.button(f"Compute the {METHOD_TITLES[method]} map of {rows:,} words", type="primary"):
            st.stop()
        bar = st.progress(0.0, f"Computing the {METHOD_TITLES[method]} map of {rows:,} words…")
        fresh = cached_map(table, spec, progress=lambda done, text: bar.progress(min(done, 1.0), text))
        bar.progress(1.0, "Map ready (saved for next time)")
    rows_print = fingerprint(table.vectors[:rows])
    result = fresh or remembered_map(table.name, rows_print, spec)
    labels = remembered_clusters(table.name, rows_print, rows, choices.clusters) if choices.clusters else None
    if choices.colouring in metadata_columns(table):
        codes, categories = colour_codes(table, choices.colouring, rows)
        return spec, result, Colouring(codes, choices.colouring, categories)
    return spec, result, colour_by(table, rows, choices.colouring, labels, choices.listed)
