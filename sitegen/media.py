"""Between validate and render: what every article links to, and the photos it shows.

Resolves each article's references (`resolve`), hashes the files they name
(only those whose stamp changed), and makes the renditions of photos that are
not in the image cache yet, on every core. Problems come back all at once: a
dangling link and a corrupt photo are fixed in one round.
"""

from __future__ import annotations

import contextlib
import os
import posixpath
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path

from sitegen import attachments, images, pictures, share
from sitegen.cache import Cache, Known
from sitegen.errors import Problem, SiteError, split_warnings
from sitegen.fileio import file_digest
from sitegen.frontmatter import body_of, decode
from sitegen.imagemodel import ImageError, ImageInfo, ImageSettings
from sitegen.job import Attachment, ImageJob, PageMedia
from sitegen.load import Found, is_racy
from sitegen.model import Article, Parsed, Stamp
from sitegen.pictures import Picture, picture
from sitegen.refs import anchors
from sitegen.resolve import Catalog, Media, beside, resolve, split_target, unreferenced
from sitegen.workers import Pool

IMAGES_DIR = "images"  # under .sitegen-cache/
NO_MEDIA = Media()  # shared by every article that links to nothing: a 10k-article site has thousands
NO_PAGE_MEDIA = PageMedia()


@dataclass(frozen=True)
class Plan:
    media: Mapping[str, Media]  # by article path
    images: Mapping[str, ImageInfo]  # by image source path
    digests: Mapping[str, str]  # every file an article publishes -> content digest
    sizes: Mapping[str, int]
    entries: Mapping[str, Path]  # image source path -> the cache folder holding its renditions


def digests(cache: Cache, files: Mapping[str, Stamp], locate: Callable[[str], Path], started_ns: int,
            ) -> dict[str, str]:
    """Content digests of `files`, each read from `locate(path)` only when its stamp changed (an 800 MB video too)."""
    out = {}
    for path, stamp in files.items():
        seen = cache.statics.get(path)
        if seen is None or seen.stamp != stamp or seen.racy:
            seen = Known(stamp, is_racy(stamp, started_ns), file_digest(locate(path)))
        cache.statics[path] = seen
        out[path] = seen.digest
    return out


def writable(root: Path, scratch: contextlib.ExitStack) -> Path:
    """The image cache, or a folder for this build only when the site folder is read-only."""
    try:
        root.mkdir(parents=True, exist_ok=True)
        if os.access(root, os.W_OK):
            return root
    except OSError:
        pass
    return Path(scratch.enter_context(tempfile.TemporaryDirectory(prefix="sitegen-images-")))


def held_back(parsed: Mapping[str, Parsed], published: list[Article]) -> dict[str, str]:
    """Articles that parsed but are not published, with why, for links that point at them."""
    shown = {a.path for a in published}
    return {p: "是草稿（draft: true）" if x.article.draft else "的日期还没到（定时发布）"
            for p, x in parsed.items() if x.article is not None and p not in shown}


def _described(article: Article, parsed: Parsed) -> list[Problem]:
    return [Problem(article.path, ref.line,
                    f"图片“{ref.target}”既没有说明文字也没有标题，看不见图片的读者不知道它是什么。"
                    f"请写成 ![图片说明]({ref.target}) 或 ![图片说明]({ref.target} \"图为……\")。",
                    f"image {ref.target!r} has neither alt text nor a title", warning=True)
            for ref in parsed.refs if ref.image and not ref.described]


def _anchors(site_dir: Path, path: str) -> tuple[str, ...]:
    """Ids on an article's page, estimated from its text: read only for #fragment links, which are rare."""
    try:
        text = decode((site_dir / path).read_bytes(), path)[0] or ""
    except OSError:
        return ()
    return anchors(body_of(text))


def resolve_all(articles: list[Article], parsed: Mapping[str, Parsed], held: Mapping[str, str],
                assets: Found, statics: Found, site_dir: Path) -> tuple[dict[str, Media], list[Problem]]:
    # Cached for this build only: an article edited before the next build has other headings.
    catalog = Catalog({a.path: a for a in articles}, held, lru_cache(maxsize=None)(partial(_anchors, site_dir)),
                      {p: stamp[1] for p, stamp in assets.files.items()}, frozenset(statics.files))
    media: dict[str, Media] = {}
    problems: list[Problem] = []
    for article in articles:
        x = parsed[article.path]
        if not x.refs and x.cover is None:  # most articles: nothing to resolve
            media[article.path] = NO_MEDIA
            continue
        media[article.path], found = resolve(article, x.refs, x.cover, catalog)
        problems += found + _described(article, x)
    used = {s for m in media.values() for s in (*m.files, *m.images)}
    return media, problems + unreferenced(catalog.assets, used | _waiting(parsed, held))


def _waiting(parsed: Mapping[str, Parsed], held: Mapping[str, str]) -> set[str]:
    """Files that drafts and scheduled articles reference: not published yet, but not strays either."""
    out = set()
    for path in held:
        x = parsed[path]
        for ref in (*x.refs, *((x.cover,) if x.cover else ())):
            out.add(beside(path, split_target(ref.target)[0]))
    return out


def process(pool: Pool, sources: Mapping[str, str], settings: ImageSettings, cache_root: Path,
            also: Path | None = None) -> tuple[dict[str, tuple[ImageInfo, Path]], dict[str, ImageError]]:
    """Renditions of every image, and where they are: from the cache if there, else made now.

    `also` is a second cache to read from (`check` reads the site's, and writes its own).
    """
    found: dict[str, tuple[ImageInfo, Path]] = {}
    todo = []
    for source, digest in sources.items():
        for root in (cache_root, also):
            info = images.lookup(digest, settings, root) if root is not None else None
            if info is not None:
                found[source] = (info, images.entry_dir(root, info.key))  # type: ignore[arg-type]
                break
        else:
            todo.append(ImageJob(source, digest))
    errors: dict[str, ImageError] = {}
    for source, result in pool.images(todo, cache_root) if todo else ():
        if isinstance(result, ImageError):
            errors[source] = result
        else:
            found[source] = (result, images.entry_dir(cache_root, result.key))
    return found, errors


def image_problems(media: Mapping[str, Media], errors: Mapping[str, ImageError]) -> list[Problem]:
    """An image's error at every line that shows it: that is where an editor looks."""
    problems = []
    for path, m in media.items():
        for target in m.targets.values():
            if target.kind == "image" and target.source in errors:
                exc = errors[target.source]
                problems.append(Problem(path, target.line, f"图片“{target.source}”无法使用：{exc.zh}",
                                        f"image {target.source!r}: {exc.en}"))
    return problems


def used_images(media: Mapping[str, Media]) -> set[str]:
    return {s for m in media.values() for s in m.images}


def page_media(article: Article, m: Media, plan: Plan) -> PageMedia:
    """What the article's page needs to write its links, pictures and 附件 list."""
    if m is NO_MEDIA:
        return NO_PAGE_MEDIA
    folder = article.url
    pics = {s: picture(folder, s, plan.images[s], folder) for s in m.images}
    labels = {s: attachments.label(s, plan.sizes[s]) for s in m.files}
    files = tuple(Attachment(posixpath.basename(s), attachments.href(posixpath.basename(s)), labels[s])
                  for s in m.files)
    shared = share.share_image(folder, m.cover, plan.images[m.cover]) if m.cover else None
    return PageMedia(m.targets, pics, labels, files, shared)


def cover(article: Article, m: Media, plan: Plan, page_dir: str) -> Picture | None:
    return picture(article.url, m.cover, plan.images[m.cover], page_dir) if m.cover else None


def outputs(article: Article, m: Media, plan: Plan, site_dir: Path) -> dict[str, Output]:
    """Every file the article publishes beside its page: renditions (linked from the cache), attachments."""
    out: dict[str, Output] = {}
    for source in m.images:
        info = plan.images[source]
        entry = plan.entries[source]
        for path, rendition in pictures.outputs(article.url, source, info).items():
            out[path] = Output(entry / rendition.name, f"{info.key}:{rendition.name}", True)
    for source in m.files:
        out[article.url + posixpath.basename(source)] = Output(site_dir / source, plan.digests[source], False)
    return out


@dataclass(frozen=True)
class Output:
    source: Path
    key: str
    link: bool  # from the image cache, whose files never change in place; attachments are copied


def prepare(articles: list[Article], parsed: Mapping[str, Parsed], held: Mapping[str, str], assets: Found,
            statics: Found, cache: Cache, pool: Pool, roots: tuple[Path, Path | None], settings: ImageSettings,
            site_dir: Path, started_ns: int) -> tuple[Plan, list[Problem]]:
    """Resolve, hash and process everything the articles publish; raises SiteError with every error."""
    found, problems = resolve_all(articles, parsed, held, assets, statics, site_dir)
    used = {s for m in found.values() for s in (*m.files, *m.images)}
    sums = digests(cache, {p: assets.files[p] for p in sorted(used)}, site_dir.joinpath, started_ns)
    infos, failed = process(pool, {s: sums[s] for s in sorted(used_images(found))}, settings, *roots)
    errors, warnings = split_warnings([*problems, *image_problems(found, failed)])
    if errors:
        raise SiteError(errors)
    return Plan(found, {s: i for s, (i, _) in infos.items()}, sums, {p: assets.files[p][1] for p in used},
                {s: e for s, (_, e) in infos.items()}), warnings
