"""Size and cost's Calculator tab: parameters, the weights' bytes in the chosen dtype, and what
training with Adam keeps in fp32, in mixed precision and in pure bf16."""
import streamlit as st

from engine.layer.memory import TRAINING
from engine.plots import layer as plots
from engine.units import human_bytes
from ui.downloads import download_figure
from ui.notice import notice
from ui.presentation import chart


def show(cost, preset, factorised: bool) -> None:
    cells = st.columns(3) + st.columns(len(TRAINING))
    cells[0].metric("parameters", f"{cost.params:,}")
    cells[1].metric(f"weights in {cost.dtype}", human_bytes(cost.weight_bytes),
                    help=f"{cost.weight_bytes:,} bytes; 1 MiB = 2²⁰ = 1,048,576 bytes, 1 GiB = 2³⁰")
    if preset.total_params and (cost.vocab, cost.dim, cost.tied) == (preset.vocab, preset.dim, preset.tied) \
            and not factorised:
        cells[2].metric(f"share of {preset.name}", f"{cost.params / preset.total_params:.1%}",
                        help=f"{preset.total_params:,} parameters in the whole model (published: {preset.published})")
    for cell, recipe in zip(cells[3:], TRAINING):
        cell.metric(f"training, {recipe}", human_bytes(cost.training_bytes(recipe)),
                    help=" + ".join(f"{part} {size} B" for part, size in TRAINING[recipe].parts().items() if size)
                    + " per parameter")
    notice(f"Sizes in binary units: the weights' {cost.weight_bytes:,} bytes are "
           f"{human_bytes(cost.weight_bytes)} (1 MiB = 2²⁰ bytes); in powers of 1,000 they would be "
           f"{cost.weight_bytes / 1e6:,.1f} MB.")
    left, right = st.columns([3, 1])
    figure = plots.memory_bars(cost, TRAINING)
    chart(left, figure, width="stretch")
    per = {recipe: TRAINING[recipe].per_parameter for recipe in TRAINING}
    right.markdown("Training with Adam keeps, per parameter: "
                   + ", ".join(f"**{recipe}** {size} bytes" for recipe, size in per.items()) + ". "
                   "Mixed precision runs the passes in bf16 but keeps an fp32 master copy of the weights "
                   "and fp32 moments for the update, so it saves no memory on the table; only pure bf16 "
                   "halves it, and then small updates round away. ALBERT's factorisation stores "
                   "V × E + E × d: a small E shrinks a big vocabulary's table.")
    download_figure(figure, "embedding-memory.html")
