"""Real-browser test: the built example site, served under a sub-path, driven in headless Chromium.

What a reader does on an article page is checked the way a reader does it: the font switcher
(大 中 小) is pressed by keyboard and by click, the choice must survive a reload and carry over
to another article, the breadcrumb and the pager are followed by clicking. The site is served
under /dangjian/ (not at the root) because every internal link is meant to be relative; a link
that escapes the sub-path shows up as a 404 and fails the test.

Needs Debian's Chromium (/usr/bin/chromium) and the ``playwright`` Python package; never a
browser downloaded by ``playwright install``. Without them the tests skip, except under CI=true,
where they fail so that a broken CI machine can't pass by skipping.
"""

from __future__ import annotations

import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn
from urllib.parse import urlsplit

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Error, Page, Request, Response, Route

ROOT = Path(__file__).resolve().parent.parent  # the repo root is the example site
PREFIX = "/dangjian/"  # the sub-path the section is served under (site.yaml base_path)
SEED = "2020/02/22/tianjin-du-zhan/"
SEED_TITLE = "【廉洁“微课堂”】天津:吹响督战号角 助力决战必胜"
TIMEOUT_MS = 15_000
SHOTS_DIR = Path("/tmp/sitegen-shots")  # a fixed place a human can open after the run
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
NewContext = Callable[..., "BrowserContext"]  # the new_context fixture: browser.new_context options
FONT_SIZE_JS = "el => parseFloat(getComputedStyle(el).fontSize)"


def _missing(reason: str) -> NoReturn:
    """Skip on a developer's machine, but fail under CI: a CI that silently skips tests nothing."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true, so this is a failure, not a skip)", pytrace=False)
    pytest.skip(reason)


def _chromium_path() -> str | None:
    if Path("/usr/bin/chromium").is_file():
        return "/usr/bin/chromium"
    return shutil.which("chromium")


# ---------------------------------------------------------------------------------------------
# Build and serve


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the example site once for the module, with the real CLI in a child process."""
    out = tmp_path_factory.mktemp("site") / "out"
    subprocess.run([sys.executable, "-m", "sitegen", "build", str(ROOT), "-o", str(out)], check=True)
    assert (out / SEED / "index.html").is_file(), "seed article missing from the build"
    return out


class _SubPathHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the build folder under PREFIX only; everything else (even /favicon.ico) is a 404.

    The prefix is stripped in translate_path, not by rewriting self.path, so that the directory
    redirect (/dangjian/x → /dangjian/x/) keeps the prefix.
    """

    def do_GET(self) -> None:
        if not self.path.startswith(PREFIX):
            self.send_error(404, "outside the served sub-path")
            return
        super().do_GET()

    def do_HEAD(self) -> None:
        if not self.path.startswith(PREFIX):
            self.send_error(404, "outside the served sub-path")
            return
        super().do_HEAD()

    def translate_path(self, path: str) -> str:
        return super().translate_path("/" + path[len(PREFIX) :])

    def log_message(self, format: str, *args: Any) -> None:  # "format" shadows a builtin: base-class signature
        pass  # quiet: the test records failing responses itself


@pytest.fixture(scope="module")
def base_url(site_dir: Path) -> Iterator[str]:
    yield from _serve(site_dir)


COUNTER_URL = "https://stats.example-hospital.cn/count"


@pytest.fixture(scope="module")
def counter_base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The example site built with a view-counter endpoint configured in site.yaml."""
    site = tmp_path_factory.mktemp("counter-site")
    for name in ("content", "templates", "static"):
        shutil.copytree(ROOT / name, site / name)
    config = (ROOT / "site.yaml").read_text(encoding="utf-8")
    assert 'counter_url: ""' in config
    (site / "site.yaml").write_text(config.replace('counter_url: ""', f'counter_url: "{COUNTER_URL}"'), "utf-8")
    out = site / "out"
    subprocess.run([sys.executable, "-m", "sitegen", "build", str(site), "-o", str(out)], check=True)
    yield from _serve(out)


def _serve(directory: Path) -> Iterator[str]:
    """Serve a build on 127.0.0.1 with an ephemeral port, in a background thread."""
    handler = partial(_SubPathHandler, directory=str(directory))
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


# ---------------------------------------------------------------------------------------------
# Browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = _chromium_path()
    if executable is None:
        _missing("Chromium not found at /usr/bin/chromium or on PATH (apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright Python package is not installed (pip install playwright)")
    pw = sync_playwright().start()
    try:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
    finally:
        pw.stop()


@dataclass
class Problems:
    """Everything that went wrong in the browser, gathered across pages and contexts."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    bad_responses: list[str] = field(default_factory=list)
    offsite_requests: list[str] = field(default_factory=list)

    def assert_none(self) -> None:
        found = {name: items for name, items in vars(self).items() if items}
        assert not found, "browser reported problems:\n" + "\n".join(
            f"  {name}:\n" + "\n".join(f"    - {item}" for item in items) for name, items in found.items()
        )


def _watch(context: BrowserContext, problems: Problems) -> None:
    """Record errors on every page of the context, and keep it on 127.0.0.1.

    Requests to other hosts (the 首页 / 医院概况 crumbs point at the hospital's real site) are
    aborted and recorded: the test must never cause one, so any entry there is a failure.

    Blind spot: Playwright hides every request whose URL ends in /favicon.ico from these events
    (and aborts it once any route is set), so a page that makes the browser ask for the root
    /favicon.ico can't be caught here. The page's own <link rel="icon"> (static/favicon.svg) is
    an ordinary request and is checked like any other.
    """

    def on_page(page: Page) -> None:
        def on_console(msg: ConsoleMessage) -> None:
            if msg.type == "error":
                problems.console_errors.append(f"{page.url}: {msg.text}")

        def on_page_error(exc: Error) -> None:
            problems.page_errors.append(f"{page.url}: {exc}")

        page.on("console", on_console)
        page.on("pageerror", on_page_error)

    def on_request_failed(request: Request) -> None:
        problems.failed_requests.append(f"{request.method} {request.url}: {request.failure}")

    def on_response(response: Response) -> None:
        if response.status >= 400:
            problems.bad_responses.append(f"{response.status} {response.url}")

    def offsite(route: Route) -> None:
        problems.offsite_requests.append(route.request.url)
        route.abort()

    context.on("page", on_page)  # fires for context.new_page() too
    context.on("requestfailed", on_request_failed)
    context.on("response", on_response)
    # Only non-local URLs are routed, so local traffic goes straight through untouched.
    context.route(lambda url: urlsplit(url).hostname != "127.0.0.1", offsite)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)


@pytest.fixture
def problems() -> Problems:
    return Problems()


@pytest.fixture
def new_context(browser: Browser, problems: Problems) -> Iterator[NewContext]:
    """Factory for fresh, watched contexts (fresh = empty localStorage); all closed afterwards."""
    contexts: list[BrowserContext] = []

    def make(**options: Any) -> BrowserContext:
        context = browser.new_context(**options)
        _watch(context, problems)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


def _body_size(page: Page) -> float:
    """Computed font size, in px, of the first paragraph of the article body."""
    return page.locator(".article-body p").first.evaluate(FONT_SIZE_JS)


def _save_shot(page: Page, tmp_path: Path, name: str, *, full_page: bool = False) -> None:
    path = tmp_path / name
    page.screenshot(path=str(path), full_page=full_page)
    SHOTS_DIR.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, SHOTS_DIR / name)


# ---------------------------------------------------------------------------------------------
# Tests


def test_font_switch_breadcrumb_and_pager(base_url: str, new_context: NewContext, problems: Problems) -> None:
    from playwright.sync_api import expect

    page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(base_url + SEED)

    expect(page.locator("h1.article-title")).to_have_text(SEED_TITLE)
    switch = page.locator(".article-meta .font-switch")
    expect(switch).to_be_visible()  # site.js removed the hidden attribute
    large = switch.get_by_role("button", name="大", exact=True)
    medium = switch.get_by_role("button", name="中", exact=True)
    small = switch.get_by_role("button", name="小", exact=True)
    expect(medium).to_have_attribute("aria-pressed", "true")  # the default before any choice
    medium_size = _body_size(page)

    # Reach 大 with Tab alone, as a keyboard user would, then press Enter: proves it is a real,
    # focusable <button> in the tab order, not a clickable span.
    page.locator("body").focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        if large.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("the 大 button was never reached with Tab")
    assert large.evaluate("el => el.tagName") == "BUTTON"
    page.keyboard.press("Enter")
    expect(large).to_have_attribute("aria-pressed", "true")
    expect(medium).to_have_attribute("aria-pressed", "false")
    large_size = _body_size(page)
    assert large_size > medium_size, f"大 did not enlarge the text: {medium_size}px → {large_size}px"
    assert page.evaluate("localStorage.getItem('sitegen-font')") == "large"

    # The choice sticks across a reload ...
    page.reload()
    expect(large).to_have_attribute("aria-pressed", "true")
    assert _body_size(page) == large_size, "the larger size was lost on reload"
    assert page.evaluate("document.documentElement.getAttribute('data-font')") == "large"

    # ... and across pages: follow the 上一篇/下一篇 link to another article.
    other = page.locator("nav.prev-next a").first
    other_title = other.inner_text()
    other.click()
    expect(page.locator("h1.article-title")).to_have_text(other_title)
    assert SEED not in page.url, "the prev/next link did not lead to a different article"
    expect(large).to_have_attribute("aria-pressed", "true")
    assert _body_size(page) == large_size, "the larger size did not carry over to another article"

    # 小, this time with focus() and the Space key: smaller than the default 中.
    small.focus()
    page.keyboard.press("Space")
    expect(small).to_have_attribute("aria-pressed", "true")
    expect(large).to_have_attribute("aria-pressed", "false")
    small_size = _body_size(page)
    assert small_size < medium_size, f"小 is not smaller than 中: {small_size}px vs {medium_size}px"

    # The in-site breadcrumb crumb 党建园地 leads to the section home, still under the sub-path.
    page.locator("nav.breadcrumb").get_by_role("link", name="党建园地", exact=True).click()
    expect(page).to_have_url(base_url)
    assert page.locator(".article-list li").count() > 0, "the section home lists no articles"
    pager = page.locator("nav.pager")
    expect(pager).to_be_visible()
    expect(pager.locator(".pager-info")).to_contain_text("第 1/")

    pager.get_by_role("link", name="下一页", exact=True).click()
    expect(page).to_have_url(base_url + "page/2/")
    expect(page.locator("nav.pager .pager-info")).to_contain_text("第 2/")
    expect(page.locator("nav.pager .current")).to_have_text("2")
    assert page.locator(".article-list li").count() > 0, "page 2 lists no articles"

    problems.assert_none()


def test_screenshots(base_url: str, new_context: NewContext, problems: Problems, tmp_path: Path) -> None:
    """Pictures for a human to look at (not asserted on): phone and desktop."""
    from playwright.sync_api import expect

    phone = new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True
    ).new_page()
    phone.goto(base_url + SEED)
    expect(phone.locator(".font-switch")).to_be_visible()
    _save_shot(phone, tmp_path, "article-phone.png")
    _save_shot(phone, tmp_path, "article-phone-full.png", full_page=True)
    phone.goto(base_url)
    expect(phone.locator(".article-list")).to_be_visible()
    _save_shot(phone, tmp_path, "home-phone.png")

    desktop = new_context(viewport={"width": 1280, "height": 900}).new_page()
    desktop.goto(base_url + SEED)
    expect(desktop.locator(".font-switch")).to_be_visible()
    _save_shot(desktop, tmp_path, "article-desktop.png")

    problems.assert_none()


def test_article_reads_without_javascript(base_url: str, new_context: NewContext, problems: Problems) -> None:
    from playwright.sync_api import expect

    page = new_context(java_script_enabled=False, viewport={"width": 390, "height": 844}).new_page()
    page.goto(base_url + SEED)

    expect(page.locator("h1.article-title")).to_have_text(SEED_TITLE)
    # Without site.js the switcher would do nothing, so it must stay hidden.
    switch = page.locator(".font-switch")
    expect(switch).to_be_hidden()
    expect(switch).to_have_attribute("hidden", "")
    expect(page.locator(".article-body p").first).to_be_visible()
    expect(page.locator(".article-source")).to_be_visible()
    # Half- or full-width colon: punctuation is the template's choice, the label is what matters.
    expect(page.locator(".article-source")).to_have_text(re.compile(r"^\s*来源[:：]\s*\S"))
    assert _body_size(page) > 0

    problems.assert_none()


def test_view_counter_shows_the_count(counter_base_url: str, new_context: NewContext, problems: Problems) -> None:
    """阅读 appears only with a configured endpoint, filled in from its JSON answer."""
    from playwright.sync_api import expect

    asked: list[str] = []

    def answer(route: Route) -> None:
        asked.append(route.request.url)
        route.fulfill(status=200, content_type="application/json", body='{"count": 1234}',
                      headers={"Access-Control-Allow-Origin": "*"})

    context = new_context()
    context.route(COUNTER_URL + "*", answer)  # registered last, so it wins over the off-site guard
    page = context.new_page()
    page.goto(counter_base_url + SEED)
    views = page.locator(".views")
    expect(views).to_be_visible()
    expect(views).to_have_text(re.compile(r"^阅读[:：]\s*1234$"))
    assert asked == [f"{COUNTER_URL}?id=2020%2F02%2F22%2Ftianjin-du-zhan%2F"]
    problems.assert_none()


def test_view_counter_stays_hidden_when_the_endpoint_fails(counter_base_url: str, new_context: NewContext) -> None:

    context = new_context()
    context.route(COUNTER_URL + "*", lambda route: route.fulfill(status=500, body="down"))
    page = context.new_page()
    page.goto(counter_base_url + SEED)
    page.wait_for_load_state("networkidle")
    assert page.locator(".views").is_hidden()
    assert page.locator(".article-body").is_visible()
