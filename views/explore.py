"""Explore: a word's neighbours, its vector, two words compared, the odd one out."""
import pandas as pd
import streamlit as st

from engine.plots.explore import neighbour_bars, vector_strip
from ui.common import download_table, pick_source, restrict_control, show_error, url_text

st.title("Explore")
st.caption("Type a word: its nearest neighbours by cosine similarity, where it sits in the "
           "table, and its raw vector. The link in your address bar reproduces this view.")

table = pick_source()
restrict = restrict_control(table)
most = max(1, min(50, restrict - 1))
topn = st.sidebar.slider("Neighbours to show", 1, most, min(10, most)) if most > 1 else 1

if "explore_word" not in st.session_state:  # first visit: the link's word, else an example
    example = "king" if "king" in table else table.index_to_key[min(5, len(table) - 1)]
    st.session_state.explore_word = url_text("word", example)
word = st.text_input("Word", key="explore_word").strip()
st.query_params["word"] = word

try:
    neighbours = table.most_similar(word, topn=topn, restrict_vocab=restrict)
    row = table.get_index(word)
except (KeyError, ValueError) as error:
    show_error(error)
    st.stop()

rank_label = "Frequency rank" if table.frequency_ordered else "Row (id order)"
left, middle, right = st.columns(3)
left.metric(rank_label, f"{row + 1:,} of {len(table):,}")
middle.metric("Vector norm", f"{table.norms[row]:.3f}")
right.metric("Norm percentile", f"{(table.norms < table.norms[row]).mean():.0%}",
             help="Share of all rows with a smaller norm.")

frame = pd.DataFrame({"rank": range(1, len(neighbours) + 1), "word": [n.key for n in neighbours],
                      "cosine": [round(n.score, 4) for n in neighbours],
                      rank_label.lower(): [table.key_to_index[n.key] + 1 for n in neighbours]})
tab_table, tab_chart = st.columns([2, 3])
with tab_table:
    st.subheader(f"Nearest to “{word}”")
    st.dataframe(frame, hide_index=True, width="stretch")
    download_table(frame, f"neighbours-{table.name}-{word}.csv")
with tab_chart:
    st.plotly_chart(neighbour_bars(neighbours, f"Top {topn} by cosine"), width="stretch")

st.subheader("The vector")
st.caption(f"{table.dim} numbers; red is positive, blue negative. Neighbours share a pattern.")
strip_words = [word] + [n.key for n in neighbours[:3]]
st.plotly_chart(vector_strip(table.vectors[[table.key_to_index[w] for w in strip_words]], strip_words),
                width="stretch")

compare, odd = st.columns(2)
with compare:
    st.subheader("Compare two words")
    a = st.text_input("First word", word).strip()
    b = st.text_input("Second word", neighbours[0].key).strip()
    try:
        st.metric("Cosine similarity", f"{table.similarity(a, b):.4f}")
        st.write(f"“{b}” is neighbour number **{table.rank(a, b):,}** of “{a}”, and “{a}” is "
                 f"number **{table.rank(b, a):,}** of “{b}” (over all {len(table):,} rows).")
    except (KeyError, ValueError) as error:
        show_error(error)
with odd:
    st.subheader("Odd one out")
    text = st.text_input("Words (comma or space separated)", "breakfast, cereal, dinner, lunch")
    try:
        ranked = table.centrality([w for w in text.replace(",", " ").split() if w])
        st.write(f"**{ranked[0].key}** fits least: its cosine with the group's mean direction is "
                 f"{ranked[0].score:.3f}; the others score " +
                 ", ".join(f"{n.key} {n.score:.3f}" for n in ranked[1:]) + ".")
    except (KeyError, ValueError) as error:
        show_error(error)
