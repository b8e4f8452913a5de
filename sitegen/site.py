"""Stage 3 for the whole site: every output file's key, and rendering the changed ones.

A key is a hash of everything a file depends on (the setup, the article's bytes,
its neighbours' titles and links, the templates it uses). A file whose key is
the same as in the live site is not rendered again; `publish` carries it over.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from sitegen import media, search, seo
from sitegen.cache import Cache
from sitegen.incremental import digest
from sitegen.job import ListJob, PageMedia, RenderJob
from sitegen.load import Found
from sitegen.media import Plan
from sitegen.model import Article, Parsed, SiteConfig
from sitegen.pages import Neighbours, list_pages, neighbours, output_name
from sitegen.render import Body, Renderer
from sitegen.tree import Verified
from sitegen.workers import Pool
from sitegen.write import Sink

TEMPLATES = ("article.html", "list.html", "404.html", "feed.xml", "search.html", *seo.TEMPLATES)
FULL_ABOVE = 0.5  # past this share of changed articles, a full build is as quick and simpler


@dataclass(frozen=True)
class Inputs:
    site_dir: Path
    config: SiteConfig
    setup: str
    keys: dict[str, str]  # template -> key of it and everything it includes
    articles: list[Article]  # newest first
    parsed: dict[str, Parsed]
    statics: Found
    plan: Plan
    search_root: Path  # the search records and index bundles, in the cache
    clean: bool = False  # --clean: the search index's base is made anew too
    output: str = ""  # the output folder: each has its own search index state


@dataclass(frozen=True)
class Site:
    pages: dict[str, str]  # every output file -> key
    written: set[str]  # the files rendered into staging by this build
    full: bool
    twin: bool  # staging's files were also hard-linked into the twin folder
    state: str  # a key of the whole site


def _near_key(near: Neighbours) -> tuple[str, ...]:
    return tuple(f"{a.url}\x00{a.title}" if a else "" for a in (near.older, near.newer))


def render_site(inputs: Inputs, cache: Cache, live: Verified | None, pool: Pool, staging: Path,
                started_ns: int, twin: Path | None = None) -> Site:
    """Render what changed into staging; a full build also links every file into `twin`, if given."""
    config, keys, articles, setup = inputs.config, inputs.keys, inputs.articles, inputs.setup
    old = live.version.pages if live is not None else {}
    sums = {a.path: inputs.parsed[a.path].digest for a in articles}
    near = neighbours(articles)
    plan = inputs.plan
    shown = {a.path: media.page_media(a, plan.media[a.path], plan) for a in articles}
    media_keys = {a.path: _media_key(shown[a.path]) for a in articles}  # for pages, feeds and search records
    # An article's metadata is a function of its bytes (sums) and path, given the config,
    # which is in the setup key; its page also shows its neighbours' titles, and where its
    # links, pictures and attachments ended up.
    pages = {output_name(a.url): digest(setup, keys["article.html"], sums[a.path], a.path, *_near_key(near[a.path]),
                                        media_keys[a.path])
             for a in articles}
    feeds = seo.feeds(articles, config)
    for feed in feeds:  # a feed shows its articles' bodies, with the URLs of their pictures
        pages[feed.path] = digest(setup, keys["feed.xml"], feed.path,
                                  *[a.path + sums[a.path] + media_keys[a.path] for a in feed.entries])
    stale = [f for f in feeds if old.get(f.path) != pages[f.path]]
    want = {a.path for f in stale for a in f.entries}  # bodies the stale feeds need; the pages may be unchanged
    jobs = [RenderJob(a, near[a.path], a.path in want, sums[a.path], shown[a.path], write) for a in articles
            if (write := old.get(output_name(a.url)) != pages[output_name(a.url)])
            or sums[a.path] not in cache.excerpts or a.path in want]
    full = not old or sum(j.write for j in jobs) > FULL_ABOVE * max(len(articles), 1)
    if full:
        stale, want = feeds, {a.path for f in feeds for a in f.entries}
        jobs = [RenderJob(a, near[a.path], a.path in want, sums[a.path], shown[a.path]) for a in articles]
        old = {}
        if twin is not None:
            twin.mkdir()
    else:
        twin = None
    # A search record is the article's text: not its page, whose key changes with every template.
    record_keys = search.record_keys(articles, sums, media_keys)
    slot = digest(inputs.output)
    jobs = search.with_records(jobs, articles, record_keys, inputs.search_root, slot, lambda a, record: RenderJob(
        a, near[a.path], False, sums[a.path], shown[a.path], False, record))
    rendered = {r.path: r for r in pool.render(jobs, staging, twin)}
    written = {output_name(j.article.url) for j in jobs if j.write}
    excerpts = {sums[p]: r.excerpt for p, r in rendered.items()}
    excerpts.update({d: cache.excerpts[d] for d in sums.values() if d not in excerpts})
    cache.excerpts = excerpts
    by_path = {a.path: excerpts[sums[a.path]] for a in articles}
    lists = []
    listings = list_pages(articles, config)
    for page in listings:
        path = output_name(page.path)
        covers = {a.path: pic for a in page.articles
                  if (pic := media.cover(a, plan.media[a.path], plan, page.path)) is not None}
        pages[path] = digest(setup, keys["list.html"], page.path, page.pager,
                             *[a.path + sums[a.path] for a in page.articles], repr(sorted(covers.items())))
        if old.get(path) != pages[path]:
            lists.append(ListJob(page, {a.path: by_path[a.path] for a in page.articles}, covers))
    written.update(pool.render_lists(lists, staging, twin))
    sink = Sink(staging, twin)
    renderer = Renderer(config, inputs.site_dir)
    pages["404.html"] = digest(setup, keys["404.html"])
    if old.get("404.html") != pages["404.html"]:
        sink.write("404.html", renderer.not_found().data)
        written.add("404.html")
    for feed in stale:
        sink.write(feed.path, renderer.feed(feed.entries, {a.path: Body(rendered[a.path].html or "", by_path[a.path])
                                                           for a in feed.entries}, feed.category).data)
        written.add(feed.path)
    written.update(seo.crawl_files(config, setup, keys, seo.located(listings, articles), renderer, old, pages, sink))
    written.update(search.publish(articles, record_keys, inputs.search_root, renderer.search_page,
                                  digest(setup, keys["search.html"]), old, pages, sink,
                                  slot, fresh=inputs.clean))
    written.update(_statics(inputs, cache, old, pages, sink, started_ns))
    for article in articles:
        for path, out in media.outputs(article, plan.media[article.path], plan, inputs.site_dir).items():
            pages[path] = out.key
            if old.get(path) != out.key:
                (sink.link if out.link else sink.copy)(path, out.source)
                written.add(path)
    return Site(pages, written, full, twin is not None, digest(sorted(pages.items())))


def _statics(inputs: Inputs, cache: Cache, old: dict[str, str], pages: dict[str, str], sink: Sink,
             started_ns: int) -> list[str]:
    """static/ is copied as it is; a file is hashed only when its stamp changed."""
    written = []
    locate = partial(inputs.statics.source, inputs.site_dir)  # the site's file, else the theme's
    for path, key in media.digests(cache, inputs.statics.files, locate, started_ns).items():
        pages[path] = key
        if old.get(path) != key:
            sink.copy(path, locate(path))
            written.append(path)
    return written


def _media_key(shown: PageMedia) -> str:
    if shown is media.NO_PAGE_MEDIA:
        return ""
    return digest(repr(sorted(shown.targets.items())), repr(sorted(shown.pictures.items())), repr(shown.attachments),
                  repr(shown.share))


def check_sources(articles: Sequence[Article]) -> dict[str, str]:
    """Output page -> the article file it came from, so problems name the file an editor can fix."""
    return {output_name(a.url): a.path for a in articles}

