"""Where the test suite's time goes: runs `make test`'s pytest command (or the one given after
--) while reading every new process's CPU from /proc twice a second, then prints the wall time,
the CPU seconds by kind of process (Chromium's renderers and the rest of Chromium, the app
servers, the pytest processes, the processes they spawn) and how busy the cores were. `time`
on the run counts only the processes their parents waited for, which leaves out Chromium's.
A process's last half second before it ends is not seen, so the totals are a lower bound.
Run: .venv/bin/python bench/bench_test_suite.py [-- pytest arguments]
"""
import collections
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TICK = os.sysconf("SC_CLK_TCK")
SAMPLE_SECONDS = 0.5
DEFAULT_ARGS = ["-n", str(os.cpu_count() + 1), "--dist", "worksteal"]


def kind_of(command: str) -> str:
    """The kind of process a command line belongs to."""
    if "chromium" in command:
        return "Chromium renderers" if "--type=renderer" in command else "Chromium, the rest"
    if "playwright" in command or command.startswith("node"):
        return "Playwright's driver"
    if "streamlit" in command:
        return "app servers"
    if "multiprocessing" in command or "dask" in command:
        return "spawned workers (pages' own processes, training, clusters)"
    if "pytest" in command or "exec(eval(sys.stdin" in command:
        return "pytest processes (engine tests, AppTest)"
    if "python" in command:
        return "other Python (CLI runs, the snippet runner)"
    return "other"


def cpu_seconds(pid: str) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def sample(seen: dict, kinds: dict, before: set) -> None:
    """Update the CPU seconds of every process that was not running before the suite."""
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or pid in before:
            continue
        try:
            seen[pid] = cpu_seconds(pid)
            if pid not in kinds:
                kinds[pid] = kind_of(Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " "))
        except OSError:                 # ended meanwhile
            continue


def main() -> None:
    args = sys.argv[sys.argv.index("--") + 1:] if "--" in sys.argv else DEFAULT_ARGS
    before = {pid for pid in os.listdir("/proc") if pid.isdigit()}     # this process among them
    seen, kinds = {}, {}
    start = time.perf_counter()
    with tempfile.NamedTemporaryFile("w", suffix=".log", delete=False) as output:
        suite = subprocess.Popen([sys.executable, "-m", "pytest", *args], cwd=ROOT,
                                 stdout=output, stderr=subprocess.STDOUT)
        while suite.poll() is None:
            sample(seen, kinds, before)
            time.sleep(SAMPLE_SECONDS)
    wall = time.perf_counter() - start
    print(f"pytest exited {suite.returncode}; its output: {output.name}")
    by_kind = collections.Counter()
    for pid, seconds in seen.items():
        by_kind[kinds[pid]] += seconds
    total, cores = sum(by_kind.values()), os.cpu_count()
    print(f"wall {wall / 60:.1f} min; CPU {total / 60:.1f} min on {cores} cores: the cores busy "
          f"{total / (wall * cores):.0%} of the time; the CPU alone needs {total / cores / 60:.1f} min")
    print("| kind of process | CPU minutes | share |\n|---|---:|---:|")
    for kind, seconds in by_kind.most_common():
        print(f"| {kind} | {seconds / 60:.1f} | {seconds / total:.0%} |")


if __name__ == "__main__":
    main()
