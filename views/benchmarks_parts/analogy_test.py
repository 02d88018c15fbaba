"""Google's analogy test: accuracy next to how many questions the table could answer, and
the accuracy per section (all, semantic or syntactic ones, kept in the URL)."""
import pandas as pd
import streamlit as st

from engine.evaluate import NothingToScore, evaluate_word_analogies
from engine.plots.explore import section_bars
from engine.vectors import EmbeddingSet
from ui.downloads import download_table
from ui.presentation import chart
from ui.results import remembered, table_key
from ui.text import md_text, show_error
from ui.url_state import in_url

SECTIONS = {"all": "all", "semantic": "semantic", "syntactic": "syntactic (gram…)"}


def analogy_test(table: EmbeddingSet, restrict: int) -> None:
    st.header("Google analogy test set")
    st.caption("19,544 questions such as athens : greece :: baghdad : ?, in 14 sections; an answer "
               "counts when the nearest word to B − A + C (inputs left out) is the expected one.")
    slot = st.empty()           # the progress bar, cleared if the test does not apply
    try:
        with slot.container():
            score = remembered(("analogies", table_key(table), restrict),
                               lambda progress: evaluate_word_analogies(table, restrict_vocab=restrict,
                                                                        progress=progress),
                               "Answering analogy questions…")
    except NothingToScore as error:
        slot.empty()
        st.info(f"{md_text(str(error)[:1].upper() + str(error)[1:])}: this test needs a table of English words.")
        return
    except (KeyError, ValueError) as error:
        show_error(error)
        return
    semantic, syntactic = score.subtotal(False), score.subtotal(True)
    coverage = score.total / score.questions
    cells = st.columns(4)
    cells[0].metric("Accuracy", f"{score.accuracy:.1%}", help=f"{score.correct:,} of {score.total:,} answered")
    cells[1].metric("Questions answered", f"{coverage:.1%}",
                    help=f"{score.total:,} of {score.questions:,}: the others have a word outside "
                         f"the first {restrict:,} rows")
    cells[2].metric("Semantic", f"{semantic.accuracy:.1%}", help=f"{semantic.correct:,} of {semantic.total:,}")
    cells[3].metric("Syntactic", f"{syntactic.accuracy:.1%}", help=f"{syntactic.correct:,} of {syntactic.total:,}")
    if coverage < 0.5:
        st.warning(f"Only {score.total:,} of {score.questions:,} questions ({coverage:.1%}) have all four "
                   f"words in the first {restrict:,} rows of {md_text(table.name)}; the others were "
                   f"skipped, so the {score.accuracy:.1%} is over those few and says little about the table.")
    st.caption(f"{score.correct:,} correct of {score.total:,} answered ({score.questions:,} in the test), "
               f"in {score.seconds:.1f} s.")
    part = in_url(st.radio, "Sections", list(SECTIONS), key="sections", default="all",
                  format_func=SECTIONS.get, horizontal=True)
    chosen = [s for s in score.sections if part == "all" or s.name.startswith("gram") == (part == "syntactic")]
    sections = pd.DataFrame([{"section": s.name, "correct": s.correct, "total": s.total,
                              "accuracy": round(s.accuracy, 4)} for s in chosen])
    st.caption("Blue bars are semantic sections (capitals, family, …), orange ones syntactic "
               "(gram…: plurals, tenses, …); a section with no bar had no question answered right.")
    chart(st, section_bars(sections["section"], sections["accuracy"], sections["total"]), width="stretch")
    download_table(sections, f"analogies-{table.name}-{restrict}.csv")
