"""Per-article work, spread over a process pool: parse, convert, render, write; and photos.

Python-Markdown is the main cost of a build, and it is pure CPU, so every core
gets a worker; so is making a photo's renditions. What one worker does with one
item is in `job.py`; this module hands out chunks and gathers the results.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any, TypeVar

from sitegen import interrupt, slugs
from sitegen.errors import Problem, SiteError
from sitegen.imagemodel import ImageError, ImageInfo
from sitegen.job import ImageJob, ListJob, Rendered, RenderJob, worker_for
from sitegen.model import Parsed, SiteConfig
from sitegen.write import Sink

T = TypeVar("T")
CHUNK = 64  # articles per task: large enough to amortise pickling, small enough to balance two cores
PARALLEL_FROM = 200  # below this, forking workers costs more than they save
# A spawned worker imports sitegen before its first task (~0.5 s a pool): bench/spawn.py finds a spawned
# pool no faster than none up to ~300 articles on Linux, and Windows starts processes slower still.
SPAWN_COST = 2
START_ENV = "SITEGEN_START_METHOD"  # fork or spawn: CI forces spawn on Linux to test macOS's and Windows' path
STOP_GRACE_S = 15.0  # how long a failed build waits for the chunks already running


def start_method() -> str:
    """fork on Linux (workers start with the imports done); spawn elsewhere, where fork is
    missing (Windows) or unsafe (macOS's system libraries). SITEGEN_START_METHOD chooses."""
    forced = os.environ.get(START_ENV, "")
    if forced:
        if forced not in multiprocessing.get_all_start_methods():
            raise SiteError([Problem(START_ENV, None, f"环境变量 {START_ENV}={forced} 在这个系统上不可用，"
                                     f"可用：{'、'.join(multiprocessing.get_all_start_methods())}。",
                                     f"{START_ENV}={forced!r} is not available on this system")])
        return forced
    return "fork" if sys.platform.startswith("linux") else "spawn"


def parallel_from() -> int:
    """How many items make a pool worth starting."""
    return PARALLEL_FROM * (1 if start_method() == "fork" else SPAWN_COST)


def _die_with(parent: int) -> None:
    """A killed build (kill -9) must not leave workers writing on, or holding the build lock."""
    if sys.platform.startswith("linux"):  # prctl is Linux-only; elsewhere the pool's own checks stop them
        with contextlib.suppress(AttributeError, OSError):
            ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _init(parent: int, known: dict[str, str]) -> None:
    # Nothing here may rely on the parent's memory: a spawned worker has only what it is given.
    gc.enable()  # forked from a parent that builds with the GC off; Markdown makes cycles
    _die_with(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops the pool
    slugs.remember(known)  # the pinyin the cache knows, so no worker loads pypinyin's dictionaries for it


def _ready() -> None:
    pass


Roots = tuple[Path, Path | None]  # where pages are written, and the twin they are hard-linked into
Task = tuple[Path, SiteConfig, str, Sequence[Any], Roots | None]  # site, config, generation, items, roots


def _parse_chunk(task: Task) -> tuple[list[Parsed], dict[str, str]]:
    site_dir, config, generation, paths, _ = task
    worker = worker_for(site_dir, config, generation)
    return [worker.parse(p) for p in paths], slugs.remembered()  # slugs: for the parent's cache


def _render_chunk(task: Task) -> list[Rendered]:
    site_dir, config, generation, jobs, roots = task
    assert roots is not None
    worker, sink = worker_for(site_dir, config, generation), Sink(*roots)
    return [worker.render(job, sink) for job in jobs]


def _list_chunk(task: Task) -> list[str]:
    site_dir, config, generation, jobs, roots = task
    assert roots is not None
    worker, sink = worker_for(site_dir, config, generation), Sink(*roots)
    return [worker.render_list(job, sink) for job in jobs]


def _image_chunk(task: Task) -> list[tuple[str, ImageInfo | ImageError]]:
    site_dir, config, generation, jobs, roots = task
    assert roots is not None
    worker = worker_for(site_dir, config, generation)
    return [worker.image(job, roots[0]) for job in jobs]


def _chunks(items: Sequence[T], size: int) -> list[Sequence[T]]:
    return [items[i:i + size] for i in range(0, len(items), size)]


class Pool:
    """Runs chunked work on every core, or in this process when the work is small."""

    def __init__(self, site_dir: Path, progress: Callable[[str, int, int], None], eager: bool = False) -> None:
        self.site_dir, self.progress = site_dir, progress
        self.config: SiteConfig | None = None  # set once site.yaml is read
        self.generation = ""  # set with the config: a key of the config and templates
        self._executor: ProcessPoolExecutor | None = None
        if eager:
            self._start()

    def _start(self) -> ProcessPoolExecutor:
        if self._executor is None:
            # With fork, the first task starts every worker, so _ready() makes them now, from a
            # parent that is still small. With spawn, workers start as tasks arrive, each
            # importing sitegen afresh (see bench/spawn.py for what that costs).
            method = start_method()
            self._executor = ProcessPoolExecutor(
                os.cpu_count() or 1, mp_context=multiprocessing.get_context(method),
                initializer=_init, initargs=(os.getpid(), {} if method == "fork" else slugs.known()),
            )
            self._executor.submit(_ready).result()
        return self._executor

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, kind: object, *rest: object) -> None:
        self.stop(failed=kind is not None)

    def stop(self, failed: bool = True) -> None:
        """Stop the workers; after a failure, before anything removes the folder they write into."""
        executor, self._executor = self._executor, None
        if executor is None:
            return
        if failed:
            processes = list(getattr(executor, "_processes", {}).values())
            executor.shutdown(wait=False, cancel_futures=True)
            # Chunks already handed out finish (a fraction of a second): a worker killed while it
            # sends its result leaves the pool's manager thread waiting forever for the rest.
            deadline = time.monotonic() + STOP_GRACE_S
            for process in processes:
                process.join(max(0.0, deadline - time.monotonic()))
            for process in processes:
                if process.is_alive():  # stuck: better a kill than a build that never ends
                    process.kill()
                    process.join()
        executor.shutdown(wait=True)

    def _map(self, label: str, fn: Callable[[Task], Any], items: Sequence[Any], size: int,
             root: Roots | None = None) -> Iterator[Any]:
        assert self.config is not None
        tasks = [(self.site_dir, self.config, self.generation, chunk, root) for chunk in _chunks(items, size)]
        if self._executor is None and len(items) < parallel_from():
            results: Iterable[Any] = map(fn, tasks)
        else:
            executor = self._start()
            results = (f.result() for f in as_completed([executor.submit(fn, t) for t in tasks]))
        done = 0
        for batch in results:
            interrupt.checkpoint()
            done += len(batch)
            self.progress(label, done, len(items))
            yield batch

    def parse(self, paths: Sequence[str]) -> Iterator[Parsed]:
        for parsed, learned in self._map("读取", _parse_chunk, paths, CHUNK * 4):
            slugs.remember(learned, used=True)
            yield from parsed

    def render(self, jobs: Sequence[RenderJob], root: Path, twin: Path | None = None) -> Iterator[Rendered]:
        for batch in self._map("生成", _render_chunk, jobs, CHUNK, (root, twin)):
            yield from batch

    def render_lists(self, jobs: Sequence[ListJob], root: Path, twin: Path | None = None) -> Iterator[str]:
        for batch in self._map("列表", _list_chunk, jobs, CHUNK // 4, (root, twin)):
            yield from batch

    def images(self, jobs: Sequence[ImageJob], cache_root: Path) -> Iterator[tuple[str, ImageInfo | ImageError]]:
        """Renditions of each photo into the image cache; two photos are enough to use both cores."""
        if len(jobs) > 1:
            self._start()
        for batch in self._map("图片", _image_chunk, jobs, 1, (cache_root, None)):
            yield from batch
