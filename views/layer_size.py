"""Size and cost: parameters and memory of an embedding table, for real models and your own."""
import streamlit as st

from engine.layer.memory import DIMENSION_RULES, DTYPE_BYTES, all_presets, embedding_cost, human_bytes, rule_dimensions
from engine.plots import layer as plots
from ui.code import show_code
from ui.downloads import download_figure
from ui.presentation import chart
from ui.text import show_error

PRESETS = st.cache_data(all_presets)()
SIZE_FIELDS = ("size_vocab", "size_dim", "size_tied")


def load_preset() -> None:
    model = PRESETS[st.session_state.size_preset]
    st.session_state.update(zip(SIZE_FIELDS, (model.vocab, model.dim, model.tied)))


st.title("Size and cost")
st.caption("An embedding table holds V × d numbers; a model whose output layer is a second table "
           "(untied) holds two. With Adam, training holds the weights, their gradient and two moments.")
if "size_preset" not in st.session_state:
    st.session_state.size_preset = next(iter(PRESETS))
    load_preset()
st.selectbox("Preset", list(PRESETS), key="size_preset", on_change=load_preset)
columns = st.columns(3)
vocab = columns[0].number_input("Vocabulary V", min_value=0, step=1_000, key="size_vocab")
dim = columns[1].number_input("Dimension d", min_value=0, step=64, key="size_dim")
dtype = columns[2].radio("dtype", list(DTYPE_BYTES), horizontal=True, key="size_dtype")
tied = columns[0].toggle("Tied output", key="size_tied",
                         help="Press & Wolf 2017: the output layer reuses the input table (GPT-2, BERT)")
factorised = columns[1].toggle("Factorised (ALBERT)", key="size_factorised")
factor = columns[2].number_input("E (factorised)", min_value=1, value=128, step=32, disabled=not factorised,
                                 key="size_factor")
try:
    cost = embedding_cost(vocab, dim, dtype, tied, factor if factorised else None)
    costs = {name: embedding_cost(vocab, dim, name, tied, factor if factorised else None) for name in DTYPE_BYTES}
except ValueError as error:
    show_error(error)
    st.stop()

calculator, models, rules = st.tabs(["Calculator", "Real models", "Choosing d"])
with calculator:
    a, b, c, d = st.columns(2) + st.columns(2)
    a.metric("parameters", f"{cost.params:,}")
    b.metric(f"weights in {dtype}", human_bytes(cost.weight_bytes))
    c.metric("training with Adam", human_bytes(cost.training_bytes), help="weights + gradient + m + v")
    preset = PRESETS[st.session_state.size_preset]
    if preset.total_params and (vocab, dim, tied) == (preset.vocab, preset.dim, preset.tied) and not factorised:
        d.metric(f"share of {preset.name}", f"{cost.params / preset.total_params:.1%}",
                 help=f"{preset.total_params:,} parameters in the whole model (published: {preset.published})")
    left, right = st.columns([3, 1])
    figure = plots.memory_bars(costs)
    chart(left, figure, width="stretch")
    right.markdown(f"**{vocab:,} × {dim:,}** {'(as V × E + E × d, E = ' + str(factor) + ')' if factorised else ''}"
                   f"{', tied' if tied else ', untied: twice'}. Adam keeps two numbers per weight, and training "
                   "also holds a gradient: **4× the weights**. Halving the dtype halves every bar. ALBERT's "
                   "factorisation stores V × E + E × d: a small E shrinks a big vocabulary's table.")
    download_figure(figure, "embedding-memory.html")
    show_code("size.calculator")

with models:
    left, right = st.columns([3, 1])
    shown = [p for p in PRESETS.values()]
    embedding = [embedding_cost(p.vocab, p.dim, tied=p.tied).params for p in shown]
    rest = [p.total_params - e if p.total_params else None for p, e in zip(shown, embedding)]
    chart(left, plots.share_bars([f"{p.name}: {p.vocab:,} × {p.dim:,}" for p in shown], embedding, rest),
                      width="stretch")
    right.markdown("Small models spend much of their budget on the table: GPT-2 small about a third, "
                   "MiniLM half. Big models grow d and depth much faster than V, so the share falls "
                   "(GPT-3: under 1%), until a large vocabulary (LLaMA 3: 128,256 tokens, untied) "
                   "pushes it back up. Totals: transformers' parameter count of each architecture.")
    show_code("size.models")

with rules:
    left, right = st.columns([3, 1])
    chosen = {p.name.split(" (")[0].split(",")[0]: (p.vocab, p.dim) for p in PRESETS.values()}
    chart(left, plots.dimension_rules(DIMENSION_RULES, {**chosen, "GloVe 6B": (400_000, 50)}),
                      width="stretch")
    right.markdown("Rules of thumb for d from the number of categories V come from tabular models "
                   "(one categorical feature, a small table). Language models choose d for the whole "
                   "network's width, far above every rule.")
    right.dataframe({"rule": list(DIMENSION_RULES), f"d for V = {vocab:,}": list(rule_dimensions(vocab).values())},
                    hide_index=True)
    show_code("size.rules")
