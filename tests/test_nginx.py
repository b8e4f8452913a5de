"""The column fixture behind a real nginx (Debian's package), configured by deploy/nginx.conf.

The deployment example is tested as it is written: the file passes ``nginx -t``, and the same file,
with only its ``listen`` and ``root`` lines replaced (tests/nginxserver.py), serves the built column
fixture (tests/sites/column) under /dangjian/ from a throwaway nginx. Through it:

- no folder is ever listed: one without an index.html answers the 404 page;
- a missing URL at any depth answers 404 with the column's 404 page, and every link and asset on that
  page (stylesheet, script, icon, menu, crumbs; not the hospital's main site) answers 200 from the same
  server: a 404 page is requested at every depth, so a relative link on it would break;
- pages, style sheets, scripts, feeds and the search index come gzipped;
- Cache-Control is long and immutable exactly where a URL names its content (site.css?v=<hash>, photo
  renditions, Pagefind's hashed files) and short everywhere else;
- index page 2 offers 首页 and 上一页, and clicking them in Chromium, on a phone and on a monitor,
  leads back.

Without nginx (or Chromium, for the pager) these tests skip, except under CI=true, where they fail.
"""

from __future__ import annotations

import gzip
import http.client
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, urljoin, urlsplit

import pytest

from tests.conftest import PREFIX
from tests.nginxserver import EXAMPLE_CONF, TIMEOUT_S, main_conf, nginx_binary, nginx_cmd, running_nginx

if TYPE_CHECKING:
    from playwright.sync_api import Browser

IMMUTABLE = "public, max-age=31536000, immutable"
SHORT_MAX_AGE = 600  # "short": an edit reaches readers within minutes
SEED = "2020/02/22/tianjin-du-zhan/"


def test_example_config_passes_nginx_t(tmp_path: Path) -> None:
    nginx = nginx_binary()
    conf = main_conf(tmp_path, EXAMPLE_CONF, nginx)
    proc = subprocess.run(nginx_cmd(nginx, tmp_path, conf, "-t"), capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "test is successful" in proc.stderr
    assert "[warn]" not in proc.stderr, proc.stderr


@pytest.fixture(scope="module")
def nginx_origin(column_build: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real nginx serving the column build at /dangjian/; yields http://127.0.0.1:<port>."""
    with running_nginx(column_build, tmp_path_factory.mktemp("nginx")) as origin:
        yield origin


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def header(self, name: str) -> str:
        return self.headers.get(name, "")

    def text(self) -> str:
        data = gzip.decompress(self.body) if self.header("Content-Encoding") == "gzip" else self.body
        return data.decode("utf-8")


def _get(url: str, *, gzip_ok: bool = False) -> Reply:
    """One GET, redirects not followed, so a redirect is seen as what it is."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=TIMEOUT_S)
    try:
        path = quote(parts.path, safe="/%:@!$&'()*+,;=-._~") + (f"?{parts.query}" if parts.query else "")
        conn.request("GET", path, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
        response = conn.getresponse()
        return Reply(response.status, response.headers, response.read())
    finally:
        conn.close()


class _Links(HTMLParser):
    """Every URL a page makes the browser fetch or offers to follow: href, src and srcset."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("href", "src"):
                self.urls.append(value)
            elif name == "srcset":
                self.urls += [candidate.split()[0] for candidate in value.split(",") if candidate.strip()]


def _links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.urls


# Depths a mistyped or outdated URL comes in at: the column's root, a year folder, an old article URL,
# a category's page, a file in a folder that does not exist.
MISSING = ["nope", "2020/", "2020/02/22/no-such-article/", "category/zhi-bu-feng-cai/page/99/", "a/b/c/d/e.html",
           "static/css/gone.css"]


@pytest.mark.parametrize("missing_path", MISSING)
def test_404_page_links_work_at_any_depth(nginx_origin: str, missing_path: str) -> None:
    url = f"{nginx_origin}{PREFIX}{missing_path}"
    reply = _get(url)
    assert reply.status == 404, f"{url}: HTTP {reply.status}"
    html = reply.text()
    assert "页面不存在" in html, f"{url}: not the column's 404 page:\n{html[:500]}"
    checked, broken = [], []
    for link in _links(html):
        target = urljoin(url, link)
        parts = urlsplit(target)
        if parts.scheme not in ("http", "https") or target.split("#")[0] == url:
            continue  # mailto:, tel:, the skip link (#main)
        if parts.netloc != urlsplit(nginx_origin).netloc:
            # The crumbs above the column (the hospital's main site) and the footer's filing links are
            # absolute by design and are not served here. A link made absolute by mistake is not
            # skipped: /dangjian/ glued onto https://… is a path on this server, and 404s.
            continue
        status = _get(target.split("#")[0]).status
        checked.append(link)
        if status != 200:
            broken.append(f"{link!r} → {target}: HTTP {status}")
    assert not broken, f"broken links on the 404 page at {url}:\n" + "\n".join(broken)
    assert any(PREFIX + "static/css/" in link for link in checked), f"no stylesheet checked on {url}: {checked}"
    assert PREFIX in checked, f"no link back to the column's home on {url}: {checked}"


def test_directory_without_slash_redirects_within_the_column(nginx_origin: str) -> None:
    reply = _get(f"{nginx_origin}{PREFIX}{SEED.rstrip('/')}")
    assert reply.status == 301, reply.status
    assert reply.header("Location") == f"{PREFIX}{SEED}"


def test_no_folder_is_ever_listed(nginx_origin: str, column_build: Path) -> None:
    """Every built folder without an index.html (static/css/, pagefind/, 2020/…) answers the 404 page."""
    folders = [p for p in column_build.rglob("*") if p.is_dir() and not (p / "index.html").exists()]
    assert any(p.name == "css" for p in folders), "the build should have static/css/ (no index.html)"
    for folder in folders:
        rel = folder.relative_to(column_build).as_posix() + "/"
        reply = _get(f"{nginx_origin}{PREFIX}{rel}")
        html = reply.text()
        # The column's own 404 page, not nginx's 403 page nor a listing (autoindex's title is "Index of /…").
        assert reply.status == 404, f"{PREFIX}{rel}: HTTP {reply.status}"
        assert "页面不存在" in html and "Index of" not in html, f"{PREFIX}{rel} is not the 404 page:\n{html}"


# ---------------------------------------------------------------------------------------------
# gzip and caching


def _first(column_build: Path, pattern: str) -> str:
    """The URL path (under PREFIX) of the first built file whose relative path matches pattern."""
    for path in sorted(column_build.rglob("*")):
        rel = path.relative_to(column_build).as_posix()
        if path.is_file() and re.search(pattern, rel):
            return PREFIX + rel
    pytest.fail(f"no file matching {pattern!r} in the column build")


def _asset_urls(nginx_origin: str, kind: str) -> list[str]:
    """The stylesheet or script URLs (as linked, with their query) of the column's home page."""
    page_url = f"{nginx_origin}{PREFIX}"
    links = [urljoin(page_url, link) for link in _links(_get(page_url).text())]
    found = [u for u in links if urlsplit(u).path.startswith(f"{PREFIX}static/{kind}/")]
    assert found, f"the home page links no static/{kind}/ file: {links}"
    return found


def _max_age(cache_control: str) -> int | None:
    match = re.search(r"max-age=(\d+)", cache_control)
    return int(match[1]) if match else None


def _assert_short(reply: Reply, what: str) -> None:
    cache = reply.header("Cache-Control")
    age = _max_age(cache)
    assert reply.status == 200, f"{what}: HTTP {reply.status}"
    assert "immutable" not in cache and age is not None and age <= SHORT_MAX_AGE, (
        f"{what}: Cache-Control {cache!r}, wanted a short max-age (≤ {SHORT_MAX_AGE} s)")


def _assert_immutable(reply: Reply, what: str) -> None:
    assert reply.status == 200, f"{what}: HTTP {reply.status}"
    assert reply.header("Cache-Control") == IMMUTABLE, f"{what}: Cache-Control {reply.header('Cache-Control')!r}"


def test_versioned_css_and_js_are_cached_for_a_year(nginx_origin: str) -> None:
    """As the pages link them: with ?v=<content hash>, so a changed file gets a new URL."""
    for kind in ("css", "js"):
        for url in _asset_urls(nginx_origin, kind):
            assert re.search(r"[?&]v=[0-9A-Za-z_-]{6,}", url), f"{url}: linked without a ?v=<content hash>"
            _assert_immutable(_get(url), url)


def test_unversioned_css_and_js_are_not_cached_for_long(nginx_origin: str) -> None:
    """The same file without ?v= could change under the same URL: a year would be a year of a stale theme."""
    for kind in ("css", "js"):
        for url in _asset_urls(nginx_origin, kind):
            bare = url.split("?")[0]
            _assert_short(_get(bare), bare)


@pytest.mark.parametrize(("what", "pattern"), [
    ("photo rendition", r"\.[0-9a-f]{8}\.[0-9]+\.webp$"),
    ("JPEG fallback", r"\.[0-9a-f]{8}\.[0-9]+\.jpg$"),
    ("listing thumbnail", r"\.[0-9a-f]{8}\.thumb\.webp$"),
    ("search fragment", r"^pagefind/fragment/"),
    ("search index", r"^pagefind/index/"),
    ("search metadata", r"^pagefind/.+\.pf_meta$"),
])
def test_content_named_files_are_immutable(nginx_origin: str, column_build: Path, what: str, pattern: str) -> None:
    path = _first(column_build, pattern)
    _assert_immutable(_get(nginx_origin + path), f"{what} {path}")


@pytest.mark.parametrize(("what", "pattern"), [
    ("home page", r"^index\.html$"),
    ("article", "^" + re.escape(SEED) + r"index\.html$"),
    ("feed", r"^feed\.xml$"),
    ("sitemap", r"^sitemap\.xml$"),
    ("robots.txt", r"^robots\.txt$"),
    ("attachment", r"\.pdf$"),
    ("icon", r"^static/favicon\.svg$"),
    ("search entry point", r"^pagefind/pagefind-entry\.json$"),
    ("search script", r"^pagefind/pagefind\.js$"),
])
def test_other_files_are_cached_briefly(nginx_origin: str, column_build: Path, what: str, pattern: str) -> None:
    path = _first(column_build, pattern)
    if path.endswith("/index.html"):
        path = path.removesuffix("index.html")  # as linked: the folder
    _assert_short(_get(nginx_origin + path), f"{what} {path}")


@pytest.mark.parametrize(("what", "pattern", "mime"), [
    ("page", r"^index\.html$", "text/html"),
    ("stylesheet", r"^static/css/site\.css$", "text/css"),
    ("script", r"^static/js/site\.js$", "application/javascript"),
    ("feed", r"^feed\.xml$", "text/xml"),
    ("sitemap", r"^sitemap\.xml$", "text/xml"),
    ("search entry point", r"^pagefind/pagefind-entry\.json$", "application/json"),
])
def test_text_is_gzipped(nginx_origin: str, column_build: Path, what: str, pattern: str, mime: str) -> None:
    path = _first(column_build, pattern)
    reply = _get(nginx_origin + path, gzip_ok=True)
    assert reply.status == 200, f"{what} {path}: HTTP {reply.status}"
    assert reply.header("Content-Type").startswith(mime), f"{what} {path}: {reply.header('Content-Type')}"
    assert reply.header("Content-Encoding") == "gzip", f"{what} {path} not gzipped: {dict(reply.headers)}"
    assert "Accept-Encoding" in reply.header("Vary"), f"{what} {path}: Vary {reply.header('Vary')!r}"
    assert reply.text() == (column_build / path.removeprefix(PREFIX)).read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# Index page 2 in the browser


@pytest.mark.parametrize("width", [375, 1366])
def test_index_page_2_leads_back(chromium: Browser, nginx_origin: str, width: int) -> None:
    """Page 2 of the home listing offers 首页 and 上一页 (a phone too), and both lead to the home page."""
    context = chromium.new_context(viewport={"width": width, "height": 800}, is_mobile=width < 600,
                                   has_touch=width < 600)
    context.set_default_timeout(TIMEOUT_S * 1000)
    home = f"{nginx_origin}{PREFIX}"
    page_2 = f"{home}page/2/"
    try:
        page = context.new_page()
        for name in ("上一页", "首页"):
            page.goto(page_2)
            link = page.locator("nav.pager a", has_text=name)
            assert link.count() == 1, f"{page_2} at {width} px: no {name} link in the pager"
            assert link.is_visible(), f"{page_2} at {width} px: the {name} link is hidden"
            link.click()
            page.wait_for_url(home)
            assert page.locator("nav.pager .current").inner_text() == "1", f"{name} did not lead to page 1"
    finally:
        context.close()
