"""The Map page's scores and captions: how far to trust the map, and what the search found."""
import streamlit as st

from engine.project import LOW_PRESERVATION
from engine.row_numbers import row_text
from ui.notice import notice
from ui.text import md_text


def show_scores(result, method: str) -> None:
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


def show_where(result, clusters_where: str) -> None:
    """Which cluster searched the sample's true neighbours and computed the k-means clusters
    (the map itself is always projected here)."""
    ran = {"the sampled words' true neighbours among all rows": result.faithfulness.where,
           "the k-means clusters": clusters_where}
    for where in dict.fromkeys(where for where in ran.values() if where):
        what = " and ".join(name for name, by in ran.items() if by == where)
        st.caption(f"{what[0].upper()}{what[1:]} were computed on {where}.")


def show_found(table, word: str, found) -> None:
    words = table.index_to_key
    notice(f"**{md_text(word)}** (star, {row_text(table, found.row)}) and its {len(found.true_rows)} true "
           f"neighbours (rings): {md_text(', '.join(words[r] for r in found.true_rows))}. On the map "
           f"{found.kept} of them are among its {len(found.map_rows)} nearest points.")
