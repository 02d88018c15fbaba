"""A small class at once against the real server, on loopback, bounded in count and time:
six simulated visitors (Streamlit's websocket protocol, tests/stclient.py) type words on
Explore, one uploads a table, one opens Geometry; every run must finish without an
exception or error box, and every visitor must get its answer from a run of the word's
fragment alone (as in the browser). When the sessions close,
their tables are dropped. No timed asserts: bench/bench_class.py measures the times."""
import asyncio
from pathlib import Path

import pytest
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from tests.browser import serving
from tests.stclient import Visitor

pytestmark = pytest.mark.browser
EXAMPLE = Path(__file__).resolve().parent.parent / "assets" / "example-glove-500.txt"
WORDS = ["frog", "paris", "guitar", "apple"]


async def typist(base: str, seed: int, answers: list, problems: list) -> None:
    async with Visitor(base) as visitor:
        runs = [await visitor.open()]
        for word in WORDS[seed % 2:][:3]:
            run = await visitor.set("Word", word)
            runs.append(run)
            answers.append(any(t == f"Nearest to “{word}”" for t in run.texts)
                           and run.status == ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY)
        problems += [(seed, r.status, r.exceptions, r.errors) for r in runs if not r.ok or r.errors]


async def uploader(base: str, answers: list, problems: list) -> None:
    async with Visitor(base) as visitor:
        runs = [await visitor.open("load"),
                await visitor.upload("Vector file", "class-table.txt", EXAMPLE.read_bytes())]
        runs.append(await visitor.set("Load", True))
        answers.append(any("Loaded class-table" in t for t in runs[-1].texts))
        problems += [("upload", r.status, r.exceptions, r.errors) for r in runs if not r.ok or r.errors]


async def geometry(base: str, answers: list, problems: list) -> None:
    async with Visitor(base) as visitor:
        run = await visitor.open("geometry")
        answers.append(run.ok and any("Geometry" in t for t in run.texts))
        problems += [("geometry", run.status, run.exceptions, run.errors)] if not run.ok or run.errors else []


async def the_class(base: str) -> tuple[list, list]:
    answers, problems = [], []
    await asyncio.wait_for(asyncio.gather(
        *[typist(base, seed, answers, problems) for seed in range(6)],
        uploader(base, answers, problems), geometry(base, answers, problems)), timeout=600)
    return answers, problems


def test_six_visitors_at_once_all_get_their_answers():
    with serving() as (base, _):
        answers, problems = asyncio.run(the_class(base))
    assert problems == []
    assert len(answers) == 6 * 3 + 2 and all(answers), answers
