"""ID tables with metadata: a table whose keys are ids (members, films, products) and a
frame of columns about each id; the columns shown beside neighbours, colours for maps, and
per-category centroids.

`table.metadata` is a pandas DataFrame with one row per table row, in row order, 'key' first.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from engine.vectors import EmbeddingSet, top_k

if TYPE_CHECKING:
    import pandas as pd

MAX_CATEGORIES = 60     # a column with more distinct values is not treated as categorical
LEGEND_CATEGORIES = 12  # map legends: the most common categories, the rest as "other"
ID_COLUMNS = ("id", "key", "word", "item", "node")  # a metadata file's id column, first found


def metadata_columns(table: EmbeddingSet) -> list[str]:
    """The metadata columns (not 'key'); [] for a table without metadata."""
    return [] if table.metadata is None else [c for c in table.metadata.columns if c != "key"]


def categorical_columns(table: EmbeddingSet) -> list[str]:
    """Columns that are not numbers (text, bool, category) with 2 to MAX_CATEGORIES
    distinct values."""
    from pandas.api.types import is_bool_dtype, is_numeric_dtype

    if table.metadata is None:
        return []
    frame = table.metadata
    return [c for c in metadata_columns(table)
            if (is_bool_dtype(frame[c]) or not is_numeric_dtype(frame[c]))
            and 1 < frame[c].nunique() <= MAX_CATEGORIES]


def _column(table: EmbeddingSet, column: str):
    if column not in metadata_columns(table):
        have = ", ".join(metadata_columns(table)) or "none"
        raise ValueError(f"{table.name} has no metadata column {column!r}; its columns: {have}")
    return table.metadata[column]


def rows_metadata(table: EmbeddingSet, rows) -> pd.DataFrame:
    """The metadata columns (not 'key') of the given rows, in that order, index reset."""
    if table.metadata is None:
        import pandas as pd

        return pd.DataFrame(index=range(len(rows)))
    return table.metadata.iloc[list(rows)][metadata_columns(table)].reset_index(drop=True)


def hover_labels(table: EmbeddingSet, rows: int, columns: int = 3) -> list[str]:
    """'key · col1 · col2 …' for the first `rows` rows (the key alone without metadata)."""
    keys = table.index_to_key[:rows]
    if table.metadata is None:
        return list(keys)
    shown = table.metadata.iloc[:rows][metadata_columns(table)[:columns]].astype(str)
    return [" · ".join([k, *values]) for k, values in zip(keys, shown.itertuples(index=False))]


@dataclass(frozen=True, eq=False)
class CategoryCentroids:
    """The unit mean direction of each category's unit rows.

    categories: (c,) labels, most members first; counts: (c,); centroids: (c, d) unit rows;
    cohesion: (c,) mean cosine of the members with their own centroid.
    """

    column: str
    categories: tuple[str, ...]
    counts: np.ndarray
    centroids: np.ndarray
    cohesion: np.ndarray

    def nearest_categories(self, category: str, topn: int = 5) -> list[tuple[str, float]]:
        """Other categories by the cosine of their centroid with `category`'s."""
        if category not in self.categories:
            raise ValueError(f"{category!r} is not a category of {self.column!r}; categories: "
                             f"{', '.join(self.categories[:20])}")
        i = self.categories.index(category)
        scores = self.centroids @ self.centroids[i]
        scores[i] = -np.inf
        return [(self.categories[j], float(scores[j]))
                for j in top_k(scores, min(topn, len(self.categories) - 1))]


def category_centroids(table: EmbeddingSet, column: str, rows: int | None = None) -> CategoryCentroids:
    """Per-category centroids of a categorical metadata column over the first `rows` rows
    (all by default); rows with no value for the column are left out."""
    values = _column(table, column)
    if column not in categorical_columns(table):
        raise ValueError(f"column {column!r} has {values.nunique():,} distinct values; categories "
                         f"need 2 to {MAX_CATEGORIES}")
    rows = len(table) if rows is None else rows
    labels = values.iloc[:rows]
    present = labels.notna().to_numpy()
    codes, names = labels[present].astype(str).factorize()
    unit = np.asarray(table.unit[:rows])[present]
    counts = np.bincount(codes, minlength=len(names))
    sums = np.zeros((len(names), table.dim), dtype=np.float64)
    np.add.at(sums, codes, unit)
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    centroids = (sums / np.where(norms == 0, 1, norms)).astype(np.float32)
    cohesion = np.bincount(codes, weights=np.einsum("ij,ij->i", unit, centroids[codes]),
                           minlength=len(names)) / counts
    order = np.argsort(-counts, kind="stable")
    return CategoryCentroids(column, tuple(str(names[i]) for i in order), counts[order],
                             centroids[order], cohesion[order])


def colour_codes(table: EmbeddingSet, column: str, rows: int) -> tuple[np.ndarray, tuple[str, ...] | None]:
    """Colours for a map: (codes, categories) for a categorical column (the most common
    LEGEND_CATEGORIES, then 'other', then 'no value'), or (numbers, None) for a numeric one."""
    from pandas.api.types import is_numeric_dtype

    values = _column(table, column).iloc[:rows]
    if column not in categorical_columns(table) and is_numeric_dtype(values):
        return values.to_numpy(dtype=np.float32, na_value=np.nan), None
    text = values.astype("string")
    common = list(text.value_counts().index[:LEGEND_CATEGORIES])
    codes = np.full(rows, len(common), dtype=np.int64)
    for code, label in enumerate(common):
        codes[(text == label).fillna(False).to_numpy()] = code
    codes[text.isna().to_numpy()] = len(common) + 1
    return codes, tuple(str(c) for c in common) + ("other", "no value")


# -- metadata files ------------------------------------------------------------------
def read_metadata(source) -> pd.DataFrame:
    """A metadata file (CSV, TSV or Parquet; path or file object), every column kept; the
    id column ('id', 'key', 'word', 'item' or 'node', else the first) becomes 'key', as text."""
    import pandas as pd

    name = str(getattr(source, "name", source))
    try:
        if name.lower().endswith(".parquet"):
            frame = pd.read_parquet(source)
        else:
            frame = pd.read_csv(source, sep=None, engine="python", dtype={0: str})
    except UnicodeDecodeError as error:
        raise ValueError(f"the metadata file {Path(name).name} is not UTF-8 text: byte "
                         f"0x{error.object[error.start]:02x} is not a character (a binary file?); give "
                         "CSV or TSV text in UTF-8, or a Parquet file") from None
    except (OSError, ValueError, pd.errors.ParserError) as error:
        raise ValueError(f"cannot read the metadata file {Path(name).name}: {error}") from None
    if frame.shape[1] < 1 or frame.shape[0] < 1:
        raise ValueError(f"the metadata file {Path(name).name} has no rows or no columns")
    lower = {str(c).lower(): c for c in frame.columns}
    id_column = next((lower[c] for c in ID_COLUMNS if c in lower), frame.columns[0])
    frame = frame.rename(columns={id_column: "key"})
    frame["key"] = frame["key"].astype(str)
    frame = frame[["key"] + [c for c in frame.columns if c != "key"]]
    repeated = frame["key"].duplicated()
    if repeated.any():
        raise ValueError(f"the metadata has {int(repeated.sum()):,} repeated id(s) (first: "
                         f"{frame['key'][repeated].iloc[0]!r}); give one row per id")
    return frame


def align_metadata(frame, keys: list[str]) -> tuple[pd.DataFrame, str]:
    """(one metadata row per key, in row order, empty where the file has none; a note).
    ValueError, saying how many match, when fewer than half the keys have a row."""
    import pandas as pd

    indexed = frame.set_index("key")
    matched = indexed.index.isin(pd.Index(keys))
    found = int(pd.Index(keys).isin(indexed.index).sum())
    if found * 2 < len(keys):
        example = frame["key"].iloc[0]
        raise ValueError(f"only {found:,} of the table's {len(keys):,} keys have a metadata row "
                         f"({int(matched.sum()):,} of the metadata's {len(frame):,} ids match; e.g. "
                         f"metadata id {example!r}, table key {keys[0]!r}); the id column must hold "
                         "the table's keys")
    aligned = indexed.reindex(keys).reset_index().rename(columns={"index": "key"})
    note = f"metadata for {found:,} of {len(keys):,} keys"
    if len(frame) - int(matched.sum()):
        note += f"; {len(frame) - int(matched.sum()):,} metadata id(s) are not in the table"
    return aligned, note
