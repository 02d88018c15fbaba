"""The Shrink the table page's sidebar: methods, probes, int8's calibration, PQ's parts."""
from dataclasses import dataclass

import streamlit as st

from engine.quantize import METHODS, TITLES, default_pq_parts
from ui.url_state import in_url
from ui.words import has_words, resolved_words

CALIBRATIONS = ("the whole table", "the first N rows", "words I choose")


@dataclass(frozen=True)
class Choices:
    methods: tuple[str, ...]
    probes: int
    calibration: object          # 'table', an int or a tuple of words
    pq_parts: int
    analogies: bool


def choose(table) -> Choices | None:
    side = st.sidebar
    methods = in_url(side.multiselect, "Methods", list(METHODS), key="methods", default=list(METHODS),
                     format_func=lambda m: TITLES[m])
    probes = int(in_url(side.number_input, "Probe rows (neighbours compared)", 10, 5_000, key="probes",
                        default=300, step=100))
    how = in_url(side.radio, "int8 ranges calibrated on", list(CALIBRATIONS), key="calibration",
                 default=CALIBRATIONS[0], help="sentence-transformers' int8 takes each dimension's range "
                 "from calibration rows; values outside it are clipped.")
    calibration = "table"
    if how == CALIBRATIONS[1]:
        calibration = int(in_url(side.number_input, "N", 2, len(table), key="calibration_rows",
                                 default=min(1_000, len(table)), depends_on=table.name, step=1_000))
    elif how == CALIBRATIONS[2]:
        typed = in_url(side.text_input, "Words (comma-separated)", key="calibration_words",
                       default=", ".join(table.index_to_key[100:110]), depends_on=table.name,
                       usable=has_words(table))
        words = resolved_words(table, [w.strip() for w in typed.split(",") if w.strip()], side)
        if words is None:
            return None
        calibration = tuple(words)
    divisors = [m for m in range(1, table.dim + 1) if table.dim % m == 0]
    parts = in_url(side.selectbox, "Product quantisation: parts (bytes a row)", divisors, key="pq_parts",
                   default=default_pq_parts(table.dim), depends_on=table.dim)
    analogies = in_url(side.checkbox, "Also the Google analogies (slower)", key="shrink_analogies", default=False)
    return Choices(tuple(methods), probes, calibration, int(parts), analogies)
