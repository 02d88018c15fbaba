"""--cluster for the commands whose passes read every row (geometry, neighbours --score csls,
project)."""
from __future__ import annotations

import contextlib


def add_cluster_option(parser) -> None:
    parser.add_argument("--cluster", default=None, metavar="ADDRESS",
                        help="run the all-rows passes on a Dask cluster: a scheduler's address "
                             "(tcp://host:8786), or local:N to start N one-thread workers here "
                             "for this command; the table must be in the library or built in")


@contextlib.contextmanager
def cluster_of(args):
    """The cluster args.cluster names, connected for the command's duration, or None."""
    if not args.cluster:
        yield None
        return
    from engine.cluster import connect

    with connect(args.cluster) as cluster:
        yield cluster
