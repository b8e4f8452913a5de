"""watchfiles or watchdog for `sitegen serve`: save-to-event latency and CPU at idle, on a copy of a corpus.

    pip install watchfiles   # only this benchmark uses it; sitegen depends on watchdog
    python bench/watchers.py [--n 1000] [--edits 30] [--idle 20]

Each library watches content/ (recursively) of a fresh copy of the shared corpus, as
serve does. Startup is the time to set the watches up. Idle CPU is the process's
user+sys over `--idle` seconds with no change (the watcher's threads included).
Latency is from the end of a write (an append to one article, as an editor's save)
to the event reaching the main thread; median and worst of `--edits` saves, 0.3 s apart.
Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import queue
import resource
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import ensure_corpus

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "bench"


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _watchfiles(folder: Path, events: queue.Queue[float], stop: threading.Event) -> Callable[[], None]:
    import watchfiles

    ready = threading.Event()

    def run() -> None:
        ready.set()
        for _ in watchfiles.watch(folder, debounce=300, step=20, stop_event=stop, rust_timeout=500,
                                  yield_on_timeout=False, raise_interrupt=False):
            events.put(time.perf_counter())

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    ready.wait()
    time.sleep(0.5)  # the Rust watcher is set up inside the first call
    return lambda: (stop.set(), thread.join(2))


def _watchdog(folder: Path, events: queue.Queue[float], stop: threading.Event) -> Callable[[], None]:
    from watchdog.events import FileSystemEvent, FileSystemEventHandler
    from watchdog.observers import Observer

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event: FileSystemEvent) -> None:
            if event.event_type in ("modified", "created", "deleted", "moved", "closed"):
                events.put(time.perf_counter())

    observer = Observer()
    observer.schedule(Handler(), str(folder), recursive=True)
    observer.start()
    return lambda: (observer.stop(), observer.join(2))


def measure(name: str, start: Callable[..., Callable[[], None]], corpus: Path, edits: int, idle: float) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"watch-{name}-") as tmp:
        folder = Path(tmp) / "content"
        shutil.copytree(corpus, folder)
        time.sleep(0.5)
        events: queue.Queue[float] = queue.Queue()
        stop = threading.Event()
        began = time.perf_counter()
        halt = start(folder, events, stop)
        setup = time.perf_counter() - began
        cpu0 = _cpu()
        time.sleep(idle)
        idle_cpu = _cpu() - cpu0
        articles = sorted(folder.glob("*.md"))
        latencies = []
        for i in range(edits):
            while not events.empty():
                events.get_nowait()
            with open(articles[(i * 37) % len(articles)], "a", encoding="utf-8") as fh:
                fh.write("\n\n修改。\n")
            saved = time.perf_counter()
            latencies.append(events.get(timeout=10) - saved)
            time.sleep(0.3)
        halt()
    ms = sorted(x * 1000 for x in latencies)
    return {"watcher": name, "setup_s": round(setup, 3), "idle_cpu_ms_per_s": round(idle_cpu / idle * 1000, 2),
            "latency_median_ms": round(statistics.median(ms), 1), "latency_max_ms": round(ms[-1], 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=30)
    parser.add_argument("--idle", type=float, default=20.0)
    args = parser.parse_args()
    corpus = ensure_corpus(SHARED, ROOT / "bench" / ".work", args.n, "yaml")
    rows = [measure(name, start, corpus, args.edits, args.idle)
            for name, start in (("watchfiles", _watchfiles), ("watchdog", _watchdog))]
    print(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
