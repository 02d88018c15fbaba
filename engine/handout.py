"""A lecture's handout: one self-contained HTML file with every step's title, talking
point, what to notice, numbers and interactive figures (plotly.js inlined once), readable
offline in any browser."""
from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Callable

from engine.lecture import Lecture, Step

MAX_FIGURE_CHARS = 5_000_000        # of one step's figures' JSON kept for a handout (a big map is more)


@dataclass(frozen=True)
class ViewRecord:
    """What one step's view showed when it was drawn: its page title, the sentences it
    stated about its numbers (markdown), its metrics (label, value), its figures (Plotly
    JSON, in drawing order), the scripts under its "The code", the errors it showed, and
    the seconds it took."""

    title: str
    notices: tuple[str, ...] = ()
    metrics: tuple[tuple[str, str], ...] = ()
    figures: tuple[str, ...] = ()
    code: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    seconds: float = 0.0


def handout_html(lecture: Lecture, records: list[ViewRecord | None], link_for: Callable[[Step], str]) -> str:
    """The handout of `lecture` as one HTML document.

    Parameters
    ----------
    lecture : the lecture, its steps in order.
    records : what each step's view showed (None: not drawn; the handout says so).
    link_for : the address of a step's live view (printed under its title).
    """
    import plotly.offline
    from markdown_it import MarkdownIt

    markdown = MarkdownIt("commonmark", {"html": False})      # pages' sentences; raw HTML stays text
    steps = "\n".join(_step_html(number, step, record, link_for(step), markdown)
                      for number, (step, record) in enumerate(zip(lecture.steps, records), 1))
    contents = "\n".join(f'<li><a href="#step-{n}">{html.escape(step.title)}</a></li>'
                         for n, step in enumerate(lecture.steps, 1))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(lecture.title)}</title>
<style>{STYLE}</style>
<script>{plotly.offline.get_plotlyjs()}</script>
</head><body>
<h1>{html.escape(lecture.title)}</h1>
<p class="note">A handout of Embedding Lab: {len(lecture)} steps, each a view of the app with the
numbers it showed. The figures are interactive (hover, zoom) and need no internet.</p>
<ol class="contents">{contents}</ol>
{steps}
<script>{DRAW_FIGURES}</script>
</body></html>
"""


def _step_html(number: int, step: Step, record: ViewRecord | None, link: str, markdown) -> str:
    parts = [f'<section id="step-{number}"><h2><span class="number">{number}</span> '
             f'{html.escape(step.title)}</h2>',
             f'<p class="link">{html.escape(record.title if record else step.page)}: '
             f'<a href="{html.escape(link)}">{html.escape(link)}</a></p>']
    parts += [f"<p>{html.escape(' '.join(paragraph.split()))}</p>"
              for paragraph in step.talking_point.split("\n\n") if paragraph.strip()]
    if record is None:
        parts.append('<p class="missing">This view had not been drawn when the handout was made.</p>')
        return "\n".join(parts + ["</section>"])
    if record.notices:
        parts.append('<div class="notice"><h3>What to notice</h3>'
                     + "".join(markdown.render(text) for text in record.notices) + "</div>")
    if record.metrics:
        parts.append('<dl class="metrics">' + "".join(
            f"<div><dt>{html.escape(label)}</dt><dd>{html.escape(value)}</dd></div>"
            for label, value in record.metrics) + "</dl>")
    parts += [f'<p class="missing">{html.escape(problem)}</p>' for problem in record.problems]
    parts += [f'<div class="figure" data-figure="{html.escape(figure)}"></div>' for figure in record.figures]
    parts += [f'<h3>The code</h3><pre><code>{html.escape(script)}</code></pre>' for script in record.code]
    return "\n".join(parts + ["</section>"])


STYLE = """
body { font: 17px/1.5 system-ui, sans-serif; color: #262730; max-width: 1100px; margin: 2rem auto;
       padding: 0 1rem; }
h1 { font-size: 2.2rem; } h2 { margin-top: 3rem; border-top: 1px solid #ddd; padding-top: 1.5rem; }
h2 .number { color: #888; margin-right: .4rem; }
.link, .note { color: #555; font-size: .9rem; word-break: break-all; }
.notice { background: #f0f2f6; border-radius: .5rem; padding: .2rem 1rem; margin: 1rem 0; }
.notice h3 { font-size: 1rem; margin: .6rem 0 0; }
.metrics { display: flex; flex-wrap: wrap; gap: .5rem 2rem; }
.metrics dt { color: #555; font-size: .85rem; } .metrics dd { margin: 0; font-size: 1.4rem; }
.figure { width: 100%; min-height: 420px; margin: 1rem 0; }
.missing { color: #a33; }
pre { background: #f6f6f6; padding: 1rem; overflow-x: auto; }
@media print { .figure { break-inside: avoid; } }
"""
# Each figure's JSON sits in an attribute (escaped as HTML), drawn at the reader's width.
DRAW_FIGURES = """
for (const box of document.querySelectorAll(".figure")) {
  const figure = JSON.parse(box.dataset.figure);
  const layout = Object.assign({}, figure.layout || {}, {autosize: true, width: null});
  Plotly.newPlot(box, figure.data || [], layout, {responsive: true, displaylogo: false});
}
"""

