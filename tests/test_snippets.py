"""The code behind each view, as its page shows it, run in a fresh Python without this project
on its path (`python -I`, in an empty folder): the numbers it prints equal the numbers the
page shows, to the digits shown, at the page's defaults and after one changed setting.

One fresh Python runs every script (torch and transformers load once) while this process
opens the next page in AppTest. A reader per view gathers what its page shows, named as its
script prints it ("label: value" lines)."""
from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from engine.contextual import preset_text
from engine.layer.frozen import MODES
from engine.layer.optimisers import OPTIMISERS
from engine.snippets import TEMPLATES, file_name
from tests.apptest import APP
from tests.snippets import FreshPython, printed_numbers

VIEWS = APP.rsplit("/", 1)[0] + "/views/"


@dataclass(frozen=True)
class PageRun:
    """A page opened with `query` in its link, then `widgets` ((kind, key, value)) set, then
    (train) the Train button pressed; `views`: the views whose code it shows."""

    name: str
    page: str
    views: tuple[str, ...]
    query: dict = field(default_factory=dict)
    widgets: tuple = ()
    train: bool = False


LOOKUP, GRADIENTS, POSITIONS = "layer_lookup.py", "layer_gradients.py", "positions.py"


def tiny(method: str) -> tuple:
    """The Train page's widgets for a small quick run of `method` on Lee (2 epochs, 8-d)."""
    return (("radio", "train_corpus", "lee"), ("selectbox", "train_method", method),
            ("number_input", "train_epochs", 2), ("number_input", "train_dim", 8))


PAIR = {"lookup_sentence": "Tokenisation is unbelievably subwordy.", "lookup_second": "I sat on the river bank."}
POSITION_TABS = {"positions.order": "Order", "positions.sinusoidal": "Sinusoidal", "positions.learned": "Learned",
                 "positions.rope": "RoPE", "positions.long_context": "Long context", "positions.alibi": "ALiBi"}
POSITIONS_CHANGED = {"order_a": "a cat sat on the mat", "order_b": "on the mat a cat sat", "order_head": "2",
                     "sin_positions": "256", "sin_d": "64", "base": "500000", "head_dim": "128",
                     "rope_query": "paris", "rope_key": "france", "scaling": "llama3", "rope_factor": "4.0",
                     "alibi_heads": "6", "alibi_length": "16", "alibi_head": "5"}
RUNS = [
    PageRun("lookup", LOOKUP, ("lookup.rows",)),
    PageRun("lookup-pair", LOOKUP, ("lookup.rows",), PAIR),
    PageRun("one-hot", LOOKUP, ("lookup.one_hot",), {"lookup_tab": "One-hot · W"}),
    PageRun("one-hot-pair", LOOKUP, ("lookup.one_hot",), {"lookup_tab": "One-hot · W"} | PAIR),
    PageRun("same-row", LOOKUP, ("lookup.same_row",), {"lookup_tab": "Same id, same row"}),
    PageRun("same-row-dot", LOOKUP, ("lookup.same_row",),
            {"lookup_tab": "Same id, same row", "lookup_static_token": "."}),
    PageRun("bert", LOOKUP, ("lookup.bert_input",), {"lookup_tab": "BERT's input"}),
    PageRun("bert-pair", LOOKUP, ("lookup.bert_input",), {"lookup_tab": "BERT's input"} | PAIR),
    PageRun("grad", GRADIENTS, ("gradients.w_grad",)),
    PageRun("grad-cat", GRADIENTS, ("gradients.w_grad",), {"gradients_sentence": "cat cat cat"}),
    PageRun("padding", GRADIENTS, ("gradients.padding",), {"gradients_tab": "padding_idx"}),
    PageRun("optimisers", GRADIENTS, ("gradients.optimisers",), {"gradients_tab": "Optimisers"}),
    PageRun("optimisers-2", GRADIENTS, ("gradients.optimisers",),
            {"gradients_tab": "Optimisers", "optimisers_steps": "2"}),
    PageRun("rare", GRADIENTS, ("gradients.rare",), {"gradients_tab": "Rare tokens"}),
    PageRun("rare-32", GRADIENTS, ("gradients.rare",), {"gradients_tab": "Rare tokens", "rare_batch": "32"}),
    PageRun("init", "layer_init.py", ("init.schemes", "init.scale")),
    PageRun("init-small", "layer_init.py", ("init.schemes", "init.scale"),
            widgets=(("select_slider", "init_sample", 500), ("select_slider", "scale_dim", 64))),
    PageRun("size", "layer_size.py", ("size.calculator", "size.models", "size.rules")),
    PageRun("size-llama", "layer_size.py", ("size.calculator", "size.models", "size.rules"),
            widgets=(("selectbox", "size_preset", "LLaMA-3-8B"), ("radio", "size_dtype", "bf16"))),
    PageRun("frozen", "layer_frozen.py", ("frozen",)),
    PageRun("frozen-seed-1", "layer_frozen.py", ("frozen",),
            widgets=(("number_input", "frozen_seed", 1), ("radio", "frozen_mode", "random"))),
    PageRun("train", "train.py", ("train",)),                 # the corpus; trained below, small and quick
    PageRun("train-cbow", "train.py", ("train",), train=True, widgets=(
        ("radio", "train_corpus", "lee"), ("radio", "train_sg", "CBOW"), ("number_input", "train_epochs", 2),
        ("number_input", "train_dim", 12))),
    PageRun("train-glove", "train.py", ("train",), train=True, widgets=tiny("glove")),
    PageRun("train-glove-changed", "train.py", ("train",), train=True, widgets=tiny("glove") + (
        ("number_input", "train_window", 3), ("number_input", "train_x_max", 4.0),
        ("number_input", "train_learning_rate", 0.1))),
    PageRun("train-sgns", "train.py", ("train",), train=True, widgets=tiny("torch-sgns")),
    PageRun("train-sgns-changed", "train.py", ("train",), train=True, widgets=tiny("torch-sgns") + (
        ("number_input", "train_negative", 2), ("number_input", "train_sample", 0.0),
        ("number_input", "train_learning_rate", 0.02))),
    PageRun("train-fasttext", "train.py", ("train",), train=True, widgets=tiny("fasttext")),
    PageRun("train-fasttext-cbow", "train.py", ("train",), train=True, widgets=tiny("fasttext") + (
        ("radio", "train_sg", "CBOW"), ("number_input", "train_min_n", 2), ("number_input", "train_max_n", 4))),
    *(PageRun(view.replace(".", "-"), POSITIONS, (view,), {"tab": tab})      # one run per tab:
      for view, tab in POSITION_TABS.items()),                                # only the open one runs
    *(PageRun(view.replace(".", "-") + "-changed", POSITIONS, (view,), {"tab": tab} | POSITIONS_CHANGED)
      for view, tab in POSITION_TABS.items() if view != "positions.learned"),
    PageRun("contextual", "contextual.py", ("contextual", "contextual.senses")),
    PageRun("contextual-bat", "contextual.py", ("contextual", "contextual.senses"),
            {"ctx_word": "bat", "ctx_sentences": preset_text("bat"), "ctx_cosine": "raw", "ctx_map_source": "My own",
             "ctx_map_text": preset_text("bat"), "ctx_layer": "3"}),
]
CASES = [(run, view) for run in RUNS for view in run.views]


# -- what a page shows -----------------------------------------------------------------------
def values(array) -> np.ndarray:
    """A plotly data array, plain or in plotly's binary encoding (with its shape)."""
    if isinstance(array, dict):
        flat = np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"])
        return flat.reshape([int(n) for n in str(array.get("shape", flat.size)).split(",")])
    return np.asarray(array)


def joined(array, digits: str) -> str:
    return ", ".join(format(value, digits) for value in values(array))


def figure(at, title_part: str) -> dict:
    """The figure whose title (or a subplot's) holds title_part, line breaks undone."""
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        layout = spec["layout"]
        titles = [layout.get("title", {}).get("text", "")] + [a.get("text", "") for a in layout.get("annotations", [])]
        if any(title_part in title.replace("<br>", " ") for title in titles):
            return spec
    raise AssertionError(f"no figure titled …{title_part}…")


def title(spec: dict) -> str:
    return spec["layout"]["title"]["text"].replace("<br>", " ")


def metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def text(at) -> str:
    return " ".join(m.value for m in list(at.markdown) + list(at.caption))


def lookup_rows(at) -> dict:
    frame = at.dataframe[0].value
    count = re.search(r"(\d+) tokens select (\d+) of ([\d,]+) rows", text(at))
    return {"tokens": " ".join(frame["token"]), "ids": ", ".join(map(str, frame["id"])),
            "segments": ", ".join(map(str, frame["segment"])),
            "rows": "{} tokens select {} of {}".format(*count.groups())}


def lookup_one_hot(at) -> dict:
    found = re.search(r"([\d,]+) multiply-adds where indexing reads ([\d,]+)", text(at))
    return {"max |lookup − one-hot · W|": metric(at, "max |lookup − one-hot · W|"), "multiply-adds": found[1],
            "numbers read": found[2]}


def lookup_same_row(at) -> dict:
    found = re.search(r"'(.+)' is id (\d+) in all", text(at))
    return {f"id of {found[1]}": found[2],
            "largest difference between the rows": metric(at, "largest difference between the rows")}


PARTS = {"token_rows": "token rows", "position_rows": "position rows", "segment_rows": "segment rows",
         "summed": "sum", "normed": "LayerNorm(sum)"}


def lookup_bert_input(at) -> dict:
    bars = figure(at, "Length of each token's row")["data"]
    return {"max |by hand − transformers|": metric(at, "by hand vs transformers: max |diff|")} | {
        f"‖{PARTS[bar['name']]}‖ per token": joined(bar["y"], ".3f") for bar in bars}


def gradients_w_grad(at) -> dict:
    bars = figure(at, "Gradient memory")["data"][0]
    shown = {label: metric(at, label) for label in ("rows with a gradient", "max |grad − sum of its tokens' vectors|")}
    return shown | {name: f"{int(size):,} bytes" for name, size in zip(bars["y"], values(bars["x"]))}


def gradients_padding(at) -> dict:
    return {"[PAD] tokens in the batch": re.search(r"with (\d+) \[PAD\] tokens", text(at))[1],
            "‖grad of [PAD]‖, MiniLM": metric(at, "‖grad of [PAD]‖"),
            "[PAD] row before → after, MiniLM": metric(at, "[PAD] row before → after, MiniLM"),
            "[PAD] row before → after, fresh layer": metric(at, "[PAD] row, fresh layer")}


def gradients_optimisers(at) -> dict:
    bars = figure(at, "Rows changed at each step")["data"]        # per step: changed, then not read
    return {f"{label}, {what}": str([int(values(bar["customdata"])[i]) for bar in bars[first::2]])
            for i, label in enumerate(OPTIMISERS.values())
            for first, what in ((0, "rows changed at each step"), (1, "of those, rows the batch never read"))}


def gradients_rare(at) -> dict:
    found = re.search(r"\(([\d,]+) tokens, ([\d,]+) batches\)", text(at))
    marks = next(t for t in figure(at, "Updates per row")["data"] if t["name"] == "chosen tokens")
    return {"tokens": found[1], "batches": found[2],
            "rows never updated in one epoch": metric(at, "rows never updated in one epoch")} | {
        token: f"rank {int(x):,}, {int(y):,} updates" for token, x, y in zip(marks["text"], values(marks["x"]),
                                                                             values(marks["y"]))}


def init_schemes(at) -> dict:
    frame = next(d.value for d in at.dataframe if "mean norm" in d.value.columns)
    return {row["name"]: f"mean norm {row['mean norm']:.4f}, mean cosine {row['mean cosine']:.4f}"
            for _, row in frame.iterrows()}


def init_scale(at) -> dict:
    return {"mean norm of a sinusoidal row": re.search(r"= ([\d.]+)$", title(figure(at, "Row norms at d =")))[1],
            "positions' share, unscaled": metric(at, "positions' share, unscaled"),
            "positions' share, tokens × √d": metric(at, "… with tokens × √d"),
            "MiniLM, learned positions' share": metric(at, "MiniLM, learned positions")}


def size_calculator(at) -> dict:
    return {m.label: m.value for m in at.metric}          # the calculator's metrics, named as it prints them


def size_models(at) -> dict:
    bars = figure(at, "Share of the model's parameters")["data"][0]
    return {name.partition(": ")[0]: f"{name.partition(': ')[2]}: {share}"
            for name, share in zip(bars["y"], bars["text"])}


def size_rules(at) -> dict:
    frame = next(d.value for d in at.dataframe if "rule" in d.value.columns)
    return {rule: f"d = {d}" for rule, d in zip(frame["rule"], frame.iloc[:, 1])}


def frozen(at) -> dict:
    bars = [bar for bar in figure(at, "Accuracy")["data"] if bar["type"] == "bar"]
    shown = {f"{mode.replace('<br>', ' ')}, accuracy, {split}": f"{accuracy:.1%}"
             for bar, split in zip(bars, ("train", "held out")) for mode, accuracy in zip(bar["x"], values(bar["y"]))}
    moved = next(m for m in at.metric if m.label.startswith("rows that moved, of "))
    return shown | {f"{MODES[at.radio(key='frozen_mode').value]}, rows that moved":
                    f"{moved.value} of {moved.label.removeprefix('rows that moved, of ')}, all read in training: "
                    f"{metric(at, '… all in the training sentences')}, mean move / row length: "
                    f"{metric(at, 'mean move / row length')}"}


def train(at) -> dict:
    shown = {m.label: m.value for m in at.metric if m.label in ("Words", "Distinct words", "Lines", "Vocabulary")}
    if "Vocabulary" not in shown:                          # not trained: the corpus's numbers only
        return shown
    epochs = next(d.value for d in at.dataframe if "epoch" in d.value.columns)
    shown |= {column: epochs[column].iloc[-1] for column in epochs.columns if column.startswith("near “")}
    method = at.selectbox(key="train_method").value
    if method in ("glove", "torch-sgns"):                  # the loss curve, as its hover shows it
        curve = figure(at, "Loss (")["data"][0]
        shown |= {f"loss after epoch {epoch}": f"{loss:.4g}"
                  for epoch, loss in zip(values(curve["x"]), values(curve["y"]))}
    if method == "glove":
        cells = re.search(r"([\d,]+) nonzero cells of ([\d,]+)", text(at))
        shown["nonzero co-occurrence cells"] = f"{cells[1]} of {cells[2]}"
    return shown


def positions_order(at) -> dict:
    head = at.number_input(key="order_head").value
    return {f"head {head}, largest score change, no positions": metric(at, "Largest score change, no positions"),
            f"head {head}, largest score change, with learned positions":
                metric(at, "… with MiniLM's learned positions")}


def positions_sinusoidal(at) -> dict:
    wavelengths = values(figure(at, "Wavelength of each sin/cos pair")["data"][0]["y"])
    shown = {"wavelength of pair 0": f"{wavelengths[0]:.4g}",
             f"wavelength of pair {len(wavelengths) - 1}": f"{wavelengths[-1]:.4g}"}
    for line in figure(at, "Dot product of one position")["data"]:
        offsets, dots = values(line["x"]), values(line["y"])
        p = int(line["name"].removeprefix("position "))
        shown[f"PE({p}) · PE({p} + k), k = 1, 8, 64"] = ", ".join(
            f"{dots[offsets == k][0]:.4g}" for k in (1, 8, 64) if (offsets == k).any())
    return shown


def positions_learned(at) -> dict:
    pairs = [(0, 1), (0, 10), (0, 100), (100, 101), (0, 511)]
    maps = figure(at, "Cosine similarity between positions")["data"]
    return {f"{name}, cosine of positions {', '.join(f'{i}·{j}' for i, j in pairs)}":
            ", ".join(f"{values(heatmap['z'])[i, j]:.3f}" for i, j in pairs)
            for name, heatmap in zip(("learned", "sinusoidal"), maps)}


def positions_rope(at) -> dict:
    return {"largest gap between the three curves": metric(at, "Largest gap between the three curves"),
            "interleaved vs rotate-half, as is": metric(at, "Interleaved vs rotate-half, as is"),
            "after reordering by [0,2,4,…,1,3,5,…]": metric(at, "… after the permutation [0,2,4,…,1,3,5,…]")}


def positions_long_context(at) -> dict:
    spec = figure(at, "Wavelength per pair, d =")
    before, after = spec["data"][:2]
    shown = {"wavelengths before": joined(before["y"], ".4g"), "wavelengths after": joined(after["y"], ".4g")}
    factor = re.search(r"attention factor ([\d.]+)", title(spec))
    return shown | ({"attention factor": factor[1]} if factor else {})


def positions_alibi(at) -> dict:
    spec = figure(at, "Bias added by head")
    head, slope = re.search(r"head (\d+) \(slope ([^)]+)\)", title(spec)).groups()
    return {"slopes": joined(figure(at, "Slope per head")["data"][0]["y"], ".5g"), f"head {head}, slope": slope,
            f"head {head}, biases of the last query": ", ".join(f"{b:.4f}" for b in values(spec["data"][0]["z"])[-1])}


def contextual(at) -> dict:
    frame = at.table[0].value                              # a row per pair (and the baseline), a column per layer
    layers = [c for c in frame.columns if c.startswith("layer ")]
    pair = lambda row: re.sub(r"^(S\d+ vs S\d+) \(.*\)$", r"\1", row)  # noqa: E731  (its senses, not printed)
    return {pair(row[""]): ", ".join(f"{c} {row[c]:.3f}" for c in layers) for _, row in frame.iterrows()}


def contextual_senses(at) -> dict:
    frame = next(t.value for t in at.table if "self-similarity" in set(t.value[""]))   # a row per measure
    layers = [c for c in frame.columns if c.startswith("layer ")]
    shown = title(figure(at, "PCA keeps"))
    layer, share = re.search(r"layer (\d+) \(PCA keeps (\d+)% of the variance\)", shown).groups()
    return {row[""]: ", ".join(f"{c} {row[c]:.3f}" for c in layers) for _, row in frame.iterrows()} | {
        f"layer {layer}, share of the variance the map keeps": f"{share}%"}


READERS = {"lookup.rows": lookup_rows, "lookup.one_hot": lookup_one_hot, "lookup.same_row": lookup_same_row,
           "lookup.bert_input": lookup_bert_input, "gradients.w_grad": gradients_w_grad,
           "gradients.padding": gradients_padding, "gradients.optimisers": gradients_optimisers,
           "gradients.rare": gradients_rare, "init.schemes": init_schemes, "init.scale": init_scale,
           "size.calculator": size_calculator, "size.models": size_models, "size.rules": size_rules,
           "frozen": frozen, "train": train, "positions.order": positions_order,
           "positions.sinusoidal": positions_sinusoidal, "positions.learned": positions_learned,
           "positions.rope": positions_rope, "positions.long_context": positions_long_context,
           "positions.alibi": positions_alibi, "contextual": contextual,
           "contextual.senses": contextual_senses}


# -- running pages and scripts ----------------------------------------------------------------
def open_page(run: PageRun) -> AppTest:
    at = AppTest.from_file(VIEWS + run.page, default_timeout=300)
    at.query_params.update(run.query)
    at.run()
    for kind, key, value in run.widgets:
        getattr(at, kind)(key=key).set_value(value).run()
    if run.train:
        at.button(key="train_start").click().run()
        at.session_state["visitor"].held["train_job"].wait(300)      # the visitor's run
        at.run()
    assert not at.exception and not at.error, [e.value for e in list(at.exception) + list(at.error)]
    return at


def shown_code(at, view: str) -> str:
    """The code in the view's expander, the one whose caption names its file."""
    expander = next(e for e in at.expander if e.label == "The code" and file_name(view) in e.caption[0].value)
    return expander.code[0].value


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    """{(run name, view): (what the page shows, what its code printed, the code)}: each page
    opened in turn here while one fresh Python runs the code of the previous ones."""
    fresh = FreshPython(tmp_path_factory.mktemp("scripts"))
    shown = {}
    try:
        for run in RUNS:
            try:
                at = open_page(run)
            except AssertionError as error:          # that page's cases fail, the others still run
                shown.update({(run.name, view): (str(error), None) for view in run.views})
                continue
            for view in run.views:
                code = shown_code(at, view)
                fresh.submit(script_name(run.name, view), code)
                try:
                    shown[run.name, view] = (READERS[view](at), code)
                except Exception as error:  # noqa: BLE001 - reported by the view's own case
                    shown[run.name, view] = (f"reading the page: {error!r}", code)
        return {(name, view): (page, code and fresh.output(script_name(name, view)), code)
                for (name, view), (page, code) in shown.items()}
    finally:
        fresh.close()


def script_name(run: str, view: str) -> str:
    return f"{run}-{view}".replace(".", "_")


@pytest.mark.parametrize("run, view", CASES, ids=[f"{run.name}:{view}" for run, view in CASES])
def test_the_code_prints_what_the_page_shows(compared, run, view):
    page, answer, code = compared[run.name, view]
    assert code is not None, f"{run.page} failed: {page}"
    assert answer["error"] is None, f"{file_name(view)} failed:\n{answer['error']}\n{code}"
    printed = printed_numbers(answer["stdout"])
    assert page, f"read nothing on {run.page} for {view}"
    assert {label: printed.get(label) for label in page} == page, answer["stdout"]


def test_every_view_is_checked_at_its_defaults_and_one_change():
    checked = [view for _, view in CASES]
    assert {view: checked.count(view) >= 2 or view == "gradients.padding" or view.endswith(("learned", "models"))
            for view in TEMPLATES} == dict.fromkeys(TEMPLATES, True)     # those three have no setting
