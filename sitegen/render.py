"""Stage 3, render: Articles and their HTML bodies to output files, via Jinja2.

The template context is built in one place (`_context`) so every template sees
the same names: site, page, rel(), nav, breadcrumb.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import pairwise
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from sitegen import __version__
from sitegen.assets import versioned
from sitegen.compiled import COMPILED
from sitegen.controls import xml_safe
from sitegen.errors import Problem, SiteError
from sitegen.markup import cjk_edge
from sitegen.model import Article, Category, Link, OutputFile, SiteConfig
from sitegen.pages import (
    ListPage,
    Neighbours,
    breadcrumb,
    is_absolute,
    output_name,
    relative,
)
from sitegen.share import ShareImage, news_article
from sitegen.themefiles import is_template_file, shown_template, template_loader, theme_hint

EXCERPT_CHARS = 110
_TAG = re.compile(r"<[^>]+>")
# A paragraph (<p class="lead"> from attr_list too); or what is no paragraph of the text:
# a figure and its caption, and the footnotes, which end the body.
_PARAGRAPH = re.compile(
    r'<p(?:\s[^>]*)?>(.*?)</p>|<figure[\s>].*?</figure>|<figcaption[\s>].*?</figcaption>|(<div class="footnote">)',
    re.S,
)
_FOOTNOTE_REF = re.compile(r'<sup id="fnref[^"]*">.*?</sup>', re.S)
_FILE_META = re.compile(r'<span class="file-meta">[^<]*</span>')  # （PDF，1.2 MB） after an attachment link
_LINE_BREAK = re.compile(r"\s*\n\s*")  # <br>, or a soft break Markdown kept between Latin words
_SENTENCE_END = "。！？；!?;"


@dataclass(frozen=True)
class Body:
    """What the render stage needs from an article's Markdown."""

    html: str
    excerpt: str
    alts: tuple[tuple[str, str], ...] = ()  # (image source, its alt text) as the body describes them


def excerpt(body_html: str, limit: int = EXCERPT_CHARS) -> str:
    """The first ~limit characters of the body's paragraphs, ending at a sentence if one is near.

    Counted in characters, not words: Chinese has no spaces to split on, nor gets one where
    paragraphs or lines meet.
    """
    parts: list[str] = []
    size = 0
    for match in _PARAGRAPH.finditer(body_html):  # stop early: bodies run to many kilobytes
        if match.group(2):
            break
        if part := _plain(match.group(1) or ""):
            if parts:
                parts.append(_seam(parts[-1], part))
            parts.append(part)
            size += len(part) + 1
            if size > limit:
                break
    text = "".join(parts)
    if len(text) <= limit:
        return text
    cut = text[:limit]
    end = max(cut.rfind(ch) for ch in _SENTENCE_END)
    return cut[: end + 1] if end >= limit * 0.6 else cut.rstrip(",，、；; ") + "……"


def _plain(inner: str) -> str:
    """A paragraph's text: no tags, footnote marks or entities; its line breaks (<br>) joined by `_seam`."""
    if "fnref" in inner:
        inner = _FOOTNOTE_REF.sub("", inner)
    if "file-meta" in inner:
        inner = _FILE_META.sub("", inner)
    text = html.unescape(_TAG.sub("", inner)).strip()
    if "\n" in text:
        lines = _LINE_BREAK.split(text)
        text = lines[0] + "".join(_seam(a, b) + b for a, b in pairwise(lines))
    return " ".join(text.split())


def _seam(before: str, after: str) -> str:
    """What joins two runs of text: nothing if either side of the seam is CJK, as in markup, else a space."""
    return " " if cjk_edge(before, last=True) is False and cjk_edge(after, last=False) is False else ""


def template_problem(exc: BaseException, site_dir: Path) -> Problem:
    """Point at the template line, for syntax errors and for any error raised while rendering.

    Not only Jinja's errors: `{{ 1/0 }}` or a filter given the wrong type raise plain Python
    exceptions, and they are the template's fault just the same.
    """
    name, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    tb = exc.__traceback__
    while tb is not None:  # Jinja rewrites frames so template lines appear as code lines
        if is_template_file(tb.tb_frame.f_code.co_filename, site_dir):
            name, line = tb.tb_frame.f_code.co_filename, tb.tb_lineno
        tb = tb.tb_next
    where = shown_template(name, site_dir) if name else "templates"
    detail = exc.message if isinstance(exc, jinja2.TemplateError) and exc.message else str(exc)
    if not isinstance(exc, jinja2.TemplateError):
        detail = f"{type(exc).__name__}: {detail}"
    zh, en = theme_hint(name) if name else ("", "")
    return Problem(where, line, f"模板错误：{detail}{zh}", f"template error: {detail}{en}")


def make_environment(site_dir: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=template_loader(site_dir),
        autoescape=True,  # every front-matter value is escaped, in every template
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # templates do not change during a build; saves a stat per page
        bytecode_cache=COMPILED,  # kept between the builds of one process (sitegen serve)
    )
    return env


class Renderer:
    """Renders pages with the site's templates; any template error becomes a Problem at its line."""

    def __init__(self, config: SiteConfig, site_dir: Path) -> None:
        self.config = config
        self.site_dir = site_dir
        self.env = make_environment(site_dir)
        self.nav = tuple(
            Link(c.name, c.path) for c in config.categories.values() if len(c.parents) <= 1
        )

    def _context(self, page_dir: str, crumbs: Sequence[Link], **page: Any) -> dict[str, Any]:
        category = page.get("category")
        # The nav item to mark as current: the category itself or its top-level ancestor.
        trail = (*category.parents, category.name) if category else ()
        current = self.config.categories[trail[1] if len(trail) > 1 else trail[0]].path if trail else None
        ctx: dict[str, Any] = {
            "nav_current": current,
            "site": self.config,
            "generator": f"sitegen {__version__}",
            "page": {"dir": page_dir, "feed": "feed.xml", **page},  # feed: the one this page offers
            "rel": partial(relative, page_dir=page_dir),
            # A theme file's link with its content version; looks rel up when called: 404.html replaces it.
            "asset": lambda target: versioned(ctx["rel"](target), self.config.assets.get(target)),
            # Canonical, share and feed links: "" when site.yaml has no site_url (templates test it).
            "absolute": self.absolute,
            "nav": self.nav,
            "breadcrumb": crumbs,
        }
        return ctx

    def absolute(self, target: str) -> str:
        """A site-relative path as an absolute URL from site_url + base_path; absolute URLs stay."""
        if is_absolute(target):
            return target
        if not self.config.site_url:
            return ""
        return self.config.site_url.rstrip("/") + self.config.base_path + target

    def _render(self, template: str, path: str, context: Mapping[str, Any], xml: bool = False) -> OutputFile:
        try:
            text = self.env.get_template(template).render(context)
        except Exception as exc:  # whatever a template raises is an error in that template
            # Located here, in whichever process renders: tracebacks do not cross processes.
            raise SiteError([template_problem(exc, self.site_dir)]) from None
        if xml:  # one character XML forbids, and strict readers reject the whole feed
            text = xml_safe(text)
        return OutputFile(path, text.encode("utf-8"))

    def article(self, article: Article, body: Body, near: Neighbours, attachments: Sequence[Any] = (),
                image: ShareImage | None = None) -> OutputFile:
        category = self.config.categories[article.category]
        description = article.summary or body.excerpt
        return self._render("article.html", output_name(article.url), self._context(
            article.url, breadcrumb(category, self.config),
            kind="article", title=article.title, description=description,
            article=article, category=category, content=Markup(body.html),
            older=near.older, newer=near.newer, attachments=attachments, image=image,
            jsonld=news_article(self.config, article, category, description, image, self.absolute),
        ))

    def listing(self, page: ListPage, excerpts: Mapping[str, str],
                covers: Mapping[str, Any] | None = None) -> OutputFile:
        covers = covers or {}
        # (article, summary, cover picture or None): the 图文列表 shows a thumbnail beside the title.
        items = [(a, a.summary or excerpts[a.path], covers.get(a.path)) for a in page.articles]
        is_home = page.category.path == ""
        return self._render("list.html", output_name(page.path), self._context(
            page.path, breadcrumb(page.category, self.config),
            kind="home" if is_home else "category", title=page.category.name,
            description=self.config.description, category=page.category,
            entries=items, pager=page.pager, feed=page.category.path + "feed.xml",
        ))

    def search_page(self) -> OutputFile:
        root = self.config.categories[self.config.title]
        return self._render("search.html", "search/index.html", self._context(
            "search/", (*breadcrumb(root, self.config), Link("站内搜索", "search/")),
            kind="search", title="站内搜索", description=f"在{self.config.title}中搜索文章", category=root))

    def not_found(self) -> OutputFile:
        # Served at any depth, so its links are absolute from base_path.
        ctx = self._context("", (*self.config.ancestors, Link(self.config.title, "")),
                            kind="404", title="页面不存在", description="")
        # Ancestor crumbs are absolute URLs on the hospital's main site: they stay as they are.
        ctx["rel"] = lambda target: target if is_absolute(target) else self.config.base_path + target
        return self._render("404.html", "404.html", ctx)

    def feed(self, articles: Sequence[Article], bodies: Mapping[str, Body], category: Category | None = None,
             ) -> OutputFile:
        """The column's Atom feed, or a category's (its listing's newest articles) at category/<slug>/feed.xml."""
        root = self.config.site_url.rstrip("/") + self.config.base_path
        home = category.path if category else ""
        ctx = self._context("", (), kind="feed", title=self.config.title, root=root, category=category, home=home,
                            path=home + "feed.xml",
                            entries=[(a, bodies[a.path]) for a in articles[: self.config.feed_size]])
        return self._render("feed.xml", home + "feed.xml", ctx, xml=True)

    def site_file(self, template: str, path: str, xml: bool = False, **page: Any) -> OutputFile:
        """A file for machines at the site's root (sitemap.xml, robots.txt): templates use absolute()."""
        return self._render(template, path, self._context("", (), kind=template, **page), xml=xml)
