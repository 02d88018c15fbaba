"""The Health report's under-trained rows: the score's histogram, the ranked list with token
strings and the tokenizer's status, and a download of every row."""
import streamlit as st

from engine.plots.health import score_histogram
from ui.downloads import download_table
from ui.notice import notice
from ui.presentation import chart, for_people
from ui.text import md_text

SHOWN = 25
LONGEST = 16         # characters of a token shown in the table (all of it in the CSV)


def show(table, report) -> None:
    under, finding = report.under, report.findings[0]
    st.header("Rows the model never learned")
    notice(md_text(finding.measured))
    st.markdown(f"**What it means.** {finding.meaning}  \n**What to do.** {finding.action}")
    chart(st, score_histogram(under), width="stretch")
    st.caption(md_text(f"Score: the mean of robust z-scores of a short row, closeness to the mean direction "
                       f"(leading component removed) and cosine to the reference rows ({under.reference})"
                       + (", on the input and the output embedding" if under.output_norm is not None else "")
                       + "."))
    ranked = under.to_frame()
    columns = [c for c in ("rank", "token", "tokenizer", "score", "norm") if c in ranked]
    top = ranked.head(SHOWN)[columns].round(3)
    # st.table renders markdown in its cells (a token as text) and wraps them: the list fits a
    # 400 px screen; every indicator is in the CSV
    top["token"] = [md_text(t if len(t) <= LONGEST else t[:LONGEST - 1] + "…") for t in top["token"]]
    st.table(for_people(top), hide_index=True)
    download_table(ranked, f"under-trained-{table.name}.csv",
                   f"Download every row with every indicator, ranked (CSV, {len(ranked):,})")
