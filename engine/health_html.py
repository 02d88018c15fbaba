"""The health report as one self-contained HTML file: every finding with its numbers, what it
means and what to do, its figures (interactive, plotly.js inside once, so the file opens
without internet) and its tables. Every key is escaped: a token may hold '<' or '&'."""
from __future__ import annotations

import html

from engine.health import HealthReport

STYLE = """body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#1a1a1a;
font-size:16px;line-height:1.5}section{border-left:6px solid #9d9d9d;padding:0 1em;margin:2em 0}
section.flag{border-color:#e45756}table{border-collapse:collapse;margin:1em 0;font-size:15px}
td,th{border:1px solid #dcdcdc;padding:2px 8px;text-align:left}td.n{text-align:right}
.token{font-family:ui-monospace,monospace;white-space:pre}"""


def _table(rows: list[dict], columns: list[tuple[str, str]]) -> str:
    head = "".join(f"<th>{html.escape(title)}</th>" for _, title in columns)
    body = []
    for row in rows:
        cells = []
        for key, _ in columns:
            value = row.get(key)
            if isinstance(value, float):
                cells.append(f'<td class="n">{value:.4g}</td>')
            elif key in ("token", "a", "b", "key"):
                cells.append(f'<td class="token">{html.escape(str(value))}</td>')
            else:
                cells.append(f"<td>{html.escape('' if value is None else str(value))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


def _figure(figure) -> str:
    return figure.to_html(full_html=False, include_plotlyjs=False, config={"displaylogo": False})


def _section(finding, extra: str) -> str:
    return (f'<section class="{"flag" if finding.flag else "ok"}"><h2>{html.escape(finding.title)}</h2>'
            f"<p><b>Measured.</b> {html.escape(finding.measured)}</p>"
            f"<p><b>What it means.</b> {html.escape(finding.meaning)}</p>"
            f"<p><b>What to do.</b> {html.escape(finding.action)}</p>{extra}</section>")


def health_html(report: HealthReport, keys: list[str], norms, top: int = 100) -> str:
    """The report as a standalone HTML page (about 5 MiB, most of it plotly.js).
    keys, norms : the table's keys and row norms (V,), for the norm figure."""
    from plotly.offline import get_plotlyjs

    from engine.plots.geometry import occurrence_histogram, scree
    from engine.plots.health import norms_along_rows, score_histogram

    under, findings = report.under, report.findings
    ranked = under.ranked(top)
    columns = [("rank", "rank"), ("row", "row"), ("token", "token"), ("tokenizer", "tokenizer"), ("score", "score"),
               ("norm", "norm"), ("mean_distance", "distance to mean"), ("reference_cosine", "cosine to reference"),
               ("output_norm", "output norm"), ("output_mean_distance", "output distance to mean"),
               ("norm_over_init", "norm over init")]
    columns = [(key, title) for key, title in columns if ranked and key in ranked[0]]
    parts = [
        _section(findings[0], _figure(score_histogram(under)) + f"<p>Reference rows: "
                 f"{html.escape(under.reference)}. The {len(ranked)} rows most likely under-trained:</p>"
                 + _table(ranked, columns)),
        _section(findings[1], _figure(norms_along_rows(norms, keys, report.norms))),
        _section(findings[2], _figure(scree(report.anisotropy.explained_variance))),
        _section(findings[3], _figure(occurrence_histogram(report.hubness.occurrence, report.hubness.k))
                 + _table([{"key": k, "occurrence": c} for k, c in report.hubness.hubs[:20]],
                          [("key", "hub"), ("occurrence", f"times among the {report.hubness.k} nearest")])),
        _section(findings[4], _table([{"a": a, "b": b, "cosine": c} for a, b, c in report.near_duplicates],
                                     [("a", "row"), ("b", "nearest row"), ("cosine", "cosine")])
                 if report.near_duplicates else ""),
    ]
    title = f"Health report: {report.table}"
    summary = (f"{report.rows:,} rows × {report.dim}. Under-trained rows and norms: every row; anisotropy, "
               f"hubness and near-duplicates: {report.sample_how} ({report.sample:,} rows measured). "
               f"Computed in {report.seconds:.1f} s by Embedding Lab.")
    return (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title>"
            f"<style>{STYLE}</style><script>{get_plotlyjs()}</script></head><body>"
            f"<h1>{html.escape(title)}</h1><p>{html.escape(summary)}</p>{''.join(parts)}</body></html>")
