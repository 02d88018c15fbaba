"""The Map page's work: the projection (remembered; slow methods only on request) and the
colouring; k-means and the faithfulness's search of all rows on the server's cluster when
its owner configured one ($EMBEDDING_LAB_CLUSTER) and the table is in files it can read."""
import streamlit as st

from engine.cluster import passes
from engine.map_cache import cached_map, fingerprint, is_cached
from engine.metadata import colour_codes, metadata_columns
from engine.project import MAP_MAX_ROWS, METHOD_TITLES, Colouring, MapSpec, colour_by, kmeans_labels
from ui.sources import get_table
from ui.visitor import left_check, stopped_when_left, this_visitor


@st.cache_data(show_spinner="Computing the map…", max_entries=12)
def remembered_map(source: str, rows_print: str, spec: MapSpec, _progress):
    table = get_table(source)
    return cached_map(table, spec, progress=_progress, cluster=passes.cluster_for(table))


@st.cache_data(show_spinner="k-means in the full space…", max_entries=12)
def remembered_clusters(source: str, rows_print: str, rows: int, k: int, _progress):
    """((rows,) labels, the cluster that computed them or '')."""
    table = get_table(source)
    cluster = passes.cluster_for(table)
    if cluster is None:
        return kmeans_labels(table.vectors[:rows], k, progress=_progress), ""
    found = passes.kmeans(table, rows, k, cluster, progress=_progress)
    return found.labels, found.where


def computed_map(table, choices):
    """(checked MapSpec, map result, colouring, the cluster that computed the k-means labels
    or '') for the choices; ValueError/KeyError for bad input. Stops the page behind a
    button when a slow method's map is not saved yet."""
    spec, fresh = MapSpec(**choices.spec).checked(table), None
    visitor = this_visitor()
    check = left_check(visitor)
    method, rows = spec.method, spec.rows
    if rows < choices.spec["rows"]:
        st.info(f"A map draws at most {MAP_MAX_ROWS:,} words: these are the {rows:,} most "
                f"frequent (first) rows of the {choices.spec['rows']:,} asked for.")
    if method in ("umap", "tsne") and not is_cached(table, spec):
        pace = {"umap": "about 25 s per 50,000 words, all 400,000 about 12 minutes of one core (45 on a "
                        "busy server), plus about a minute to compile in a new worker process",
                "tsne": "about a minute per 10,000 words"}[method]
        st.info(f"{METHOD_TITLES[method]} takes a while ({pace}). The map is saved, so it runs once.")
        if not st.button(f"Compute the {METHOD_TITLES[method]} map of {rows:,} words", type="primary"):
            st.stop()
        bar = st.progress(0.0, f"Computing the {METHOD_TITLES[method]} map of {rows:,} words…")

        def drawn(done: float, text: str) -> None:
            check()
            bar.progress(min(done, 1.0), text)

        with stopped_when_left(visitor):
            fresh = cached_map(table, spec, progress=drawn, cluster=passes.cluster_for(table))
        bar.progress(1.0, "Map ready (saved for next time)")
    rows_print = fingerprint(table.vectors[:rows])
    with stopped_when_left(visitor):
        result = fresh or remembered_map(table.name, rows_print, spec, check)
        labels, where = (remembered_clusters(table.name, rows_print, rows, choices.clusters, check)
                         if choices.clusters else (None, ""))
    if choices.colouring in metadata_columns(table):
        codes, categories = colour_codes(table, choices.colouring, rows)
        return spec, result, Colouring(codes, choices.colouring, categories), where
    return spec, result, colour_by(table, rows, choices.colouring, labels, choices.listed), where
