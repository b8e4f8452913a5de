"""Which pages the site has: listings, their pagers, breadcrumbs, neighbours.

Pure functions over Articles and the config; paths are site-relative folders.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sitegen.model import Article, Category, Link, SiteConfig


@dataclass(frozen=True)
class Pager:
    number: int
    total: int
    first: str
    prev: str | None
    next: str | None
    last: str
    window: tuple[tuple[int, str] | None, ...]  # page numbers around this one; None = "…"


@dataclass(frozen=True)
class ListPage:
    category: Category
    path: str
    articles: tuple[Article, ...]
    pager: Pager


@dataclass(frozen=True)
class Neighbours:
    older: Article | None  # 上一篇, as Chinese CMSs (DedeCMS, PHPCMS) order them
    newer: Article | None  # 下一篇


def page_path(base: str, number: int) -> str:
    return base if number == 1 else f"{base}page/{number}/"


def pager_window(number: int, total: int, radius: int = 2) -> list[int | None]:
    """1 … 4 5 [6] 7 8 … 20: always the ends, a few around the current page."""
    shown = sorted({1, total, *range(max(1, number - radius), min(total, number + radius) + 1)})
    out: list[int | None] = []
    for n in shown:
        if out and n - (out[-1] or 0) > 1:
            out.append(n - 1 if n - (out[-1] or 0) == 2 else None)
        out.append(n)
    return out


def make_pager(base: str, number: int, total: int) -> Pager:
    return Pager(
        number=number, total=total,
        first=page_path(base, 1),
        prev=page_path(base, number - 1) if number > 1 else None,
        next=page_path(base, number + 1) if number < total else None,
        last=page_path(base, total),
        window=tuple(None if n is None else (n, page_path(base, n)) for n in pager_window(number, total)),
    )


def members(articles: Sequence[Article], config: SiteConfig) -> dict[str, list[Article]]:
    """Articles listed on each category's page: its own and its descendants'."""
    found: dict[str, list[Article]] = {name: [] for name in config.categories}
    for article in articles:
        category = config.categories[article.category]
        for name in (*category.parents, category.name):
            found[name].append(article)
    return found


def list_pages(articles: Sequence[Article], config: SiteConfig) -> list[ListPage]:
    """Every listing page; `articles` must be newest first."""
    pages = []
    size = config.page_size
    for name, listed in members(articles, config).items():
        category = config.categories[name]
        total = max(1, -(-len(listed) // size))
        for number in range(1, total + 1):
            pages.append(ListPage(
                category=category,
                path=page_path(category.path, number),
                articles=tuple(listed[(number - 1) * size: number * size]),
                pager=make_pager(category.path, number, total),
            ))
    return pages


def neighbours(articles: Sequence[Article]) -> dict[str, Neighbours]:
    """Previous and next article in the same category; `articles` newest first."""
    by_category: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        by_category[article.category].append(article)
    found = {}
    for same in by_category.values():
        for i, article in enumerate(same):
            found[article.path] = Neighbours(
                older=same[i + 1] if i + 1 < len(same) else None,
                newer=same[i - 1] if i > 0 else None,
            )
    return found


def breadcrumb(category: Category, config: SiteConfig) -> tuple[Link, ...]:
    """当前位置: 首页 > 医院概况 > 党建园地 > 廉洁微课堂: outside crumbs, then the tree."""
    chain = [config.categories[name] for name in (*category.parents, category.name)]
    return (*config.ancestors, *(Link(c.name, c.path) for c in chain))


def is_absolute(target: str) -> bool:
    """A URL that means the same from every page: another site's, host-rooted, an anchor, mail or phone."""
    return "://" in target or target.startswith(("/", "#", "mailto:", "tel:"))


def relative(target: str, page_dir: str) -> str:
    """Link from the page in folder `page_dir` to the site-relative `target`.

    Relative links keep the site working at the domain root or any sub-path.
    """
    if is_absolute(target):
        return target
    depth = page_dir.count("/")
    link = "../" * depth + target
    return link or "./"


def output_name(page_dir: str) -> str:
    return f"{page_dir}index.html"  # page folders are "" or end in "/"
