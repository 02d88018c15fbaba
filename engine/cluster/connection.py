"""A Dask cluster to run the all-rows passes on: a scheduler's address, or `local:N` (N
one-thread worker processes on this machine for as long as the work lasts), and the one
the server's owner configures for the app ($EMBEDDING_LAB_CLUSTER)."""
from __future__ import annotations

import contextlib
import logging
import os
import re
import time
from typing import Callable, Iterator

from engine.errors import check_int

CLUSTER_ENV = "EMBEDDING_LAB_CLUSTER"
CONNECT_SECONDS = 10
CHECK_SECONDS = 5            # how often a waiting pass checks that the cluster has workers
NO_WORKERS_SECONDS = 60      # … and gives up when it has had none this long
_LOCAL = re.compile(r"local:(\S*)")


class Cluster:
    """A connected Dask client and what to call it in a result's caption."""

    def __init__(self, client, description: str):
        self.client, self.description = client, description

    @property
    def workers(self) -> int:
        return len(self.client.scheduler_info(n_workers=-1)["workers"])

    def share(self, value):
        """`value` sent once to every worker; pass the result as a task argument."""
        return self.client.scatter(value, broadcast=True)

    def map(self, function: Callable, tasks: list[tuple], sizes: list[int] | None = None,
            progress: Callable[[int, int], None] | None = None) -> list:
        """[function(*task) for task in tasks] on the workers, in the tasks' order. A task
        whose worker dies is run again elsewhere (the scheduler's allowed failures, 3);
        past that, one line says which. progress(done, total) counts `sizes` (default 1
        a task) as tasks finish; if it raises (a visitor left), the tasks are cancelled."""
        from distributed import KilledWorker

        sizes = sizes or [1] * len(tasks)
        futures = [self.client.submit(function, *task, pure=False) for task in tasks]
        order = {future.key: i for i, future in enumerate(futures)}
        results, done = [None] * len(futures), 0
        try:
            for future in self._finished(futures):
                i = order[future.key]
                results[i] = future.result()
                done += sizes[i]
                if progress:
                    progress(done, sum(sizes))
        except KilledWorker:
            self.client.cancel(futures)
            raise ValueError(f"{self.description}: workers died while running the task "
                             f"{function.__name__}{_brief(tasks[i])} several times, so it was "
                             "given up; nothing was counted from it. Check the workers' memory "
                             "and logs") from None
        except (ImportError, RuntimeError) as error:
            self.client.cancel(futures)
            if not isinstance(error, ImportError) and "deserializ" not in str(error):
                raise
            while error.__cause__ is not None:      # the scheduler's own ImportError
                error = error.__cause__
            raise ValueError(f"{self.description} cannot run this project's code ("
                             f"{str(error).splitlines()[0]}); start its scheduler and workers "
                             "in this project's environment with the project's folder on "
                             "PYTHONPATH") from None
        except BaseException:
            self.client.cancel(futures)
            raise
        return results


    def _finished(self, futures: list) -> Iterator:
        """`futures` as they finish; ValueError when the cluster has had no workers for
        NO_WORKERS_SECONDS (all died and none came back), instead of waiting for ever."""
        from distributed import wait

        pending, idle_since = set(futures), None
        while pending:
            try:
                finished, pending = wait(pending, timeout=CHECK_SECONDS, return_when="FIRST_COMPLETED")
            except TimeoutError:
                if self.workers:
                    idle_since = None
                elif idle_since is None:
                    idle_since = time.monotonic()
                elif time.monotonic() - idle_since > NO_WORKERS_SECONDS:
                    raise ValueError(f"{self.description} has had no workers for "
                                     f"{NO_WORKERS_SECONDS} s (they died and none came back); "
                                     "nothing was counted") from None
                continue
            yield from finished


def _brief(task: tuple) -> str:
    """A task's row range for a message: '(rows 0–65,535)' when it has one."""
    numbers = [value for value in task if isinstance(value, int)]
    return f" (rows {numbers[0]:,}–{numbers[1] - 1:,})" if len(numbers) >= 2 else ""


@contextlib.contextmanager
def connect(spec: str) -> Iterator[Cluster]:
    """The cluster named by `spec`: 'local:N' starts N one-thread worker processes on this
    machine and stops them when the block ends; anything else is a Dask scheduler's
    address (tcp://host:8786), which must answer within CONNECT_SECONDS and have workers."""
    from distributed import Client, LocalCluster

    from engine.spawn import without_main_script

    local = _LOCAL.fullmatch(spec.strip())
    if local:
        workers = check_int("local workers (local:N)", _whole(local[1]), 1, 64)
        with without_main_script():          # Dask spawns its workers as engine.spawn does
            started = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None, silence_logs=logging.ERROR)
        with started, Client(started) as client:
            yield Cluster(client, f"a local Dask cluster of {workers} one-thread workers")
        return
    try:
        client = Client(spec, timeout=CONNECT_SECONDS)
    except (OSError, TimeoutError, ValueError, TypeError) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ValueError(f"cannot reach the Dask scheduler at {spec!r}: {reason}") from None
    try:
        try:
            client.wait_for_workers(1, timeout=CONNECT_SECONDS)
        except TimeoutError:
            raise ValueError(f"the Dask scheduler at {spec} has no workers; start some with "
                             f"`dask worker {spec} --nthreads 1`") from None
        cluster = Cluster(client, f"the Dask cluster at {spec}")
        cluster.description += f" ({cluster.workers} workers)"
        yield cluster
    finally:
        client.close()


def _whole(text: str):
    return int(text) if text.isdigit() else text


def configured() -> str | None:
    """The cluster the server's owner chose for the app ($EMBEDDING_LAB_CLUSTER), or None."""
    return os.environ.get(CLUSTER_ENV) or None


_SHARED: dict[str, tuple[contextlib.ExitStack, Cluster]] = {}


def shared_cluster(spec: str) -> Cluster:
    """One connection to `spec` for the whole process (the app's visitors share it),
    opened on first use and kept until the process ends."""
    if spec not in _SHARED:
        stack = contextlib.ExitStack()
        _SHARED[spec] = (stack, stack.enter_context(connect(spec)))
    return _SHARED[spec][1]
