"""Does a visitor's training slow another visitor down? One server; visitor A types words on
Explore (each timed from the rerun request to the server's "script finished"), first with
nobody training, then while visitor B trains on the Train page (B's live panel polled every
second, as a browser does; then with B's tab in the background), for each method. Prints
A's median rerun time busy against idle.

The visitors speak Streamlit's websocket protocol (tests/stclient.py), so the client costs
the machine almost nothing and what is measured is the server.

Run: .venv/bin/python bench/bench_train_load.py
"""
import asyncio
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402

from engine.train.corpus import BUILTIN_CORPORA  # noqa: E402
from engine.train.settings import METHODS  # noqa: E402
from tests.browser import serving  # noqa: E402
from tests.stclient import Visitor  # noqa: E402

WORDS = ["frog", "paris", "guitar", "apple", "river", "doctor", "green", "music", "ocean", "chess",
         "king", "water", "train", "bread", "horse"]
TRAININGS = [("word2vec", "head500", 30), ("fasttext", "lee", 200), ("glove", "head500", 30),
             ("torch-sgns", "head500", 30)]


async def explore_reruns(explorer: Visitor) -> list[float]:
    """Rerun seconds of Explore for each of WORDS, typed half a second apart."""
    seconds = []
    for word in WORDS:
        await asyncio.sleep(0.5)
        run = await explorer.set("Word", word)
        assert run.ok and not run.errors, (run.exceptions, run.errors)
        seconds.append(run.seconds)
    return seconds


class Trainer(Visitor):
    async def poll_live_panel(self, stop: asyncio.Event) -> None:
        """Rerun the Train page's live fragment every second until `stop`, as the browser does."""
        fragment = self.widgets["Stop"].fragment_id
        while not stop.is_set():
            await asyncio.sleep(1.0)
            message = BackMsg()
            message.rerun_script.query_string, message.rerun_script.page_script_hash = self.query, self.page_hash
            await self._send(message, fragment)


async def busy_reruns(base: str, explorer: Visitor, method: str, corpus: str, epochs: int,
                      watched: bool = True) -> list[float]:
    async with Trainer(base) as trainer:
        await trainer.open("train")
        await trainer.set("Corpus", BUILTIN_CORPORA[corpus][1])
        await trainer.set("Method", METHODS[method])
        await trainer.set("Epochs", epochs)
        run = await trainer.set("Train", True)
        assert run.ok and not run.errors and "Stop" in trainer.widgets, (run.exceptions, run.errors)
        await asyncio.sleep(6.0)                 # past the child's imports: training proper
        stop = asyncio.Event()
        polling = asyncio.create_task(trainer.poll_live_panel(stop) if watched else stop.wait())
        seconds = await explore_reruns(explorer)
        stop.set()
        await polling
        still = await trainer.set("Stop", True)
        assert still.ok, still.exceptions
        return seconds


async def measure(base: str) -> None:
    async with Visitor(base) as explorer:
        await explorer.open()
        await explore_reruns(explorer)           # warm: the table, its norms, the page's caches
        idle = statistics.median(await explore_reruns(explorer))
        print("| while another visitor trains | Explore rerun, median of 15 words | idle server | ratio |")
        print("|---|---:|---:|---:|")
        for method, corpus, epochs in TRAININGS:
            for watched in (True, False):
                busy = statistics.median(await busy_reruns(base, explorer, method, corpus, epochs, watched))
                where = 'its progress panel open' if watched else 'its tab in the background'
                print(f"| {method} on {corpus}, {where} "
                      f"| {busy:.3f} s | {idle:.3f} s | {busy / idle:.2f}× |", flush=True)


def main() -> None:
    with serving() as (base, _):
        asyncio.run(measure(base))


if __name__ == "__main__":
    main()
