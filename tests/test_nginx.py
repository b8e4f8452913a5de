"""The example site behind a real nginx (Debian's package), configured by deploy/nginx.conf.

The deployment example is tested as it is written: the file passes ``nginx -t``, and the same file,
with only its ``listen`` and ``root`` lines replaced, serves the built example site under /dangjian/
from a throwaway nginx (its own port on 127.0.0.1, pid, logs and temp folders in a tmp dir, stopped at
the end). Through it:

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
import os
import pwd
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, urljoin, urlsplit

import pytest

from tests.conftest import PREFIX, ROOT, missing

if TYPE_CHECKING:
    from playwright.sync_api import Browser

EXAMPLE_CONF = ROOT / "deploy" / "nginx.conf"
LISTEN, DOCROOT = "listen 80;", "root /var/www/hospital;"  # the two lines a deployment (and this test) changes
IMMUTABLE = "public, max-age=31536000, immutable"
SHORT_MAX_AGE = 600  # "short": an edit reaches readers within minutes
SEED = "2020/02/22/tianjin-du-zhan/"
TIMEOUT_S = 10


def _nginx() -> str:
    path = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).is_file()), None)
    if path is None:
        missing("nginx not found (apt-get install -y nginx)")
    return path


def _mime_types(nginx: str) -> Path:
    """mime.types beside the nginx.conf the binary was built to read (/etc/nginx on Debian)."""
    info = subprocess.run([nginx, "-V"], capture_output=True, text=True, check=True).stderr
    match = re.search(r"--conf-path=(\S+)", info)
    conf_dir = Path(match[1]).parent if match else Path("/etc/nginx")
    return conf_dir / "mime.types"


def _main_conf(tmp: Path, server_conf: Path, nginx: str) -> Path:
    """The part of nginx.conf a distribution provides; the column's own config is included as written."""
    for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp / name).mkdir(exist_ok=True)
    # Workers run as the user starting the test: as root nginx would switch to nobody, who can't read
    # pytest's private tmp folders.
    user = f"user {pwd.getpwuid(os.geteuid()).pw_name};" if os.geteuid() == 0 else ""
    conf = tmp / "nginx.conf"
    conf.write_text(f"""\
{user}
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 64; }}
http {{
    include {_mime_types(nginx)};
    default_type application/octet-stream;
    access_log {tmp}/access.log;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {server_conf};
}}
""", encoding="utf-8")
    return conf


def _nginx_cmd(nginx: str, tmp: Path, conf: Path, *args: str) -> list[str]:
    # -e: nginx opens its built-in error log (/var/log/nginx/error.log) before it reads the config.
    return [nginx, "-p", str(tmp), "-e", str(tmp / "error.log"), "-c", str(conf), *args]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _deployed(example: str, port: int, docroot: Path) -> str:
    """deploy/nginx.conf with only its listen and root lines changed."""
    for line in (LISTEN, DOCROOT):
        assert example.count(line) == 1, f"deploy/nginx.conf should have exactly one '{line}'"
    return example.replace(LISTEN, f"listen 127.0.0.1:{port};").replace(DOCROOT, f"root {docroot};")


def test_example_config_passes_nginx_t(tmp_path: Path) -> None:
    nginx = _nginx()
    conf = _main_conf(tmp_path, EXAMPLE_CONF, nginx)
    proc = subprocess.run(_nginx_cmd(nginx, tmp_path, conf, "-t"), capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "test is successful" in proc.stderr
    assert "[warn]" not in proc.stderr, proc.stderr


def _answers(proc: subprocess.Popen[bytes], port: int) -> bool:
    """Wait until nginx accepts connections on port; False if it exits or takes too long."""
    deadline = time.monotonic() + TIMEOUT_S
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return True
        except OSError:
            time.sleep(0.05)
    return False


@pytest.fixture(scope="module")
def nginx_origin(example_build: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real nginx serving the example build at /dangjian/; yields http://127.0.0.1:<port>."""
    nginx = _nginx()
    tmp = tmp_path_factory.mktemp("nginx")
    docroot = tmp / "www"
    docroot.mkdir()
    (docroot / PREFIX.strip("/")).symlink_to(example_build, target_is_directory=True)
    server_conf = tmp / "dangjian.conf"
    example = EXAMPLE_CONF.read_text(encoding="utf-8")
    for _attempt in range(3):  # another process may take the free port between the probe and nginx's bind
        port = _free_port()
        server_conf.write_text(_deployed(example, port, docroot), encoding="utf-8")
        conf = _main_conf(tmp, server_conf, nginx)
        stderr_log = tmp / f"stderr-{port}.log"  # a file, not a pipe nobody reads, which could fill up and block
        with stderr_log.open("wb") as err:
            proc = subprocess.Popen(_nginx_cmd(nginx, tmp, conf), stdout=subprocess.DEVNULL, stderr=err)
        if _answers(proc, port):
            break
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        stderr = stderr_log.read_text(errors="replace")
        if "Address already in use" not in stderr:
            pytest.fail(f"nginx did not start:\n{stderr}")
    else:
        pytest.fail("nginx found no free port in 3 tries")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()  # SIGTERM: fast shutdown of the master and its worker
        try:
            proc.wait(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


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


# ---------------------------------------------------------------------------------------------
# gzip and caching


def _first(example_build: Path, pattern: str) -> str:
    """The URL path (under PREFIX) of the first built file whose relative path matches pattern."""
    for path in sorted(example_build.rglob("*")):
        rel = path.relative_to(example_build).as_posix()
        if path.is_file() and re.search(pattern, rel):
            return PREFIX + rel
    pytest.fail(f"no file matching {pattern!r} in the example build")


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
def test_content_named_files_are_immutable(nginx_origin: str, example_build: Path, what: str, pattern: str) -> None:
    path = _first(example_build, pattern)
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
def test_other_files_are_cached_briefly(nginx_origin: str, example_build: Path, what: str, pattern: str) -> None:
    path = _first(example_build, pattern)
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
def test_text_is_gzipped(nginx_origin: str, example_build: Path, what: str, pattern: str, mime: str) -> None:
    path = _first(example_build, pattern)
    reply = _get(nginx_origin + path, gzip_ok=True)
    assert reply.status == 200, f"{what} {path}: HTTP {reply.status}"
    assert reply.header("Content-Type").startswith(mime), f"{what} {path}: {reply.header('Content-Type')}"
    assert reply.header("Content-Encoding") == "gzip", f"{what} {path} not gzipped: {dict(reply.headers)}"
    assert "Accept-Encoding" in reply.header("Vary"), f"{what} {path}: Vary {reply.header('Vary')!r}"
    assert reply.text() == (example_build / path.removeprefix(PREFIX)).read_text(encoding="utf-8")


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
