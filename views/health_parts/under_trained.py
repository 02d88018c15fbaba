"""The Health report's under-trained rows: the score's histogram, the ranked list with token
strings and the tokenizer's status, and a download of every row."""
import streamlit as st

from engine.plots.health import score_histogram
from ui.downloads import download_table
from ui.notice import notice
from ui.presentation import chart, for_people
from ui.text import md_text

SHOWN = 200


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
    st.dataframe(for_people(ranked.head(SHOWN).round(4)), hide_index=True, height=320,
                 column_config={"token": st.column_config.TextColumn("token", width="medium")})
    download_table(ranked, f"under-trained-{table.name}.csv", f"Download every row, ranked (CSV, {len(ranked):,})")
