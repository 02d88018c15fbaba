"""Categories: an ID table's categorical metadata column as directions in the table: each
category's centroid, how tight it is, and which categories lie nearest to each other."""
import pandas as pd
import streamlit as st

from engine.metadata import categorical_columns, category_centroids
from ui.downloads import download_table
from ui.notice import notice
from ui.sources import pick_source, select_source
from ui.text import md_text, show_error
from ui.url_state import in_url

EXAMPLE = "karate-club"

st.title("Categories")
st.caption("For a table whose keys are ids with a metadata file (members, films, products): "
           "the centroid of each category is the mean direction of its members' unit vectors. "
           "Members close to their centroid make a tight category; centroids close to each "
           "other are categories the table barely tells apart.")

table = pick_source()
columns = categorical_columns(table)
if not columns:
    st.info(f"{md_text(table.name)} has no categorical metadata column. Library tables imported with "
            "`--metadata` have one; so does the built-in example, Zachary's karate club.")
    if st.button("Open the karate club example", type="primary"):
        select_source(EXAMPLE)
        st.rerun()
    st.stop()

column = in_url(st.selectbox, "Category column", columns, key="categories_column", default=columns[0],
                depends_on=table.name)
try:
    found = category_centroids(table, column)
except ValueError as error:
    show_error(error)
    st.stop()
frame = pd.DataFrame({"category": found.categories, "members": found.counts,
                      "cohesion": found.cohesion.round(4)})
left, right = st.columns([3, 2])
with left:
    st.subheader(f"{len(found.categories)} categories of “{md_text(column)}”")
    st.dataframe(frame, hide_index=True, width="stretch", column_config={
        "cohesion": st.column_config.ProgressColumn(
            "cohesion", format="%.3f", min_value=0.0, max_value=1.0,
            help="Mean cosine of the members with their category's centroid (1: all alike).")})
    download_table(frame, f"categories-{table.name}-{column}.csv")
with right:
    chosen = in_url(st.selectbox, "Nearest categories to", found.categories, key="categories_chosen",
                    default=found.categories[0], depends_on=(table.name, column))
    nearest = found.nearest_categories(chosen, topn=10)
    st.dataframe(pd.DataFrame(nearest, columns=["category", "centroid cosine"]).round(4),
                 hide_index=True, width="stretch")
    labels = table.metadata[column].astype(str)
    closest = table.similar_by_vector(found.centroids[found.categories.index(chosen)],
                                      topn=min(10, len(table)))
    notice(md_text(f"Ids nearest the centroid of “{chosen}”: " + ", ".join(
        f"{n.key} ({n.score:.3f}{'' if labels.iloc[table.key_to_index[n.key]] == chosen else ', not a member'})"
        for n in closest)))
