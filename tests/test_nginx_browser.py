"""A reader's visit in Chromium, through a real nginx running deploy/nginx.conf, not Python's server.

The column fixture (tests/sites/column) is served under /dangjian/ by Debian's nginx
(tests/nginxserver.py). A reader opens the column's home, clicks an article with photos, reads it down
to its end (so every lazy photo loads), follows its category in the nav and searches from the header
box, then opens the article from the results. Every request the browser makes is recorded: each must stay on this
server under /dangjian/ (nothing from another site, no /favicon.ico at the root: the theme links its own
icon) and each must answer below 400 (a missing stylesheet, photo rendition or search file would show as
a 404 here, which a test of the HTML alone would not see).

Without nginx or Chromium these tests skip, except under CI=true, where they fail.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

import pytest

from tests.conftest import PREFIX
from tests.nginxserver import running_nginx

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Response

PHOTO_ARTICLE = "护理党支部开展“九九重阳 情暖夕阳”志愿服务活动"  # tests/sites/column: two photos, in 支部风采
CATEGORY = "支部风采"
QUERY = "重阳"
TIMEOUT_MS = 20_000
IN_VIEW_LOADED_JS = """() => [...document.images].every(img => {
  const box = img.getBoundingClientRect();
  return box.bottom < 0 || box.top > innerHeight || box.width === 0 || img.complete;
})"""


@pytest.fixture(scope="module")
def origin(column_build: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_nginx(column_build, tmp_path_factory.mktemp("nginx-browser")) as url:
        yield url


def _read_to_the_end(page: Page) -> None:
    """Scroll a screen at a time, waiting for the photos in view, so lazy ones are requested too."""
    while True:
        page.wait_for_function(IN_VIEW_LOADED_JS)
        if page.evaluate("scrollY + innerHeight >= document.documentElement.scrollHeight - 1"):
            return
        page.evaluate("window.scrollBy(0, innerHeight * 0.8)")


def _visit(page: Page, home: str) -> None:
    page.goto(home)
    assert page.locator("h1").first.inner_text().strip(), "the home page has no heading"

    page.locator(".article-list h2 a", has_text=PHOTO_ARTICLE).click()
    page.wait_for_load_state()
    assert page.url.startswith(home) and page.url != home, page.url
    assert page.locator("h1").inner_text() == PHOTO_ARTICLE
    crumbs = page.locator("nav.breadcrumb li").all_inner_texts()
    assert crumbs[-2:] == ["党建园地", CATEGORY], f"breadcrumb: {crumbs}"
    assert page.locator("main img").count() >= 2, "the article's photos are not on the page"
    _read_to_the_end(page)
    broken = page.evaluate("[...document.querySelectorAll('main img')].filter(i => !i.naturalWidth).length")
    assert broken == 0, f"{broken} photo(s) did not load through nginx"

    page.locator("nav.site-nav a", has_text=CATEGORY).click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == CATEGORY
    assert page.locator(".article-list h2 a", has_text=PHOTO_ARTICLE).count() == 1

    page.fill("#site-search-q", QUERY)
    page.press("#site-search-q", "Enter")
    page.wait_for_selector(".search-result", timeout=TIMEOUT_MS)
    assert page.url.startswith(home + "search/"), page.url
    titles = page.locator(".search-result h2").all_inner_texts()
    assert PHOTO_ARTICLE in titles, f"search for {QUERY}: {titles}"
    page.locator(".search-result h2 a", has_text=PHOTO_ARTICLE).click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == PHOTO_ARTICLE


@pytest.mark.parametrize("width", [375, 1366])
def test_a_readers_visit_through_nginx(chromium: Browser, origin: str, width: int) -> None:
    phone = width < 600
    context = chromium.new_context(viewport={"width": width, "height": 800}, is_mobile=phone, has_touch=phone)
    context.set_default_timeout(TIMEOUT_MS)
    requested: list[str] = []
    answered: list[Response] = []
    failed: list[str] = []
    context.on("request", lambda r: requested.append(r.url))
    context.on("response", lambda r: answered.append(r))
    context.on("requestfailed", lambda r: failed.append(f"{r.url}: {r.failure}"))
    try:
        _visit(context.new_page(), origin + PREFIX)
    finally:
        context.close()
    host = urlsplit(origin).netloc
    outside = [u for u in requested if not u.startswith("data:")
               and (urlsplit(u).netloc != host or not urlsplit(u).path.startswith(PREFIX))]
    assert outside == [], f"requests outside {origin}{PREFIX}: {outside}"
    errors = [f"{r.status} {unquote(r.url)}" for r in answered if r.status >= 400]
    assert errors == [], "requests that failed through nginx:\n" + "\n".join(errors)
    assert failed == [], f"requests with no answer: {failed}"
    paths = {urlsplit(u).path for u in requested}
    # The visit did fetch what it should have, through nginx: theme files, the theme's icon (Chromium asks
    # for the linked one, so never for /favicon.ico at the server's root), photo renditions, the index.
    for part in (PREFIX + "static/css/", PREFIX + "static/favicon.svg", PREFIX + "pagefind", ".webp"):
        assert any(part in p for p in paths), f"no request for {part}: {sorted(paths)}"
