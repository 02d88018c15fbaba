"""What several Positions tabs share: the RoPE presets, the scaling rules, a full-width chart."""
import streamlit as st

from ui.presentation import chart as full_width_chart

BASES = {"10000": ("10,000 (RoPE paper, LLaMA 2)", 4_096), "500000": ("500,000 (LLaMA 3)", 8_192)}
SCALINGS = {"linear": "linear (position interpolation)", "ntk": "NTK-aware", "dynamic": "dynamic NTK (at length s·L₀)",
            "yarn": "YaRN", "llama3": "LLaMA 3.1 (llama3)"}


def chart(figure) -> None:
    full_width_chart(st, figure)
