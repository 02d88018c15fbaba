"""server.py (what make run and each of make serve's processes start) opens GloVe and reads
MiniLM as it starts, before any visitor: the process maps GloVe's shared rows and MiniLM's
weights file (which transformers keeps mapped, so processes share it too) while nobody has
opened a page."""
import time
from pathlib import Path

import pytest

from tests.browser import serving

pytestmark = pytest.mark.browser


def mapped_files(pid: int) -> set[str]:
    return {line.split()[-1] for line in Path(f"/proc/{pid}/maps").read_text().splitlines()
            if line.split()[-1].startswith("/")}


def test_the_server_reads_glove_and_minilm_before_any_visitor():
    with serving("server.py") as (_, pid):
        deadline, found = time.monotonic() + 240, set()
        while time.monotonic() < deadline:
            files = mapped_files(pid)
            found = {name for name in ("unit.npy", "model.safetensors")
                     if any(f.endswith(name) for f in files)}
            if len(found) == 2:
                break
            time.sleep(1)
    assert found == {"unit.npy", "model.safetensors"}
