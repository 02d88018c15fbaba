"""The Shrink the table page's sentence search: MiniLM's Lee corpus vectors stored as sign bits,
searched by Hamming distance and re-scored (sentence-transformers' recipe), against float32."""
import pandas as pd
import streamlit as st

from engine.contextual import all_lee_sentences
from engine.quantize_retrieval import retrieval_effect
from engine.units import MIB
from ui.notice import notice
from ui.presentation import for_people
from ui.results import remembered
from ui.sentences import sentence_collection
from ui.url_state import in_url

TRANSFORMERS_KEPT = 0.96         # sentence-transformers' published share kept with re-scoring


def show() -> None:
    st.header("Sentence search at 32× less memory")
    st.caption("MiniLM's vectors of the Lee corpus's sentences, one bit a number. Each of 500 sentences "
               "searches the others; its float32 neighbours are the answer to match.")
    if not in_url(st.toggle, "Measure it (embeds the corpus once: about 20 s on an idle machine)",
                  key="lee_binary", default=False):
        return
    sentences = all_lee_sentences()
    collection = sentence_collection("lee", sentences)
    effect = remembered(("binary-rescoring", len(sentences)),
                        lambda progress: retrieval_effect(collection.raw, progress=progress), "Searching")
    frame = pd.DataFrame([vars(p) for p in effect.points])
    frame.insert(1, "MiB", frame.pop("bytes") / MIB)
    st.table(for_people(frame.round(3).rename(columns={"recall": f"recall@{effect.k}", "dcg_kept": "DCG kept",
                                                        "ms_per_query": "ms a query"})), hide_index=True)
    recipe = effect.points[2]
    notice(f"With sentence-transformers' recipe ({effect.multiplier}·k candidates by Hamming distance, "
           f"re-scored by the float32 query against the bits), {recipe.recall:.1%} of float32's {effect.k} "
           f"nearest sentences come back and {recipe.dcg_kept:.1%} of its DCG is kept, at "
           f"{effect.points[0].bytes / recipe.bytes:.0f}× less memory; sentence-transformers reports about "
           f"{TRANSFORMERS_KEPT:.0%} of float32's retrieval score on labelled benchmarks. Re-scoring with the "
           f"float32 rows (kept on disk) brings recall to {effect.points[3].recall:.1%}.")
