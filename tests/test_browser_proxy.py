"""Two app processes behind HAProxy, as `make serve WORKERS=2` starts them (deploy/serve.py),
visited by simulated browsers (Streamlit's websocket protocol, tests/stclient.py): visitors
are spread over both processes, each visitor's requests (the page, the websocket, a second
websocket, the upload) reach its own process, an upload sent to the other process is
refused, and each visitor sees only its own uploaded table, on either process."""
import asyncio
import urllib.error
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from deploy.serve import COOKIE, HEADER, serving
from tests.browser import free_port
from tests.stclient import Visitor

pytestmark = pytest.mark.browser
EXAMPLE = (Path(__file__).resolve().parent.parent / "assets" / "example-glove-500.txt").read_bytes()


async def uploads_its_table(visitor: Visitor, name: str) -> list[str]:
    """Upload EXAMPLE as `name`, load it; the texts of the Load button's run."""
    await visitor.open("load")
    await visitor.upload("Vector file", f"{name}.txt", EXAMPLE)
    return (await visitor.set("Load", True)).texts


async def a_class_of_three(base: str) -> dict:
    found = {}
    async with Visitor(base) as ann, Visitor(base) as bob, Visitor(base) as cat:
        visitors = {"ann": ann, "bob": bob, "cat": cat}
        for name, visitor in visitors.items():
            found[name] = {"cookie": visitor.cookie(COOKIE),
                           "websocket": visitor.socket.response.headers.get(HEADER),
                           "loaded": await uploads_its_table(visitor, f"table-{name}")}
        for name, visitor in visitors.items():
            found[name]["own list"] = [t for t in (await visitor.open("load")).texts if t.startswith("**table-")]
            explore = await visitor.open(query=f"source=table-{name}")
            found[name]["own explore"] = (explore.ok, explore.errors,
                                          [t for t in explore.texts if "not available" in t])
            other = "bob" if name == "ann" else "ann"
            theirs = await visitor.open(query=f"source=table-{other}")
            found[name]["other's table"] = [t for t in theirs.texts if "not available here" in t]
            async with Visitor(base) as again:      # a second tab of the same browser
                next(c for c in again.cookies if c.name == COOKIE).value = visitor.cookie(COOKIE)
                found[name]["second tab"] = await asyncio.to_thread(
                    lambda: again.http.open(base + "/_stcore/health").headers[HEADER])
    return found


async def an_upload_sent_to_the_other_process(base: str) -> str:
    async with Visitor(base) as visitor:
        await visitor.open("load")
        cookie = next(c for c in visitor.cookies if c.name == COOKIE)
        cookie.value = "p1" if cookie.value == "p2" else "p2"
        with pytest.raises(urllib.error.HTTPError) as refused:
            await visitor.upload("Vector file", "elsewhere.txt", EXAMPLE)
        return refused.value.read().decode()


def run_apart(coroutine):
    """asyncio.run in a thread of its own: the browser tests' Playwright keeps an event loop
    running in this one for the whole session."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, coroutine).result()


def test_two_processes_behind_the_proxy_keep_each_visitor_on_its_own():
    with serving(2, free_port()) as served:
        found = run_apart(a_class_of_three(served.base))
        refusal = run_apart(an_upload_sent_to_the_other_process(served.base))
        assert not served.stopped()
    assert {v["cookie"] for v in found.values()} == {"p1", "p2"}          # both processes serve
    for name, seen in found.items():
        assert seen["websocket"] == seen["cookie"], name
        assert any(f"Loaded table-{name}" in t for t in seen["loaded"]), (name, seen["loaded"])
        assert seen["own list"] == [f"**table-{name}**: 500 rows × 50"], (name, seen["own list"])
        assert seen["own explore"] == (True, [], []), (name, seen["own explore"])
        assert len(seen["other's table"]) == 1, (name, seen["other's table"])
        assert seen["second tab"] == seen["cookie"], name
    assert "Invalid session_id" in refusal
