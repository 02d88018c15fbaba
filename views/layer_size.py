"""Size and cost: parameters and memory of an embedding table, for real models and your own."""
import streamlit as st

from engine.layer.memory import DTYPE_BYTES, all_presets, embedding_cost
from ui.code import show_code
from ui.text import show_error
from views.layer_size_tabs import calculator, models

PRESETS = st.cache_data(all_presets)()
SIZE_FIELDS = ("size_vocab", "size_dim", "size_tied")


def load_preset() -> None:
    model = PRESETS[st.session_state.size_preset]
    st.session_state.update(zip(SIZE_FIELDS, (model.vocab, model.dim, model.tied)))


st.title("Size and cost")
st.caption("An embedding table holds V × d numbers; a model whose output layer is a second table "
           "(untied) holds two. With Adam, training holds the weights, their gradient and two moments "
           "(and, in mixed precision, an fp32 copy of the weights). Sizes in MiB and GiB (2²⁰, 2³⁰ bytes).")
if "size_preset" not in st.session_state:
    st.session_state.size_preset = next(iter(PRESETS))
    load_preset()
st.selectbox("Preset", list(PRESETS), key="size_preset", on_change=load_preset)
columns = st.columns(3)
vocab = columns[0].number_input("Vocabulary V", min_value=0, step=1_000, key="size_vocab")
dim = columns[1].number_input("Dimension d", min_value=0, step=64, key="size_dim")
dtype = columns[2].radio("dtype", list(DTYPE_BYTES), horizontal=True, key="size_dtype")
options = st.container(horizontal=True, gap="medium")    # wraps when narrow, never cuts a label
tied = options.toggle("Tied output", key="size_tied",
                      help="Press & Wolf 2017: the output layer reuses the input table (GPT-2, BERT)")
factorised = options.toggle("Factorised (ALBERT)", key="size_factorised")
factor = options.number_input("E (factorised)", min_value=1, value=128, step=32, disabled=not factorised,
                              key="size_factor", width=180)
try:
    cost = embedding_cost(vocab, dim, dtype, tied, factor if factorised else None)
except ValueError as error:
    show_error(error)
    st.stop()

calculator_tab, models_tab, rules_tab = st.tabs(["Calculator", "Real models", "Choosing d"])
with calculator_tab:
    calculator.show(cost, PRESETS[st.session_state.size_preset], factorised)
    show_code("size.calculator")
with models_tab:
    models.show_models(PRESETS)
    show_code("size.models")
with rules_tab:
    models.show_rules(PRESETS, vocab)
    show_code("size.rules")
