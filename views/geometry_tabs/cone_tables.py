"""Geometry's Cone tab, continued: tables where the cone is real. Skip-gram with negative
sampling crowds its vectors into a narrow cone (Mimno & Thompson 2017); the Train page's two
presets are trained here on a visitor's click, once for every visitor, each in a process of
its own (the page's first view never waits for them), and measured."""
import streamlit as st

from engine.train.corpus import BUILTIN_CORPORA
from engine.train.job import train_in_child
from engine.train.settings import PRESETS
from ui.results import is_remembered, remembered
from ui.sources import add_user_source
from ui.train import shared_corpus
from views.geometry_tabs.measured import shape_of


def trained_table(corpus: str, settings, label: str):
    """The preset's table, trained once for every visitor (with a progress bar)."""
    return remembered(("shared-training", corpus, settings),
                      lambda progress: train_in_child(shared_corpus(corpus), settings, progress).table,
                      f"Training {label} (once for every visitor)…")


def show() -> None:
    st.markdown("**Where the cone is real.** Skip-gram with negative sampling pushes every word vector "
                "away from the context vectors of the words it is sampled against, so its word vectors "
                "crowd into one narrow cone, opposite the context vectors (Mimno & Thompson 2017). The "
                "Train page's two presets, trained here for every visitor:")
    row = st.container(horizontal=True, gap="medium")     # side by side, stacked when narrow
    cells = [row.container() for _ in PRESETS]
    for cell, (preset, (corpus, settings)) in zip(cells, PRESETS.items()):
        where = f"the {BUILTIN_CORPORA[corpus][1].split(':')[0]}"
        label = f"{'skip-gram' if settings.sg else 'CBOW'} {settings.dim}-d on {where}"
        with cell:
            if not is_remembered(("shared-training", corpus, settings)) and not st.button(
                    f"Train on {where}", key=f"cone_train_{corpus}",
                    help=f"The Train page's “{preset}” preset ({label}), once for every visitor, in a "
                         "process of its own"):
                continue
            table = trained_table(corpus, settings, label)
            shape = shape_of(table, len(table))
            st.metric(f"Mean cosine, {where}", f"{shape.mean_cosine:.2f}",
                      help=f"{label}: exact, over all pairs of its {len(table):,} rows × {table.dim}")
            if st.button("Make it the source", key=f"cone_use_{corpus}"):
                add_user_source(table)
                st.rerun()
