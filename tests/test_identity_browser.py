"""In Chromium: whose column this is (the header's logo and name) and the printed page (打印本页).

The column fixture (tests/sites/column) is served under /dangjian/ as the hospital serves it. Printing is checked with
Chromium's print media, the stylesheet a printer gets: no navigation, search, switches or footer, the
organisation's name on top, 来源 and the article's absolute address at the end. Expected values come
from the fixture's site.yaml, never from copies of it here.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from sitegen.config import load_config
from tests.conftest import COLUMN, serve

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

SEED = "2020/02/22/tianjin-du-zhan/"
SHOTS_DIR = Path("/tmp/sitegen-shots")
DEVICES: dict[str, dict[str, Any]] = {
    "375": {"viewport": {"width": 375, "height": 812}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True},
    "1366": {"viewport": {"width": 1366, "height": 768}},
}
# What only works on a screen; each is on the fixture's article page.
SCREEN_ONLY = [".site-nav", "header [role=search]", ".care-toggle", ".font-switch", ".print-page", ".prev-next",
               "footer.site-footer"]
CONFIG = load_config(COLUMN)


@pytest.fixture(scope="module")
def base_url(column_build: Path) -> Iterator[str]:
    with serve(column_build) as url:
        yield url


def _open(chromium: Browser, url: str, errors: list[str], **options: Any) -> Page:
    context = chromium.new_context(**options)
    context.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page


def _shot(page: Page, tmp_path: Path, name: str) -> None:
    page.screenshot(path=str(tmp_path / name))
    SHOTS_DIR.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(tmp_path / name, SHOTS_DIR / name)


def test_fixture_has_a_publisher() -> None:
    """Every check below reads its expected values from here: an empty publisher would make them vacuous."""
    publisher = CONFIG.publisher
    assert publisher.name and publisher.logo and publisher.icp and publisher.police and CONFIG.site_url


@pytest.mark.parametrize("device", DEVICES)
def test_header_shows_logo_and_organisation(chromium: Browser, base_url: str, device: str, tmp_path: Path) -> None:
    errors: list[str] = []
    page = _open(chromium, base_url + SEED, errors, **DEVICES[device])
    brand = page.locator("header .brand")
    assert " ".join(brand.inner_text().split()) == f"{CONFIG.publisher.name} {CONFIG.title}"
    logo = brand.locator("img")
    natural, attrs, box = logo.evaluate("""img => [[img.naturalWidth, img.naturalHeight],
        [+img.getAttribute('width'), +img.getAttribute('height')],
        [img.getBoundingClientRect().width, img.getBoundingClientRect().height]]""")
    assert natural[0] > 0, "the logo did not load under the sub-path"
    assert attrs == list(CONFIG.publisher.logo_size) and abs(box[0] / box[1] - natural[0] / natural[1]) < 0.02
    assert 32 <= box[1] <= 56, f"logo drawn {box[1]} px high"
    header = page.locator("header.site-header").bounding_box()
    text = brand.locator(".brand-text").bounding_box()
    assert header and text and text["x"] + text["width"] <= header["x"] + header["width"]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"
    _shot(page, tmp_path, f"identity-header-{device}.png")
    brand.click()
    page.wait_for_load_state()
    assert page.url == base_url
    assert not errors, errors


def test_print_is_the_article_alone(chromium: Browser, base_url: str, tmp_path: Path) -> None:
    errors: list[str] = []
    page = _open(chromium, base_url + SEED, errors, **DEVICES["1366"])
    assert not page.locator(".print-url").is_visible(), "the address for paper shows on screen"
    page.emulate_media(media="print")
    for selector in SCREEN_ONLY:
        assert page.locator(selector).count(), f"{selector} missing from the page: the test checks nothing"
        assert not page.locator(selector).is_visible(), f"{selector} is printed"
    top = page.locator("header .brand")
    assert top.is_visible() and CONFIG.publisher.name in top.inner_text()
    assert page.locator("header .brand-logo").is_visible()
    assert top.bounding_box()["y"] < page.locator(".article-title").bounding_box()["y"]  # type: ignore[index]
    source, url = page.locator(".article-source"), page.locator(".print-url")
    assert source.is_visible() and source.inner_text().startswith("来源：")
    address = CONFIG.site_url + CONFIG.base_path + SEED
    assert url.is_visible() and url.inner_text() == f"本文网址：{address}"
    body = page.locator(".article-body").bounding_box()
    assert body and body["y"] + body["height"] <= source.bounding_box()["y"] <= url.bounding_box()["y"]  # type: ignore[index]
    crumbs = page.locator(".breadcrumb a")
    assert crumbs.count() and all(d == "none" for d in crumbs.evaluate_all(
        "links => links.map(a => getComputedStyle(a).textDecorationLine)"))
    _shot(page, tmp_path, "identity-print-emulated.png")
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page\n") + pdf.count(b"/Type/Page") >= 1
    assert not errors, errors


def test_print_button_needs_javascript(chromium: Browser, base_url: str) -> None:
    errors: list[str] = []
    page = _open(chromium, base_url + SEED, errors, java_script_enabled=False)
    assert not page.locator(".print-page").is_visible(), "a button that cannot work is shown without JavaScript"
    page.context.close()
    context = chromium.new_context()
    context.add_init_script("window.print = () => { window.__printed = (window.__printed || 0) + 1; };")
    page = context.new_page()
    page.goto(base_url + SEED)
    button = page.get_by_role("button", name="打印本页")
    assert button.is_visible()
    button.click()
    assert page.evaluate("window.__printed") == 1
    context.close()
    page = _open(chromium, base_url + SEED, errors, **DEVICES["375"])
    assert not page.locator(".print-page").is_visible(), "phones seldom print: the article keeps the first screen"
    page.context.close()
    assert not errors, errors
