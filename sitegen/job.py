"""One worker's share of a build: parse a source, render an article or a listing, make a photo's renditions.

Each worker process builds its Markdown engine, sanitiser and Jinja environment
once (`worker_for`) and then takes chunks of work; it reads the source and
writes the page itself, so article bodies never cross processes.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from sitegen import images, refs, searchtext
from sitegen.errors import Problem, SiteError
from sitegen.fileio import write_atomic
from sitegen.frontmatter import body_of, decode
from sitegen.imagemodel import ImageError, ImageInfo
from sitegen.load import stamp_of
from sitegen.markup import to_html
from sitegen.mdrefs import PageRefs, using
from sitegen.model import Article, Parsed, Ref, SiteConfig, SourceFile
from sitegen.pages import ListPage, Neighbours
from sitegen.pictures import Picture
from sitegen.render import Body, Renderer, excerpt
from sitegen.resolve import Target
from sitegen.sanitize import make_sanitizer
from sitegen.share import ShareImage
from sitegen.validate import parse_document
from sitegen.write import Sink


@dataclass(frozen=True)
class Attachment:
    name: str
    href: str
    label: str  # （PDF，1.2 MB）


@dataclass(frozen=True)
class PageMedia:
    """An article's resolved references, with every URL relative to its page."""

    targets: Mapping[str, Target] = field(default_factory=dict)
    pictures: Mapping[str, Picture] = field(default_factory=dict)  # by image source path
    labels: Mapping[str, str] = field(default_factory=dict)  # attachment source -> label
    attachments: tuple[Attachment, ...] = ()
    share: ShareImage | None = None  # the cover's rendition for link previews (og:image, JSON-LD)


@dataclass(frozen=True)
class RenderJob:
    article: Article
    near: Neighbours
    want_html: bool = False  # the feed needs the body of the newest articles
    digest: str = ""  # of the bytes the article was parsed from: the body must be the same bytes
    media: PageMedia = PageMedia()
    write: bool = True  # False: the page is unchanged, and only its body is wanted (for a feed)
    record: str = ""  # where to write the article's search record; "" when the cache has it


@dataclass(frozen=True)
class ListJob:
    page: ListPage
    excerpts: dict[str, str]  # of the articles on the page, by path
    covers: dict[str, Picture] = field(default_factory=dict)  # by article path, relative to the listing


@dataclass(frozen=True)
class Rendered:
    path: str
    excerpt: str
    html: str | None


@dataclass(frozen=True)
class ImageJob:
    source: str  # site-relative path
    digest: str


class Worker:
    """What one process needs to turn articles into pages."""

    def __init__(self, site_dir: Path, config: SiteConfig) -> None:
        self.site_dir = site_dir
        self.config = config
        self.clean = make_sanitizer(config.iframe_hosts) if config.sanitize else None
        self.renderer = Renderer(config, site_dir)

    def body(self, text: str, media: PageMedia, path: str) -> Body:
        """The page body of a whole source file (front matter and all: problems name file lines)."""
        with using(PageRefs(media.targets, media.pictures, media.labels)) as seen:
            html = to_html(body_of(text))
        if seen.unknown:  # a reference refs.extract did not see: never publish it dangling
            lines = text.split("\n")
            raise SiteError([Problem(path, next((n for n, line in enumerate(lines, 1) if u in line), None),
                                     f"无法识别对“{u}”的引用写法，请写成 ![说明]({u}) 或 [名称]({u})。",
                                     f"could not resolve the reference {u!r}; write it as ![alt]({u}) or [name]({u})")
                             for u in dict.fromkeys(seen.unknown)])
        if self.clean is not None:
            html = self.clean(html)
        return Body(html, excerpt(html), tuple(seen.alts.items()))

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
        article, problems, doc = parse_document(SourceFile(path, raw), self.config)
        digest = hashlib.blake2b(raw, digest_size=16).hexdigest()
        if article is None or doc is None:
            return Parsed(path, stamp_of(st), digest, None, tuple(problems))
        cover = next((Ref(article.cover, f.line, True) for f in doc.fields if f.key == "cover" and article.cover), None)
        return Parsed(path, stamp_of(st), digest, replace(article, body=""), tuple(problems),
                      refs.extract(article.body, doc.body_line), cover)

    def render(self, job: RenderJob, sink: Sink) -> Rendered:
        raw = (self.site_dir / job.article.path).read_bytes()
        if job.digest and hashlib.blake2b(raw, digest_size=16).hexdigest() != job.digest:
            # Saved again while this build ran: its metadata and body would not match, nor
            # would its body have passed the limits. The next build picks the new version up.
            raise SiteError([Problem(job.article.path, None, "这篇文章在构建过程中被修改了，请重新构建。",
                                     "the article changed while the site was being built; build again")])
        text, _ = decode(raw, job.article.path)
        body = self.body(text or "", job.media, job.article.path)
        if job.write:
            share = job.media.share
            if share is not None:  # the cover as the body describes it, if it shows it
                share = replace(share, alt=dict(body.alts).get(share.source, ""))
            page = self.renderer.article(job.article, body, job.near, job.media.attachments, share)
            sink.write(page.path, page.data)
        if job.record:
            _write_record(Path(job.record), searchtext.record(job.article, job.article.category, body.html,
                                                                  Path(job.record).stem))
        return Rendered(job.article.path, body.excerpt, body.html if job.want_html else None)

    def render_list(self, job: ListJob, sink: Sink) -> str:
        page = self.renderer.listing(job.page, job.excerpts, job.covers)
        sink.write(page.path, page.data)
        return page.path

    def image(self, job: ImageJob, cache_root: Path) -> tuple[str, ImageInfo | ImageError]:
        try:
            return job.source, images.process(self.site_dir / job.source, job.digest, self.config.images, cache_root)
        except ImageError as exc:
            return job.source, exc
        except OSError as exc:
            return job.source, ImageError(f"无法读取这张图片（{exc.strerror}）。", f"cannot read the image: {exc}")


def _write_record(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text)  # whole or not at all: the indexer links it as it is


_worker: tuple[str, Worker] | None = None


def worker_for(site_dir: Path, config: SiteConfig, generation: str) -> Worker:
    """This process's worker, made once per build: `generation` changes with the templates and config."""
    global _worker
    if _worker is None or _worker[0] != generation or _worker[1].site_dir != site_dir:
        _worker = (generation, Worker(site_dir, config))
    return _worker[1]
