"""The Map page's selection table and downloads."""
import streamlit as st

from engine.project import map_frame, neighbour_frame, projector_metadata_tsv, projector_vectors_tsv
from ui.downloads import download_figure, download_table


def show_selection(table, selected: list[int], rows: int) -> None:
    st.subheader(f"{len(selected):,} selected words and their true neighbours")
    frame = neighbour_frame(table, selected[:2_000], 10, rows)
    st.dataframe(frame, hide_index=True, width="stretch")
    download_table(frame, f"selection-{table.name}.csv", "Download the selection (CSV)")


def show_downloads(table, result, figure, method: str, rows: int) -> None:
    st.caption(f"Export the {rows:,} words shown: coordinates, or the vectors and words for "
               "projector.tensorflow.org (load both TSV files there). PNG: the camera icon on the map.")
    name = f"map-{table.name}-{method}-{rows}"
    buttons = st.container(horizontal=True)     # wraps to a second line when narrow, never cuts a label
    buttons.download_button("Coordinates (CSV)", lambda: map_frame(table, result).to_csv(index=False),
                            file_name=f"{name}.csv", mime="text/csv", on_click="ignore")
    buttons.download_button("vectors.tsv (Projector)", lambda: projector_vectors_tsv(table.vectors[:rows]),
                            file_name="vectors.tsv", mime="text/tab-separated-values", on_click="ignore")
    buttons.download_button("metadata.tsv (Projector)", lambda: projector_metadata_tsv(table.index_to_key[:rows]),
                            file_name="metadata.tsv", mime="text/tab-separated-values", on_click="ignore")
    with buttons:
        download_figure(figure, f"{name}.html")
