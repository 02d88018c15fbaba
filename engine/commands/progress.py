"""Progress bars of long CLI commands: tqdm on stderr when a person is watching (stderr is a
terminal), quiet in scripts (stderr redirected, or --json with stdout in a pipe)."""
from __future__ import annotations

import sys


def shows_progress(args) -> bool:
    return sys.stderr.isatty() and not (getattr(args, "json", False) and not sys.stdout.isatty())


def progress_bar(args, unit: str, desc: str | None = None, total: float = 1, **options):
    """A tqdm bar (disabled when nobody watches) with .report(done, total) as the engine's
    progress callback."""
    from tqdm import tqdm

    bar = tqdm(total=total, unit=unit, desc=desc, leave=False, file=sys.stderr,
               disable=not shows_progress(args), **options)

    def report(done: float, total: float) -> None:
        bar.total = total
        bar.update(done - bar.n)

    bar.report = report
    return bar
