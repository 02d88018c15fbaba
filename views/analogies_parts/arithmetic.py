"""Free word arithmetic ("king − man + woman"): its own box, kept in the URL, with its own
errors, whatever the analogy above shows."""
import streamlit as st

from engine.analogy import parse_arithmetic
from engine.vectors import EmbeddingSet
from ui.text import md_text, show_error
from ui.url_state import in_url
from ui.words import has_formula, resolved_words


def example_formula(presets: dict) -> str:
    """B − A + C of the first example that fits the table, or nothing."""
    if not presets:
        return ""
    a, b, c, _ = next(iter(presets.values()))
    return f"{b} - {a} + {c}"


def arithmetic(table: EmbeddingSet, presets: dict, topn: int, restrict: int, exclude: bool) -> None:
    st.subheader("Word arithmetic")
    default = example_formula(presets)
    formula = in_url(st.text_input, "Formula (words joined by + and −)", key="formula", default=default,
                     depends_on=table.name, usable=has_formula(table))
    if not formula.strip():
        st.caption("Type words of this table joined by + and −, e.g. “B − A + C”.")
        return
    try:
        parsed = parse_arithmetic(formula)
    except ValueError as error:
        show_error(error)
        return
    keys = resolved_words(table, list(parsed.positive + parsed.negative))
    if keys is None:
        return
    positive, negative = keys[:len(parsed.positive)], keys[len(parsed.positive):]
    try:
        results = table.most_similar(positive, negative, topn=max(1, min(topn, restrict - len(set(keys)))),
                                     restrict_vocab=restrict, exclude_inputs=exclude)
    except (KeyError, ValueError) as error:
        show_error(error)
        return
    st.write(" · ".join(f"**{md_text(n.key)}** {n.score:.3f}" for n in results))
