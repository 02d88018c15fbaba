"""Files that other processes may read while this one writes them: the disk caches under
.cache/ (maps, ANN indexes, sentence vectors, built-in tables' rows) are shared by every
server process behind the proxy, and two of them may build the same file at once. Each
writer writes under a name of its own in the same folder and renames the file into place:
a reader sees the whole old file, the whole new one, or none, never half of one."""
from __future__ import annotations

import os
import threading
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """A temporary path beside `path` (same suffix, so writers that add one, like np.savez,
    leave it alone) to write to; renamed to `path` when the block ends without an error,
    removed otherwise."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.stem}.{os.getpid()}-{threading.get_ident()}-"
                             f"{uuid.uuid4().hex[:8]}.partial{path.suffix}")
    try:
        yield partial
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
