"""Maps of a table: PCA, UMAP, t-SNE and word-axis projections, how faithful each one is,
k-means in the full space, and exports (CSV, TensorFlow Projector TSV).

Every projector follows the estimator pattern (sklearn, umap): parameters in `__init__`,
`fit_transform(X)` with X (n, d) -> (n, k), fitted state with a trailing underscore and a
fixed `random_state`. A map is judged against the table's own cosine neighbours: the share
of each point's k nearest words (cosine, full space) that are also its k nearest points on
the map, averaged over a sample — so the user sees where the picture lies.
"""
from __future__ import annotations

import contextlib
import hashlib
import importlib
import json
import os
import re
import sys
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

import numpy as np

from engine.atomic import atomic_path
from engine.budget import budget_from_env
from engine.errors import check_float, check_int
from engine.neighbourhoods import Faithfulness, measure_faithfulness, nearest_rows
from engine.row_numbers import row_heading, row_number, row_text
from engine.vectors import EmbeddingSet, unit_rows

if TYPE_CHECKING:
    import pandas as pd

    from engine.cluster import Cluster

METHODS = ("pca", "umap", "tsne", "axes")
METHOD_TITLES = {"pca": "PCA", "umap": "UMAP", "tsne": "t-SNE", "axes": "Word axes"}
TSNE_MAX_ROWS = 20_000
MAP_MAX_ROWS = 400_000   # any map: past this, the first (most frequent) rows are drawn
RANDOM_STATE = 42
CACHE_VERSION = 3        # bump when a method changes, so old maps on disk are not reused
LOW_PRESERVATION = 0.3   # below this the page warns that the map's neighbourhoods mislead
KMEANS_HERE_CELLS = 2_000_000   # rows × clusters of k-means run in this process (under a second)

Progress = Callable[[float, str], None]   # (fraction done in [0, 1], what is happening)


def _quiet(fraction: float, message: str) -> None:
    """The progress callback used when nobody is watching."""


# -- projectors ---------------------------------------------------------------------------
class PCAProjection:
    """PCA fitted on the rows given, by scikit-learn's covariance solver (one d × d
    covariance and its eigenvectors: one pass over the rows, so 400,000 × 50 takes about
    a second). Signs are fixed so that the largest-magnitude loading of every axis is
    positive (sklearn's svd_flip), so the same rows always give the same picture.

    Attributes after fit: mean_ (d,), components_ (k, d), explained_variance_ (k,),
    explained_variance_ratio_ (k,).
    """

    def __init__(self, n_components: int = 2):
        self.n_components = n_components

    def fit_transform(self, X: np.ndarray) -> np.ndarray:
        """(n, d) -> (n, k) float32 coordinates on the principal axes."""
        n, d = X.shape
        k = check_int("PCA dimensions", self.n_components, 1, min(n, d))
        from sklearn.decomposition import PCA

        model = PCA(n_components=k, svd_solver="covariance_eigh")
        coords = model.fit_transform(np.asarray(X, dtype=np.float32))
        self.mean_, self.components_ = model.mean_, model.components_
        self.explained_variance_ = model.explained_variance_
        self.explained_variance_ratio_ = model.explained_variance_ratio_
        return coords.astype(np.float32)


class _EpochStream:
    """A file for umap's tqdm bar (bar_format '{n}/{total}') that reports epochs done."""

    def __init__(self, progress: Progress, start: float):
        self.progress, self.start = progress, start

    def write(self, text: str) -> None:
        found = re.findall(r"(\d+)/(\d+)", text)
        if found:
            done, total = map(int, found[-1])
            self.progress(self.start + (1 - self.start) * done / max(total, 1),
                          f"UMAP layout: epoch {done} of {total}")

    def flush(self) -> None:
        pass


class _IterationStream:
    """A stdout for scikit-learn's verbose t-SNE that reports its iterations done."""

    def __init__(self, progress: Progress, start: float, total: int):
        self.progress, self.start, self.total = progress, start, total

    def write(self, text: str) -> None:
        found = re.findall(r"Iteration (\d+)", text)
        if found:
            done = int(found[-1])
            self.progress(self.start + (1 - self.start) * min(done / self.total, 1.0),
                          f"t-SNE: iteration {done} of at most {self.total}")

    def flush(self) -> None:
        pass


class UMAPProjection:
    """umap-learn's UMAP with the cosine metric and a fixed seed (single-threaded, so the
    same rows and parameters always give the same map). Initialised from PCA rather than
    the spectral layout: on 50,000 GloVe rows that cuts the run from ~39 s to ~24 s
    (bench/bench_project.py) and the map's preservation score is shown either way.

    Attributes after fit: embedding_ (n, k) float32.
    """

    def __init__(self, n_components: int = 2, n_neighbors: int = 15, min_dist: float = 0.1,
                 random_state: int = RANDOM_STATE, progress: Progress | None = None):
        self.n_components, self.n_neighbors, self.min_dist = n_components, n_neighbors, min_dist
        self.random_state, self.progress = random_state, progress or _quiet

    def fit_transform(self, X: np.ndarray) -> np.ndarray:
        n = X.shape[0]
        n_neighbors = check_int("UMAP n_neighbors", self.n_neighbors, 2, min(200, n - 1))
        min_dist = check_float("UMAP min_dist", self.min_dist, 0.0, 0.99)
        self.progress(0.0, f"UMAP: finding the {n_neighbors} nearest neighbours of {n:,} words "
                           "(the first run also compiles numba code: tens of seconds)")
        import umap

        model = umap.UMAP(n_components=self.n_components, n_neighbors=n_neighbors,
                          min_dist=min_dist, metric="cosine", init="pca",
                          random_state=self.random_state, n_jobs=1,
                          tqdm_kwds={"disable": False, "bar_format": "{n}/{total}", "mininterval": 0.5,
                                     "file": _EpochStream(self.progress, 0.3)})
        self.embedding_ = np.asarray(model.fit_transform(np.asarray(X)), dtype=np.float32)
        return self.embedding_


class TSNEProjection:
    """scikit-learn's Barnes-Hut t-SNE, cosine metric, PCA initialisation, fixed seed.
    With a progress callback it reads scikit-learn's verbose lines from stdout (redirected
    for the call: run it where nothing else prints, as a worker process does).

    Attributes after fit: embedding_ (n, k) float32, kl_divergence_.
    """

    def __init__(self, n_components: int = 2, perplexity: float = 30.0,
                 random_state: int = RANDOM_STATE, progress: Progress | None = None):
        self.n_components, self.perplexity = n_components, perplexity
        self.random_state, self.progress = random_state, progress or _quiet

    def fit_transform(self, X: np.ndarray) -> np.ndarray:
        n = X.shape[0]
        perplexity = check_float("t-SNE perplexity", self.perplexity, 2.0, min(100.0, n - 1.0))
        self.progress(0.0, f"t-SNE on {n:,} words (about a minute per 10,000)")
        from sklearn.manifold import TSNE

        watched = self.progress is not _quiet
        model = TSNE(n_components=self.n_components, perplexity=perplexity, metric="cosine",
                     init="pca", random_state=self.random_state, verbose=2 if watched else 0)
        stream = _IterationStream(self.progress, 0.2, model.max_iter) if watched else sys.stdout
        with contextlib.redirect_stdout(stream):
            self.embedding_ = model.fit_transform(np.asarray(X, dtype=np.float32)).astype(np.float32)
        self.kl_divergence_ = float(model.kl_divergence_)
        return self.embedding_


def word_direction(table: EmbeddingSet, formula: str) -> np.ndarray:
    """(d,) unit direction of a word formula: the sum of the unit vectors of its + words
    minus those of its - words ('woman - man', 'good - bad', or one word)."""
    from engine.analogy import parse_arithmetic

    parsed = parse_arithmetic(formula)
    positive = [table.get_index(w) for w in parsed.positive]
    negative = [table.get_index(w) for w in parsed.negative]
    direction = table.unit[positive].sum(axis=0) - table.unit[negative].sum(axis=0)
    length = float(np.linalg.norm(direction))
    if length < 1e-6:
        raise ValueError(f"the direction {formula.strip()!r} is zero: its words cancel out; "
                         "use words that differ, e.g. 'woman - man'")
    return (direction / length).astype(np.float32)


class WordAxes:
    """Each axis is a word formula; a point's coordinate is its cosine with that direction
    (as in the Parallax tool), so 'woman - man' > 0 reads 'closer to woman than to man'.

    Attributes after fit: directions_ (k, d) float32 unit rows.
    """

    def __init__(self, formulas: Sequence[str], vocabulary: EmbeddingSet):
        self.formulas, self.vocabulary = tuple(formulas), vocabulary

    def fit(self, X: np.ndarray | None = None) -> "WordAxes":
        if not self.formulas:
            raise ValueError("word axes need one formula per axis, e.g. 'woman - man'")
        self.directions_ = np.stack([word_direction(self.vocabulary, f) for f in self.formulas])
        return self

    def fit_transform(self, X: np.ndarray) -> np.ndarray:
        """(n, d) -> (n, k) cosines with the k directions."""
        return unit_rows(X) @ self.fit().directions_.T


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
    progress = progress or _quiet
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


# -- disk cache ---------------------------------------------------------------------------
def default_cache_folder() -> Path:
    """$EMBEDDING_LAB_CACHE, else <repo>/.cache/maps."""
    folder = os.environ.get("EMBEDDING_LAB_CACHE")
    return Path(folder) if folder else Path(__file__).resolve().parent.parent / ".cache" / "maps"


def cache_budget() -> int:
    """Bytes the map cache may take on disk: $EMBEDDING_LAB_MAP_CACHE_MB, default 512."""
    return budget_from_env("EMBEDDING_LAB_MAP_CACHE_MB", 512)


def fingerprint(vectors: np.ndarray) -> str:
    """A short hash of the rows' bytes, so an uploaded table never reuses another's map."""
    digest = hashlib.blake2b(memoryview(np.ascontiguousarray(vectors)), digest_size=12)
    digest.update(str(vectors.shape).encode())
    return digest.hexdigest()


def cache_path(table: EmbeddingSet, spec: MapSpec, folder: Path) -> Path:
    """The file that holds the map of `spec` for this table's rows: named by the method
    and a hash of the rows' contents and the parameters, never by the table's name (a
    visitor's name for an upload is theirs, and equal rows make the same map)."""
    key = json.dumps({"rows": fingerprint(table.vectors[:spec.rows]),
                      "spec": spec.to_dict(), "version": CACHE_VERSION}, sort_keys=True)
    return Path(folder) / f"{spec.method}-{hashlib.sha1(key.encode()).hexdigest()[:20]}.npz"


def prune_cache(folder: Path, max_bytes: int) -> list[Path]:
    """Delete the least recently used maps (by modification time, which load_map renews)
    until the folder's maps take at most `max_bytes`; returns the deleted paths."""
    maps = []
    for path in Path(folder).glob("*.npz"):
        try:
            stat = path.stat()
        except FileNotFoundError:       # another process pruned it meanwhile
            continue
        maps.append((stat.st_mtime, stat.st_size, path))
    total, deleted = sum(size for _, size, _ in maps), []
    for _, size, path in sorted(maps):
        if total <= max_bytes:
            break
        path.unlink(missing_ok=True)
        total -= size
        deleted.append(path)
    return deleted


def save_map(result: MapResult, path: Path) -> None:
    """Coordinates and summary in one .npz (no pickle), written atomically."""
    meta = json.dumps({"axis_titles": list(result.axis_titles), "seconds": result.seconds,
                       "faithfulness": result.faithfulness.to_dict(),
                       "explained_variance": result.explained_variance, "spec": result.spec.to_dict()})
    with atomic_path(path) as partial:
        np.savez(partial, coords=result.coords, meta=np.array(meta))


def load_map(path: Path) -> MapResult:
    os.utime(path)      # marks it recently used, for prune_cache
    with np.load(path, allow_pickle=False) as stored:
        coords, meta = stored["coords"], json.loads(str(stored["meta"]))
    spec = MapSpec(**{**meta["spec"], "axes": tuple(meta["spec"]["axes"])})
    explained = meta["explained_variance"]
    return MapResult(spec, coords, tuple(meta["axis_titles"]), Faithfulness(**meta["faithfulness"]),
                     meta["seconds"], tuple(explained) if explained else None, cached=True)


def is_cached(table: EmbeddingSet, spec: MapSpec, folder: Path | None = None) -> bool:
    """Whether the map of `spec` for this table's rows is already on disk."""
    return cache_path(table, spec.checked(table), Path(folder or default_cache_folder())).is_file()


def cached_map(table: EmbeddingSet, spec: MapSpec, folder: Path | None = None,
               progress: Progress | None = None, cluster: Cluster | None = None) -> MapResult:
    """build_map (on `cluster` when given), remembered on disk (folder:
    default_cache_folder()) by a fingerprint of the rows and every parameter, so the second
    view is instant. The folder is kept within cache_budget(), least recently used maps
    deleted first."""
    spec = spec.checked(table)
    folder = Path(folder or default_cache_folder())
    path = cache_path(table, spec, folder)
    try:
        return load_map(path)
    except FileNotFoundError:
        pass
    result = build_map(table, spec, progress, cluster)
    save_map(result, path)
    prune_cache(folder, cache_budget())
    return result


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
