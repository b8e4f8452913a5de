"""The pipeline: load → validate → render → write, redoing only what changed.

This module alone strings the stages together. Every build, full or
incremental, renders what changed into a staging folder and goes live through
`publish.Output` in one atomic swap; the cache is saved just before that swap.
"""

from __future__ import annotations

import contextlib
import gc
import sqlite3
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

import jinja2

from sitegen import cache as cache_db
from sitegen import check, images, interrupt, media, search, seo, slugs, workers
from sitegen.assets import is_theme_asset
from sitegen.assets import versions as asset_versions
from sitegen.cache import CACHE_DIR, Cache, Known
from sitegen.config import CONFIG_NAME, load_config
from sitegen.errors import Problem, SiteError, split_warnings
from sitegen.fileio import os_problem
from sitegen.incremental import digest, load_slugs, save_slugs, setup_key, template_keys
from sitegen.load import is_racy, scan_sources, scan_static
from sitegen.model import Article, Parsed, SiteConfig, Stamp
from sitegen.publish import Output, Prepared
from sitegen.render import template_problem
from sitegen.schedule import next_release, scheduled
from sitegen.site import TEMPLATES, Inputs, Site, check_sources, render_site
from sitegen.validate import collect
from sitegen.workers import Pool
from sitegen.write import guard_output

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class BuildResult:
    articles: int
    files: int  # in the output
    written: int  # rewritten by this build; the rest were unchanged
    seconds: float
    warnings: tuple[Problem, ...] = ()


def _no_progress(label: str, done: int, total: int) -> None:
    pass


def _sources(cache: Cache, stamps: dict[str, Stamp]) -> dict[str, Parsed | None]:
    """Each source with what the cache knows of it; None: to be read (new, changed, or changed racily)."""
    found: dict[str, Parsed | None] = {}
    for path, stamp in stamps.items():
        known, parsed = cache.sources.get(path, (None, None))
        found[path] = parsed if known is not None and known.stamp == stamp and not known.racy else None
    return found


def _parse(pool: Pool, cache: Cache, sources: dict[str, Parsed | None], started_ns: int) -> dict[str, Parsed]:
    fresh = {x.path: x for x in pool.parse([p for p, known in sources.items() if known is None])}
    old, cache.sources = cache.sources, {}
    for path, x in fresh.items():
        if x.stamp[1] >= 0:  # an unreadable file is not remembered
            cache.sources[path] = (Known(x.stamp, is_racy(x.stamp, started_ns), x.digest), x)
    cache.sources.update((p, old[p]) for p, known in sources.items() if known is not None)
    return {p: known or fresh[p] for p, known in sources.items()}


def build(site_dir: Path, output: Path, drafts: bool = False, clean: bool = False,
          progress: Progress = _no_progress, future: bool = False, durable: bool = True) -> BuildResult:
    # The parent makes ~10 objects per article and frees almost none until the end;
    # the cyclic GC would rescan them over and over (3x the cost of loading the cache).
    enabled = gc.isenabled()
    gc.disable()
    try:
        with interrupt.deferred():
            return _build(site_dir, output, drafts, clean, progress, cache_dir=site_dir / CACHE_DIR,
                          future=future, durable=durable)[0]
    except OSError as exc:  # the environment (disk full, read-only, permissions), not a bug
        raise SiteError([os_problem(exc, str(output))]) from None
    finally:
        if enabled:
            gc.enable()


def _build(site_dir: Path, output: Path, drafts: bool, clean: bool, progress: Progress, cache_dir: Path,
           save: bool = True, future: bool = False, durable: bool = True) -> tuple[BuildResult, list[Article]]:
    started, started_ns = time.perf_counter(), time.time_ns()
    if not clean:
        slugs.remember(load_slugs(site_dir))
    try:
        config_text = (site_dir / CONFIG_NAME).read_bytes()
    except OSError:
        config_text = b""  # load_config reports it
    setup = setup_key(config_text, drafts, future)
    cache = cache_db.open_cache(site_dir, setup) if not clean else \
        Cache(setup, site_dir / CACHE_DIR / cache_db.DB_NAME)
    (found, assets), statics = scan_sources(site_dir), scan_static(site_dir)
    interrupt.checkpoint()
    guard_output(output, site_dir)
    target = Output(output, cache_dir, durable)
    with target.locked():
        keys = template_keys(site_dir, TEMPLATES)
        seen = digest(setup, sorted(keys.items()), found.files, assets.files, statics.files)
        # Checked with --clean too: what the live site holds decides what is reported as removed.
        live = target.check(partial(cache_db.find_version, cache))
        last = cache_db.last_build(cache, str(target.path))
        if save and not clean and last is not None and last.inputs == seen and live is not None \
                and live.version.state == last.state and not (live.extras or live.damaged) \
                and not (found.problems or statics.problems) and not 0 < last.until <= started_ns:
            # Nothing changed since the build that made the live site: not a row of the cache is read.
            return BuildResult(last.articles, last.files, 0, time.perf_counter() - started), []
        notice = cache_db.read_rows(cache)
        sources = _sources(cache, found.files)
        # Start the workers before the config is read, if there is much to read: the config may
        # load pypinyin (57 MB, for category slugs), which forked workers would each count again.
        eager = sum(known is None for known in sources.values()) >= workers.parallel_from()
        with Pool(site_dir, progress, eager) as pool, contextlib.ExitStack() as scratch:
            try:
                config = load_config(site_dir)
                pool.config, pool.generation = config, digest(setup, sorted(keys.items()))
                interrupt.checkpoint()
                parsed = _parse(pool, cache, sources, started_ns)
                scanned = [*found.problems, *statics.problems]
                # Raises with every error at once: the scans' (symlink loops), each file's, URL clashes.
                articles = collect([(None, scanned), *((x.article, list(x.problems)) for x in parsed.values())],
                                   drafts, future, started_ns)
                warnings = split_warnings([*scanned, *(p for x in parsed.values() for p in x.problems)])[1]
                held = media.held_back(parsed, articles)
                warnings += scheduled(parsed, held) + seo.warnings(config)
                interrupt.checkpoint()
                image_root = media.writable((site_dir / CACHE_DIR if save else cache_dir) / media.IMAGES_DIR, scratch)
                plan, found_warnings = media.prepare(
                    articles, parsed, held, assets, statics, cache, pool,
                    (image_root, None if save else site_dir / CACHE_DIR / media.IMAGES_DIR), config.images,
                    site_dir, started_ns)
                warnings += found_warnings
                interrupt.checkpoint()
                theme_assets = {p: s for p, s in statics.files.items() if is_theme_asset(p)}
                config, keys = _versioned(config, keys, media.digests(
                    cache, theme_assets, partial(statics.source, site_dir), started_ns))
                pool.config, pool.generation = config, digest(setup, sorted(keys.items()))
                search_root = media.writable(site_dir / CACHE_DIR / search.CACHE_NAME, scratch)
                inputs = Inputs(site_dir, config, setup, keys, articles, parsed, statics, plan, search_root, clean,
                                str(target.path))
                twin = target.twin if save and not target.in_place else None
                site = render_site(inputs, cache, None if clean else live, pool, target.new_staging(), started_ns,
                                   twin)
            except jinja2.TemplateError as exc:
                raise SiteError([template_problem(exc, site_dir)]) from None
            except BaseException:
                pool.stop()  # before the staging folder goes: no worker may still be writing into it
                raise
        if notice:
            warnings.append(Problem(CACHE_DIR, None, *notice, warning=True))
        racy = any(is_racy(stamp, started_ns)
                   for stamp in (*found.files.values(), *assets.files.values(), *statics.files.values()))
        cache.statics = {p: k for p, k in cache.statics.items() if p in statics.files or p in plan.digests}
        unchanged = None if warnings or racy else \
            cache_db.Unchanged(seen, site.state, len(articles), len(site.pages), next_release(parsed, held))
        warnings += _publish(target, cache, site, save, clean, unchanged)
    if save:
        with contextlib.suppress(OSError):  # a cache of pinyin only; a read-only site folder is fine
            save_slugs(site_dir, slugs.remembered())
            images.prune(image_root, {info.key for info in plan.images.values()})
    result = BuildResult(len(articles), len(site.pages), len(site.written), time.perf_counter() - started,
                         tuple(warnings))
    return result, articles


def _versioned(config: SiteConfig, keys: dict[str, str], digests: dict[str, str]) -> tuple[SiteConfig, dict[str, str]]:
    """The config with the theme assets' versions, and template keys that change with them."""
    versions = asset_versions(digests)
    return replace(config, assets=versions), {name: digest(key, sorted(versions.items())) for name, key in keys.items()}


def _removed_warning(target: Output, removed: list[str]) -> Problem:
    listed = "、".join(removed[:10]) + ("……" if len(removed) > 10 else "")
    return Problem(str(target.path), None,
                   f"输出目录中有 {len(removed)} 个文件不是 sitegen 生成的，已移除：{listed}。"
                   "输出目录只归 sitegen 管理，需要发布的其他文件请放进 static/。",
                   f"removed {len(removed)} file(s) that sitegen did not make; put extra files in static/",
                   warning=True)


def _publish(target: Output, cache: Cache, site: Site, save: bool, clean: bool,
             unchanged: cache_db.Unchanged | None) -> list[Problem]:
    """Save the cache, then swap the new site in (the commit point), then clean up."""
    removed = target.removed_files(site.pages)
    warnings = [_removed_warning(target, removed)] if removed else []
    live = target.live
    changed = clean or live is None or site.state != live.version.state or bool(live.extras or live.damaged)
    interrupt.checkpoint()
    prepared = target.prepare(site.full, site.pages, site.written, site.state, site.twin) if changed else None
    output = str(target.path)
    spare = {target.spare_version.state} if target.spare_version is not None else set()
    if prepared is None:  # nothing to publish: the live site and the spare stay as they are
        keep = {site.state, *spare}
    else:
        cache.versions[output, site.state] = prepared.version
        keep = {site.state}
        if prepared.twin is not None:  # made beside a full build: the spare after the swap
            cache.versions[output, prepared.twin.state] = prepared.twin
            keep.add(prepared.twin.state)
        elif live is not None and live.version.state != site.state:  # after the swap, the spare
            if live.extras or live.damaged:
                cache.versions[output, live.version.state] = live.version  # as it really is
            keep.add(live.version.state)
        elif prepared.tree == target.staging:  # the old site goes; the spare stays
            keep |= spare
    if save:
        try:
            cache_db.save(cache, output, keep, unchanged)
        except (OSError, sqlite3.Error) as exc:
            warnings.append(Problem(CACHE_DIR, None, f"无法保存构建缓存（{exc}），下次将完整构建。",
                                    f"cannot save the build cache ({exc}); the next build is a full one",
                                    warning=True))
    if prepared is not None:
        warnings += _swap(target, prepared)
    return warnings


def _swap(target: Output, prepared: Prepared) -> list[Problem]:
    if not target.in_place:  # in place, prepare() already changed the live site: see it through
        interrupt.checkpoint()  # the last point at which Ctrl-C leaves the old site
    target.swap(prepared)
    interrupt.forget()  # from here on the new site is live: finish the clean-up
    try:
        target.settle(prepared)
        target.empty_trash()
    except OSError as exc:  # the build has succeeded; the next one tidies up what is left
        return [replace(os_problem(exc, str(target.path), published=True), warning=True)]
    return []


def check_site(site_dir: Path, drafts: bool = False, future: bool = False) -> list[Problem]:
    """The build's warnings and the built pages' problems, from a build into a temporary folder (the live
    output and the cache are never touched)."""
    with tempfile.TemporaryDirectory(prefix="sitegen-check-") as tmp:
        out = Path(tmp) / "site"
        built, articles = _build(site_dir, out, drafts, False, _no_progress, cache_dir=Path(tmp), save=False,
                                 future=future)
        return [*built.warnings, *check.check_output(out, sources=check_sources(articles))]
