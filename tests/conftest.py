"""Shared fixtures: fixture sites (tests/sites), small site builders, browsers and servers."""

from __future__ import annotations

import http.server
import os
import shutil
import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import pytest

from sitegen.config import parse_config
from sitegen.model import SiteConfig
from sitegen.themefiles import THEME_DIR

if TYPE_CHECKING:
    from playwright.sync_api import Browser

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"  # `npm ci` at the repo root installs package.json's test tools here
PREFIX = "/dangjian/"  # the sub-path the column fixture is served under (its site.yaml base_path)
CHROMIUM_ARGS = [
    "--no-sandbox",  # we run as root
    "--disable-gpu",
    # The machine has no network: without these, Chromium's own background fetches fail noisily.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

MINI_CONFIG = """\
title: 党建园地
site_url: https://www.example.cn
page_size: 2
ancestors:
  - {name: 首页, url: "https://www.example.cn/"}
  - {name: 医院概况, url: "https://www.example.cn/yygk/"}
categories:
  - name: 廉洁微课堂
    slug: lian-jie-wei-ke-tang
    children:
      - name: 案例警示
  - name: 支部风采
"""


@pytest.fixture
def config() -> SiteConfig:
    return parse_config(MINI_CONFIG)


def article_text(title: str = "标题", date: str = "2020-02-22 18:23:45", category: str = "党建园地",
                 body: str = "正文。", **extra: str) -> str:
    lines = [f"title: {title}", f"date: {date}", f"category: {category}"]
    lines += [f"{k}: {v}" for k, v in extra.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body + "\n"


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., Path]:
    """A site folder with the given config and articles, and an empty static/; the theme is sitegen's own."""

    def make(articles: dict[str, str], config: str = MINI_CONFIG) -> Path:
        site = tmp_path / "site"
        (site / "static").mkdir(parents=True)
        (site / "site.yaml").write_text(textwrap.dedent(config), encoding="utf-8")
        for name, text in articles.items():
            path = site / "content" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return site

    return make


def override(site: Path, rel: str) -> Path:
    """A site's own copy of the theme file `rel` (templates/… or static/…), to edit: it overrides the theme's."""
    path = site / rel
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(THEME_DIR / rel, path)
    return path


# ---------------------------------------------------------------------------------------------
# Outside tools (a browser, Java, nginx, npm packages): a skip on a developer's machine, a failure
# under CI=true, so that a CI machine missing a tool can't pass by skipping.


def missing(reason: str) -> NoReturn:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true, so this is a failure, not a skip)", pytrace=False)
    pytest.skip(reason)


def chromium_path() -> str | None:
    if Path("/usr/bin/chromium").is_file():
        return "/usr/bin/chromium"
    return shutil.which("chromium")


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    """One headless Debian Chromium per test module (never a browser from `playwright install`)."""
    executable = chromium_path()
    if executable is None:
        missing("Chromium not found at /usr/bin/chromium or on PATH (apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("the playwright Python package is not installed (pip install playwright)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


COLUMN = Path(__file__).parent / "sites" / "column"  # the tool's stand-in for the column; see its site.yaml


def copy_fixture_site(source: Path, site: Path) -> Path:
    """A fixture site under tests/sites, copied to site (a build writes its cache into the site folder)."""
    shutil.copytree(source, site, dirs_exist_ok=True)
    return site


@pytest.fixture(scope="session")
def column_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/sites/column, built once per session with the real CLI. Read it, never write it.

    The tool's tests use this, never the repo's example content: editors may change that freely.
    """
    site = copy_fixture_site(COLUMN, tmp_path_factory.mktemp("column") / "site")
    out = site.parent / "out"
    subprocess.run([sys.executable, "-m", "sitegen", "build", str(site), "-o", str(out)], check=True)
    return out


class SubPathHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a build folder under PREFIX only, as the hospital's server does; anything else is a 404."""

    def do_GET(self) -> None:
        if self.path.startswith(PREFIX):
            super().do_GET()
        else:
            self.send_error(404, "outside the served sub-path")

    def do_HEAD(self) -> None:
        if self.path.startswith(PREFIX):
            super().do_HEAD()
        else:
            self.send_error(404, "outside the served sub-path")

    def translate_path(self, path: str) -> str:
        # Stripped here, not in self.path, so the directory redirect (/dangjian/x → /dangjian/x/) keeps it.
        return super().translate_path("/" + path[len(PREFIX):])

    def log_message(self, format: str, *args: Any) -> None:  # "format": the base class's name
        pass


@contextmanager
def serve(directory: Path, handler_class: type[SubPathHandler] | None = None) -> Iterator[str]:
    """Serve a build on 127.0.0.1 (an ephemeral port) under PREFIX; yields the section's URL."""
    handler = partial(handler_class or SubPathHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
