"""The pipeline: load → validate → render → write, redoing only what changed."""

from __future__ import annotations

import gc
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2

from sitegen import check, slugs, workers
from sitegen.config import CONFIG_NAME, load_config
from sitegen.errors import Problem, SiteError
from sitegen.incremental import (
    Manifest,
    digest,
    load_manifest,
    load_slugs,
    save_manifest,
    save_slugs,
    setup_key,
    template_keys,
)
from sitegen.load import scan_sources
from sitegen.model import Article, SiteConfig
from sitegen.pages import Neighbours, list_pages, neighbours, output_name
from sitegen.render import Body, Renderer, template_problem
from sitegen.validate import collect
from sitegen.workers import ListJob, Parsed, Pool, Rendered, RenderJob
from sitegen.write import MARKER, Transaction, build_lock, guard_output

TEMPLATES = ("article.html", "list.html", "404.html", "feed.xml")
FULL_ABOVE = 0.5  # past this share of changed articles, a full build is as quick and simpler
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class BuildResult:
    articles: int
    files: int  # in the output
    written: int  # rewritten by this build; the rest were unchanged
    seconds: float


def _no_progress(label: str, done: int, total: int) -> None:
    pass


def _cached(site_dir: Path, drafts: bool, clean: bool) -> tuple[Manifest, dict[str, Parsed | None]]:
    """The cache, and each source file with what the cache knows of it (None: to be read)."""
    try:
        config_text = (site_dir / CONFIG_NAME).read_bytes()
    except OSError:
        config_text = b""  # load_config reports it
    setup = setup_key(config_text, drafts)
    manifest = Manifest(setup=setup) if clean else load_manifest(site_dir, setup)
    known = manifest.sources
    return manifest, {p: known[p] if p in known and known[p].stamp == s else None
                      for p, s in scan_sources(site_dir).items()}


def _parse(pool: Pool, sources: dict[str, Parsed | None]) -> dict[str, Parsed]:
    """Every source file's front matter; files whose size and mtime are unchanged are not read."""
    fresh = {x.path: x for x in pool.parse([p for p, known in sources.items() if known is None])}
    return {p: known or fresh[p] for p, known in sources.items()}


def _marker_state(output: Path) -> str:
    try:
        return (output / MARKER).read_text(encoding="utf-8").rsplit(" ", 1)[-1].strip()
    except OSError:
        return ""


def _static(site_dir: Path) -> dict[str, bytes]:
    folder = site_dir / "static"
    if not folder.is_dir():
        return {}
    return {f"static/{p.relative_to(folder).as_posix()}": p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.startswith(".")}


def _write_site(site_dir: Path, config: SiteConfig, output: Path, drafts: bool, manifest: Manifest,
                sources: dict[str, Parsed | None], pool: Pool) -> tuple[list[Article], int, int]:
    keys = template_keys(site_dir / "templates", TEMPLATES)
    trusted = bool(manifest.state) and manifest.output == str(output.resolve()) \
        and _marker_state(output) == manifest.state
    old = manifest.pages if trusted else {}
    pool.config = config
    parsed = _parse(pool, sources)
    articles = collect(((x.article, list(x.problems)) for x in parsed.values()), drafts)
    sums = {a.path: parsed[a.path].digest for a in articles}
    near = neighbours(articles)
    newest = {a.path for a in articles[: config.feed_size]}
    # An article's metadata is a function of its bytes (sums) and path, given the config,
    # which is in the cache's setup key; its page also shows its neighbours' titles.
    pages = {output_name(a.url): digest(keys["article.html"], sums[a.path], a.path, *_near_key(near[a.path]))
             for a in articles}
    pages["feed.xml"] = digest(keys["feed.xml"], *[a.path + sums[a.path] for a in articles if a.path in newest])
    feed_changed = old.get("feed.xml") != pages["feed.xml"]
    jobs = [RenderJob(a, near[a.path], a.path in newest) for a in articles
            if old.get(output_name(a.url)) != pages[output_name(a.url)] or sums[a.path] not in manifest.excerpts
            or (feed_changed and a.path in newest)]
    full = not old or len(jobs) > FULL_ABOVE * max(len(articles), 1)
    if full:
        jobs = [RenderJob(a, near[a.path], a.path in newest) for a in articles]
    with Transaction(output, full) as txn:
        try:
            rendered = {r.path: r for r in pool.render(jobs, txn.root)}
        except BaseException:
            pool.stop()  # before the transaction removes the folder the workers write into
            raise
        excerpts = {sums[p]: r.excerpt for p, r in rendered.items()}
        excerpts.update({d: manifest.excerpts[d] for d in sums.values() if d not in excerpts})
        written = len(rendered) + _write_rest(site_dir, config, articles, sums, excerpts, rendered, keys,
                                              pages, {} if full else old, txn, pool)
        state = digest(sorted(pages.items()))
        changed = full or state != manifest.state
        if changed:
            txn.sink.write(MARKER, f"Generated by sitegen; replaced on every build. state {state}\n".encode())
            txn.commit(delete=set(old) - set(pages))
    if changed or any(parsed[p] is not manifest.sources.get(p) for p in parsed):
        save_manifest(site_dir, Manifest(manifest.setup, str(output.resolve()), state, parsed, excerpts, pages))
    return articles, len(pages), written


def _near_key(near: Neighbours) -> tuple[str, ...]:
    return tuple(f"{a.url}\x00{a.title}" if a else "" for a in (near.older, near.newer))


def _write_rest(site_dir: Path, config: SiteConfig, articles: Sequence[Article], sums: dict[str, str],
                excerpts: dict[str, str], rendered: dict[str, Rendered], keys: dict[str, str],
                pages: dict[str, str], old: dict[str, str], txn: Transaction, pool: Pool) -> int:
    """Listings, 404, feed and static files: whichever changed. Returns how many were written."""
    by_path = {a.path: excerpts[sums[a.path]] for a in articles}
    lists = []
    for page in list_pages(articles, config):
        path = output_name(page.path)
        pages[path] = digest(keys["list.html"], page.path, page.pager, *[a.path + sums[a.path] for a in page.articles])
        if old.get(path) != pages[path]:
            lists.append(ListJob(page, {a.path: by_path[a.path] for a in page.articles}))
    count = sum(1 for _ in pool.render_lists(lists, txn.root))
    renderer = Renderer(config, site_dir)
    feed = articles[: config.feed_size]
    others = {
        "404.html": (digest(keys["404.html"]), renderer.not_found),
        "feed.xml": (pages["feed.xml"], lambda: renderer.feed(
            feed, {a.path: Body(rendered[a.path].html or "", by_path[a.path]) for a in feed})),
    }
    for path, (key, make) in others.items():
        pages[path] = key
        if old.get(path) != key:
            txn.sink.write(path, make().data)
            count += 1
    for path, data in _static(site_dir).items():
        pages[path] = digest(data)
        if old.get(path) != pages[path]:
            txn.sink.write(path, data)
            count += 1
    return count


def build(site_dir: Path, output: Path, drafts: bool = False, clean: bool = False,
          progress: Progress = _no_progress) -> BuildResult:
    # The parent makes ~10 objects per article and frees almost none until the end;
    # the cyclic GC would rescan them over and over (3x the cost of loading the cache).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _build(site_dir, output, drafts, clean, progress)
    finally:
        if enabled:
            gc.enable()


def _build(site_dir: Path, output: Path, drafts: bool, clean: bool, progress: Progress) -> BuildResult:
    started = time.perf_counter()
    if not clean:
        slugs.remember(load_slugs(site_dir))
    manifest, sources = _cached(site_dir, drafts, clean)
    # Start the workers before the config is read, if there is much to read: the config may
    # load pypinyin (57 MB, for category slugs), which forked workers would each count again.
    eager = sum(known is None for known in sources.values()) >= workers.PARALLEL_FROM
    with Pool(site_dir, progress, eager) as pool:
        config = load_config(site_dir)
        guard_output(output, site_dir)
        with build_lock(output):
            try:
                articles, files, written = _write_site(site_dir, config, output, drafts, manifest, sources, pool)
            except jinja2.TemplateError as exc:
                raise SiteError([template_problem(exc, site_dir)]) from None
            save_slugs(site_dir, slugs.remembered())
    return BuildResult(len(articles), files, written, time.perf_counter() - started)


def check_site(site_dir: Path, drafts: bool = False) -> list[Problem]:
    """Build into a temporary folder and check the pages; the live output is never touched."""
    config = load_config(site_dir)
    manifest, sources = _cached(site_dir, drafts, clean=True)
    with tempfile.TemporaryDirectory(prefix="sitegen-check-") as tmp, Pool(site_dir, _no_progress) as pool:
        out = Path(tmp) / "site"
        articles, _, _ = _write_site(site_dir, config, out, drafts, manifest, sources, pool)
        return check.check_output(out, sources={f"{a.url}index.html": a.path for a in articles})
