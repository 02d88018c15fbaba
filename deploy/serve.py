"""make serve WORKERS=N: N app processes on loopback ports behind HAProxy, at one address.

One Streamlit process runs every visitor's script under one Python lock, so it answers at
most one core's worth of words; N processes use N cores. HAProxy (Debian's package) sends
each new visitor to the process with the fewest open connections and pins it there with a
cookie: a visitor's websocket, uploads and downloads must all reach the process that holds
its session (its uploaded tables live there). The processes share what is on disk: the
memory-mapped tables (built-in rows under .cache/tables/, the library), which the page cache
holds once, and the disk caches, which every writer replaces atomically (engine/atomic.py).
Each process keeps its own visitors, budgets and shared results in memory.

HAProxy was chosen over nginx by bench/bench_proxy.py: see the README's deployment section.
Run: .venv/bin/python -m deploy.serve [--workers N] [--port 8501] [--address 0.0.0.0]
"""
from __future__ import annotations

import argparse
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HAPROXY = "/usr/sbin/haproxy"
COOKIE = "lab_process"       # the cookie naming a visitor's process (p1, p2, …)
HEADER = "X-Embedding-Lab-Process"     # the response header naming the process that answered


@dataclass(frozen=True)
class Served:
    """The proxy's address and the processes behind it."""

    base: str                               # http://host:port of the proxy
    ports: dict[str, int]                   # process name (the cookie's value) -> loopback port
    pids: dict[str, int]                    # process name -> PID; "proxy" -> HAProxy's PID
    processes: tuple[subprocess.Popen, ...]

    def stopped(self) -> list[str]:
        """Names of the processes that have exited."""
        names = {pid: name for name, pid in self.pids.items()}
        return [names[p.pid] for p in self.processes if p.poll() is not None]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def haproxy_config(address: str, port: int, ports: dict[str, int]) -> str:
    """deploy/haproxy.cfg for these processes: health-checked, each named by its cookie."""
    servers = "\n".join(f"    server {name} 127.0.0.1:{p} check inter 5s fall 3 cookie {name}"
                        for name, p in ports.items())
    return (Path(__file__).with_name("haproxy.cfg").read_text()
            .format(address=address, port=port, cookie=COOKIE, header=HEADER, servers=servers))


def wait_until_healthy(url: str, process: subprocess.Popen, limit: float = 240) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{' '.join(process.args[:4])} exited with code {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {limit:.0f} s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def serving(workers: int, port: int, address: str = "127.0.0.1", output=subprocess.DEVNULL,
            environment: dict[str, str] | None = None):
    """`workers` app processes (server.py) on free loopback ports and HAProxy in front on
    address:port; yields a Served once the proxy answers, and stops them all (by PID) after.
    The processes share one cookie secret, so a token one signed holds in another."""
    if not Path(HAPROXY).is_file():
        raise RuntimeError(f"HAProxy is not installed ({HAPROXY}); make serve installs Debian's haproxy")
    ports = {f"p{i + 1}": free_port() for i in range(workers)}
    secret, started, pids = secrets.token_hex(16), [], {}
    env = {**os.environ, "STREAMLIT_SERVER_COOKIE_SECRET": secret, **(environment or {})}
    with tempfile.TemporaryDirectory(prefix="embedding-lab-proxy-") as folder:
        try:
            for name, p in ports.items():
                started.append(subprocess.Popen(
                    [sys.executable, "-m", "streamlit", "run", "server.py", f"--server.port={p}",
                     "--server.address=127.0.0.1", "--server.headless=true"],
                    cwd=ROOT, env=env, stdout=output, stderr=output))
                pids[name] = started[-1].pid
            for p, process in zip(ports.values(), started):
                wait_until_healthy(f"http://127.0.0.1:{p}/_stcore/health", process)
            config = Path(folder) / "haproxy.cfg"
            config.write_text(haproxy_config(address, port, ports))
            started.append(subprocess.Popen([HAPROXY, "-f", str(config), "-db"], stdout=output, stderr=output))
            pids["proxy"] = started[-1].pid
            host = "127.0.0.1" if address in ("0.0.0.0", "::") else address
            wait_until_healthy(f"http://{host}:{port}/_stcore/health", started[-1])
            yield Served(f"http://{host}:{port}", ports, pids, tuple(started))
        finally:
            for process in reversed(started):
                stop(process)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="app processes (default: one per core)")
    parser.add_argument("--port", type=int, default=8501, help="the address's port (default 8501)")
    parser.add_argument("--address", default="0.0.0.0", help="where HAProxy listens (default: everywhere)")
    options = parser.parse_args()
    if options.workers < 1:
        print(f"error: --workers must be at least 1; got {options.workers}", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))      # stop everything, as Ctrl+C does
    try:
        with serving(options.workers, options.port, options.address, output=None) as served:
            print(f"Embedding Lab: {options.workers} processes behind HAProxy at "
                  f"http://{options.address}:{options.port}", flush=True)
            while not served.stopped():
                time.sleep(1)
            print(f"error: {', '.join(served.stopped())} stopped; stopping the rest", file=sys.stderr)
            return 1
    except KeyboardInterrupt:
        return 0
    except RuntimeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
