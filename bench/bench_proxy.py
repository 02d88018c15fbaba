"""Which reverse proxy goes in front of make serve's processes: HAProxy or nginx (both from
Debian's packages), measured in front of the same two app processes in one run, against
the processes answered directly.

Per route (a process directly, HAProxy, nginx): a visitor typing words back to back on
Explore (words typed before, so the server's part is small and the proxy's shows): p50 and
p95 from the typed word to script_finished, and the proxy's CPU per word; 20 visitors
opening Explore at once; a 100 MiB upload (the app's ceiling is 200 MiB) through the route;
the proxy's memory. Both keep a visitor on its process with a cookie: HAProxy inserts one
naming the process (`cookie ... insert`); nginx's free version has no such directive, so
it hashes a cookie it sets to the first request's id (`hash $cookie consistent`).
Needs haproxy and nginx-light (make bench installs them).
Run: .venv/bin/python bench/bench_proxy.py [--words 200]
"""
import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_class import WORDS, load, percentile  # noqa: E402
from deploy.serve import serving, stop, wait_until_healthy  # noqa: E402
from tests.browser import cpu_seconds, free_port, wait_until_idle  # noqa: E402
from tests.stclient import Visitor, resident_mb  # noqa: E402

NGINX = "/usr/sbin/nginx"
NGINX_CONFIG = """daemon off;
worker_processes auto;
pid {folder}/nginx.pid;
error_log stderr error;
events {{ worker_connections 4000; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    client_max_body_size 200m;
    map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
    map $cookie_lab_process $lab_route {{ "" $request_id; default $cookie_lab_process; }}
    upstream processes {{
        hash $lab_route consistent;
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://processes;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $host;
            proxy_read_timeout 1h;
            proxy_send_timeout 1h;
            add_header Set-Cookie "lab_process=$lab_route; Path=/; HttpOnly; SameSite=Lax";
        }}
    }}
}}
"""


def children(pid: int) -> list[int]:
    """The process and its children (nginx's workers)."""
    found = [pid]
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


async def typing(base: str, words: int) -> list[float]:
    async with Visitor(base) as visitor:
        await visitor.open()
        seconds = []
        for i in range(words):
            seconds.append((await visitor.set("Word", WORDS[i % len(WORDS)])).seconds)
        return seconds[len(WORDS):]               # every word answered once before


async def opening(base: str, visitors: int) -> float:
    async def one():
        async with Visitor(base) as visitor:
            await visitor.open()

    start = time.perf_counter()
    await asyncio.gather(*[one() for _ in range(visitors)])
    return time.perf_counter() - start


async def uploading(base: str, data: bytes) -> float:
    async with Visitor(base) as visitor:
        await visitor.open("load")
        start = time.perf_counter()
        await visitor.upload("Vector file", "big.bin", data)
        return time.perf_counter() - start


def measure(name: str, base: str, proxy: list[int], options, data: bytes) -> None:
    cpu = sum(map(cpu_seconds, proxy))
    seconds = asyncio.run(typing(base, options.words))
    per_word = (sum(map(cpu_seconds, proxy)) - cpu) / len(seconds)
    opened = asyncio.run(opening(base, 20))
    uploaded = asyncio.run(uploading(base, data))
    memory = sum(map(resident_mb, proxy))
    print(f"| {name} | {statistics.median(seconds) * 1e3:.1f} ms | {percentile(seconds, 95) * 1e3:.1f} ms "
          f"| {per_word * 1e3:.2f} ms | {opened:.2f} s | {uploaded:.2f} s | "
          + (f"{memory:.0f} MiB |" if proxy else "— |"), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=200)
    options = parser.parse_args()
    data = os.urandom(100 * 1024 * 1024)
    print(f"Before: {load()}")
    with serving(2, free_port()) as served, tempfile.TemporaryDirectory(prefix="bench-nginx-") as folder:
        os.chmod(folder, 0o755)                   # nginx's workers may run as another user
        port = free_port()
        servers = "\n".join(f"        server 127.0.0.1:{p};" for p in served.ports.values())
        config = Path(folder) / "nginx.conf"
        config.write_text(NGINX_CONFIG.format(folder=folder, port=port, servers=servers))
        nginx = subprocess.Popen([NGINX, "-c", str(config), "-p", folder])
        try:
            wait_until_healthy(f"http://127.0.0.1:{port}/_stcore/health", nginx)
            for pid in [served.pids[name] for name in served.ports]:
                wait_until_idle(pid)
            print("| route | typed word p50 | p95 | proxy CPU per word | 20 visitors open Explore "
                  "| 100 MiB upload | proxy memory |")
            print("|---|---:|---:|---:|---:|---:|---:|")
            for _ in range(2):                     # two rounds, alternating, against the noise
                measure("process directly", f"http://127.0.0.1:{served.ports['p1']}", [], options, data)
                measure("HAProxy 2.6", served.base, [served.pids["proxy"]], options, data)
                measure("nginx 1.22", f"http://127.0.0.1:{port}", children(nginx.pid), options, data)
        finally:
            stop(nginx)
    print(f"After: {load()}")


if __name__ == "__main__":
    main()
