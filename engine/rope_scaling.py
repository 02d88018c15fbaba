"""The names of RoPE's context-extension scalings, without torch: the CLI lists them in its
help, and help must not wait for torch's import (engine/positions.py computes them)."""

SCALINGS = ("none", "linear", "ntk", "dynamic", "yarn", "llama3")
