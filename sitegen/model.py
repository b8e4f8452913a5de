"""The plain, frozen data that flows between the pipeline stages."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sitegen.errors import Problem
from sitegen.imagemodel import ImageSettings

# (mtime_ns, size, ctime_ns, ino): ctime and inode catch edits that keep size and
# mtime (cp -p, rsync -t, unzip, git checkout restore the mtime, never the ctime).
Stamp = tuple[int, int, int, int]


@dataclass(frozen=True)
class Link:
    name: str
    url: str  # absolute URL (outside this site) or a site-relative path ("" = home)
    external: bool = False


@dataclass(frozen=True)
class Category:
    name: str
    slug: str
    path: str  # site-relative folder of its listing: "" for the section root
    parents: tuple[str, ...]  # names from the root down to the parent


@dataclass(frozen=True)
class Publisher:
    """Who publishes the column (site.yaml `publisher:`); every field is optional and nothing empty is shown."""
    name: str = ""  # the organisation: 中共江北市人民医院委员会
    logo: str = ""  # a file under static/, site-relative: "static/logo.png"
    address: str = ""
    telephone: str = ""
    icp: str = ""  # ICP备案号, linked to the MIIT filing site
    police: str = ""  # 公安机关备案号, linked to its filing page
    copyright: str = ""
    logo_size: tuple[int, int] = (0, 0)  # the logo's pixels, read from static/ at load: its box before it arrives

    @property
    def tel(self) -> str:
        """The telephone as a tel: URL: digits, + and - only."""
        return "tel:" + "".join(c for c in self.telephone if c.isdigit() or c in "+-") if self.telephone else ""

    @property
    def police_code(self) -> str:
        """The 14 digits of 京公网安备11010502030143号: its filing page's query code."""
        return "".join(c for c in self.police if c.isdigit())


@dataclass(frozen=True)
class SiteConfig:
    title: str  # the section's name; also the root category's
    description: str = ""
    base_path: str = "/"  # where the site is served; only the 404 page and feed need it
    site_url: str = ""  # origin for absolute feed links, e.g. https://www.example.cn
    timezone: str = "Asia/Shanghai"
    page_size: int = 15
    permalink: str = "{year}/{month}/{day}/{slug}/"
    date_format: str = "%Y.%m.%d %H:%M:%S"
    list_date_format: str = "%Y-%m-%d"
    counter_url: str = ""  # view-counter endpoint; no 阅读 count without it
    feed_size: int = 20
    sanitize: bool = True
    iframe_hosts: tuple[str, ...] = ()
    ancestors: tuple[Link, ...] = ()  # crumbs above the section (首页 > 医院概况)
    images: ImageSettings = field(default_factory=ImageSettings)  # photo rendition sizes and qualities
    publisher: Publisher = field(default_factory=Publisher)
    assets: Mapping[str, str] = field(default_factory=dict)  # static file -> content version, set by the build
    categories: Mapping[str, Category] = field(default_factory=dict)  # tree order


@dataclass(frozen=True)
class SourceFile:
    path: str  # posix, relative to the site folder: "content/2020/a.md"
    raw: bytes


@dataclass(frozen=True)
class Article:
    path: str
    title: str
    date: datetime  # timezone-aware
    category: str
    slug: str
    url: str  # site-relative folder: "2020/02/22/slug/"
    body: str  # Markdown
    source: str = ""
    author: str = ""
    summary: str = ""
    cover: str = ""  # an image, relative to the article's file; else its first photo
    draft: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class OutputFile:
    path: str  # posix, relative to the output folder
    data: bytes


@dataclass(frozen=True)
class Ref:
    target: str  # as Markdown will see it: the destination without <>, title or spaces around it
    line: int  # in the file
    image: bool  # ![alt](target): an image to embed; else a link
    raw_html: bool = False  # in an HTML tag, which Markdown passes through untouched
    described: bool = True  # an image with alt text or a title: blind readers and captions need one


@dataclass(frozen=True)
class Parsed:
    """What the parse pass learns of one source file."""

    path: str
    stamp: Stamp  # unchanged files are not read again
    digest: str
    article: Article | None  # without its body
    problems: tuple[Problem, ...]
    refs: tuple[Ref, ...] = ()  # what the body links to and shows
    cover: Ref | None = None  # the `cover:` field, at its line
