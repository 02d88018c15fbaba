"""The Train page's settings: the method and its numbers, each with a line of help; and the
presets that set them all at once."""
import streamlit as st

from engine.train.settings import HELP, METHODS, PRESETS
from ui.url_state import in_url

FIELDS = ("dim", "window", "min_count", "epochs", "seed", "negative", "sample")
FIELD_PX = 150      # a number box: its label and a six-digit value, at presenting size too


def load_preset() -> None:
    """Set the corpus and every setting the chosen preset names."""
    chosen = st.session_state.train_preset
    if chosen:
        corpus, settings = PRESETS[chosen]
        st.session_state.update({"train_corpus": corpus, "train_method": settings.method,
                                 "train_sg": "skip-gram" if settings.sg else "CBOW", "train_hs": settings.hs}
                                | {f"train_{name}": getattr(settings, name) for name in FIELDS})


def chosen_settings() -> tuple[str, dict]:
    """(method, {setting: value}) from the page's widgets, laid out in a row that wraps at the
    window's width (five columns cut their labels at 800 px)."""
    method = st.selectbox("Method", list(METHODS), format_func=METHODS.get, key="train_method")
    row = st.container(horizontal=True, gap="small")

    def number(label: str, name: str, low, high, default, **options):
        return row.number_input(label, low, high, default, help=HELP[name], key=f"train_{name}", width=FIELD_PX,
                                **options)

    values = dict(dim=number("Dimension", "dim", 1, 2000, 100), window=number("Window", "window", 1, 100, 5),
                  min_count=number("min_count", "min_count", 1, 10**9, 5),
                  epochs=number("Epochs", "epochs", 1, 1000, 10), seed=number("Seed", "seed", 0, 2**31 - 1, 1))
    if method in ("word2vec", "fasttext"):
        values["sg"] = row.radio("Architecture", ["skip-gram", "CBOW"], help=HELP["sg"], key="train_sg",
                                 width="content") == "skip-gram"
        values["hs"] = row.checkbox("Hier. softmax", help=HELP["hs"], key="train_hs", width="content")
    if method != "glove":
        values["negative"] = number("negative", "negative", 0, 100, 5)
        values["sample"] = number("sample", "sample", 0.0, 1.0, 1e-3, format="%g")
    if method == "fasttext":
        values["min_n"], values["max_n"] = number("min_n", "min_n", 1, 20, 3), number("max_n", "max_n", 1, 20, 6)
    if method == "glove":
        values["x_max"] = number("x_max", "x_max", 1.0, 10_000.0, 10.0)
    if method in ("glove", "torch-sgns"):   # each method's own rate, not the last one's
        values["learning_rate"] = in_url(row.number_input, "Learning rate", 0.0001, 1.0, key="train_learning_rate",
                                         default=0.05 if method == "glove" else 0.01, depends_on=method,
                                         help=HELP["learning_rate"], format="%g", width=FIELD_PX)
    return method, values
