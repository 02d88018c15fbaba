"""Positions' Sinusoidal tab: Vaswani et al.'s fixed table."""
import streamlit as st

from engine import positions as pos
from engine.plots import positions as plots
from ui.code import show_code
from ui.notice import notice
from ui.presentation import chart
from ui.url_state import in_url


def show():
    st.caption("Vaswani et al.: position p gets sin(p·θᵢ) in dimension 2i and cos(p·θᵢ) in 2i+1, "
               "θᵢ = 10000^(−2i/d). Each pair turns at its own speed, from 2π positions to ~10,000·2π.")
    left, right = st.columns(2)
    n_positions = in_url(left.slider, "Positions", 16, 4_096, step=16, key="sin_positions", default=512)
    dim = in_url(right.select_slider, "d", [16, 32, 64, 128, 256, 384, 512], key="sin_d", default=128)
    table = pos.sinusoidal_table(n_positions, dim)
    chart(left, plots.heatmap(table, "Sinusoidal table", "dimension", "position"), width="stretch")
    waves = pos.wavelengths(pos.inverse_frequencies(dim)).numpy()     # (d/2,) positions per turn
    chart(right, plots.wavelength_lines({"sinusoidal": waves}, "Wavelength of each sin/cos pair"), width="stretch")
    turning = int((waves <= n_positions).sum())
    notice(f"At d = {dim} the {len(waves)} pairs' wavelengths run from {waves.min():,.1f} to {waves.max():,.0f} "
           f"positions: over these {n_positions:,} positions {turning} pairs turn at least once and "
           f"{len(waves) - turning} less than once, so those tell far positions apart only slowly.", right)
    anchors = [n_positions // 4, n_positions // 2]
    chart(st, plots.anchored_dots(pos.dot_with_all(table, anchors), anchors))
    show_code("positions.sinusoidal")
