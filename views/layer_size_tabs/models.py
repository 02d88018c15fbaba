"""Size and cost's Real models and Choosing d tabs: the token table's share of real models,
and the rules of thumb for d against the d real models chose."""
import streamlit as st

from engine.layer.memory import DIMENSION_RULES, describe_rules, describe_shares, embedding_cost, rule_dimensions
from engine.plots import layer as plots
from ui.notice import notice
from ui.presentation import chart


def show_models(presets) -> None:
    left, right = st.columns([3, 1])
    shown = list(presets.values())
    embedding = [embedding_cost(p.vocab, p.dim, tied=p.tied).params for p in shown]
    rest = [p.total_params - e if p.total_params else None for p, e in zip(shown, embedding)]
    chart(left, plots.share_bars([f"{p.name}: {p.vocab:,} × {p.dim:,}" for p in shown], embedding, rest),
          width="stretch")
    with right:
        notice(describe_shares(presets))
        st.caption("Totals: transformers' parameter count of each architecture.")


def show_rules(presets, vocab: int) -> None:
    left, right = st.columns([3, 1])
    chosen = {p.name.split(" (")[0].split(",")[0]: (p.vocab, p.dim) for p in presets.values()}
    chart(left, plots.dimension_rules(DIMENSION_RULES, {**chosen, "GloVe 6B": (400_000, 50)}), width="stretch")
    right.markdown("Rules of thumb for d from the number of categories V come from tabular models "
                   "(one categorical feature, a small table). Language models choose d for the whole "
                   "network's width.")
    with right:
        notice(describe_rules(presets))
    right.dataframe({"rule": list(DIMENSION_RULES), f"d for V = {vocab:,}": list(rule_dimensions(vocab).values())},
                    hide_index=True)
