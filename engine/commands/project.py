"""CLI: project — the Map page in a shell: a 2-D/3-D map of the first N rows, how faithful
it is, and its coordinates as CSV (and TensorFlow Projector TSV)."""
from __future__ import annotations

from pathlib import Path

from engine.commands.progress import progress_bar
from engine.project import (
    METHODS,
    MapSpec,
    build_map,
    cached_map,
    map_frame,
    projector_metadata_tsv,
    projector_vectors_tsv,
)
from engine.sources import load_source


def _project(args) -> dict:
    table = load_source(args.source)
    spec = MapSpec(method=args.method, rows=args.restrict if args.restrict is not None else min(10_000, len(table)),
                   dims=args.dims, n_neighbors=args.n_neighbors, min_dist=args.min_dist,
                   perplexity=args.perplexity, axes=tuple(args.axes or ())).checked(table)
    with progress_bar(args, "%", spec.method, 100) as bar:
        def progress(fraction: float, message: str) -> None:
            bar.set_postfix_str(message[:60])
            bar.update(round(100 * fraction) - bar.n)

        result = (build_map(table, spec, progress) if args.no_cache
                  else cached_map(table, spec, progress=progress))
    out = result.to_dict()
    if args.out:
        map_frame(table, result).to_csv(args.out, index=False)
        out["out"] = str(args.out)
    if args.projector:
        folder = Path(args.projector)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "vectors.tsv").write_text(projector_vectors_tsv(table.vectors[:spec.rows]),
                                            encoding="utf-8")
        (folder / "metadata.tsv").write_text(projector_metadata_tsv(table.index_to_key[:spec.rows]),
                                             encoding="utf-8")
        out["projector"] = str(folder)
    return out


def _text(result: dict) -> str:
    trust = result["trustworthiness"]
    lines = [f"{result['method']} map of {result['rows']:,} rows in {result['dims']}-D: "
             f"{result['seconds']:.2f} s{' (from the cache)' if result['cached'] else ''}",
             f"neighbourhood preservation (k={result['k']}, {result['sample']:,} sampled): "
             f"{result['preservation']:.3f}",
             f"trustworthiness: {'n/a' if trust is None else f'{trust:.3f}'}"]
    if result["explained_variance"]:
        lines.append("explained variance: " + ", ".join(f"{v:.1%}" for v in result["explained_variance"]))
    lines += [f"wrote {result[key]}" for key in ("out", "projector") if key in result]
    return "\n".join(lines)


def register(subparsers, common) -> None:
    project = subparsers.add_parser("project", parents=[common],
                                    help="2-D/3-D map (PCA, UMAP, t-SNE, word axes) and its faithfulness")
    project.add_argument("--method", choices=METHODS, default="pca")
    project.add_argument("--restrict", type=int, default=None,
                         help="map the first N rows (default 10,000 or the whole table)")
    project.add_argument("--dims", type=int, choices=(2, 3), default=2)
    project.add_argument("--n-neighbors", type=int, default=15, help="UMAP neighbourhood size")
    project.add_argument("--min-dist", type=float, default=0.1, help="UMAP minimum distance")
    project.add_argument("--perplexity", type=float, default=30.0, help="t-SNE perplexity")
    project.add_argument("--axes", nargs="+", metavar="FORMULA",
                         help="word axes, one formula per dimension, e.g. 'woman - man' 'good - bad'")
    project.add_argument("--out", help="write word, rank and coordinates to this CSV file")
    project.add_argument("--projector", metavar="FOLDER",
                         help="write vectors.tsv + metadata.tsv for projector.tensorflow.org")
    project.add_argument("--no-cache", action="store_true",
                         help="recompute even if this map is in the disk cache")
    project.set_defaults(run=_project, text=_text)
