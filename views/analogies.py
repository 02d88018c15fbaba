"""Analogies: A : B :: C : ? by 3CosAdd or 3CosMul, and free word arithmetic."""
import pandas as pd
import streamlit as st

from engine.analogy import solve_analogy, solve_arithmetic
from engine.plots.explore import neighbour_bars
from ui.common import download_table, pick_source, restrict_control, show_error, url_text
from ui.text import md_text
from ui.presentation import chart

PRESETS = {  # A, B, C, expected D: GloVe gets each right; 3CosAdd misses the last one
    "man : king :: woman : ?": ("man", "king", "woman", "queen"),
    "france : paris :: italy : ?": ("france", "paris", "italy", "rome"),
    "good : better :: bad : ?": ("good", "better", "bad", "worse"),
    "walk : walked :: swim : ?": ("walk", "walked", "swim", "swam"),
    "germany : berlin :: japan : ?": ("germany", "berlin", "japan", "tokyo"),
    "brother : sister :: grandson : ?": ("brother", "sister", "grandson", "granddaughter"),
    "cat : cats :: mouse : ?": ("cat", "cats", "mouse", "mice"),
}
FIELDS = ("analogy_a", "analogy_b", "analogy_c", "analogy_gold")
METHODS = {"3CosAdd (vector offset)": "add", "3CosMul (Levy & Goldberg)": "mul"}

st.title("Analogies")
st.caption("A is to B as C is to ?  The answer is the word nearest to B − A + C (3CosAdd), "
           "or the one that is most like B and C and least like A (3CosMul).")

table = pick_source()
restrict = restrict_control(table)
method_label = st.sidebar.radio("Method", list(METHODS))
topn = st.sidebar.slider("Answers to show", 1, 20, 5)
exclude = st.sidebar.toggle("Leave the input words out of the answers", value=True,
                            help="Every published analogy score does this. Turn it off to see "
                                 "why: the nearest word to B − A + C is usually B itself.")

def load_preset() -> None:
    st.session_state.update(zip(FIELDS, PRESETS[st.session_state.analogy_preset]))


if FIELDS[0] not in st.session_state:  # first visit: the link's words, else the first example
    first = next(iter(PRESETS.values()))
    linked = "a" in st.query_params
    st.session_state.update(zip(FIELDS, [url_text(k, v) for k, v in zip("abc", first)]
                            + ["" if linked else first[3]]))
st.selectbox("Example", list(PRESETS), key="analogy_preset", on_change=load_preset)
columns = st.columns(4)
a = columns[0].text_input("A", key="analogy_a").strip()
b = columns[1].text_input("B", key="analogy_b").strip()
c = columns[2].text_input("C", key="analogy_c").strip()
gold = columns[3].text_input("Expected answer (optional)", key="analogy_gold").strip()
st.query_params.update({"a": a, "b": b, "c": c})

try:
    answers = solve_analogy(table, a, b, c, METHODS[method_label], topn, restrict, exclude)
    gold_rank = table.rank_in_query(gold, [b, c], [a], METHODS[method_label], restrict,
                                    exclude) if gold else None
except (KeyError, ValueError) as error:
    show_error(error)
    st.stop()

st.subheader(f"{md_text(a)} : {md_text(b)} :: {md_text(c)} : **{md_text(answers[0].key)}**")
if gold:
    if gold_rank is None:
        st.info(f"“{md_text(gold)}” is one of the inputs (left out) or outside the first {restrict:,} rows.")
    else:
        st.write(f"Expected “{md_text(gold)}” ranks **{gold_rank:,}**" + (" ✅" if gold_rank == 1 else ""))
inputs = {a, b, c}
frame = pd.DataFrame({"rank": range(1, len(answers) + 1), "answer": [n.key for n in answers],
                      "score": [round(n.score, 4) for n in answers],
                      "is an input": [n.key in inputs for n in answers]})
if not exclude and frame["is an input"].any():
    st.warning("With the inputs allowed, an input word is among the answers — the offset "
               "B − A + C stays close to B, so 'analogy' accuracy hides this filtering.")
left, right = st.columns([2, 3])
left.dataframe(frame, hide_index=True, width="stretch")
with left:
    download_table(frame, f"analogy-{a}-{b}-{c}.csv")
chart(right, neighbour_bars(answers, method_label, "score"), width="stretch")

st.subheader("Word arithmetic")
formula = st.text_input("Formula (words joined by + and −)", "king - man + woman")
try:
    results = solve_arithmetic(table, formula, topn, restrict, exclude)
    st.write(" · ".join(f"**{md_text(n.key)}** {n.score:.3f}" for n in results))
except (KeyError, ValueError) as error:
    show_error(error)
