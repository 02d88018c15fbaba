"""The CLI as a user runs it, against gensim in the same run.

For the Google analogy benchmark at restrict 30,000 and 300,000: the whole command
`python -m engine evaluate analogies --restrict N --json` (a fresh process: start-up,
loading GloVe, scoring; wall clock), the same evaluation in process, and gensim's
KeyedVectors.evaluate_word_analogies on the same table (scoring only: its table is
already in memory, which favours gensim). Results must be identical, section by section.
Goals: the whole CLI run at least 5× faster than gensim at 30,000 and 10× at 300,000.
Also `info` and `neighbours` start to finish (median of 5 runs; wall clock and the CPU the
process used, which a busy machine inflates less).
Run: .venv/bin/python bench/bench_cli.py
"""
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine.evaluate import evaluate_word_analogies, gensim_datapath  # noqa: E402
from engine.sources import load_builtin  # noqa: E402

GOALS = {30_000: 5.0, 300_000: 10.0}


def cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cli_seconds(*argv: str) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds, stdout) of one `python -m engine ...` process."""
    started, cpu = time.perf_counter(), cpu_of_children()
    done = subprocess.run([sys.executable, "-m", "engine", *argv], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    return time.perf_counter() - started, cpu_of_children() - cpu, done.stdout


def gensim_sections(kv, restrict: int) -> tuple[float, list[tuple[str, int, int]]]:
    started = time.perf_counter()
    _, sections = kv.evaluate_word_analogies(str(gensim_datapath("questions-words.txt")),
                                             restrict_vocab=restrict, case_insensitive=True)
    seconds = time.perf_counter() - started
    return seconds, [(s["section"], len(s["correct"]), len(s["correct"]) + len(s["incorrect"]))
                     for s in sections if s["section"] != "Total accuracy"]


def main() -> None:
    from gensim.models import KeyedVectors

    for command in (["info"], ["neighbours", "king", "--topn", "3"]):
        runs = [cli_seconds(*command, "--json") for _ in range(5)]
        print(f"python -m engine {' '.join(command)}: start to finish {statistics.median(r[0] for r in runs):.2f} s "
              f"wall, {statistics.median(r[1] for r in runs):.2f} s CPU (medians of 5)")

    table = load_builtin("glove-6b-50d")
    kv = KeyedVectors(vector_size=table.dim)
    kv.add_vectors(table.index_to_key, np.asarray(table.vectors))
    kv.fill_norms()
    print(f"\n{'restrict':>9} {'CLI run s':>10} {'in process s':>13} {'gensim s':>9} "
          f"{'gensim/CLI':>11} {'gensim/in process':>18} {'goal':>6}  results")
    for restrict, goal in GOALS.items():
        cli, _, stdout = cli_seconds("evaluate", "analogies", "--restrict", str(restrict), "--json")
        started = time.perf_counter()
        ours = evaluate_word_analogies(table, restrict_vocab=restrict)
        in_process = time.perf_counter() - started
        theirs, sections = gensim_sections(kv, restrict)
        printed = json.loads(stdout)
        same = ([(s.name, s.correct, s.total) for s in ours.sections] == sections
                and [(s["name"], s["correct"], s["total"]) for s in printed["sections"]] == sections)
        verdict = "ok" if theirs / cli >= goal else "MISSED"
        print(f"{restrict:>9,} {cli:>10.2f} {in_process:>13.2f} {theirs:>9.2f} {theirs / cli:>10.1f}× "
              f"{theirs / in_process:>17.1f}× {f'≥{goal:g}×':>6}  "
              f"{'identical' if same else 'DIFFERENT'} ({ours.correct:,}/{ours.total:,}) {verdict}")


if __name__ == "__main__":
    main()
