"""Helpers for the snippet tests: the fresh Python that runs the pages' code, and reading
what a script prints."""
from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

RUNNER = Path(__file__).resolve().parent / "snippet_runner.py"


class FreshPython:
    """One `python -I tests/snippet_runner.py` in `folder`: `submit` hands it a script and
    returns at once, `output` waits for that script's answer (scripts run in order). A
    thread reads the answers as they come, so neither side ever waits on a full pipe."""

    def __init__(self, folder: Path):
        self.process = subprocess.Popen([sys.executable, "-I", str(RUNNER)], cwd=folder, text=True,
                                        encoding="utf-8", stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL)
        self.answers: dict[str, dict] = {}
        self.arrived = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            answer = json.loads(line)
            with self.arrived:
                self.answers[answer["name"]] = answer
                self.arrived.notify_all()
        with self.arrived:
            self.answers[None] = {}          # the process ended
            self.arrived.notify_all()

    def submit(self, name: str, code: str) -> None:
        self.process.stdin.write(json.dumps({"name": name, "code": code}) + "\n")
        self.process.stdin.flush()

    def output(self, name: str, timeout: float = 600) -> dict:
        """{"stdout", "error"} of the script `name`."""
        with self.arrived:
            if not self.arrived.wait_for(lambda: name in self.answers or None in self.answers, timeout):
                raise TimeoutError(f"no answer for {name} in {timeout:.0f} s")
        if name not in self.answers:
            raise RuntimeError(f"the fresh Python ended before answering {name}")
        return self.answers[name]

    def close(self) -> None:
        self.process.stdin.close()
        try:
            self.process.wait(60)
        except subprocess.TimeoutExpired:
            self.process.kill()


def printed_numbers(stdout: str) -> dict[str, str]:
    """'label: value' lines of a script's output as {label: value}."""
    return dict(line.partition(": ")[::2] for line in stdout.splitlines() if ": " in line)
