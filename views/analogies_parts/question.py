"""A : B :: C : ?  The preset, the four word boxes (kept in the URL) and the answers.
Each box reports its own error in place; the question is answered once A, B and C resolve."""
import pandas as pd
import streamlit as st

from engine.analogy import solve_analogy
from engine.plots.explore import neighbour_bars
from engine.vectors import EmbeddingSet
from ui.downloads import download_table
from ui.notice import notice
from ui.presentation import chart
from ui.text import md_text, show_error
from ui.url_state import in_url, set_in_url
from ui.words import optional_word_box

FIELDS = ("a", "b", "c", "gold")


def load_preset(presets: dict) -> None:
    for key, word in zip(FIELDS, presets[st.session_state.preset]):
        set_in_url(key, word)


def question(table: EmbeddingSet, presets: dict) -> tuple[str, str, str] | None:
    """The preset picker and the A, B, C boxes: their resolved keys, or None."""
    if not presets:
        st.info(f"None of the example analogies has all four words in {md_text(table.name)}: "
                "type three of its words as A, B and C.")
        chosen = ("", "", "", "")
    else:
        chosen = presets[in_url(st.selectbox, "Example", list(presets), key="preset",
                                default=next(iter(presets)), depends_on=table.name,
                                on_change=load_preset, args=(presets,))]
    columns = st.columns(4)
    words = [optional_word_box(table, label, key=key, default=default, where=column)
             for label, key, default, column in zip("ABC", FIELDS, chosen, columns)]
    typed = tuple(st.session_state[k].strip() for k in FIELDS[:3])
    gold_default = chosen[3] if typed == tuple(chosen[:3]) else ""
    gold = optional_word_box(table, "Expected answer (optional)", key="gold", default=gold_default,
                             where=columns[3], depends_on=typed)   # the answer to A, B, C only
    if None in words:
        if "" in typed and presets:
            st.info("Type a word in each of A, B and C.")
        return None
    return (*words, gold)


def answers(table: EmbeddingSet, words, method: str, method_label: str, topn: int,
            restrict: int, exclude: bool) -> None:
    a, b, c, gold = words
    try:
        found = solve_analogy(table, a, b, c, method, topn, restrict, exclude)
        gold_rank = table.rank_in_query(gold, [b, c], [a], method, restrict, exclude) if gold else None
    except (KeyError, ValueError) as error:
        show_error(error)
        return
    st.subheader(f"{md_text(a)} : {md_text(b)} :: {md_text(c)} : **{md_text(found[0].key)}**")
    if gold and gold_rank is None:
        st.info(f"“{md_text(gold)}” is one of the inputs (left out) or outside the first {restrict:,} rows.")
    elif gold:
        notice(f"Expected “{md_text(gold)}” ranks **{gold_rank:,}**" + (": the top answer" if gold_rank == 1 else ""))
    frame = pd.DataFrame({"rank": range(1, len(found) + 1), "answer": [n.key for n in found],
                          "score": [round(n.score, 4) for n in found],
                          "is an input": [n.key in {a, b, c} for n in found]})
    if not exclude and frame["is an input"].any():
        inputs = ", ".join(f"“{md_text(k)}” ({'ABC'[(a, b, c).index(k)]}) at rank {r}"
                           for r, k in zip(frame["rank"], frame["answer"]) if k in (a, b, c))
        st.warning(f"With the inputs allowed, {inputs}: B − A + C stays close to its inputs, so "
                   "'analogy' accuracy hides this filtering.")
    row = st.container(horizontal=True, gap="medium")    # side by side, stacked when narrow
    left, right = row.container(width=400), row.container(width=440)
    left.dataframe(frame, hide_index=True, width="stretch")
    with left:
        download_table(frame, f"analogy-{a}-{b}-{c}.csv")
    chart(right, neighbour_bars(found, method_label, "score"), width="stretch")
