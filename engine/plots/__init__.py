"""Plotly figure builders, one module per page. Importing any of them installs the lab's
readable template (engine.plots.style) as Plotly's default."""
from engine.plots import style  # noqa: F401
