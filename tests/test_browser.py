"""Real-browser test: the column fixture (tests/sites/column) built, served under a sub-path, driven in Chromium.

What a reader does on an article page is checked the way a reader does it: the font switcher
(大 中 小) is pressed by keyboard and by click, the choice must survive a reload and carry over
to another article, the breadcrumb and the pager are followed by clicking. The site is served
under /dangjian/ (not at the root) because every internal link is meant to be relative; a link
that escapes the sub-path shows up as a 404 and fails the test.

Photos are checked the same way: every photo and cover arrives from under the sub-path as the
WebP rendition, nothing moves while they arrive on a slow line (Chromium's layout-shift entries,
summed), covers sit beside their titles on a phone and on a monitor, and the
attachments of a notice can be downloaded. Full-page screenshots go to /tmp/sitegen-shots for a
human to look at.

Needs Debian's Chromium (/usr/bin/chromium) and the ``playwright`` Python package; never a
browser downloaded by ``playwright install``. Without them the tests skip, except under CI=true,
where they fail so that a broken CI machine can't pass by skipping.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urljoin, urlsplit

import pytest

from tests.conftest import COLUMN, SubPathHandler, chromium_path, copy_fixture_site, missing, serve

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Error, Page, Request, Response, Route

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
# Fixture pages with photos (tests/sites/column/content): folder articles keep their photos beside index.md.
PHOTO_ARTICLE = "2024/07/01/zhu-ti-dang-ri/"  # 主题党日: three photos, photo2.jpg EXIF-rotated to portrait
PORTRAIT_CAPTION = "图为支部书记讲授专题党课"  # the figure of that EXIF-rotated photo
HEIC_ARTICLE = "2025/10/29/chong-yang-zhi-yuan-fu-wu/"  # a HEIC photo, which no browser here can show as is
SCREENSHOT_ARTICLE = "2024/07/25/dang-ji-zhi-shi-ce-shi/"  # a 1080x2340 PNG phone screenshot
NOTICE = "2025/06/03/yan-jiang-bi-sai-tong-zhi/"  # PDF and DOCX attachments with Chinese names
CATEGORY = "category/zhi-bu-feng-cai/"  # 支部风采, a listing with covers
LATE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif", ".js")
LATE_S = 0.3
# The two screens the pages are checked on: a common phone, and the commonest office monitor.
DEVICES: dict[str, dict[str, Any]] = {
    "375": {"viewport": {"width": 375, "height": 812}, "device_scale_factor": 3, "is_mobile": True,
            "has_touch": True},
    "1366": {"viewport": {"width": 1366, "height": 768}},
}
CLS_LIMIT = 0.01  # far below Google's "good" 0.1: boxes with width/height should not move at all
NewContext = Callable[..., "BrowserContext"]  # the new_context fixture: browser.new_context options
FONT_SIZE_JS = "el => parseFloat(getComputedStyle(el).fontSize)"


# ---------------------------------------------------------------------------------------------
# Build and serve


@pytest.fixture(scope="module")
def site_dir(column_build: Path) -> Path:
    assert (column_build / SEED / "index.html").is_file(), "seed article missing from the build"
    return column_build


@pytest.fixture(scope="module")
def base_url(site_dir: Path) -> Iterator[str]:
    yield from _serve(site_dir)


COUNTER_URL = "https://stats.example-hospital.cn/count"


@pytest.fixture(scope="module")
def counter_base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The column fixture built with a view-counter endpoint configured in site.yaml."""
    site = copy_fixture_site(COLUMN, tmp_path_factory.mktemp("counter-site"))
    config = (site / "site.yaml").read_text(encoding="utf-8")
    assert 'counter_url: ""' in config
    (site / "site.yaml").write_text(config.replace('counter_url: ""', f'counter_url: "{COUNTER_URL}"'), "utf-8")
    out = site / "out"
    subprocess.run([sys.executable, "-m", "sitegen", "build", str(site), "-o", str(out)], check=True)
    yield from _serve(out)


class _SlowHandler(SubPathHandler):
    """Like SubPathHandler, but images and scripts answer LATE_S late, as on a slow phone.

    From a local server they can arrive before the first paint, and a shift that happens before
    anything is painted is not a shift: a page with no reserved boxes would then pass the
    layout-shift tests, or pass on one run and fail on the next. The HTML and the CSS (which hold
    back the first paint anyway) come at once, so the reader always sees the text first.
    """

    def do_GET(self) -> None:
        if urlsplit(self.path).path.endswith(LATE_SUFFIXES):
            time.sleep(LATE_S)  # each request has its own thread: only this one waits
        super().do_GET()


@pytest.fixture(scope="module")
def slow_url(site_dir: Path) -> Iterator[str]:
    yield from _serve(site_dir, _SlowHandler)


def _serve(directory: Path, handler_class: type[SubPathHandler] = SubPathHandler) -> Iterator[str]:
    with serve(directory, handler_class) as url:
        yield url


# ---------------------------------------------------------------------------------------------
# Browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = chromium_path()
    if executable is None:
        missing("Chromium not found at /usr/bin/chromium or on PATH (apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("the playwright Python package is not installed (pip install playwright)")
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
        # ERR_ABORTED is the page going away under a request still in flight (a click to the next
        # page while the icon loads, a link that became a download), never a missing file: that
        # arrives as a 404 response and is caught by on_response.
        if request.failure == "net::ERR_ABORTED":
            return
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


# Every <img> of the page, as the browser sees it: what it chose, what arrived, how big it is drawn.
# The photos and covers, in <main>: the header's logo is a theme file, not a photo rendition.
IMAGES_JS = """() => [...document.querySelectorAll('main img')].map(img => {
  const box = img.getBoundingClientRect();
  const picture = img.parentElement && img.parentElement.matches('picture') ? img.parentElement : null;
  return {
    src: img.getAttribute('src'), current: img.currentSrc,
    natural: [img.naturalWidth, img.naturalHeight],
    attrs: [Number(img.getAttribute('width')), Number(img.getAttribute('height'))],
    box: [box.width, box.height],
    webp: !!(picture && picture.querySelector('source[type="image/webp"]')),
  };
})"""

# Installed before any page script runs; buffered: true also hands over shifts from before that.
# hadRecentInput is recorded but not used to drop shifts: the tests never click or type, yet under
# phone emulation Chromium marks every shift of the first 500 ms as "recent input" (the emulated
# viewport counts as a resize), which would hide exactly the shifts a reader sees on arrival.
CLS_OBSERVER_JS = """
window.__shifts = [];
new PerformanceObserver(list => {
  for (const e of list.getEntries()) {
    window.__shifts.push({
      value: e.value, recentInput: e.hadRecentInput, at: Math.round(e.startTime),
      sources: (e.sources || []).map(s => s.node
        ? s.node.nodeName.toLowerCase() + (s.node.className ? '.' + String(s.node.className).trim() : '')
        : '(gone)'),
    });
  }
}).observe({type: 'layout-shift', buffered: true});
"""

IN_VIEW_LOADED_JS = """() => [...document.images].every(img => {
  const box = img.getBoundingClientRect();
  return box.bottom < 0 || box.top > innerHeight || img.complete;
})"""

TWO_FRAMES_JS = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done(null))))"


def _load_every_image(page: Page) -> None:
    """Bring every <img> into view once, so lazy ones start, then wait until each has loaded or failed.

    Ends back at the top of the page, where a full-page screenshot starts.
    """
    images = page.locator("img")
    for index in range(images.count()):
        images.nth(index).scroll_into_view_if_needed()
    page.wait_for_function("() => [...document.images].every(img => img.complete)")  # a failed one is complete too
    page.evaluate("window.scrollTo(0, 0)")
    page.evaluate(TWO_FRAMES_JS)


def _scroll_through(page: Page) -> None:
    """Read the page the way a reader does: a screen at a time, top to bottom, photos arriving late."""
    y = 0
    while True:
        page.evaluate("y => window.scrollTo(0, y)", y)
        page.wait_for_function(IN_VIEW_LOADED_JS)
        page.evaluate(TWO_FRAMES_JS)
        if page.evaluate("scrollY + innerHeight >= document.documentElement.scrollHeight - 1"):
            break
        y += int(page.evaluate("innerHeight") * 0.75)
    page.wait_for_function("() => [...document.images].every(img => img.complete)")
    page.evaluate(TWO_FRAMES_JS)
    page.wait_for_timeout(200)  # layout-shift entries are delivered to the observer after the frame


def _measure_cls(context: BrowserContext, url: str) -> tuple[Page, float, list[dict[str, Any]]]:
    """Open url in a new page of context, read it top to bottom, and sum its layout shifts.

    The sum of every shift, not CLS's worst five-second window: a stricter number, and one a short
    page can't dodge by spreading its shifts out.
    """
    context.add_init_script(CLS_OBSERVER_JS)
    page = context.new_page()
    page.goto(url)
    _scroll_through(page)
    shifts: list[dict[str, Any]] = page.evaluate("window.__shifts")
    return page, sum(shift["value"] for shift in shifts), shifts


def _shift_report(cls: float, shifts: list[dict[str, Any]]) -> str:
    return f"layout shift {cls:.4f} ≥ {CLS_LIMIT}:\n" + "\n".join(
        f"  {shift['value']:.4f} at {shift['at']} ms: {', '.join(shift['sources'])}" for shift in shifts
    )


def _without_site_js(context: BrowserContext) -> None:
    """Answer site.js with an empty script: the page as drawn by HTML, CSS and photos alone.

    site.js reveals the font switcher, and that moves the article on its own (see
    test_font_switch_appears_without_moving_the_article); without this, the photo test below
    could not tell a photo's shift from the switcher's.
    """
    context.route(re.compile(r".*/static/js/site\.js$"),
                  lambda route: route.fulfill(status=200, content_type="text/javascript", body="/* stub */"))


def _aspect_errors(images: list[dict[str, Any]]) -> list[str]:
    """Images drawn in another shape than their width/height attributes promise (more than 1% off)."""
    errors = []
    for image in images:
        (attr_w, attr_h), (box_w, box_h) = image["attrs"], image["box"]
        if not (attr_w and attr_h and box_w and box_h):
            errors.append(f"{image['src']}: attributes {attr_w}x{attr_h}, drawn {box_w:.1f}x{box_h:.1f}")
            continue
        promised, drawn = attr_w / attr_h, box_w / box_h
        if abs(drawn - promised) / promised > 0.01:
            errors.append(f"{image['src']}: attributes {attr_w}x{attr_h} (ratio {promised:.4f}), "
                          f"drawn {box_w:.1f}x{box_h:.1f} (ratio {drawn:.4f})")
    return errors


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
    # expect, not count(): the URL changes before the new page's list is parsed.
    expect(page.locator(".article-list li").first).to_be_visible()  # the section home lists articles
    pager = page.locator("nav.pager")
    expect(pager).to_be_visible()
    expect(pager.locator(".pager-info")).to_contain_text("第 1/")

    pager.get_by_role("link", name="下一页", exact=True).click()
    expect(page).to_have_url(base_url + "page/2/")
    expect(page.locator("nav.pager .pager-info")).to_contain_text("第 2/")
    expect(page.locator("nav.pager .current")).to_have_text("2")
    expect(page.locator(".article-list li").first).to_be_visible()  # page 2 lists articles

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
    assert asked == [f"{COUNTER_URL}?id={quote(SEED, safe='')}"]
    problems.assert_none()


def test_view_counter_stays_hidden_when_the_endpoint_fails(counter_base_url: str, new_context: NewContext) -> None:
    """A counter that answers 500 leaves no empty 阅读 behind; the page still asked it (else nothing was tested)."""
    asked: list[str] = []

    def fail(route: Route) -> None:
        asked.append(route.request.url)
        route.fulfill(status=500, body="down", headers={"Access-Control-Allow-Origin": "*"})

    context = new_context()
    context.route(COUNTER_URL + "*", fail)
    page = context.new_page()
    page.goto(counter_base_url + SEED)
    page.wait_for_load_state("networkidle")
    assert asked == [f"{COUNTER_URL}?id={quote(SEED, safe='')}"], "site.js never asked the counter"
    assert page.locator(".views").count() == 1, "the page has no 阅读 box: nothing was kept hidden"
    assert page.locator(".views").is_hidden()
    assert page.locator(".article-body").is_visible()


# ---------------------------------------------------------------------------------------------
# Photos, covers and attachments


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize(
    ("path", "at_least"),
    [("", 4), (PHOTO_ARTICLE, 3), (HEIC_ARTICLE, 2), (SCREENSHOT_ARTICLE, 1)],
    ids=["home", "photo-article", "heic-article", "screenshot-article"],
)
def test_every_image_loads_under_the_sub_path(
    base_url: str, new_context: NewContext, problems: Problems, path: str, at_least: int, device: str
) -> None:
    """Each photo and cover arrives (no 404 anywhere), from under /dangjian/, as the WebP rendition."""
    page = new_context(**DEVICES[device]).new_page()
    page.goto(base_url + path)
    _load_every_image(page)
    images = page.evaluate(IMAGES_JS)

    # A page that lost its photos would pass every check below, so first: they are there.
    assert len(images) >= at_least, f"expected at least {at_least} images, found {len(images)}"
    broken = [f"{image['current'] or image['src']}" for image in images if image["natural"][0] == 0]
    assert not broken, "images that did not load:\n" + "\n".join(broken)
    outside = [image["current"] for image in images if not image["current"].startswith(base_url)]
    assert not outside, f"images loaded from outside {base_url}:\n" + "\n".join(outside)
    # Every image here is a <picture> with a WebP <source>; Chromium can show WebP, so picking the
    # JPEG/PNG fallback would mean a broken srcset or type, and a heavier page for every phone.
    not_webp = [f"{image['src']} → {image['current']}" for image in images
                if not (image["webp"] and urlsplit(image["current"]).path.endswith(".webp"))]
    assert not not_webp, "the WebP <source> was not the one chosen:\n" + "\n".join(not_webp)
    problems.assert_none()  # any 404 (a sub-path escape, a missing rendition) and any console error


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("path", [PHOTO_ARTICLE, SCREENSHOT_ARTICLE, ""],
                         ids=["photo-article", "screenshot-article", "home"])
def test_no_layout_shift_while_photos_arrive(
    slow_url: str, new_context: NewContext, problems: Problems, path: str, device: str
) -> None:
    """Photos that arrive late push nothing: width/height reserve each box before the bytes come."""
    context = new_context(**DEVICES[device])
    _without_site_js(context)
    page, cls, shifts = _measure_cls(context, slow_url + path)
    print(f"\nCLS photos only, {path or 'home'} @ {device}: {cls:.5f} ({len(shifts)} shifts)")

    images = page.evaluate(IMAGES_JS)
    assert images, "no images on the page: nothing was measured"
    errors = _aspect_errors(images)
    assert not errors, "images drawn in another shape than width/height promise:\n" + "\n".join(errors)
    assert cls < CLS_LIMIT, _shift_report(cls, shifts)
    problems.assert_none()


def test_layout_shift_measurement_sees_a_shift(slow_url: str, new_context: NewContext) -> None:
    """The control for the test above: without width/height the same page must measure a clear shift.

    Otherwise a CLS of 0 could just mean the observer saw nothing (wrong entry type, entries read
    too early, shifts dropped as "recent input", photos arriving before the first paint).
    """
    def strip_sizes(route: Route) -> None:
        response = route.fetch()
        html = re.sub(r'(<img\b[^>]*?) (?:width|height)="\d+"([^>]*?) (?:width|height)="\d+"', r"\1\2",
                      response.text())
        assert html.split("<main", 1)[1].count("<img") == 3 and not re.search(r'<img\b[^>]*height="', html)
        route.fulfill(response=response, body=html)

    context = new_context(**DEVICES["375"])
    _without_site_js(context)
    context.route(slow_url + PHOTO_ARTICLE, strip_sizes)
    _, cls, shifts = _measure_cls(context, slow_url + PHOTO_ARTICLE)
    print(f"\nCLS control (photos without width/height) @ 375: {cls:.5f} ({len(shifts)} shifts)")
    # 3x the limit: with issue 9's taller phone header (nav grid, search box) the photos start lower and
    # move a smaller share of the viewport (0.037 here, was 0.06); a blind measurement reads 0.
    assert cls > 3 * CLS_LIMIT, f"without width/height the page measured only {cls:.4f}: the measurement is blind"


@pytest.mark.parametrize("device", DEVICES)
def test_font_switch_appears_without_moving_the_article(
    slow_url: str, new_context: NewContext, problems: Problems, device: str
) -> None:
    """The whole article page, site.js included, arriving as on a slow phone: nothing may move."""
    context = new_context(**DEVICES[device])
    page, cls, shifts = _measure_cls(context, slow_url + PHOTO_ARTICLE)
    print(f"\nCLS whole page, {PHOTO_ARTICLE} @ {device}: {cls:.5f} ({len(shifts)} shifts)")
    assert page.locator(".font-switch").is_visible(), "site.js never showed the switcher: nothing was measured"
    assert cls < CLS_LIMIT, _shift_report(cls, shifts)
    problems.assert_none()


def test_exif_rotated_photo_renders_portrait(base_url: str, new_context: NewContext, problems: Problems) -> None:
    """photo2.jpg is stored landscape with EXIF Orientation 6: readers must see it standing up."""
    from PIL import Image

    page = new_context(**DEVICES["1366"]).new_page()
    page.goto(base_url + PHOTO_ARTICLE)
    _load_every_image(page)
    img = page.locator("figure", has_text=PORTRAIT_CAPTION).locator("img")
    box = img.bounding_box()
    assert box is not None
    assert box["height"] > box["width"], f"the rotated photo is drawn {box['width']}x{box['height']}, not portrait"

    # Chromium itself obeys an EXIF orientation tag (in JPEG), so the check above would also pass
    # if the pipeline had kept the tag instead of turning the pixels. Every rendition, the JPEG
    # fallback too, must be upright in its pixels and carry no tag, for viewers that ignore EXIF.
    renditions = img.evaluate("""el => [el.src, ...el.parentElement.querySelector('source').srcset.split(',')
        .map(candidate => new URL(candidate.trim().split(' ')[0], document.baseURI).href)]""")
    assert len(renditions) >= 2, f"expected the fallback and the WebP sizes, found {renditions}"
    for url in renditions:
        response = page.request.get(url)
        assert response.status == 200, f"{response.status} {url}"
        with Image.open(io.BytesIO(response.body())) as picture:
            assert picture.height > picture.width, f"{url} is stored {picture.width}x{picture.height}"
            assert picture.getexif().get(0x0112, 1) == 1, f"{url} still carries an EXIF orientation"
    problems.assert_none()


def test_attachments_resolve_with_labels(base_url: str, new_context: NewContext, problems: Problems) -> None:
    """The notice's 附件 box: both files listed, each labelled （TYPE，N KB）, each link downloads the file."""
    from playwright.sync_api import expect

    page = new_context(**DEVICES["375"]).new_page()
    page.goto(base_url + NOTICE)
    section = page.locator("section.attachments")
    expect(section).to_be_visible()
    expect(section.get_by_role("heading", name="附件", exact=True)).to_be_visible()
    expect(section.locator("li")).to_have_count(2)
    magic = {"DOCX": b"PK\x03\x04", "PDF": b"%PDF-"}  # a .docx is a zip; a 404 page would be neither

    # The same two files are linked in the text of the notice and listed in the box: check both.
    links = [*section.locator("li > a").all(), *page.locator(".article-body a", has_text="附件").all()]
    assert len(links) == 4, f"expected each attachment in the list and in the text, found {len(links)} links"
    for link in links:
        name = link.inner_text()
        label = link.evaluate("""a => { const next = a.nextSibling;
            return next && next.nodeType === 1 && next.matches('span.file-meta') ? next.textContent : null; }""")
        assert label is not None, f"{name}: no .file-meta label right after the link"
        match = re.fullmatch(r"（(DOCX|PDF)，(\d+) KB）", label)
        assert match, f"{name}: label {label!r}"
        kind, kb = match[1], int(match[2])
        link_box = link.bounding_box()
        label_box = link.locator("xpath=following-sibling::span[1]").bounding_box()
        assert link_box and label_box
        line = link.evaluate("a => parseFloat(getComputedStyle(a.parentElement).lineHeight)")
        # Next to the link: on the link's last line, or (the label never breaks inside) the line after.
        gap = label_box["y"] - (link_box["y"] + link_box["height"])
        assert gap < line, f"{name}: label {gap:.0f}px below its link, more than a line ({line:.0f}px)"

        url = urljoin(page.url, link.get_attribute("href") or "")
        assert urlsplit(url).path.startswith(PREFIX + NOTICE), f"{name} points outside its article: {url}"
        response = page.request.get(url)
        assert response.status == 200, f"{name}: {response.status} {url}"
        body = response.body()
        assert body.startswith(magic[kind]), f"{name}: {url} is not a {kind} file"
        assert kb == max(1, round(len(body) / 1024)), f"{name}: labelled {kb} KB, the file has {len(body)} bytes"

    # What a reader actually gets when tapping 附件1: the file, under its Chinese name.
    docx = section.get_by_role("link", name="附件1：报名表.docx", exact=True)
    expect(docx).to_be_visible()
    with page.expect_download() as download:
        docx.click()
    assert download.value.suggested_filename == "附件1：报名表.docx"
    problems.assert_none()


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize(("path", "at_least"), [("", 4), ("page/2/", 1), (CATEGORY, 2)],
                         ids=["home", "home-page2", "category"])
def test_listing_covers_sit_beside_titles(
    base_url: str, new_context: NewContext, problems: Problems, path: str, at_least: int, device: str
) -> None:
    """Covers are 4:3, beside the title (left on a monitor, right on a phone), and never widen the page."""
    page = new_context(**DEVICES[device]).new_page()
    page.goto(base_url + path)
    _load_every_image(page)
    rows = page.evaluate("""() => [...document.querySelectorAll('.article-list li.has-cover')].map(li => {
      const box = el => { const b = el.getBoundingClientRect();
        return {left: b.left, right: b.right, top: b.top, bottom: b.bottom, width: b.width, height: b.height}; };
      return {title: li.querySelector('h2').textContent.trim(), thumb: box(li.querySelector('.thumb img')),
              h2: box(li.querySelector('h2'))};
    })""")
    assert len(rows) >= at_least, f"expected at least {at_least} articles with a cover, found {len(rows)}"
    # The screen's width, not innerWidth: on a phone an overflowing page makes Chromium zoom out and
    # widen the layout viewport, so innerWidth grows with the overflow and would always "fit".
    viewport = page.viewport_size
    assert viewport is not None
    width = viewport["width"]
    wrong = []
    for row in rows:
        thumb, title = row["thumb"], row["h2"]
        ratio = thumb["width"] / thumb["height"] if thumb["height"] else 0
        if abs(ratio - 4 / 3) > 4 / 3 * 0.01:
            wrong.append(f"{row['title']}: cover drawn {thumb['width']:.1f}x{thumb['height']:.1f}, not 4:3")
        if device == "375":
            beside = thumb["left"] >= title["right"] - 0.5  # phones: the cover on the right of the title
        else:
            beside = thumb["left"] < title["left"] and thumb["right"] <= title["left"] + 0.5
        # Beside, not above or below: the two boxes share some height.
        beside = beside and thumb["top"] < title["bottom"] and title["top"] < thumb["bottom"]
        if not beside:
            wrong.append(f"{row['title']}: cover {thumb} not beside the title {title}")
        if thumb["left"] < 0 or thumb["right"] > width + 0.5:
            wrong.append(f"{row['title']}: cover sticks out of the {width}px screen: {thumb}")
    assert not wrong, "\n".join(wrong)
    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    assert scroll_width <= inner_width == width, (
        f"the page is {scroll_width}px wide (layout viewport {inner_width}px) on a {width}px screen: "
        "it scrolls sideways or is shown zoomed out")
    problems.assert_none()


SHOT_PAGES = {
    "home": "",
    "home-page2": "page/2/",  # 主题党日's cover (page_size 5 in the fixture)
    "category-zhi-bu-feng-cai": CATEGORY,
    "article-photos": PHOTO_ARTICLE,
    "article-heic": HEIC_ARTICLE,
    "article-screenshot": SCREENSHOT_ARTICLE,
    "notice-attachments": NOTICE,
}


@pytest.mark.parametrize("device", DEVICES)
def test_photo_page_screenshots(
    base_url: str, new_context: NewContext, problems: Problems, tmp_path: Path, device: str
) -> None:
    """Full-page pictures of the pages with photos, covers and attachments, for a human to judge."""
    # 2x on the phone (3x shots are too big to look at), 1x on the monitor, as most office screens are.
    options = {**DEVICES[device], "device_scale_factor": 2 if device == "375" else 1}
    page = new_context(**options).new_page()
    for name, path in SHOT_PAGES.items():
        page.goto(base_url + path)
        _load_every_image(page)  # else lazy photos show as empty boxes below the first screen
        _save_shot(page, tmp_path, f"{name}-{device}.png", full_page=True)
    problems.assert_none()


def test_tables_scroll_sideways_on_phones(site_dir: Path, base_url: str, new_context: NewContext,
                                          problems: Problems) -> None:
    """A table never squeezes to one character a line: its cells keep a readable width and it scrolls."""
    pages = sorted(p.parent.relative_to(site_dir).as_posix() + "/" for p in site_dir.rglob("index.html")
                   if '<div class="article-body">' in (text := p.read_text(encoding="utf-8")) and "<table" in text)
    assert pages, "the column fixture has an article with a table"
    page = new_context(**DEVICES["375"]).new_page()
    for path in pages:
        page.goto(base_url + path)
        narrowest = page.evaluate("""() => Math.min(
            ...[...document.querySelectorAll('.article-body td, .article-body th')]
            .map(c => c.getBoundingClientRect().width / parseFloat(getComputedStyle(c).fontSize)))""")
        assert narrowest >= 4, f"{path}: a table cell is only {narrowest:.1f} characters wide"
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, f"{path}: the page scrolls sideways"
    problems.assert_none()


def test_skip_link_lands_on_the_article(base_url: str, new_context: NewContext, problems: Problems) -> None:
    page = new_context(**DEVICES["1366"]).new_page()
    page.goto(base_url + SEED)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "跳到正文"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # the next stop after the skip is inside the article, not a breadcrumb link
    inside = page.evaluate("""() => !!document.activeElement.closest('main')
        && !document.activeElement.closest('.breadcrumb')""")
    assert inside, page.evaluate("document.activeElement.outerHTML")
    problems.assert_none()
