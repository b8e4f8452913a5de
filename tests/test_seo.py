"""Found, shared and linked correctly: sitemap.xml, robots.txt, canonical links, Open Graph, JSON-LD, feeds.

Built from tests/sites/seo. What each page should say is read from the fixture's sources and
from the built pages themselves, never written into the test, and every absolute URL must
start with site_url + base_path and name a file the build wrote.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass, replace
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin

import feedparser
import pytest
import yaml
from lxml import etree
from PIL import Image

from sitegen.build import BuildResult, build
from sitegen.config import load_config
from sitegen.model import Article, Category, Publisher, SiteConfig
from sitegen.share import news_article
from tests.test_write import tree

SEO = Path(__file__).parent / "sites" / "seo"
XSD = Path(__file__).parent / "sitemap.xsd"  # sitemaps.org's schema for the 0.9 protocol, as published
LISTING_KINDS = ("home", "category")


class Head(HTMLParser):
    """What a page tells crawlers: its link and meta tags, JSON-LD, <time>s, body class, h1."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict[str, str]] = []
        self.meta: dict[str, list[str]] = {}
        self.jsonld: list[str] = []
        self.times: list[str] = []
        self.anchors: list[tuple[str, str]] = []  # (href, text)
        self.kind = ""
        self.h1 = ""
        self._in: str | None = None
        self._href = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "link":
            self.links.append(a)
        elif tag == "meta" and ("property" in a or "name" in a):
            self.meta.setdefault(a.get("property") or a["name"], []).append(a.get("content", ""))
        elif tag == "script" and a.get("type") == "application/ld+json":
            self._in = "jsonld"
            self.jsonld.append("")
        elif tag == "time":
            self.times.append(a["datetime"])
        elif tag == "body":
            self.kind = a["class"].removeprefix("page-")
        elif tag in ("h1", "a"):
            self._in, self._href = tag, a.get("href", "")
            if tag == "a":
                self.anchors.append((self._href, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "h1", "a"):
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "jsonld":
            self.jsonld[-1] += data
        elif self._in == "h1":
            self.h1 += data
        elif self._in == "a":
            self.anchors[-1] = (self._href, self.anchors[-1][1] + data)

    def one(self, key: str) -> str | None:
        values = self.meta.get(key, [])
        assert len(values) <= 1, (key, values)
        return values[0] if values else None

    def rel(self, rel: str) -> list[dict[str, str]]:
        return [link for link in self.links if link.get("rel") == rel]


@dataclass(frozen=True)
class Built:
    site: Path
    out: Path
    config: SiteConfig
    result: BuildResult
    root: str  # site_url + base_path
    pages: dict[str, Head]  # every HTML page of the output, by its path

    def url_of(self, page: str) -> str:
        return self.root + page.removesuffix("index.html")

    def local(self, url: str) -> Path:
        """The output file an absolute URL names; fails unless it is this site's and exists."""
        assert url.startswith(self.root), f"{url} is not under {self.root}"
        rel = unquote(url[len(self.root):])
        path = self.out / rel
        if rel == "" or rel.endswith("/"):
            path = path / "index.html"
        assert path.is_file(), f"{url} names no file in the output"
        return path


def _build(site: Path, out: Path) -> Built:
    result = build(site, out)
    config = load_config(site)
    pages = {}
    for path in sorted(out.rglob("*.html")):
        head = Head()
        head.feed(path.read_text("utf-8"))
        pages[path.relative_to(out).as_posix()] = head
    return Built(site, out, config, result, config.site_url.rstrip("/") + config.base_path, pages)


def _site_copy(target: Path) -> Path:
    shutil.copytree(SEO, target)
    return target


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    tmp = tmp_path_factory.mktemp("seo")
    return _build(_site_copy(tmp / "site"), tmp / "out")


def _sources(site: Path) -> list[dict[str, object]]:
    """Each article's front matter, with the Markdown body under "body"."""
    found = []
    for path in sorted((site / "content").rglob("*.md")):
        _, head, body = path.read_text("utf-8").split("---\n", 2)
        found.append({**yaml.safe_load(head), "body": body})
    return found


def _articles(built: Built) -> dict[str, Head]:
    return {p: h for p, h in built.pages.items() if h.kind == "article"}


def _in_category(section: str, category: Category, config: SiteConfig) -> bool:
    c = config.categories[section]
    return category.name in (*c.parents, c.name)


def test_sitemap_is_valid_and_lists_every_page_with_its_date(built: Built) -> None:
    doc = etree.parse(str(built.out / "sitemap.xml"))
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    assert schema.validate(doc), schema.error_log
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    entries = {u.findtext("s:loc", namespaces=ns): u.findtext("s:lastmod", namespaces=ns)
               for u in doc.getroot().findall("s:url", ns)}
    assert len(entries) == len(doc.getroot()), "a URL is listed twice"
    listed = {p: h for p, h in built.pages.items() if h.kind in ("article", *LISTING_KINDS)}
    assert sum(h.kind == "article" for h in listed.values()) == len(_sources(built.site))
    assert any(p.startswith("category/") and "/page/2/" in p for p in listed), "the fixture has a 2nd category page"
    assert set(entries) == {built.url_of(p) for p in listed}
    for page, head in listed.items():
        url = built.url_of(page)
        assert built.local(url) == built.out / page
        if head.kind == "article":
            assert entries[url] == head.one("article:published_time")
        elif head.times:  # a listing changes when the newest article it shows does
            assert entries[url] == max(head.times, key=datetime.fromisoformat)
        else:
            assert entries[url] is None and "本栏目暂无文章" in (built.out / page).read_text("utf-8")


def test_robots_txt_names_the_sitemap(built: Built) -> None:
    lines = (built.out / "robots.txt").read_text("utf-8").splitlines()
    assert "User-agent: *" in lines
    [sitemap] = [line.removeprefix("Sitemap: ") for line in lines if line.startswith("Sitemap:")]
    assert sitemap == built.root + "sitemap.xml" and built.local(sitemap).name == "sitemap.xml"


def test_every_page_is_canonical_to_itself_and_404_is_not_indexed(built: Built) -> None:
    for page, head in built.pages.items():
        if page == "404.html":
            assert head.rel("canonical") == [] and head.one("og:url") is None
            assert head.one("robots") == "noindex"
            continue
        [canonical] = head.rel("canonical")
        assert canonical["href"] == built.url_of(page) == head.one("og:url"), page
        assert built.local(canonical["href"]) == built.out / page


def test_open_graph_says_what_each_page_is(built: Built) -> None:
    by_title = {str(s["title"]): s for s in _sources(built.site)}
    for page, head in built.pages.items():
        if page == "404.html":
            continue
        assert head.one("og:site_name") == built.config.title and head.one("og:locale") == "zh_CN"
        assert head.one("og:title") and head.one("og:description") == head.one("description")
        if head.kind != "article":
            assert head.one("og:type") == "website" and head.one("article:published_time") is None
            continue
        source = by_title[head.h1]
        assert head.one("og:type") == "article" and head.one("og:title") == head.h1
        assert head.one("article:section") == source["category"]
        published = head.one("article:published_time")
        assert published in head.times  # the date the page shows, with its zone
        assert datetime.fromisoformat(published or "").utcoffset() is not None
        assert head.one("article:author") == source.get("author")


def test_og_image_is_the_covers_largest_jpeg_that_fits(built: Built) -> None:
    sources = {str(s["title"]): s for s in _sources(built.site)}
    seen = 0
    for page, head in _articles(built).items():
        source = sources[head.h1]
        body = str(source["body"])
        photo = source.get("cover") or next(iter(re.findall(r"!\[[^\]]*\]\(([^ )]+)", body)), None)
        image = head.one("og:image")
        if photo is None:
            assert image is None, page
            continue
        seen += 1
        path = built.local(image or "")
        stem = Path(str(photo)).stem
        assert path.name.startswith(stem + ".") and path.suffix == ".jpg", (photo, image)
        with Image.open(path) as picture:
            assert picture.format == "JPEG"
            assert (str(picture.width), str(picture.height)) == (head.one("og:image:width"),
                                                                  head.one("og:image:height"))
            assert picture.width <= 1200
        widths = [_width(p) for p in path.parent.glob(f"{stem}.*.jpg")]
        assert max(w for w in widths if w <= 1200) == int(head.one("og:image:width") or 0), widths
        assert head.one("og:image:type") == "image/jpeg"
        alt = re.search(rf"!\[([^\]]*)\]\({re.escape(str(photo))}", body)
        assert head.one("og:image:alt") == (alt.group(1) if alt else None)
    assert seen == 2, "the fixture has a photo in a body and a `cover:` the body does not show"


def _width(path: Path) -> int:
    with Image.open(path) as picture:
        return picture.width


def test_json_ld_is_a_news_article_whatever_the_title_holds(built: Built) -> None:
    sources = {str(s["title"]): s for s in _sources(built.site)}
    assert any("</script>" in t and '"' in t and "'" in t for t in sources), "the fixture's hard title"
    for page, head in _articles(built).items():
        [text] = head.jsonld
        data = json.loads(text)  # the whole of it, only if no string ended the <script> early
        source = sources[data["headline"]]
        assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
        assert data["headline"] == head.h1 == str(source["title"])
        assert data["datePublished"] == data["dateModified"] == head.one("article:published_time")
        assert data["articleSection"] == source["category"]
        assert data.get("author") == ({"@type": "Person", "name": source["author"]} if "author" in source else None)
        assert data.get("description") == (source.get("summary") or head.one("description"))
        assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": built.url_of(page)}
        assert data.get("image", {}).get("url") == head.one("og:image")
        if "image" in data:
            assert built.local(data["image"]["url"]).is_file()
        assert data["publisher"] == {"@type": "Organization", "name": built.config.publisher.name or built.config.title}


def test_json_ld_publisher_logo_and_no_site_url() -> None:
    article = Article("content/a.md", "标题\n第二行\u2028</SCRIPT><!-- \"x\" & y", datetime.fromisoformat(
        "2021-03-01T09:30:00+08:00"), "党建园地", "a", "2021/03/01/a/", "")
    category = Category("党建园地", "dang-jian-yuan-di", "", ())
    config = SiteConfig("党建园地", site_url="https://www.example.cn", base_path="/dangjian/",
                        publisher=Publisher(name="江北市人民医院", logo="static/logo.png"))
    text = str(news_article(config, article, category, "", None, _absolute(config)))
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    data = json.loads(text)
    assert data["headline"] == article.title
    assert data["publisher"] == {"@type": "Organization", "name": "江北市人民医院", "logo": {
        "@type": "ImageObject", "url": "https://www.example.cn/dangjian/static/logo.png"}}
    bare = replace(config, site_url="")
    data = json.loads(str(news_article(bare, article, category, "", None, _absolute(bare))))
    assert "url" not in data and "mainEntityOfPage" not in data and "logo" not in data["publisher"]


def _absolute(config: SiteConfig):  # type: ignore[no-untyped-def]
    from sitegen.render import Renderer

    return Renderer(config, SEO).absolute


def test_feeds_per_category_as_their_listings_show_them(built: Built) -> None:
    config = built.config
    articles = sorted(((h.one("article:published_time") or "", built.url_of(p), h.one("article:section") or "")
                       for p, h in _articles(built).items()), key=lambda a: datetime.fromisoformat(a[0]),
                      reverse=True)
    checked = 0
    for category in config.categories.values():
        path = category.path + "feed.xml"
        feed = feedparser.parse((built.out / path).read_bytes())
        assert not feed.bozo, (path, feed.get("bozo_exception"))
        assert [link.href for link in feed.feed.links if link.rel == "self"] == [built.root + path]
        assert feed.feed.link == built.root + category.path
        expected = [a for a in articles if _in_category(a[2], category, config)][: config.feed_size]
        assert [e.link for e in feed.entries] == [a[1] for a in expected], path
        for entry, (date, url, section) in zip(feed.entries, expected, strict=True):
            assert built.local(entry.link) and entry.id == url
            assert datetime.fromisoformat(entry.published) == datetime.fromisoformat(date)
            assert entry.tags[0].term == section
        checked += len(feed.entries)
        if category.path:  # the category page offers its own feed, in <head> and in the footer
            shown = [p for p, h in built.pages.items() if h.kind == "category" and h.one("ColumnName") == category.name]
            assert shown
            for page in shown:
                head, url = built.pages[page], built.url_of(page)
                feeds = [urljoin(url, link["href"]) for link in head.rel("alternate")]
                assert feeds[0] == built.root + path and built.root + "feed.xml" in feeds
                subscribe = [urljoin(url, href) for href, text in head.anchors if "订阅" in text]
                assert subscribe == [built.root + path]
    assert checked > len(articles) > config.feed_size, "feeds overlap and are cut at feed_size"
    assert any(not feedparser.parse((built.out / c.path / "feed.xml").read_bytes()).entries
               for c in config.categories.values()), "an empty category still has a valid feed"


def test_no_site_url_one_warning_and_nothing_half_absolute(tmp_path: Path) -> None:
    site = _site_copy(tmp_path / "site")
    text = (site / "site.yaml").read_text("utf-8")
    (site / "site.yaml").write_text(re.sub(r"(?m)^site_url:.*\n", "", text), "utf-8")
    bare = _build(site, tmp_path / "out")
    [warning] = [w for w in bare.result.warnings if "site_url" in w.zh]
    assert warning.path == "site.yaml" and warning.warning and "sitemap.xml" in warning.zh
    assert not (bare.out / "sitemap.xml").exists() and not (bare.out / "robots.txt").exists()
    for page, head in bare.pages.items():
        assert head.rel("canonical") == [] and head.one("og:url") is None and head.one("og:image") is None, page
        for text in head.jsonld:
            assert "url" not in json.loads(text)
    assert feedparser.parse((bare.out / "feed.xml").read_bytes()).entries


def _inodes(out: Path) -> dict[str, int]:
    return {p.relative_to(out).as_posix(): p.stat().st_ino for p in out.rglob("*") if p.is_file()}


def _rewritten(site: Path, out: Path, change: str, old: str, new: str) -> set[str]:
    before = _inodes(out)
    path = site / change
    path.write_text(path.read_text("utf-8").replace(old, new, 1), "utf-8")
    build(site, out)
    after = _inodes(out)
    return {p for p in after if before.get(p) != after[p]} - {".sitegen-output"}


def test_incremental_rewrites_the_feeds_and_sitemap_only_when_they_change(tmp_path: Path) -> None:
    site = _site_copy(tmp_path / "site")
    out = tmp_path / "out"
    build(site, out)
    assert build(site, out).written == 0
    # An article too old for any feed: its page and listings, no feed, no sitemap.
    old = _rewritten(site, out, "content/2020-12-01-tong-bao.md", "第一讲的内容。", "第一讲的内容，改过了。")
    assert "2020/12/01/tong-bao/index.html" in old
    assert not {p for p in old if p.endswith((".xml", ".txt"))}, old
    # The newest of 案例警示: the feeds it is in (its category's and its parent's), not the others.
    newest = _rewritten(site, out, "content/2021/2021-04-01-an-li.md", "以案为鉴", "以案为鉴，再次")
    assert {p for p in newest if p.endswith(".xml")} == {"category/an-li-jing-shi/feed.xml",
                                                          "category/lian-jie-wei-ke-tang/feed.xml"}
    assert not {p for p in newest if p.endswith("index.html") and p.startswith("20")} - {
        "2021/04/01/an-li/index.html"}, "a feed needs the bodies of its articles, not new pages for them"
    # A new date moves the article in the sitemap; robots.txt stays.
    moved = _rewritten(site, out, "content/2021/2021-02-01-zhi-bu.md", "2021-02-01 14:00", "2021-02-01 14:30")
    assert "sitemap.xml" in moved and "robots.txt" not in moved
    assert tree(out) == (build(site, tmp_path / "clean", clean=True) and tree(tmp_path / "clean"))
