"""Map: the whole table as a 2-D/3-D picture (PCA, UMAP, t-SNE or word axes), and how far
to trust it."""
import streamlit as st

from engine.metadata import colour_codes, hover_labels, metadata_columns
from engine.plots.maps import DENSE_ABOVE, HOVER_POINTS, map_figure, selected_rows
from engine.project import (COLOURINGS, LOW_PRESERVATION, MAP_MAX_ROWS, METHOD_TITLES,
                            Colouring, MapSpec, cached_map, colour_by, fingerprint, is_cached,
                            kmeans_labels, map_frame, neighbour_frame, projector_metadata_tsv,
                            projector_vectors_tsv, word_on_map)
from ui.common import (download_figure, download_table, get_table, pick_source, show_error,
                       url_text)
from ui.text import md_text


@st.cache_data(show_spinner="Computing the map…", max_entries=12)
def remembered_map(source: str, rows_print: str, spec: MapSpec):
    return cached_map(get_table(source), spec)


@st.cache_data(show_spinner="k-means in the full space…", max_entries=12)
def remembered_clusters(source: str, rows_print: str, rows: int, k: int):
    return kmeans_labels(get_table(source).vectors[:rows], k)


st.title("Map")
st.caption("Every word as a point; hover to read it. Points close on the map are not always "
           "close in the table: the scores say how often they are, and a searched word's true "
           "neighbours (cosine, full space) are ringed. On a 2-D map, drag a box to list the "
           "words in it (lasso: the toolbar above the map).")

table = pick_source()
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

try:
    spec, fresh = MapSpec(**spec).checked(table), None
    if spec.rows < rows:
        st.info(f"A map draws at most {MAP_MAX_ROWS:,} words: these are the {spec.rows:,} most "
                f"frequent (first) rows of the {rows:,} asked for.")
        rows = spec.rows
    if method in ("umap", "tsne") and not is_cached(table, spec):
        pace = {"umap": "about 25 s per 50,000 words, plus about a minute to compile the first time",
                "tsne": "about a minute per 10,000 words"}[method]
        st.info(f"{METHOD_TITLES[method]} takes a while ({pace}). The map is saved, so it runs once.")
        if not st.button(f"Compute the {METHOD_TITLES[method]} map of {rows:,} words", type="primary"):
            st.stop()
        bar = st.progress(0.0, f"Computing the {METHOD_TITLES[method]} map of {rows:,} words…")
        fresh = cached_map(table, spec, progress=lambda done, text: bar.progress(min(done, 1.0), text))
        bar.progress(1.0, "Map ready (saved for next time)")
    rows_print = fingerprint(table.vectors[:rows])
    result = fresh or remembered_map(table.name, rows_print, spec)
    labels = remembered_clusters(table.name, rows_print, rows, clusters) if clusters else None
    if how in columns:
        codes, categories = colour_codes(table, how, rows)
        colouring = Colouring(codes, how, categories)
    else:
        colouring = colour_by(table, rows, how, labels, listed)
except (KeyError, ValueError) as error:
    show_error(error)
    st.stop()
try:
    found = word_on_map(table, result, word) if word else None
except (KeyError, ValueError) as error:
    show_error(error)
    found = None

faith = result.faithfulness
left, middle, right = st.columns(3)
left.metric("Neighbourhood preservation", f"{faith.preservation:.1%}",
            help=f"Of each word's {faith.k} nearest words (cosine, full space), the share that are "
                 f"also among its {faith.k} nearest points on the map; {faith.sample:,} words sampled.")
middle.metric("Trustworthiness", "n/a" if faith.trustworthiness is None else f"{faith.trustworthiness:.3f}",
              help="scikit-learn's trustworthiness on the sample: 1.0 means no point on the map has "
                   "neighbours that are far away in the table.")
right.metric("Computed in", f"{result.seconds:.2f} s", "from the cache" if result.cached else None,
             delta_color="off", delta_arrow="off")
if method == "axes":
    st.caption("Each coordinate is a word's cosine with the direction named on its axis: above "
               "0 it leans to the + words, below 0 to the − words. Axes answer a question; they "
               "are not meant to keep neighbourhoods.")
elif faith.preservation < LOW_PRESERVATION:
    st.warning(f"Only {faith.preservation:.1%} of a word's nearest neighbours are also its nearest "
               "points here: read clusters loosely, and search a word to see where its real "
               "neighbours landed.")
if result.explained_variance:
    st.caption("Explained variance: " + ", ".join(f"PC{i + 1} {v:.1%}" for i, v in
               enumerate(result.explained_variance)) + f" ({sum(result.explained_variance):.1%} together).")
if colouring.note:
    st.caption(f"Your list: {md_text(colouring.note)}.")
if found:
    words = table.index_to_key
    st.caption(f"**{md_text(word)}** (star, rank {found.row + 1:,}) and its {len(found.true_rows)} true "
               f"neighbours (rings): {md_text(', '.join(words[r] for r in found.true_rows))}. On the map "
               f"{found.kept} of them are among its {len(found.map_rows)} nearest points.")

listed_rows = colouring.values.nonzero()[0] if how == "word list" else ()
figure = map_figure(result.coords, table.index_to_key, colouring.values, colouring.title,
                    result.axis_titles, colouring.categories, found.row if found else None,
                    found.true_rows if found else (), listed_rows,
                    hover=hover_labels(table, rows) if columns else None)
if dims == 2 and rows > DENSE_ABOVE:
    st.caption(f"All {rows:,} words are drawn as a density image (darker: more words); the "
               f"{HOVER_POINTS:,} most frequent are points you can hover. A box or lasso lists "
               "every word inside it, drawn or not.")
if dims == 2:
    event = st.plotly_chart(figure, on_select="rerun", selection_mode=("box", "lasso", "points"),
                            key="map")
    selected = selected_rows(result.coords, event.selection).tolist()
else:
    st.plotly_chart(figure, key="map3d")
    st.caption("Drag to turn the 3-D map. Box and lasso selection work on 2-D maps only.")
    selected = []

if selected:
    st.subheader(f"{len(selected):,} selected words and their true neighbours")
    frame = neighbour_frame(table, selected[:2_000], 10, rows)
    st.dataframe(frame, hide_index=True, width="stretch")
    download_table(frame, f"selection-{table.name}.csv", "Download the selection (CSV)")

st.caption(f"Export the {rows:,} words shown: coordinates, or the vectors and words for "
           "projector.tensorflow.org (load both TSV files there). PNG: the camera icon on the map.")
name = f"map-{table.name}-{method}-{rows}"
csv, vectors, metadata, html = st.columns(4)
csv.download_button("Coordinates (CSV)", lambda: map_frame(table, result).to_csv(index=False),
                    file_name=f"{name}.csv", mime="text/csv", on_click="ignore")
vectors.download_button("vectors.tsv (Projector)", lambda: projector_vectors_tsv(table.vectors[:rows]),
                        file_name="vectors.tsv", mime="text/tab-separated-values", on_click="ignore")
metadata.download_button("metadata.tsv (Projector)",
                         lambda: projector_metadata_tsv(table.index_to_key[:rows]),
                         file_name="metadata.tsv", mime="text/tab-separated-values", on_click="ignore")
with html:
    download_figure(figure, f"{name}.html")
