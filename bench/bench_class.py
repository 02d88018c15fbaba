"""A class at once, on loopback: 30 simulated visitors type words on Explore while 3 upload
a table and 2 open Map and Geometry; then one visitor's long job (the Geometry page's exact
hubness of 50,000 rows) runs while 5 others keep typing; then 5 real Chromium sessions type words.

The simulated visitors speak Streamlit's own websocket protocol (tests/stclient.py), so
they cost the client almost nothing and the figures measure the server: the time from a
typed word (the rerun_script message) to the server's script_finished. Chromium times are
end to end, on the page's own clock, from Enter to the painted neighbours. The server's
resident memory is read before, during (the largest sample) and after the visitors leave.

Typing a word on Explore reruns only the word's fragment, in Chromium as in this client
(both send the fragment's id; the server answers FINISHED_FRAGMENT_RUN_SUCCESSFULLY).

Goals: server-side p95 < 0.5 s at 30 visitors; Chromium p95 < 1 s at 5 sessions; Explore
within the same goal while another visitor's long job runs. The pace is a class's: each
visitor types a word every 5-10 s, reading the ten neighbours and the vector in between
(`--pace 5-10`, the default). `--pace 2-5` is a class typing as fast as it reads (about 9
words a second from 30); `--pace 0.5-2` (about 24 words a second) is a stress test past
what one server process on two cores answers (about 13 a second).
Run: .venv/bin/python bench/bench_class.py [--visitors 30] [--pace 5-10] [--no-browser]
"""
import argparse
import asyncio
import os
import random
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.sources import load_builtin  # noqa: E402
from tests.browser import cpu_seconds, serving, wait_until_idle  # noqa: E402
from tests.stclient import Visitor, resident_mb  # noqa: E402

WORDS = ["frog", "paris", "guitar", "apple", "river", "doctor", "green", "music", "ocean", "chess",
         "bread", "winter", "castle", "engine", "violin", "desert", "tiger", "coffee", "silver", "nurse"]
TYPED_PER_VISITOR = 6
UPLOAD_ROWS = 20_000


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def summary(values: list[float]) -> str:
    return (f"p50 {statistics.median(values) * 1e3:,.0f} ms, p95 {percentile(values, 95) * 1e3:,.0f} ms, "
            f"max {max(values) * 1e3:,.0f} ms ({len(values)} words)")


class MemoryWatch:
    """Samples the server's resident memory every 0.2 s; keeps the largest."""

    def __init__(self, pid: int):
        self.pid, self.peak, self._stop = pid, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self):
        while not self._stop.wait(0.2):
            self.peak = max(self.peak, resident_mb(self.pid))

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def upload_file() -> bytes:
    """The first UPLOAD_ROWS GloVe rows as GloVe text: what a student might upload."""
    glove = load_builtin("glove-6b-50d")
    lines = (f"{w} " + " ".join(f"{v:.5f}" for v in glove.vectors[i])
             for i, w in enumerate(glove.index_to_key[:UPLOAD_ROWS]))
    return ("\n".join(lines) + "\n").encode()


PACE = (5.0, 10.0)      # seconds between one visitor's words (--pace)


async def typist(base: str, seed: int, latencies: list, problems: list, until=None) -> None:
    """Opens Explore, then types words with PACE seconds between them (until `until` is
    set, when given)."""
    rng = random.Random(seed)
    async with Visitor(base) as visitor:
        await check(visitor.open(query=f"word={rng.choice(WORDS)}"), problems)
        count = 0
        while count < (TYPED_PER_VISITOR if until is None else 200) and not (until and until.is_set()):
            await asyncio.sleep(rng.uniform(*PACE))
            run = await check(visitor.set("Word", rng.choice(WORDS)), problems)
            latencies.append(run.seconds)
            count += 1


async def uploader(base: str, data: bytes, seed: int, latencies: list, problems: list) -> None:
    """Uploads a table on the Load page, then types words on Explore with it."""
    rng = random.Random(seed)
    async with Visitor(base) as visitor:
        await check(visitor.open("load"), problems)
        await check(visitor.upload("Vector file", f"class-{seed}.txt", data), problems)
        run = await check(visitor.set("Load", True), problems)
        if not any("Loaded" in text for text in run.texts):
            problems.append(f"upload {seed}: no 'Loaded' message")
        await check(visitor.open(), problems)
        for _ in range(TYPED_PER_VISITOR):
            await asyncio.sleep(rng.uniform(*PACE))
            latencies.append((await check(visitor.set("Word", rng.choice(WORDS)), problems)).seconds)


async def one_at_a_time(base: str, pid: int, words: int = 40) -> tuple[float, float]:
    """One visitor typing `words` words back to back, alone: the server's wall and CPU
    seconds per word, so 1 / CPU is about the most words a second one process answers."""
    async with Visitor(base) as visitor:
        await visitor.open()
        for word in WORDS[:3]:                            # warm: first runs of the fragment
            await visitor.set("Word", word)
        cpu, start = cpu_seconds(pid), time.perf_counter()
        for i in range(words):
            await visitor.set("Word", WORDS[i % len(WORDS)])
        return (time.perf_counter() - start) / words, (cpu_seconds(pid) - cpu) / words


async def page_opener(base: str, path: str, problems: list) -> float:
    async with Visitor(base) as visitor:
        return (await check(visitor.open(path), problems)).seconds


async def check(pending, problems: list):
    run = await pending
    if not run.ok:
        problems.append(f"status {run.status}: {run.exceptions}")
    problems.extend(f"error shown: {e}" for e in run.errors)
    return run


async def the_class(base: str, visitors: int, data: bytes) -> dict:
    typed, uploaded, problems = [], [], []
    jobs = [typist(base, seed, typed, problems) for seed in range(visitors)]
    jobs += [uploader(base, data, seed, uploaded, problems) for seed in range(3)]
    jobs += [page_opener(base, "map", problems), page_opener(base, "geometry", problems)]
    start = time.perf_counter()
    results = await asyncio.gather(*jobs)
    return {"typed": typed, "uploaders typed": uploaded, "problems": problems,
            "map s": results[-2], "geometry s": results[-1], "seconds": time.perf_counter() - start}


async def long_job(base: str) -> dict:
    """The Geometry page's exact hubness (50,000 rows) for one visitor while five others type."""
    typed, problems, done = [], [], asyncio.Event()

    async def hubness():
        try:
            async with Visitor(base) as visitor:
                return (await check(visitor.open("geometry", query="view=Hubness"), problems)).seconds
        finally:
            done.set()

    job = asyncio.create_task(hubness())
    await asyncio.sleep(1.0)
    await asyncio.gather(*[typist(base, 100 + s, typed, problems, until=done) for s in range(5)])
    seconds = await job
    return {"typed": typed, "problems": problems, "job s": seconds}


# The page notes when each websocket message arrives, so a Chromium wait splits into the
# server's part (Enter to the message that brought the neighbours) and the browser's (that
# message to the painted frame).
NOTE_MESSAGES = """(() => {
    const Native = window.WebSocket;
    window.__received = 0;
    window.WebSocket = class extends Native {
        constructor(...args) {
            super(...args);
            this.addEventListener("message", () => { window.__received = performance.now(); });
        }
    };
})()"""
WATCH_SPLIT = """(text) => {
    let start = performance.now();
    document.addEventListener("keydown", event => { start = event.timeStamp; }, {once: true, capture: true});
    window.__split = new Promise(resolve => {
        const observer = new MutationObserver(() => {
            if (!document.body.textContent.includes(text)) return;
            observer.disconnect();
            const received = window.__received;
            requestAnimationFrame(() => resolve([(received - start) / 1000, (performance.now() - start) / 1000]));
        });
        observer.observe(document, {subtree: true, childList: true, characterData: true});
    });
}"""


def chromium_sessions(base: str, sessions: int = 5) -> tuple[list[float], list[float]]:
    """End-to-end waits in real Chromium, `sessions` tabs in their own threads, each typing
    words on Explore: (Enter to the websocket message that brought the neighbours, Enter to
    the painted neighbours), both on the page's own clock."""
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROME_ARGS, CHROMIUM, settle
    received, painted, lock = [], [], threading.Lock()

    def session(seed: int) -> None:
        rng = random.Random(seed)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.add_init_script(NOTE_MESSAGES)
            page.goto(base)
            settle(page)
            box = page.get_by_label("Word", exact=True)
            word = None
            for _ in range(TYPED_PER_VISITOR + 1):
                word = rng.choice([w for w in WORDS if w != word])   # the same word twice: no rerun
                box.fill(word)
                page.evaluate(WATCH_SPLIT, f"Nearest to “{word}”")
                box.press("Enter")
                arrived, shown = page.evaluate("window.__split")
                with lock:
                    received.append(arrived)
                    painted.append(shown)
                time.sleep(rng.uniform(*PACE))
            browser.close()

    threads = [threading.Thread(target=session, args=(s,)) for s in range(sessions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return received, painted


def load() -> str:
    return "load average " + " / ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    global PACE
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visitors", type=int, default=30)
    parser.add_argument("--pace", default="5-10", help="seconds between one visitor's words, LOW-HIGH")
    parser.add_argument("--no-browser", action="store_true")
    options = parser.parse_args()
    PACE = tuple(float(x) for x in options.pace.split("-"))
    data = upload_file()
    print(f"Before: {load()}; each visitor types a word every {PACE[0]:g}-{PACE[1]:g} s")
    with serving() as (base, pid):
        fresh = resident_mb(pid)
        asyncio.run(page_opener(base, "", []))           # GloVe loaded once, as in class
        print(f"Server idle {wait_until_idle(pid):.0f} s after its first page (MiniLM warm-up)")
        before = resident_mb(pid)
        wall, cpu = asyncio.run(one_at_a_time(base, pid))
        print(f"One visitor alone, 40 words back to back: {wall * 1e3:.0f} ms per word, "
              f"{cpu * 1e3:.0f} ms of server CPU per word (at most about {1 / cpu:.0f} words/s; "
              f"{load()})")
        with MemoryWatch(pid) as watch:
            crowd = asyncio.run(the_class(base, options.visitors, data))
        time.sleep(3)                                     # sessions released on disconnect
        after = resident_mb(pid)
        print(f"Server memory: fresh {fresh:,.0f} MB, GloVe loaded and MiniLM warmed up {before:,.0f} MB, "
              f"during the class {watch.peak:,.0f} MB (largest sample), "
              f"3 s after everyone left {after:,.0f} MB")
        print(f"{options.visitors} visitors typing, 3 uploading {UPLOAD_ROWS:,} rows, Map and "
              f"Geometry opened, in {crowd['seconds']:.0f} s "
              f"({len(crowd['typed']) / crowd['seconds']:.1f} words/s answered; {load()}):")
        print(f"  typed word -> script_finished: {summary(crowd['typed'])}")
        print(f"  uploaders typing on their own table: {summary(crowd['uploaders typed'])}")
        print(f"  Map opened in {crowd['map s']:.1f} s, Geometry in {crowd['geometry s']:.1f} s")
        busy = asyncio.run(long_job(base))
        print(f"While one visitor's exact hubness of 50,000 rows ran ({busy['job s']:.0f} s), "
              f"5 others typing: {summary(busy['typed'])} ({load()})")
        problems = crowd["problems"] + busy["problems"]
        if not options.no_browser:
            received, painted = chromium_sessions(base)
            print(f"5 Chromium sessions ({load()}):")
            print(f"  Enter to the message with the neighbours: {summary(received)}")
            print(f"  Enter to painted neighbours: {summary(painted)}")
        print(f"Problems (exceptions, error boxes, unfinished runs): {len(problems)}")
        for problem in problems[:10]:
            print("  ", problem)


if __name__ == "__main__":
    main()
