"""Analogies: A : B :: C : ? by 3CosAdd or 3CosMul, and free word arithmetic."""
import streamlit as st

from engine.examples import fitting
from ui.sources import pick_source, restrict_control
from ui.url_state import in_url
from views.analogies_parts.arithmetic import arithmetic
from views.analogies_parts.question import answers, question

PRESETS = {  # A, B, C, expected D: GloVe gets each right; 3CosAdd misses the last one
    "man : king :: woman : ?": ("man", "king", "woman", "queen"),
    "france : paris :: italy : ?": ("france", "paris", "italy", "rome"),
    "good : better :: bad : ?": ("good", "better", "bad", "worse"),
    "walk : walked :: swim : ?": ("walk", "walked", "swim", "swam"),
    "germany : berlin :: japan : ?": ("germany", "berlin", "japan", "tokyo"),
    "brother : sister :: grandson : ?": ("brother", "sister", "grandson", "granddaughter"),
    "cat : cats :: mouse : ?": ("cat", "cats", "mouse", "mice"),
}
METHODS = {"add": "3CosAdd (vector offset)", "mul": "3CosMul (Levy & Goldberg)"}

st.title("Analogies")
st.caption("A is to B as C is to ?  The answer is the word nearest to B − A + C (3CosAdd), "
           "or the one that is most like B and C and least like A (3CosMul).")

table = pick_source()
restrict = restrict_control(table)
method = in_url(st.sidebar.radio, "Method", list(METHODS), key="analogy_method", default="add",
                format_func=METHODS.get)
most = max(1, min(20, restrict - 3))       # the three inputs may be left out
topn = int(in_url(st.sidebar.slider, "Answers to show", 1, most, key="answers",
                  default=min(5, most), depends_on=most)) if most > 1 else 1
exclude = in_url(st.sidebar.toggle, "Leave the input words out of the answers", key="exclude",
                 default=True, help="Every published analogy score does this. Turn it off to see "
                                    "why: the nearest word to B − A + C is often an input (on GloVe, "
                                    "C or B for nearly half of the Google questions).")

presets = fitting(PRESETS, table)
words = question(table, presets)
if words is not None:
    answers(table, words, method, METHODS[method], topn, restrict, exclude)
arithmetic(table, presets, topn, restrict, exclude)
