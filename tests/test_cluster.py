"""The all-rows passes on a local Dask cluster of two workers against the single process,
and the cluster's faults: a worker killed mid-run, a scheduler that does not answer, a
table path the workers cannot read."""
import os
import time
from types import SimpleNamespace

import numpy as np
import pytest

pytest.importorskip("distributed")

from engine import geometry as g  # noqa: E402
from engine import library  # noqa: E402
from engine.cli import main  # noqa: E402
from engine.cluster import connect, connection, passes  # noqa: E402
from engine.cluster.files import CLUSTER_LIBRARY_ENV, table_files  # noqa: E402
from engine.vectors import EmbeddingSet  # noqa: E402

ROWS = 20_000


@pytest.fixture(scope="module")
def cluster():
    with connect("local:2") as running:
        yield running


@pytest.fixture()
def lib(tmp_path, monkeypatch, glove):
    """A library holding GloVe's first 6,000 rows plus a copy of 500 of them (exact ties)."""
    monkeypatch.setenv(library.LIBRARY_ENV, str(tmp_path))
    vectors = np.concatenate([glove.vectors[:6_000], glove.vectors[1_000:1_500]])
    keys = glove.index_to_key[:6_000] + [f"{key}~copy" for key in glove.index_to_key[1_000:1_500]]
    library.save_table(EmbeddingSet(vectors, keys, "upload"), "sample")
    return library.load_table("sample")


def test_two_workers_give_the_single_process_numbers_on_glove(cluster, glove):
    assert cluster.workers == 2
    local_shape = g.anisotropy(glove, ROWS)
    shape = passes.anisotropy(glove, ROWS, cluster)
    assert {**shape.to_dict(), "seconds": 0} == {**local_shape.to_dict(), "seconds": 0}
    local_graph = g.neighbour_graph(glove, 10, ROWS)
    seen = []
    graph = passes.neighbour_graph(glove, 10, ROWS, cluster, lambda done, total: seen.append((done, total)))
    assert np.array_equal(graph.indices, local_graph.indices)
    assert np.array_equal(graph.scores, local_graph.scores)
    hubs, local_hubs = g.hubness(glove, graph), g.hubness(glove, local_graph)
    assert np.array_equal(hubs.occurrence, local_hubs.occurrence)
    assert hubs.skewness == local_hubs.skewness and hubs.hubs == local_hubs.hubs
    # progress counts rows as shares finish (how many shares depends on the workers connected
    # when the pass starts: a loaded machine can drop one for a moment); 4 a worker, whole blocks
    assert seen[-1] == (ROWS, ROWS) and [done for done, _ in seen] == sorted(done for done, _ in seen)
    shares = passes._shares(table_files(glove, ROWS), SimpleNamespace(workers=2))
    assert len(shares) == 7 and all(start % 3_072 == 0 for start, _ in shares)   # 8 asked; 7 blocks in all
    csls = passes.csls_hubness(glove, graph, cluster)
    assert np.array_equal(csls.occurrence, g.csls_hubness(glove, local_graph).occurrence)


def test_library_table_read_through_fsspec_with_ties(cluster, lib, monkeypatch):
    local = g.neighbour_graph(lib, 5)
    monkeypatch.setenv(CLUSTER_LIBRARY_ENV, "file://" + str(library.library_root()))
    assert table_files(lib).unit.startswith("file://")
    graph = passes.neighbour_graph(lib, 5, None, cluster)
    assert np.array_equal(graph.indices, local.indices)
    shape = passes.anisotropy(lib, None, cluster)
    assert shape.mean_cosine == g.anisotropy(lib).mean_cosine


def test_approximate_hubness_through_the_saved_index(cluster, lib):
    from engine.approximate import approximate_hubness, cached_index

    hubs, index = passes.approximate_hubness(lib, None, 10, cluster)
    local = approximate_hubness(lib, cached_index(lib)[0], 10)
    assert np.array_equal(hubs.occurrence, local.occurrence)
    assert hubs.retrieval == local.retrieval


def _kill_once(running):
    """A progress callback that kills one of `running`'s workers the first time it is
    called; its `killed` lists the process killed."""
    pids = list(running.client.run(os.getpid).values())

    def kill(*_):
        if not kill.killed:
            kill.killed.append(pids[0])
            os.kill(pids[0], 9)
    kill.killed = []
    return kill


def test_a_worker_killed_mid_run_is_replaced_and_the_numbers_stay_exact(glove):
    with connect("local:2") as running:
        kill = _kill_once(running)
        graph = passes.neighbour_graph(glove, 10, ROWS, running, kill)
        assert kill.killed
    assert np.array_equal(graph.indices, g.neighbour_graph(glove, 10, ROWS).indices)


def _exit_worker(start, stop):
    os._exit(1)


def test_a_task_that_keeps_killing_workers_fails_with_one_line(monkeypatch):
    """Either the scheduler gives the task up (3 deaths), or, where the killed workers did
    not come back, the pass stops for lack of workers: one line each, nothing counted."""
    monkeypatch.setattr(connection, "NO_WORKERS_SECONDS", 20)
    with connect("local:2") as own:
        with pytest.raises(ValueError, match=r"workers died while running the task _exit_worker "
                                             r"\(rows 0–767\) several times|has had no workers for "
                                             r"20 s") as error:
            own.map(_exit_worker, [(0, 768)])
    assert "\n" not in str(error.value)


def test_unreachable_scheduler_is_one_line_and_exit_2(capsys, monkeypatch):
    monkeypatch.setattr(connection, "CONNECT_SECONDS", 1)
    assert main(["geometry", "--restrict", "100", "--cluster", "tcp://127.0.0.1:9"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: cannot reach the Dask scheduler at 'tcp://127.0.0.1:9'") and "\n" not in err
    assert main(["geometry", "--cluster", "local:0"]) == 2
    assert "local workers (local:N) must be a whole number from 1 to 64; got 0" in capsys.readouterr().err


def test_a_cluster_without_the_engine_is_one_line(tmp_path, glove):
    """A scheduler and worker started outside the project (no engine to import)."""
    import socket
    import subprocess
    import sys

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    bin_dir = os.path.dirname(sys.executable)
    quiet = {"cwd": tmp_path, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL,
             "env": {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}}
    started = [subprocess.Popen([f"{bin_dir}/dask", "scheduler", "--host", "127.0.0.1", "--port",
                                 str(port), "--no-dashboard"], **quiet)]
    try:
        started.append(subprocess.Popen([f"{bin_dir}/dask", "worker", f"tcp://127.0.0.1:{port}",
                                         "--nthreads", "1", "--no-dashboard"], **quiet))
        with connect(f"tcp://127.0.0.1:{port}") as outside:
            with pytest.raises(ValueError, match=r"cannot run this project's code \(.*engine.*\); "
                                                 r"start its scheduler and workers in this project's "
                                                 r"environment with the project's folder on PYTHONPATH"):
                passes.anisotropy(glove, 1_000, outside)
    finally:
        for process in started:
            process.terminate()
            process.wait(30)


def test_a_path_the_workers_cannot_read_is_named(cluster, lib, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv(CLUSTER_LIBRARY_ENV, str(tmp_path / "not-shared"))
    with pytest.raises(OSError, match=f"a worker cannot read {tmp_path}/not-shared/sample/vectors.npy"):
        passes.anisotropy(lib, None, cluster)


def test_cli_on_a_local_cluster_prints_the_same_json(capsys, glove):
    import json

    assert main(["geometry", "--restrict", "3000", "--json"]) == 0
    alone = json.loads(capsys.readouterr().out)
    assert main(["geometry", "--restrict", "3000", "--json", "--cluster", "local:2"]) == 0
    clustered = json.loads(capsys.readouterr().out)
    assert clustered.pop("cluster") == "a local Dask cluster of 2 one-thread workers"
    for result in (alone, clustered):
        result.pop("seconds"), result["anisotropy"].pop("seconds"), result["hubness"].pop("seconds")
    assert clustered == alone


def test_a_table_only_in_memory_is_refused_with_what_to_do():
    table = EmbeddingSet(np.eye(3, dtype=np.float32), ["a", "b", "c"], "upload.vec")
    with pytest.raises(ValueError, match="upload.vec is not stored in files a cluster's workers "
                                         "can read; import it into the library first"):
        table_files(table)


def test_progress_that_raises_cancels_the_tasks(cluster, glove):
    class Left(Exception):
        pass

    def leave(done, total):
        raise Left

    with pytest.raises(Left):
        passes.neighbour_graph(glove, 10, ROWS, cluster, leave)
    for _ in range(100):
        if not any(cluster.client.processing().values()):
            break
        time.sleep(0.1)
    assert not any(cluster.client.processing().values())


def test_geometry_page_uses_the_configured_cluster_and_says_so(cluster, glove, monkeypatch):
    from tests.apptest import run_page

    address = cluster.client.scheduler.address
    monkeypatch.setenv(connection.CLUSTER_ENV, address)
    monkeypatch.setattr(connection, "_SHARED", {})
    at = run_page("views/geometry.py", view="Hubness")
    at.sidebar.number_input[0].set_value(3_100).run()
    assert not at.exception, [e.value for e in at.exception]
    skewness = next(m.value for m in at.metric if m.label == "Skewness of N_k")
    assert skewness == f"{g.hubness(glove, g.neighbour_graph(glove, 10, 3_100)).skewness:.2f}"
    captions = " ".join(c.value for c in at.caption)
    assert "Exact cosine 10-NN of 3,100 rows, self excluded, in " in captions
    assert f"on the Dask cluster at {address} (2 workers)." in captions
    at = run_page("views/geometry.py", view="Cone")
    at.sidebar.number_input[0].set_value(3_100).run()
    assert f"Every metric exact over all 3,100 rows, computed on the Dask cluster at {address}" \
        in " ".join(c.value for c in at.caption)
    for stack, _ in connection._SHARED.values():
        stack.close()


def test_csls_neighbours_on_a_cluster_equal_the_local_ones(capsys):
    import json

    assert main(["neighbours", "king", "--score", "csls", "--restrict", "3000", "--json"]) == 0
    alone = json.loads(capsys.readouterr().out)
    assert main(["neighbours", "king", "--score", "csls", "--restrict", "3000", "--json",
                 "--cluster", "local:2"]) == 0
    clustered = json.loads(capsys.readouterr().out)
    assert clustered["notes"] == ["r(y) computed on a local Dask cluster of 2 one-thread workers"]
    assert clustered["neighbours"] == alone["neighbours"]


def test_kmeans_and_map_faithfulness_on_two_workers_equal_one_process(cluster, glove):
    from dataclasses import replace

    from engine.kmeans import kmeans
    from engine.project import MapSpec, build_map

    found, alone = passes.kmeans(glove, ROWS, 8, cluster), kmeans(glove.unit[:ROWS], 8)
    assert np.array_equal(found.labels, alone.labels) and np.array_equal(found.centres, alone.centres)
    assert (found.inertia, found.iterations) == (alone.inertia, alone.iterations)
    assert found.where == cluster.description and len(np.unique(found.labels)) == 8
    faithful = build_map(glove, MapSpec(rows=ROWS), cluster=cluster).faithfulness
    assert faithful == replace(build_map(glove, MapSpec(rows=ROWS)).faithfulness, where=cluster.description)


def test_kmeans_and_true_neighbours_of_a_library_table_with_ties(cluster, lib, monkeypatch):
    from engine.kmeans import kmeans
    from engine.neighbourhoods import share_neighbours

    monkeypatch.setenv(CLUSTER_LIBRARY_ENV, "file://" + str(library.library_root()))
    chosen = np.arange(0, len(lib), 7)                   # rows 1,001 … 1,499 have copies
    found = passes.sample_neighbours(lib, None, chosen, 10, cluster)
    assert np.array_equal(found, share_neighbours(lib.unit, 0, lib.unit[chosen], chosen, 10)[0])
    assert len(passes._shares(table_files(lib), cluster)) > 2
    copied = chosen[(chosen >= 1_000) & (chosen < 1_500)]
    assert np.array_equal(found[np.isin(chosen, copied), 0], copied + 5_000)
    means = passes.kmeans(lib, None, 6, cluster, random_state=2)
    assert np.array_equal(means.labels, kmeans(lib.unit, 6, 2).labels)


def test_a_worker_killed_mid_kmeans_is_replaced_and_the_clusters_stay_exact(glove):
    from engine.kmeans import kmeans

    with connect("local:2") as running:
        kill = _kill_once(running)
        found = passes.kmeans(glove, ROWS, 8, running, progress=kill)
        assert kill.killed and found.iterations > 2
    alone = kmeans(glove.unit[:ROWS], 8)
    assert np.array_equal(found.labels, alone.labels) and found.inertia == alone.inertia


def test_project_on_a_local_cluster_prints_the_same_json(capsys, tmp_path, monkeypatch):
    import json

    monkeypatch.setenv("EMBEDDING_LAB_CACHE", str(tmp_path))
    command = ["project", "--restrict", "3000", "--clusters", "5", "--no-cache"]
    assert main(command + ["--json"]) == 0
    alone = json.loads(capsys.readouterr().out)
    assert main(command + ["--json", "--cluster", "local:2"]) == 0
    clustered = json.loads(capsys.readouterr().out)
    assert clustered.pop("cluster") == "a local Dask cluster of 2 one-thread workers"
    clustered.pop("seconds"), alone.pop("seconds")
    assert clustered == alone and sum(alone["kmeans"]["sizes"]) == 3_000
    assert main(command + ["--cluster", "tcp://127.0.0.1:9"]) == 2
    assert capsys.readouterr().err.startswith("error: cannot reach the Dask scheduler")


def test_map_page_uses_the_configured_cluster_and_says_so(cluster, glove, monkeypatch, tmp_path):
    from engine.kmeans import kmeans
    from tests.apptest import run_page

    address = cluster.client.scheduler.address
    monkeypatch.setenv(connection.CLUSTER_ENV, address)
    monkeypatch.setenv("EMBEDDING_LAB_CACHE", str(tmp_path))
    monkeypatch.setattr(connection, "_SHARED", {})
    at = run_page("views/map.py", map_rows=2_500, colour="k-means cluster", clusters=4)
    captions = " ".join(c.value for c in at.caption)
    assert (f"The sampled words' true neighbours among all rows and the k-means clusters were computed "
            f"on the Dask cluster at {address} (2 workers).") in captions
    drawn = at.get("plotly_chart")[0].proto.spec
    assert len(np.unique(kmeans(glove.unit[:2_500], 4).labels)) == 4
    assert all(f"cluster {i + 1}" in drawn for i in range(4)) and "cluster 5" not in drawn
    for stack, _ in connection._SHARED.values():
        stack.close()
