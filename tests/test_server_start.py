"""server.py (what make run and each of make serve's processes start) opens GloVe and reads
MiniLM as it starts, before any visitor: the process maps GloVe's shared rows and MiniLM's
weights file (which transformers keeps mapped, so processes share it too) while nobody has
opened a page. A server process answers without Nagle's delay on the connections it accepts."""
import socket
import time
from pathlib import Path

import pytest

from tests.browser import serving
from ui.process import reply_without_delay


def test_connections_accepted_after_the_set_up_go_without_delay():
    """A listening socket opened as Streamlit opens it (no protocol named): asyncio leaves
    Nagle's algorithm on for its connections until the set-up turns it off."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen()

        def accepted_nodelay() -> int:
            with socket.create_connection(listening.getsockname()):
                connection, _ = listening.accept()
                with connection:
                    return connection.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)

        assert accepted_nodelay() == 0
        assert reply_without_delay() >= 1
        assert accepted_nodelay() != 0


def mapped_files(pid: int) -> set[str]:
    return {line.split()[-1] for line in Path(f"/proc/{pid}/maps").read_text().splitlines()
            if line.split()[-1].startswith("/")}


@pytest.mark.browser
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
