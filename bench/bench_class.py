"""A class at once, on loopback: 30 simulated visitors type words on Explore while 3 upload
a table and 2 open Map and Geometry; then one visitor's long job (the Geometry page's exact
hubness of 50,000 rows) runs while 5 others keep typing; then 5 real Chromium sessions type
words. The class meets one server process (server.py, as make run starts it) and then, in
the same run, two processes behind HAProxy (deploy/serve.py, as make serve WORKERS=2).

Before the class, one visitor alone types 40 words back to back, on Explore and on the bare
Streamlit page the browser bench uses as its floor (bare_text_box.py): the server CPU per
typed word, words never typed before (each an exact search of all 400,000 rows) and words
typed again (their neighbours come from the cache every visitor shares).

The simulated visitors speak Streamlit's own websocket protocol (tests/stclient.py), so
they cost the client almost nothing and the figures measure the server: the time from a
typed word (the rerun_script message) to the server's script_finished. Chromium times are
end to end, on the page's own clock, from Enter to the painted neighbours. Memory is the
servers' resident set and, summed over processes, their proportional set (a page two
processes share, such as a memory-mapped table, counted once), before, during (the largest
sample) and after the visitors leave.

Typing a word on Explore reruns only the word's fragment, in Chromium as in this client
(both send the fragment's id; the server answers FINISHED_FRAGMENT_RUN_SUCCESSFULLY). The
class's visitors type words drawn from 2,000 frequent words, so most are new to the server.

Goals: at most 25 ms of server CPU per typed word; server-side p95 < 0.5 s at 30 visitors,
also at the brisk pace (`--pace 0.5-2`, about 24 words a second asked) on one process;
Chromium p95 < 1 s at 5 sessions; Explore within the same goal while another visitor's long
job runs. The default pace is a class's: each visitor types a word every 5-10 s, reading the
ten neighbours and the vector in between (`--pace 5-10`).
Run: .venv/bin/python bench/bench_class.py [--visitors 30] [--pace 5-10] [--no-browser]
     [--no-proxy]
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

from deploy.serve import serving as serving_behind_proxy  # noqa: E402
from engine.sources import load_builtin  # noqa: E402
from tests.browser import cpu_seconds, free_port, serving, wait_until_idle  # noqa: E402
from tests.stclient import Visitor, proportional_mb, resident_mb  # noqa: E402

WORDS = ["frog", "paris", "guitar", "apple", "river", "doctor", "green", "music", "ocean", "chess",
         "bread", "winter", "castle", "engine", "violin", "desert", "tiger", "coffee", "silver", "nurse"]
TYPED_PER_VISITOR = 6
UPLOAD_ROWS = 20_000
POOL = [w for w in load_builtin("glove-6b-50d").index_to_key[100:4000] if w.isalpha()][:2000]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def summary(values: list[float]) -> str:
    return (f"p50 {statistics.median(values) * 1e3:,.0f} ms, p95 {percentile(values, 95) * 1e3:,.0f} ms, "
            f"max {max(values) * 1e3:,.0f} ms ({len(values)} words)")


class MemoryWatch:
    """Samples the servers' memory every 0.2 s (summed over their processes); keeps the
    largest resident and proportional sums."""

    def __init__(self, pids: list[int]):
        self.pids, self.peak, self._stop = pids, (0.0, 0.0), threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self):
        while not self._stop.wait(0.2):
            self.peak = tuple(map(max, self.peak, memory(self.pids)))

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def memory(pids: list[int]) -> tuple[float, float]:
    """(resident, proportional) MiB summed over the processes."""
    return sum(map(resident_mb, pids)), sum(map(proportional_mb, pids))


def megabytes(pair: tuple[float, float]) -> str:
    return f"{pair[0]:,.0f} MiB resident / {pair[1]:,.0f} MiB proportional"


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
        await check(visitor.open(query=f"word={rng.choice(POOL)}"), problems)
        count = 0
        while count < (TYPED_PER_VISITOR if until is None else 200) and not (until and until.is_set()):
            await asyncio.sleep(rng.uniform(*PACE))
            run = await check(visitor.set("Word", rng.choice(POOL)), problems)
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


async def one_at_a_time(base: str, pid: int, words: list[str]) -> tuple[float, float]:
    """One visitor typing `words` back to back, alone: the server's wall and CPU seconds per
    word, so 1 / CPU is about the most words a second one process answers."""
    async with Visitor(base) as visitor:
        await visitor.open()
        for word in ["frog", "paris", "guitar"]:          # warm: first runs of the fragment
            await visitor.set("Word", word)
        cpu, start = cpu_seconds(pid), time.perf_counter()
        for word in words:
            await visitor.set("Word", word)
        return (time.perf_counter() - start) / len(words), (cpu_seconds(pid) - cpu) / len(words)


def cpu_per_word(script: str) -> tuple[float, float]:
    """Server CPU seconds per typed word on `script`'s page, alone: (40 words never typed
    before on this server, the same 40 typed again)."""
    fresh = random.Random(7).sample(POOL, 40)
    with serving(script) as (base, pid):
        asyncio.run(page_opener(base, "", []))
        wait_until_idle(pid)
        return asyncio.run(one_at_a_time(base, pid, fresh))[1], asyncio.run(one_at_a_time(base, pid, fresh))[1]


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


def class_on(label: str, base: str, workers: list[int], everyone: list[int], options, data: bytes) -> list:
    """The class, the long job and (unless --no-browser) Chromium against one address served
    by the `workers` processes (`everyone`: theirs and the proxy's, for memory); prints what
    it measured and returns the problems seen."""
    for pid in workers:
        wait_until_idle(pid)
    ready = memory(everyone)
    with MemoryWatch(everyone) as watch:
        crowd = asyncio.run(the_class(base, options.visitors, data))
    time.sleep(3)                                     # sessions released on disconnect
    print(f"{label}: {options.visitors} visitors typing, 3 uploading {UPLOAD_ROWS:,} rows, Map and "
          f"Geometry opened, in {crowd['seconds']:.0f} s "
          f"({len(crowd['typed']) / crowd['seconds']:.1f} words/s answered; {load()}):")
    print(f"  typed word -> script_finished: {summary(crowd['typed'])}")
    print(f"  uploaders typing on their own table: {summary(crowd['uploaders typed'])}")
    print(f"  Map opened in {crowd['map s']:.1f} s, Geometry in {crowd['geometry s']:.1f} s")
    print(f"  memory: ready {megabytes(ready)}; during the class {megabytes(watch.peak)} (largest "
          f"samples); 3 s after everyone left {megabytes(memory(everyone))}")
    busy = asyncio.run(long_job(base))
    print(f"  while one visitor's exact hubness of 50,000 rows ran ({busy['job s']:.0f} s), "
          f"5 others typing: {summary(busy['typed'])} ({load()})")
    if not options.no_browser:
        received, painted = chromium_sessions(base)
        print(f"  5 Chromium sessions ({load()}):")
        print(f"    Enter to the message with the neighbours: {summary(received)}")
        print(f"    Enter to painted neighbours: {summary(painted)}")
    return crowd["problems"] + busy["problems"]


def main() -> None:
    global PACE
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visitors", type=int, default=30)
    parser.add_argument("--pace", default="5-10", help="seconds between one visitor's words, LOW-HIGH")
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--no-proxy", action="store_true", help="one process only")
    options = parser.parse_args()
    PACE = tuple(float(x) for x in options.pace.split("-"))
    data = upload_file()
    print(f"Before: {load()}; each visitor types a word every {PACE[0]:g}-{PACE[1]:g} s")
    bare, (fresh, again) = cpu_per_word("bench/bare_text_box.py"), cpu_per_word("server.py")
    print(f"One visitor alone, 40 words back to back, server CPU per typed word: Explore "
          f"{fresh * 1e3:.1f} ms for words new to the server, {again * 1e3:.1f} ms typed again; "
          f"bare page {bare[0] * 1e3:.1f} ms (Explore / bare {fresh / bare[0]:.1f}× and "
          f"{again / bare[0]:.1f}×; at most about {1 / fresh:.0f} new words a second; {load()})")
    with serving("server.py") as (base, pid):
        print(f"One process: memory as it answers its first health check {megabytes(memory([pid]))}")
        asyncio.run(page_opener(base, "", []))
        problems = class_on("One process", base, [pid], [pid], options, data)
    if not options.no_proxy:
        with serving_behind_proxy(2, free_port()) as served:
            workers = [served.pids[name] for name in served.ports]
            for port in served.ports.values():        # each process's first page
                asyncio.run(page_opener(f"http://127.0.0.1:{port}", "", []))
            problems += class_on("Two processes behind HAProxy", served.base, workers,
                                 workers + [served.pids["proxy"]], options, data)
    print(f"Problems (exceptions, error boxes, unfinished runs): {len(problems)}")
    for problem in problems[:10]:
        print("  ", problem)


if __name__ == "__main__":
    main()
