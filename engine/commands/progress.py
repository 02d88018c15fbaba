"""Progress bars of long CLI commands: tqdm on stderr when a person is watching (stderr is a
terminal), quiet in scripts (stderr redirected, or --json with stdout in a pipe) and when a
command is asked to be (--quiet)."""
from __future__ import annotations

import sys


def shows_progress(args) -> bool:
    if getattr(args, "quiet", False):
        return False
    return sys.stderr.isatty() and not (getattr(args, "json", False) and not sys.stdout.isatty())


class QuietBar:
    """The part of tqdm's interface the commands use, doing nothing: a script's run then
    does not import tqdm (60 ms of a two-second command)."""

    def __init__(self, total: float = 1):
        self.n, self.total = 0, total

    def update(self, step: float = 1) -> None:
        self.n += step

    def set_postfix_str(self, text: str) -> None:
        pass

    def close(self) -> None:
        pass

    def __enter__(self) -> "QuietBar":
        return self

    def __exit__(self, *failure) -> None:
        pass


def progress_bar(args, unit: str, desc: str | None = None, total: float = 1, **options):
    """A tqdm bar (a QuietBar when nobody watches) with .report(done, total) as the
    engine's progress callback."""
    if shows_progress(args):
        from tqdm import tqdm

        bar = tqdm(total=total, unit=unit, desc=desc, leave=False, file=sys.stderr, **options)
    else:
        bar = QuietBar(total)

    def report(done: float, total: float) -> None:
        bar.total = total
        bar.update(done - bar.n)

    bar.report = report
    return bar
