"""Map: the whole table as a 2-D/3-D picture (PCA, UMAP, t-SNE or word axes), and how far
to trust it."""
import streamlit as st

from engine.metadata import hover_labels, metadata_columns
from engine.plots.maps import DENSE_ABOVE, HOVER_POINTS, map_figure, selected_rows
from engine.project import word_on_map
from ui.presentation import chart
from ui.sources import pick_source
from ui.text import md_text, show_error
from ui.words import resolved_word
from views.map_parts import exports, report
from views.map_parts.computing import computed_map
from views.map_parts.controls import choose

st.title("Map")
st.caption("Every word as a point; hover to read it. Points close on the map are not always "
           "close in the table: the scores say how often they are, and a searched word's true "
           "neighbours (cosine, full space) are ringed. On a 2-D map, drag a box to list the "
           "words in it (lasso: the toolbar above the map).")

table = pick_source()
choices = choose(table)
method, dims, word = choices.spec["method"], choices.spec["dims"], choices.word
try:
    spec, result, colouring, clusters_where = computed_map(table, choices)
except (KeyError, ValueError) as error:
    show_error(error)
    st.stop()
rows = spec.rows
word = resolved_word(table, word) if word else None
try:
    found = word_on_map(table, result, word) if word else None
except (KeyError, ValueError) as error:
    show_error(error)
    found = None

report.show_scores(result, method)
report.show_where(result, clusters_where)
if colouring.note:
    st.caption(f"Your list: {md_text(colouring.note)}.")
if found:
    report.show_found(table, word, found)

listed_rows = colouring.values.nonzero()[0] if choices.colouring == "word list" else ()
figure = map_figure(result.coords, table.index_to_key, colouring.values, colouring.title,
                    result.axis_titles, colouring.categories, found.row if found else None,
                    found.true_rows if found else (), listed_rows,
                    hover=hover_labels(table, rows) if metadata_columns(table) else None)
if dims == 2 and rows > DENSE_ABOVE:
    st.caption(f"All {rows:,} words are drawn as a density image (darker: more words); the "
               f"{HOVER_POINTS:,} most frequent are points you can hover. A box or lasso lists "
               "every word inside it, drawn or not.")
if dims == 2:
    event = chart(st, figure, on_select="rerun", selection_mode=("box", "lasso", "points"),
                            key="map")
    selected = selected_rows(result.coords, event.selection).tolist()
else:
    chart(st, figure, key="map3d")
    st.caption("Drag to turn the 3-D map. Box and lasso selection work on 2-D maps only.")
    selected = []

if selected:
    exports.show_selection(table, selected, rows)
exports.show_downloads(table, result, figure, method, rows)
