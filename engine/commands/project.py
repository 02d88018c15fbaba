"""CLI: project — the Map page in a shell: a 2-D/3-D map of the first N rows, how faithful
it is, k-means clusters of the rows in the full space, and its coordinates as CSV (and
TensorFlow Projector TSV). With --cluster, k-means and the faithfulness's search of all rows
run on a Dask cluster (the projection itself runs here)."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from engine.commands.cluster_option import add_cluster_option, cluster_of
from engine.commands.progress import progress_bar
from engine.errors import check_int
from engine.map_cache import cached_map
from engine.project import METHODS, MapSpec, build_map, map_frame, projector_metadata_tsv, projector_vectors_tsv
from engine.sources import load_source


def _project(args) -> dict:
    table = load_source(args.source)
    spec = MapSpec(method=args.method, rows=args.restrict if args.restrict is not None else min(10_000, len(table)),
                   dims=args.dims, n_neighbors=args.n_neighbors, min_dist=args.min_dist,
                   perplexity=args.perplexity, axes=tuple(args.axes or ())).checked(table)
    with cluster_of(args) as cluster, progress_bar(args, "%", spec.method, 100) as bar:
        def progress(fraction: float, message: str) -> None:
            bar.set_postfix_str(message[:60])
            bar.update(round(100 * fraction) - bar.n)

        result = (build_map(table, spec, progress, cluster) if args.no_cache
                  else cached_map(table, spec, progress=progress, cluster=cluster))
        clusters = _clusters(args, table, spec.rows, cluster)
    out = result.to_dict()
    frame = map_frame(table, result) if args.out else None
    if clusters is not None:
        out["kmeans"] = {"k": len(clusters.centres), "inertia": clusters.inertia,
                         "iterations": clusters.iterations,
                         "sizes": np.bincount(clusters.labels, minlength=len(clusters.centres)).tolist()}
        if frame is not None:
            frame["cluster"] = clusters.labels + 1
    if cluster is not None:
        out["cluster"] = cluster.description
    if frame is not None:
        frame.to_csv(args.out, index=False)
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


def _clusters(args, table, rows: int, cluster):
    """k-means of the mapped rows in the full space (--clusters K), on `cluster` when given."""
    if args.clusters is None:
        return None
    if cluster is not None:
        from engine.cluster import passes

        return passes.kmeans(table, rows, args.clusters, cluster)
    from engine.kmeans import kmeans

    check_int("clusters", args.clusters, 2, min(50, rows))
    return kmeans(table.unit[:rows], args.clusters)


def _text(result: dict) -> str:
    trust = result["trustworthiness"]
    lines = [f"{result['method']} map of {result['rows']:,} rows in {result['dims']}-D: "
             f"{result['seconds']:.2f} s{' (from the cache)' if result['cached'] else ''}",
             f"neighbourhood preservation (k={result['k']}, {result['sample']:,} sampled): "
             f"{result['preservation']:.3f}",
             f"trustworthiness: {'n/a' if trust is None else f'{trust:.3f}'}"]
    if result["explained_variance"]:
        lines.append("explained variance: " + ", ".join(f"{v:.1%}" for v in result["explained_variance"]))
    if "kmeans" in result:
        means = result["kmeans"]
        lines.append(f"k-means: {means['k']} clusters in {means['iterations']} iterations, sizes "
                     f"{', '.join(f'{size:,}' for size in means['sizes'])}, inertia {means['inertia']:.4f}")
    if "cluster" in result:
        ran = (["k-means"] if "kmeans" in result else []) + \
            ([] if result["cached"] else ["the sample's neighbour search among all rows"])
        lines.append(f"on {result['cluster']}: {' and '.join(ran) or 'nothing (the map was cached)'}")
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
    project.add_argument("--clusters", type=int, default=None, metavar="K",
                         help="k-means clusters of the rows in the full space (as the Map's colouring)")
    project.add_argument("--out", help="write word, rank, coordinates (and cluster) to this CSV file")
    project.add_argument("--projector", metavar="FOLDER",
                         help="write vectors.tsv + metadata.tsv for projector.tensorflow.org")
    project.add_argument("--no-cache", action="store_true",
                         help="recompute even if this map is in the disk cache")
    add_cluster_option(project)
    project.set_defaults(run=_project, text=_text)
