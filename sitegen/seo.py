"""Files for crawlers and feed readers: sitemap.xml, robots.txt, and an Atom feed per category.

Each has a key like every page (see site.py), so a build rewrites one only when what it
lists changed. Their URLs are absolute, from site_url + base_path. Without site_url
there is no sitemap.xml or robots.txt, and one warning says why: the sitemap protocol
accepts only absolute URLs, and Hugo's sitemap of bare paths is one search engines reject.
Not an error, as in Zola: a local preview build needs no address.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sitegen.config import CONFIG_NAME
from sitegen.errors import Problem
from sitegen.incremental import digest
from sitegen.model import Article, Category, SiteConfig
from sitegen.pages import ListPage, members
from sitegen.render import Renderer
from sitegen.write import Sink

FEED = "feed.xml"
TEMPLATES = ("sitemap.xml", "robots.txt")


@dataclass(frozen=True)
class Feed:
    path: str  # "feed.xml" for the whole column, "category/<slug>/feed.xml" for a category
    category: Category | None  # None: the whole column
    entries: tuple[Article, ...]  # newest first, as the listing shows them


def feeds(articles: Sequence[Article], config: SiteConfig) -> list[Feed]:
    """The column's feed and one per category: its newest `feed_size` articles, sub-categories' too."""
    return [Feed(config.categories[name].path + FEED,
                 config.categories[name] if config.categories[name].path else None,
                 tuple(listed[: config.feed_size]))
            for name, listed in members(articles, config).items()]


@dataclass(frozen=True)
class Located:
    """A URL for the sitemap: a page and when it last changed."""

    path: str  # site-relative folder
    lastmod: datetime | None  # None: an empty listing, which has no date to give


def located(listings: Sequence[ListPage], articles: Sequence[Article]) -> list[Located]:
    """Every listing page (a listing changes when its newest article does) and every article."""
    return [*(Located(p.path, p.articles[0].date if p.articles else None) for p in listings),
            *(Located(a.url, a.date) for a in articles)]


def crawl_files(config: SiteConfig, setup: str, keys: dict[str, str], urls: Sequence[Located],
                renderer: Renderer, old: dict[str, str], pages: dict[str, str], sink: Sink) -> list[str]:
    """Key sitemap.xml and robots.txt into `pages`, and write the ones whose key changed."""
    if not config.site_url:
        return []
    made = {"sitemap.xml": digest(setup, keys["sitemap.xml"], *(f"{u.path}\x00{u.lastmod}" for u in urls)),
            "robots.txt": digest(setup, keys["robots.txt"])}
    written = []
    for path, key in made.items():
        pages[path] = key
        if old.get(path) != key:
            sink.write(path, renderer.site_file(path, path, xml=path.endswith(".xml"), urls=urls).data)
            written.append(path)
    return written


def warnings(config: SiteConfig) -> list[Problem]:
    if config.site_url:
        return []
    return [Problem(CONFIG_NAME, None,
                    "site.yaml 没有设置 site_url（网站的完整地址，例如 site_url: https://www.example.cn），"
                    "所以没有生成 sitemap.xml 和 robots.txt，页面没有规范链接（canonical）和分享图片，"
                    "订阅源里的链接也不完整。正式发布前请在 site.yaml 中写上 site_url。",
                    "site.yaml has no site_url (e.g. https://www.example.cn): no sitemap.xml or robots.txt, "
                    "no canonical links or share images, and feed links are paths only; set it before publishing",
                    warning=True)]
