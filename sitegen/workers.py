"""Per-article work, spread over a process pool: parse, convert, render, write.

Python-Markdown is the main cost of a build, and it is pure CPU, so every core
gets a worker. Each worker builds its Markdown engine, sanitiser and Jinja
environment once (`_worker_for`) and then takes chunks of articles; it reads the
source and writes the page itself, so article bodies never cross processes.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import hashlib
import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from sitegen import interrupt, slugs
from sitegen.errors import Problem, SiteError
from sitegen.frontmatter import body_of, decode
from sitegen.load import stamp_of
from sitegen.markup import to_html
from sitegen.model import Article, Parsed, SiteConfig, SourceFile
from sitegen.pages import ListPage, Neighbours
from sitegen.render import Body, Renderer, excerpt
from sitegen.sanitize import make_sanitizer
from sitegen.validate import parse_source
from sitegen.write import Sink

T = TypeVar("T")
CHUNK = 64  # articles per task: large enough to amortise pickling, small enough to balance two cores
PARALLEL_FROM = 200  # below this, forking workers costs more than it saves
STOP_GRACE_S = 15.0  # how long a failed build waits for the chunks already running


@dataclass(frozen=True)
class RenderJob:
    article: Article
    near: Neighbours
    want_html: bool = False  # the feed needs the body of the newest articles
    digest: str = ""  # of the bytes the article was parsed from: the body must be the same bytes


@dataclass(frozen=True)
class ListJob:
    page: ListPage
    excerpts: dict[str, str]  # of the articles on the page, by path


@dataclass(frozen=True)
class Rendered:
    path: str
    excerpt: str
    html: str | None


class _Worker:
    """What one process needs to turn articles into pages."""

    def __init__(self, site_dir: Path, config: SiteConfig) -> None:
        self.site_dir = site_dir
        self.config = config
        self.clean = make_sanitizer(config.iframe_hosts) if config.sanitize else None
        self.renderer = Renderer(config, site_dir)

    def body(self, markdown: str) -> Body:
        html = to_html(markdown)
        if self.clean is not None:
            html = self.clean(html)
        return Body(html, excerpt(html))

    def parse(self, path: str) -> Parsed:
        full = self.site_dir / path
        try:
            with open(full, "rb") as fh:
                # fstat before reading: a file saved in between gets a newer stamp, so is read again
                st = os.fstat(fh.fileno())
                raw = fh.read()
        except OSError as exc:
            return Parsed(path, (0, -1, 0, 0), "", None, (Problem(
                path, None, f"无法读取这个文件（{exc.strerror}），请检查它的权限后重试。",
                f"cannot read this file: {exc.strerror}"),))
        article, problems = parse_source(SourceFile(path, raw), self.config)
        if article is not None:
            article = replace(article, body="")
        return Parsed(path, stamp_of(st), hashlib.blake2b(raw, digest_size=16).hexdigest(), article, tuple(problems))

    def render(self, job: RenderJob, sink: Sink) -> Rendered:
        raw = (self.site_dir / job.article.path).read_bytes()
        if job.digest and hashlib.blake2b(raw, digest_size=16).hexdigest() != job.digest:
            # Saved again while this build ran: its metadata and body would not match, nor
            # would its body have passed the limits. The next build picks the new version up.
            raise SiteError([Problem(job.article.path, None, "这篇文章在构建过程中被修改了，请重新构建。",
                                     "the article changed while the site was being built; build again")])
        text, _ = decode(raw, job.article.path)
        body = self.body(body_of(text or ""))
        page = self.renderer.article(job.article, body, job.near)
        sink.write(page.path, page.data)
        return Rendered(job.article.path, body.excerpt, body.html if job.want_html else None)

    def render_list(self, job: ListJob, sink: Sink) -> str:
        page = self.renderer.listing(job.page, job.excerpts)
        sink.write(page.path, page.data)
        return page.path


_worker: tuple[str, _Worker] | None = None


def _worker_for(site_dir: Path, config: SiteConfig, generation: str) -> _Worker:
    """This process's worker, made once per build: `generation` changes with the templates and config."""
    global _worker
    if _worker is None or _worker[0] != generation or _worker[1].site_dir != site_dir:
        _worker = (generation, _Worker(site_dir, config))
    return _worker[1]


def _die_with(parent: int) -> None:
    """A killed build (kill -9) must not leave workers writing on, or holding the build lock."""
    with contextlib.suppress(AttributeError, OSError):  # prctl is Linux-only
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _init(parent: int) -> None:
    gc.enable()  # forked from a parent that builds with the GC off; Markdown makes cycles
    _die_with(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops the pool


def _ready() -> None:
    pass


Roots = tuple[Path, Path | None]  # where pages are written, and the twin they are hard-linked into
Task = tuple[Path, SiteConfig, str, Sequence[Any], Roots | None]  # site, config, generation, items, roots


def _parse_chunk(task: Task) -> tuple[list[Parsed], dict[str, str]]:
    site_dir, config, generation, paths, _ = task
    worker = _worker_for(site_dir, config, generation)
    return [worker.parse(p) for p in paths], slugs.remembered()  # slugs: for the parent's cache


def _render_chunk(task: Task) -> list[Rendered]:
    site_dir, config, generation, jobs, roots = task
    assert roots is not None
    worker, sink = _worker_for(site_dir, config, generation), Sink(*roots)
    return [worker.render(job, sink) for job in jobs]


def _list_chunk(task: Task) -> list[str]:
    site_dir, config, generation, jobs, roots = task
    assert roots is not None
    worker, sink = _worker_for(site_dir, config, generation), Sink(*roots)
    return [worker.render_list(job, sink) for job in jobs]


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
            # fork: workers start with the imports done. With fork, the first task starts
            # every worker, so _ready() makes them now, from a parent that is still small.
            self._executor = ProcessPoolExecutor(
                os.cpu_count() or 1, mp_context=multiprocessing.get_context("fork"),
                initializer=_init, initargs=(os.getpid(),),
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
        if self._executor is None and len(items) < PARALLEL_FROM:
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
