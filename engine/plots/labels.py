"""Text labels beside the points of a scatter plot, placed so that no two overlap and none
leaves the view: tried above, below, beside and diagonally off each point, in priority order; a
label with no free place is left out (its point keeps its hover text)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

# Plot width assumed when placing labels: the map's in a 400 px phone window, beside its colour
# bar (measured 209 px). Wider windows only move the labels apart; placed for 900 px, they lay
# on each other at 800 px.
PLOT_WIDTH_PX = 210
CHAR_WIDTH = 0.62        # average glyph width / font size for lower-case words
POSITIONS = ("top center", "bottom center", "middle right", "middle left",
             "top right", "top left", "bottom right", "bottom left")


@dataclass(frozen=True)
class Label:
    """One placed label: the row it names, its text position and font size."""

    row: int
    position: str
    size: int


def _label_box(xy: np.ndarray, text: str, size: int, position: str, units: np.ndarray) -> np.ndarray:
    """[x0, y0, x1, y1] in data units of a label at point xy; units = data units per pixel.
    position: "top center", "middle left", "bottom right", … (Plotly's textposition names)."""
    width, height = (len(text) * CHAR_WIDTH * size + 4) * units[0], (size * 1.25) * units[1]
    gap = np.array([4.0, 4.0]) * units
    vertical, horizontal = position.split()
    x0 = {"center": xy[0] - width / 2, "right": xy[0] + gap[0], "left": xy[0] - gap[0] - width}[horizontal]
    y0 = {"middle": xy[1] - height / 2, "top": xy[1] + gap[1], "bottom": xy[1] - gap[1] - height}[vertical]
    return np.array([x0, y0, x0 + width, y0 + height])


def place_labels(coords: np.ndarray, words: Sequence[str], wanted: Sequence[tuple[int, int]],
                 view: tuple[tuple[float, float], tuple[float, float]], height_px: int,
                 width_px: int = PLOT_WIDTH_PX) -> list[Label]:
    """Labels that do not overlap one another, first come first served.

    coords: (n, 2); wanted: (row, font px) in priority order; view: the initial x and y ranges.
    A label is tried above, below, right, left and then diagonally off its point, and skipped if every place
    collides with one already placed or leaves the view. The pass runs in data units at the
    first view: zooming in only moves labels apart, so they stay clear at every closer zoom.
    """
    (x0, x1), (y0, y1) = view
    units = np.array([(x1 - x0) / width_px, (y1 - y0) / height_px])
    placed: list[np.ndarray] = []
    labels = []
    for row, size in wanted:
        for position in POSITIONS:
            box = _label_box(coords[row], words[row], size, position, units)
            inside = box[0] >= x0 and box[2] <= x1 and box[1] >= y0 and box[3] <= y1
            if inside and not any(_overlap(box, other) for other in placed):
                placed.append(box)
                labels.append(Label(int(row), position, size))
                break
    return labels


def _overlap(a: np.ndarray, b: np.ndarray) -> bool:
    return bool(a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])




def extent(coords: np.ndarray, pad: float = 0.04) -> tuple[tuple[float, float], tuple[float, float]]:
    """The x and y ranges of coords (n, 2), widened by `pad` of their span at each end."""
    low, high = coords.min(axis=0), coords.max(axis=0)
    margin = (high - low) * pad
    return ((float(low[0] - margin[0]), float(high[0] + margin[0])),
            (float(low[1] - margin[1]), float(high[1] + margin[1])))


def zoom(coords: np.ndarray, rows: Sequence[int]) -> tuple[tuple[float, float], tuple[float, float]]:
    """x and y ranges that frame `rows` of coords (n, 2) with a margin, never tighter than a
    tenth of the whole map's span."""
    spans = coords.max(axis=0) - coords.min(axis=0)
    low, high = coords[rows].min(axis=0), coords[rows].max(axis=0)
    centre, half = (low + high) / 2, np.maximum((high - low) * 0.6, spans / 20)
    return ((float(centre[0] - half[0]), float(centre[0] + half[0])),
            (float(centre[1] - half[1]), float(centre[1] + half[1])))


def scatter_labels(coords: np.ndarray, texts: Sequence[str], size: int,
                   view: tuple[tuple[float, float], tuple[float, float]], height_px: int,
                   width_px: int) -> tuple[list[str], list[str]]:
    """(text, textposition) for each point of a Scatter trace with mode "markers+text": its
    label where `place_labels` found it a free place (points in order of priority), else ""
    (the point keeps its hover). coords: (n, 2) in the axes' units (log10 on a log axis)."""
    placed = {label.row: label.position
              for label in place_labels(coords, texts, [(i, size) for i in range(len(texts))], view,
                                        height_px, width_px)}
    return ([text if i in placed else "" for i, text in enumerate(texts)],
            [placed.get(i, "top center") for i in range(len(texts))])
