"""What the importer's stages hand each other: plain frozen values, no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Asset:
    """An image or attachment a legacy page references."""

    ref: str  # as the page wrote it (src or href, entities decoded)
    source: Path | None  # the file found on disk; None when it is missing (reported, not fatal)
    name: str  # its file name in the article folder; the body links to it by this name
    kind: str  # "image" or "attachment"


@dataclass(frozen=True)
class Page:
    """One legacy article as read, before it is written."""

    source: Path  # the file read
    legacy_url: str | None  # the old URL or site-rooted path (a mirror's path, canonical, og:url), if known
    title: str
    date: str | None  # as the page wrote it; the writer checks it with sitegen.dates
    category: str | None  # from the breadcrumb; --category overrides or fills it
    source_name: str | None  # 来源
    author: str | None  # 作者 / 责任编辑
    body: str  # Markdown; asset references already point at Asset.name
    assets: tuple[Asset, ...] = ()
    views: int | None = None  # 阅读:N, kept as extra.legacy_views
    rule: str = ""  # which extraction rule matched ("text-export", "dedecms", "phpcms", ...)
    warnings: tuple[str, ...] = ()  # Chinese first, English in parentheses


@dataclass(frozen=True)
class Skipped:
    """A file that did not become an article, and why (Chinese first, English in parentheses)."""

    source: Path
    reason: str
