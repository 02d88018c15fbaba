"""Maps of a table: a map's settings (MapSpec) built into its points (build_map, with the
projectors of engine.projections), how faithful it is, k-means colours in the full space, a
searched word on the map, and exports (CSV, TensorFlow Projector TSV); maps kept on disk are
engine.map_cache's.

A map is judged against the table's own cosine neighbours: the share
of each point's k nearest words (cosine, full space) that are also its k nearest points on
the map, averaged over a sample — so the user sees where the picture lies.
"""
from __future__ import annotations

import importlib
import re
import time
from dataclasses import asdict, dataclass, replace
from typing import TYPE_CHECKING, Sequence

import numpy as np

from engine.errors import check_int
from engine.neighbourhoods import Faithfulness, measure_faithfulness, nearest_rows
from engine.projections import RANDOM_STATE, PCAProjection, Progress, TSNEProjection, UMAPProjection, WordAxes, quiet
from engine.row_numbers import row_heading, row_number, row_text
from engine.vectors import EmbeddingSet, unit_rows

if TYPE_CHECKING:
    import pandas as pd

    from engine.cluster import Cluster

METHODS = ("pca", "umap", "tsne", "axes")
METHOD_TITLES = {"pca": "PCA", "umap": "UMAP", "tsne": "t-SNE", "axes": "Word axes"}
TSNE_MAX_ROWS = 20_000
MAP_MAX_ROWS = 400_000   # any map: past this, the first (most frequent) rows are drawn
LOW_PRESERVATION = 0.3   # below this the page warns that the map's neighbourhoods mislead
KMEANS_HERE_CELLS = 2_000_000   # rows × clusters of k-means run in this process (under a second)


def neighbour_frame(table: EmbeddingSet, rows: Sequence[int], k: int = 10,
                    restrict: int | None = None) -> pd.DataFrame:
    """One line per row: the word, its rank (or id) and its k true (cosine) neighbours among the
    first `restrict` rows — the table shown for a selection on the map."""
    import pandas as pd

    limit = len(table) if restrict is None else check_int("restrict", restrict, 2, len(table))
    rows = np.asarray(sorted(set(int(r) for r in rows)), dtype=np.int64)
    if rows.size and (rows.min() < 0 or rows.max() >= limit):
        raise ValueError(f"rows must lie in 0–{limit - 1:,}; got {rows.min():,}–{rows.max():,}")
    unit = table.unit[:limit]
    near = nearest_rows(unit, rows, min(k, limit - 1)) if rows.size else np.empty((0, k), int)
    words = table.index_to_key
    return pd.DataFrame({"word": [words[r] for r in rows], row_heading(table): row_number(table, rows),
                         "true neighbours": [", ".join(words[j] for j in line) for line in near]})


@dataclass(frozen=True)
class WordOnMap:
    """A searched word on a map: its row, its k true (cosine) neighbours among the rows
    shown, its k nearest points on the map, and how many of the two lists agree."""

    row: int
    true_rows: tuple[int, ...]
    map_rows: tuple[int, ...]

    @property
    def kept(self) -> int:
        return len(set(self.true_rows) & set(self.map_rows))

    def to_dict(self) -> dict:
        return {**asdict(self), "kept": self.kept}


def word_on_map(table: EmbeddingSet, result: "MapResult", word: str, k: int = 10) -> WordOnMap:
    """Where `word` and its true neighbours are on the map of the first result.spec.rows rows."""
    rows = result.spec.rows
    row = table.get_index(word)
    if row >= rows:
        raise ValueError(f"'{word}' is {row_text(table, row)} but the map shows only the first "
                         f"{rows:,} rows; raise the number of words to at least {row + 1:,}")
    k = check_int("neighbours", k, 1, min(100, rows - 1))
    true = nearest_rows(table.unit[:rows], np.array([row]), k)[0]
    drawn = nearest_rows(result.coords, np.array([row]), k, "euclidean")[0]
    return WordOnMap(row, tuple(map(int, true)), tuple(map(int, drawn)))


def kmeans_labels(X: np.ndarray, k: int, random_state: int = 0,
                  progress: Progress | None = None) -> np.ndarray:
    """(n,) cluster of each row by k-means on the unit rows (so clusters follow cosine),
    in the full d-dimensional space, not on the map. Past KMEANS_HERE_CELLS rows × clusters
    it runs in a worker process (engine.project_worker), which `progress` can stop."""
    k = check_int("clusters", k, 2, min(50, X.shape[0]))
    if X.shape[0] * k > KMEANS_HERE_CELLS:
        from engine.project_worker import kmeans_in_worker

        return kmeans_in_worker(X, k, random_state, progress)
    return kmeans_here(X, k, random_state)


def kmeans_here(X: np.ndarray, k: int, random_state: int = 0) -> np.ndarray:
    """kmeans_labels in this process (engine.kmeans, the loop a cluster runs too)."""
    from engine.kmeans import kmeans

    return kmeans(unit_rows(X), k, random_state).labels


COLOURINGS = ("frequency rank", "vector norm", "k-means cluster", "word list")


@dataclass(frozen=True, eq=False)
class Colouring:
    """Colour of each point: values (n,) on a scale, or codes into `categories`."""

    values: np.ndarray
    title: str
    categories: tuple[str, ...] | None = None
    note: str = ""


def split_words(text: str) -> list[str]:
    """The words of a list typed with commas or spaces between them."""
    return [w for w in re.split(r"[,\s]+", text.strip()) if w]


EXAMPLE_WORD_LIST = ("king", "queen", "paris", "france", "apple")


def resolvable(table: EmbeddingSet, words: Sequence[str]) -> bool:
    """Whether `table` finds every one of `words` (in some case, see EmbeddingSet.resolve)."""
    try:
        [table.resolve(w) for w in words]
    except (KeyError, ValueError):
        return False
    return bool(words)


def example_word_list(table: EmbeddingSet, count: int = 5) -> list[str]:
    """Words to list on a map of `table`: EXAMPLE_WORD_LIST when it has them all, else its
    first `count` keys."""
    if resolvable(table, EXAMPLE_WORD_LIST):
        return list(EXAMPLE_WORD_LIST)
    return list(table.index_to_key[:count])


def colour_by(table: EmbeddingSet, rows: int, how: str, clusters: np.ndarray | None = None,
              word_list: str = "") -> Colouring:
    """Colours for the first `rows` rows: by `how` (one of COLOURINGS). clusters: (rows,)
    k-means labels; word_list: words separated by commas or spaces (unknown words raise)."""
    if how == "frequency rank":
        if not table.frequency_ordered:
            return Colouring(np.arange(rows, dtype=np.float32), "row (id order)")
        return Colouring(np.log10(np.arange(1, rows + 1, dtype=np.float32)), "log₁₀ rank")
    if how == "vector norm":
        return Colouring(table.norms[:rows], "vector norm")
    if how == "k-means cluster":
        if clusters is None or len(clusters) != rows:
            raise ValueError(f"k-means colouring needs one label per row ({rows:,})")
        return Colouring(np.asarray(clusters), "cluster",
                         tuple(f"cluster {i + 1}" for i in range(int(clusters.max()) + 1)))
    if how != "word list":
        raise ValueError(f"unknown colouring {how!r}; use one of {', '.join(COLOURINGS)}")
    words = split_words(word_list)
    if not words:
        raise ValueError("the word list is empty; type words separated by commas or spaces")
    listed = np.array([table.get_index(table.resolve(w)) for w in words])
    codes = np.zeros(rows, dtype=np.int64)
    codes[listed[listed < rows]] = 1
    missing = [w for w, r in zip(words, listed) if r >= rows]
    note = f"not among the words shown: {', '.join(missing)}" if missing else ""
    return Colouring(codes, "word list", ("other words", "in your list"), note)


# -- maps ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class MapSpec:
    """What to draw: method, the first `rows` rows, 2 or 3 dimensions, method parameters.
    `checked` caps rows at MAP_MAX_ROWS: a larger map would cost the server gigabytes and
    the browser minutes, and the most frequent rows are the ones worth drawing."""

    method: str = "pca"
    rows: int = 10_000
    dims: int = 2
    n_neighbors: int = 15
    min_dist: float = 0.1
    perplexity: float = 30.0
    axes: tuple[str, ...] = ()
    random_state: int = RANDOM_STATE

    def to_dict(self) -> dict:
        return {**asdict(self), "axes": list(self.axes)}

    def checked(self, table: EmbeddingSet) -> "MapSpec":
        """This spec after every range check against `table`; ValueError names the bad value."""
        if self.method not in METHODS:
            raise ValueError(f"unknown map method {self.method!r}; use one of {', '.join(METHODS)}")
        rows = min(check_int("number of words", self.rows, 3, len(table)), MAP_MAX_ROWS)
        dims = check_int("dimensions", self.dims, 2, 3)
        if self.method == "tsne" and rows > TSNE_MAX_ROWS:
            raise ValueError(f"t-SNE is capped at {TSNE_MAX_ROWS:,} words (it needs minutes "
                             f"beyond that); got {rows:,}. Use UMAP for larger maps.")
        if self.method == "axes" and len(self.axes) != dims:
            raise ValueError(f"word axes need {dims} formulas for {dims} dimensions; "
                             f"got {len(self.axes)}")
        return replace(self, rows=rows, dims=dims, axes=tuple(a.strip() for a in self.axes))


@dataclass(frozen=True, eq=False)
class MapResult:
    """A computed map: coords (rows, dims) float32 for the first `spec.rows` rows."""

    spec: MapSpec
    coords: np.ndarray
    axis_titles: tuple[str, ...]
    faithfulness: Faithfulness
    seconds: float
    explained_variance: tuple[float, ...] | None = None
    cached: bool = False

    def to_dict(self) -> dict:
        """Everything but the coordinates, for JSON."""
        return {"method": self.spec.method, "rows": self.spec.rows, "dims": self.spec.dims,
                "seconds": round(self.seconds, 3), "preservation": self.faithfulness.preservation,
                "trustworthiness": self.faithfulness.trustworthiness, "k": self.faithfulness.k,
                "sample": self.faithfulness.sample, "explained_variance": self.explained_variance,
                "axis_titles": list(self.axis_titles), "cached": self.cached,
                "spec": self.spec.to_dict()}


_LIBRARIES = {"pca": "sklearn.decomposition", "umap": "umap", "tsne": "sklearn.manifold"}
IN_WORKER = ("umap", "tsne")    # compiled passes no callback can stop (engine.own_process)


def projector_for(spec: MapSpec, table: EmbeddingSet | None, progress: Progress):
    if spec.method == "pca":
        return PCAProjection(spec.dims)
    if spec.method == "umap":
        return UMAPProjection(spec.dims, spec.n_neighbors, spec.min_dist, spec.random_state, progress)
    if spec.method == "tsne":
        return TSNEProjection(spec.dims, spec.perplexity, spec.random_state, progress)
    return WordAxes(spec.axes, table)


def timed_projection(projector, spec: MapSpec, vectors: np.ndarray) -> tuple[np.ndarray, float]:
    """((rows, dims) float32 coordinates, seconds the projection took, its imports left out)."""
    if spec.method in _LIBRARIES:
        importlib.import_module(_LIBRARIES[spec.method])
    start = time.perf_counter()
    coords = np.ascontiguousarray(projector.fit_transform(vectors), dtype=np.float32)
    return coords, time.perf_counter() - start


def build_map(table: EmbeddingSet, spec: MapSpec, progress: Progress | None = None,
              cluster: Cluster | None = None) -> MapResult:
    """Project the first spec.rows rows of `table` and measure how faithful the map is
    (the sample's true neighbours searched on `cluster` when given). UMAP and t-SNE run in
    a worker process (IN_WORKER), which `progress` can stop by raising."""
    progress = progress or quiet
    spec = spec.checked(table)
    vectors = np.asarray(table.vectors[:spec.rows])
    if spec.method in IN_WORKER:
        from engine.project_worker import project_in_worker

        coords, seconds = project_in_worker(spec, vectors, progress)
    else:
        projector = projector_for(spec, table, progress)
        coords, seconds = timed_projection(projector, spec, vectors)
    progress(1.0, "measuring how well the map keeps neighbourhoods")
    search = None
    if cluster is not None:
        from engine.cluster.passes import sample_neighbours

        def search(chosen: np.ndarray, k: int) -> np.ndarray:
            return sample_neighbours(table, spec.rows, chosen, k, cluster)
    faithfulness = measure_faithfulness(vectors, coords, random_state=spec.random_state,
                                        progress=progress, search=search,
                                        where=cluster.description if cluster else "")
    explained = None
    if spec.method == "pca":
        explained = tuple(float(v) for v in projector.explained_variance_ratio_)
        titles = tuple(f"PC{i + 1} ({v:.1%} of variance)" for i, v in enumerate(explained))
    elif spec.method == "axes":
        titles = tuple(f"cosine with ({f})" for f in spec.axes)
    else:
        titles = tuple(f"{METHOD_TITLES[spec.method]} {i + 1}" for i in range(spec.dims))
    return MapResult(spec, coords, titles, faithfulness, seconds, explained)


# -- exports ------------------------------------------------------------------------------
def map_frame(table: EmbeddingSet, result: MapResult) -> pd.DataFrame:
    """word, rank (or id, see engine.row_numbers), x, y (, z): the coordinates as a table
    for CSV export."""
    import pandas as pd

    rows = result.spec.rows
    frame = pd.DataFrame({"word": table.index_to_key[:rows], row_heading(table): row_number(table, np.arange(rows))})
    for name, column in zip("xyz", result.coords.T):
        frame[name] = column
    return frame


def projector_vectors_tsv(vectors: np.ndarray) -> str:
    """vectors.tsv for projector.tensorflow.org: one tab-separated row per vector (n, d),
    9 significant digits, which is exact for float32."""
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim != 2:
        raise ValueError(f"vectors must be a 2-D table (rows × dims); got shape {vectors.shape}")
    return "".join("\t".join(row) + "\n" for row in np.char.mod("%.9g", vectors).tolist())


def projector_metadata_tsv(words: Sequence[str]) -> str:
    """metadata.tsv: one word per line, no header (the Projector's single-column form);
    a tab or newline inside a word becomes a space, since it would break the row."""
    return "".join(re.sub(r"[\t\r\n]", " ", w) + "\n" for w in words)
