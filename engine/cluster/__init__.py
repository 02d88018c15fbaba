"""The all-rows passes on a Dask cluster: anisotropy's sums, exact k-NN for hubness and CSLS,
hubness through the ANN index, k-means, map faithfulness's search of all rows. The table
is read by the workers in row blocks from the plain files it is stored in (a library
table's vectors.npy and unit.npy, the built-in GloVe's .npy), by path or through fsspec (a
shared folder, object storage); each worker returns its blocks' partial results, and the
client adds them in row order exactly as the single-process path does, so the numbers are
the same to the last bit.

Dask distributed was chosen over Ray by measurement on this machine (bench/bench_cluster.py
--engines): a local cluster of two workers started in 6–10 s against Ray's 17–22 s, its
processes took 142 MB against 652 MB, and it installs in 24 MB against 240 MB; Ray's
per-task overhead is lower (about 1 ms against 10–30 ms under load), which these passes do
not feel: each task is a share of rows that runs for seconds.

    from engine.cluster import connect, passes
    with connect("local:2") as cluster:          # or "tcp://scheduler:8786"
        graph = passes.neighbour_graph(table, 10, None, cluster)
"""
from engine.cluster.connection import CLUSTER_ENV, Cluster, configured, connect, shared_cluster

__all__ = ["CLUSTER_ENV", "Cluster", "configured", "connect", "shared_cluster"]
