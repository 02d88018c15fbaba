"""Shrink the table: float16, bfloat16, int8, binary and product quantisation of any table, and
what each costs in memory, neighbours, benchmark scores and search time; then sentence search
at 32× less memory with sentence-transformers' re-scoring."""
import numpy as np
import pandas as pd
import streamlit as st

from engine.plots.quantize import memory_against_recall
from engine.quantize import QUERY_BATCH, TITLES, quantize
from engine.quantize_effect import quantization_effect, summary_sentence
from engine.units import MIB
from engine.vectors import EmbeddingSet
from ui.downloads import download_table
from ui.notice import notice
from ui.presentation import chart, for_people
from ui.results import remembered, table_key
from ui.sources import add_user_source, pick_source
from ui.text import md_text, show_error
from views.shrink_parts import controls, retrieval

st.title("Shrink the table")
st.caption("Store every number in fewer bits and measure what is lost: each row's 10 nearest neighbours "
           "against float32, the word benchmarks, the search time. Rows are scaled to length 1 first, as "
           "for cosine search.")
table = pick_source()
choices = controls.choose(table)
if choices is None or not choices.methods:
    st.info("Choose at least one method in the sidebar.")
    st.stop()
try:
    effect = remembered(("shrink", table_key(table), choices),
                        lambda progress: quantization_effect(
                            table, choices.methods, choices.probes, calibration=choices.calibration,
                            pq_parts=choices.pq_parts, analogies=choices.analogies, progress=progress),
                        "Quantising and measuring: method")
except (KeyError, ValueError) as error:
    show_error(error)
    st.stop()
notice(md_text(summary_sentence(effect)))
reference = {"method": "float32", "title": "float32", "bytes": effect.float32_bytes, "ratio": 1.0,
             "recall_at_10": 1.0, "ms_per_query": effect.float32_ms, "max_error": 0.0,
             **dict(zip(("wordsim353_spearman", "simlex999_spearman", "analogy_accuracy"), effect.float32_scores)),
             "engine": "NumPy, float32"}
frame = pd.DataFrame([reference] + [vars(p) for p in effect.points])
frame.insert(2, "MiB", (frame.pop("bytes") / MIB).round(2))
frame["ratio"] = frame["ratio"].round(1)
frame = frame.rename(columns={"title": "stored as", "ratio": "× smaller", "recall_at_10": "recall",
                              "ms_per_query": "ms a query", "max_error": "largest change",
                              "wordsim353_spearman": "WordSim ρ", "simlex999_spearman": "SimLex ρ",
                              "analogy_accuracy": "analogies"})
shown = frame.drop(columns=["method", "engine", "largest change"]).dropna(axis="columns", how="all")
sizes = zip(shown.pop("MiB"), shown.pop("× smaller"))
shown.insert(1, "MiB (× smaller)", [f"{mib:g} ({ratio:g}×)" for mib, ratio in sizes])
# st.table wraps its headers and cells, numbers as short text: every column fits a 400 px screen
for column, digits in (("recall", 3), ("ms a query", 1), ("WordSim ρ", 3), ("SimLex ρ", 3), ("analogies", 3)):
    if column in shown:
        shown[column] = [None if pd.isna(v) else f"{v:.{digits}f}" for v in shown[column]]
st.table(for_people(shown), hide_index=True)
engines = "; ".join(f"{p.title}: {p.engine}" for p in effect.points)
st.caption(f"Recall (@{effect.k}): the share of float32's {effect.k} nearest rows each of {effect.probes} probe rows "
           f"still finds (itself left out). Times: the {effect.probes} queries in batches of up to {QUERY_BATCH:,} "
           f"on one thread, on a shared machine; compare them with float32's in the same run ({engines}). "
           f"int8 ranges from {effect.calibration}. The CSV adds each method's largest change of a number.")
download_table(frame, f"shrink-{table.name}.csv")
chart(st, memory_against_recall(effect), width="stretch")
kept = st.selectbox("Keep one as a new source (the numbers it stands for, as float32)", choices.methods,
                    format_func=lambda m: TITLES[m])
if st.button("Use it as a source", help="Then compare it with the original on Compare two tables (CKA)."):
    shrunk = quantize(np.ascontiguousarray(table.unit), kept, None, choices.pq_parts)
    add_user_source(EmbeddingSet(shrunk.decoded, table.index_to_key, f"{table.name}-{kept}",
                                 table.frequency_ordered, f"{table.name} stored as {TITLES[kept]}"))
    st.rerun()
retrieval.show()
