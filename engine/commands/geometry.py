"""CLI: geometry — the Geometry page's anisotropy and hubness numbers in a shell."""
from __future__ import annotations

import time

from engine import geometry
from engine.commands.cluster_option import add_cluster_option, cluster_of
from engine.commands.progress import progress_bar
from engine.sources import load_source

DEFAULT_ROWS = 50_000


def _geometry(args) -> dict:
    started = time.perf_counter()
    table = load_source(args.source)
    rows = min(DEFAULT_ROWS, len(table)) if args.restrict is None else args.restrict
    with cluster_of(args) as cluster:
        if cluster is not None:
            return _on_cluster(args, table, rows, cluster, started)
        shape = geometry.anisotropy(table, restrict=rows)
        approximate = {}
        with progress_bar(args, "row", "hubness", rows) as bar:
            if args.approximate:
                hubs, approximate = _approximate_hubness(table.restrict(rows), args.k, bar.report)
            else:
                graph = geometry.neighbour_graph(table, k=args.k, restrict=rows, progress=bar.report)
                hubs = geometry.hubness(table, graph)
    return {"source": table.name, "rows": rows, "anisotropy": shape.to_dict(),
            "hubness": hubs.to_dict(), **approximate, "seconds": time.perf_counter() - started}


def _on_cluster(args, table, rows: int, cluster, started: float) -> dict:
    """The same numbers, every all-rows pass run on `cluster`."""
    from engine.cluster import passes

    shape = passes.anisotropy(table, rows, cluster)
    approximate = {}
    with progress_bar(args, "row", "hubness", rows) as bar:
        if args.approximate:
            hubs, index = passes.approximate_hubness(table, rows, args.k, cluster, bar.report)
            approximate = _recall(index, rows, built=None)
        else:
            graph = passes.neighbour_graph(table, args.k, rows, cluster, bar.report)
            hubs = geometry.hubness(table, graph)
    return {"source": table.name, "rows": rows, "anisotropy": shape.to_dict(),
            "hubness": hubs.to_dict(), **approximate, "cluster": cluster.description,
            "seconds": time.perf_counter() - started}


def _approximate_hubness(table, k: int, progress):
    """Hubness through the table's cached ANN index, with the index's measured recall@10."""
    from engine.approximate import approximate_hubness, cached_index

    index, built = cached_index(table)
    hubs = approximate_hubness(table, index, k, progress)
    return hubs, _recall(index, len(table), built)


def _recall(index, rows: int, built: bool | None) -> dict:
    recall = index.recall_at_k(k=min(10, rows - 1), sample=min(500, rows))
    return {"recall_at_10": recall.recall, "index_built": built}


def _text(result: dict) -> str:
    a, h = result["anisotropy"], result["hubness"]
    hubs = ", ".join(f"{hub['key']} ({hub['occurrence']})" for hub in h["hubs"][:10])
    return "\n".join([
        f"{result['source']}, first {result['rows']:,} rows",
        f"mean cosine {a['mean_cosine']:.4f}   ‖mean‖/mean‖row‖ {a['norm_ratio']:.4f}   "
        f"I(W) {a['isotropy']:.4f}   IsoScore {a['isoscore']:.4f}   "
        f"top PC {a['top_components_explained'][0]:.2%}",
        f"hubness k={h['k']}: skewness {h['skewness']:.2f}   Robin Hood {h['robin_hood']:.3f}   "
        f"anti-hubs {h['antihub_fraction']:.2%}   max N_k {h['max_occurrence']}",
        f"top hubs: {hubs}",
        *([f"approximate: each row's neighbours from the ANN index, recall@10 "
           f"{result['recall_at_10']:.3f} against exact search"] if "recall_at_10" in result else []),
        *([f"on {result['cluster']}"] if "cluster" in result else []),
        f"({result['seconds']:.1f} s)"])


def register(subparsers, common) -> None:
    parser = subparsers.add_parser("geometry", parents=[common],
                                   help="anisotropy, isotropy scores and hubness of a table")
    parser.add_argument("--restrict", type=int, default=None,
                        help=f"measure the first N rows (default {DEFAULT_ROWS:,} or all if fewer); "
                             "hubness costs grow with N²")
    parser.add_argument("--k", type=int, default=10, help="neighbours per row for hubness (default 10)")
    parser.add_argument("--approximate", action="store_true",
                        help="hubness through the table's ANN index (built once, cached on disk), "
                             "with its recall@10: all 400,000 GloVe rows in seconds")
    add_cluster_option(parser)
    parser.set_defaults(run=_geometry, text=_text)
