"""关怀模式 (elder-friendly mode) and the page chrome's defects, checked in a real browser.

The column fixture (tests/sites/column) is served under /dangjian/ and driven in Debian's Chromium. What MIIT's
《互联网网站适老化通用设计规范》 asks of the mode is measured, not assumed: the toggle is pressed and must be
remembered across pages and reloads and be applied before site.js runs; computed font sizes and line heights;
the contrast of every piece of text against the colour actually behind it; the size of every target; no
sideways scrolling on a 320 px phone or at 200% zoom; the focus ring's contrast against whatever surrounds it;
every column of the phone nav on screen. The checks run in the normal look too, with its own limits (24 px
targets, 3:1 focus ring), so a regression in either look fails.

Needs Debian's Chromium and the ``playwright`` package: without them these tests skip, except under CI=true,
where they fail (tests/conftest.py).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from sitegen.config import parse_config
from tests.conftest import COLUMN, article_text, serve

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Route

TIMEOUT_MS = 15_000
CARE_KEY, FONT_KEY = "sitegen-care", "sitegen-font"
SEED = "2020/02/22/tianjin-du-zhan/"  # filed under 党建园地 itself
NOTICE = "2025/06/03/yan-jiang-bi-sai-tong-zhi/"  # 通知公告, with a 附件 box
CATEGORY = "category/zhi-bu-feng-cai/"
PAGES = {"index": "", "category": CATEGORY, "article": SEED, "notice": NOTICE}
PHONE = {"is_mobile": True, "has_touch": True}
SCREENS: dict[str, dict[str, Any]] = {
    "375": {"viewport": {"width": 375, "height": 812}, "device_scale_factor": 2, **PHONE},
    "1366": {"viewport": {"width": 1366, "height": 768}},
}
# The narrowest phone still sold, and a 1366 px monitor zoomed to 200%: 683 CSS px at 2 device px each.
NARROW: dict[str, dict[str, Any]] = {
    "320": {"viewport": {"width": 320, "height": 640}, "device_scale_factor": 2, **PHONE},
    "683-zoom200": {"viewport": {"width": 683, "height": 384}, "device_scale_factor": 2},
}
CARE_TEXT_PX = 24  # MIIT: the main text of the 适老 version at least 18 pt
CARE_LINE_HEIGHT = 1.8
CARE_CONTRAST = 7.0  # WCAG AAA, 1.4.6
CARE_TARGET_PX = 48
NORMAL_TARGET_PX = 24  # WCAG 2.5.8
RING_CONTRAST = 3.0  # WCAG 1.4.11 / 2.4.13
RING_MIN_PX = 2  # 2.4.13: the part that contrasts is at least 2 CSS px thick

# Colour arithmetic shared by the measurements below: parse computed colours, composite the backgrounds
# an element sits on (its own and its ancestors', down to the white canvas), WCAG relative luminance.
COLOUR_JS = r"""
window.__care = (() => {
  const parse = c => {
    const m = /rgba?\(([^)]*)\)/.exec(c || '');
    if (!m) return null;
    const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, bottom) => [0, 1, 2].map(i => top[i] * top[3] + bottom[i] * (1 - top[3])).concat([1]);
  const background = el => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    return layers.reduceRight((below, layer) => over(layer, below), [255, 255, 255, 1]);
  };
  const lum = c => {
    const v = c.slice(0, 3).map(x => { x /= 255; return x <= 0.04045 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2];
  };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const name = el => el.tagName.toLowerCase() + (el.className && typeof el.className === 'string'
    ? '.' + el.className.trim().split(/\s+/).join('.') : '') + ' "' + (el.textContent || el.value || '').trim()
    .slice(0, 20) + '"';
  return {parse, over, background, ratio, name};
})();
"""

# Every piece of text on the page, with the contrast of its colour against what is behind it: the element's own
# text, its ::before/::after content, and an input's placeholder.
TEXT_CONTRAST_JS = """() => {
  const {parse, over, background, ratio, name} = window.__care;
  const found = [];
  const seen = (el, what, colour, bg) => {
    const c = parse(colour);
    found.push({what: name(el) + what, ratio: ratio(over(c, bg), bg), colour, bg: bg.slice(0, 3).join(',')});
  };
  for (const el of document.body.querySelectorAll('*')) {
    if (!el.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
    const style = getComputedStyle(el);
    const bg = background(el);
    if ([...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) seen(el, '', style.color, bg);
    for (const pseudo of ['::before', '::after']) {
      const content = getComputedStyle(el, pseudo).content;
      if (content && content !== 'none' && content !== 'normal' && content.replace(/["'\\s]/g, '')) {
        seen(el, pseudo, getComputedStyle(el, pseudo).color, bg);
      }
    }
    if (el.placeholder) seen(el, '::placeholder', getComputedStyle(el, '::placeholder').color, bg);
  }
  return found;
}"""

# Every target a reader can tap or Tab to, but links inside running text (WCAG 2.5.8's inline exception).
TARGETS_JS = """() => [...document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]')]
  .filter(el => el.tabIndex >= 0 && !el.closest('[aria-hidden="true"], .article-body')
    && el.checkVisibility({visibilityProperty: true}))
  .map(el => {
    const r = el.getBoundingClientRect();
    return {what: window.__care.name(el), w: r.width, h: r.height};
  })"""

# The focused element's ring: each part (the outline, then the box-shadow halo beyond it) with its thickness and
# its contrast against what the page shows just outside the ring, on each side; and any ancestor that clips it.
RING_JS = """minWidth => {
  const {parse, background, ratio, name} = window.__care;
  const el = document.activeElement;
  if (el === document.body || el.__ringSeen) return {again: true};
  el.__ringSeen = true;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' ? parseFloat(style.outlineWidth) : 0;
  const offset = parseFloat(style.outlineOffset) || 0;
  const parts = [];
  if (outline > 0) parts.push({colour: parse(style.outlineColor), from: offset, to: offset + outline});
  const shadow = /^(rgba?\\([^)]*\\)) 0px 0px 0px ([\\d.]+)px$/.exec(style.boxShadow);
  if (shadow) parts.push({colour: parse(shadow[1]), from: 0, to: parseFloat(shadow[2])});
  // What shows of each part: the outline is painted over the shadow.
  const visible = parts.map(p => p === parts[0] || !outline ? {...p}
    : {...p, from: Math.max(p.from, offset + outline)}).map(p => ({...p, width: Math.max(0, p.to - p.from)}));
  const reach = Math.max(0, ...parts.map(p => p.to));
  const r = el.getBoundingClientRect();
  const out = reach + 2;
  const sides = [[r.left - out, r.top + r.height / 2], [r.right + out, r.top + r.height / 2],
                 [r.left + r.width / 2, r.top - out], [r.left + r.width / 2, r.bottom + out]];
  const bgs = sides.filter(([x, y]) => x >= 0 && y >= 0 && x < innerWidth && y < innerHeight)
    .map(([x, y]) => document.elementsFromPoint(x, y).find(e => e !== el && !el.contains(e)))
    .filter(Boolean).map(background);
  const clipped = [];
  for (let a = el.parentElement; a; a = a.parentElement) {
    const s = getComputedStyle(a);
    if (s.overflowX === 'visible' && s.overflowY === 'visible') continue;
    const b = a.getBoundingClientRect();
    if (r.left - reach < b.left - 0.5 || r.right + reach > b.right + 0.5
        || r.top - reach < b.top - 0.5 || r.bottom + reach > b.bottom + 0.5) clipped.push(name(a));
  }
  // Per side, the best part at least 2 px thick: the halo shows on the red band, the outline on the white page.
  const thick = visible.filter(p => p.width >= minWidth);
  const perSide = bgs.map(bg => Math.max(0, ...thick.map(p => ratio(p.colour, bg))));
  return {what: name(el), parts: visible.map(p => `${p.width}px rgb(${p.colour.slice(0, 3)})`),
    worst: Math.min(...perSide), sides: bgs.length, clipped};
}"""


# ---------------------------------------------------------------------------------------------
# Fixtures


@pytest.fixture(scope="module")
def site_url(column_build: Path) -> Iterator[str]:
    with serve(column_build) as url:
        yield url


@pytest.fixture
def browser_errors() -> list[str]:
    return []


@pytest.fixture
def new_context(chromium: Browser, browser_errors: list[str]) -> Iterator[Callable[..., BrowserContext]]:
    """Fresh contexts (empty localStorage) that record console errors, page errors and failed responses."""
    made: list[BrowserContext] = []

    def make(*, care: bool = False, font: str | None = None, **options: Any) -> BrowserContext:
        context = chromium.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        context.add_init_script(COLOUR_JS)
        stored = {CARE_KEY: "on" if care else None, FONT_KEY: font}
        # As if the reader had chosen on an earlier visit, before any of the page's own scripts run.
        context.add_init_script("try {" + "".join(f"localStorage.setItem('{key}', '{value}');"
                                                  for key, value in stored.items() if value) + "} catch (e) {}")
        context.on("console", lambda msg: msg.type == "error" and browser_errors.append(f"console: {msg.text}"))
        context.on("weberror", lambda err: browser_errors.append(f"page error: {err.error}"))
        context.on("response", lambda r: r.status >= 400 and browser_errors.append(f"{r.status} {r.url}"))
        # The 首页 / 医院概况 crumbs point at the hospital's real site: never fetch anything off this machine.
        context.route(re.compile(r"^https?://(?!127\.0\.0\.1[:/])"), lambda route: route.abort())
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


def _open(context: BrowserContext, url: str) -> Page:
    page = context.new_page()
    response = page.goto(url)
    assert response is not None and response.ok, f"{url}: HTTP {response and response.status}"
    page.evaluate("document.fonts.ready.then(() => null)")  # sizes and wrapping are judged on the real fonts
    return page


SITE_JS = re.compile(r".*/static/js/site\.js(\?.*)?$")  # with or without a version query


def _stub(route: Route) -> None:
    """site.js answered by an empty script: the page as the inline head script alone leaves it."""
    route.fulfill(status=200, content_type="text/javascript", body="/* stub */")


def _care(page: Page) -> str | None:
    return page.evaluate("document.documentElement.getAttribute('data-care')")


def _body_px(page: Page) -> float:
    return page.locator(".article-body p").first.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")


def _nav_names(site: Path | str = COLUMN) -> list[str]:
    """The top-level columns of site.yaml, in order: what the nav must list after its home item."""
    config = parse_config((Path(site) / "site.yaml").read_text(encoding="utf-8"))
    return [c.name for c in config.categories.values() if len(c.parents) == 1]


# ---------------------------------------------------------------------------------------------
# The toggle


def test_care_toggle_is_remembered_and_works_with_the_font_switch(
    site_url: str, new_context: Callable[..., BrowserContext], browser_errors: list[str]
) -> None:
    from playwright.sync_api import expect

    context = new_context(**SCREENS["375"])
    page = _open(context, site_url + SEED)
    toggle = page.locator("header button.care-toggle")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_text("关怀模式")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    assert _care(page) is None
    normal_px = _body_px(page)

    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    assert _care(page) == "on"
    assert page.evaluate(f"localStorage.getItem('{CARE_KEY}')") == "on"
    care_px = _body_px(page)
    assert care_px >= CARE_TEXT_PX > normal_px, f"body text {normal_px}px → {care_px}px in 关怀模式"

    # Remembered across a reload, and applied by base.html's inline script before the first paint: with site.js
    # answered by an empty script, the mode must still be on and the text still large.
    context.route(SITE_JS, _stub)
    page.reload()
    assert _care(page) == "on", "the mode is not applied before site.js runs: it would flash on every page"
    assert _body_px(page) == care_px
    context.unroute(SITE_JS, _stub)
    page.reload()
    expect(toggle).to_have_attribute("aria-pressed", "true")

    # ... and across pages: follow the nav to a column, then into one of its articles.
    nav_link = page.locator("nav.site-nav a", has_text="支部风采")
    nav_link.click()
    expect(page).to_have_url(site_url + CATEGORY)
    assert _care(page) == "on"
    expect(page.locator("header button.care-toggle")).to_have_attribute("aria-pressed", "true")
    page.locator(".article-list h2 a").first.click()
    expect(page.locator("h1.article-title")).to_be_visible()
    assert _care(page) == "on"

    # 字体 大 still enlarges the text in 关怀模式; 小 never takes it under the mode's floor.
    switch = page.locator(".font-switch")
    switch.get_by_role("button", name="大", exact=True).click()
    large_px = _body_px(page)
    assert large_px > care_px, f"字体 大 in 关怀模式: {large_px}px, not more than 中's {care_px}px"
    switch.get_by_role("button", name="小", exact=True).click()
    small_px = _body_px(page)
    assert CARE_TEXT_PX <= small_px < care_px, f"字体 小 in 关怀模式: {small_px}px"

    # Off again: forgotten, and the text back to the normal look's 中.
    switch.get_by_role("button", name="中", exact=True).click()
    page.locator("header button.care-toggle").click()
    expect(page.locator("header button.care-toggle")).to_have_attribute("aria-pressed", "false")
    assert _care(page) is None
    assert page.evaluate(f"localStorage.getItem('{CARE_KEY}')") is None
    page.reload()
    assert _care(page) is None
    assert _body_px(page) < CARE_TEXT_PX
    assert not browser_errors, "\n".join(browser_errors)


def test_care_toggle_takes_no_space_without_javascript_and_moves_nothing_with_it(
    site_url: str, new_context: Callable[..., BrowserContext]
) -> None:
    """Hidden without JavaScript (it could not work); with it, its box is there before site.js reveals it."""
    from playwright.sync_api import expect

    page = _open(new_context(java_script_enabled=False, **SCREENS["375"]), site_url + SEED)
    expect(page.locator("button.care-toggle")).to_be_hidden()

    def boxes(context: BrowserContext) -> dict[str, Any]:
        page = _open(context, site_url + SEED)
        expect(page.locator("button.care-toggle")).to_be_visible()
        return page.evaluate("""() => Object.fromEntries(['button.care-toggle', 'nav.site-nav', 'main', 'h1']
            .map(s => [s, JSON.stringify(document.querySelector(s).getBoundingClientRect())]))""")

    stubbed = new_context(**SCREENS["375"])
    stubbed.route(SITE_JS, _stub)
    before = boxes(stubbed)  # the page as first painted: the inline script ran, site.js not yet
    assert before == boxes(new_context(**SCREENS["375"])), "revealing the toggle moved the page"


# ---------------------------------------------------------------------------------------------
# Text, contrast and targets


@pytest.mark.parametrize("font", ["small", "medium", "large"])
def test_care_text_is_large_and_airy(site_url: str, new_context: Callable[..., BrowserContext], font: str) -> None:
    context = new_context(care=True, font=font, **SCREENS["375"])
    for name, selector in [("article", ".article-body p"), ("index", ".article-list .excerpt"),
                           ("index", ".article-list h2")]:
        page = _open(context, site_url + PAGES[name])
        sizes = page.locator(selector).evaluate_all("""els => els.map(el => { const s = getComputedStyle(el);
            return [parseFloat(s.fontSize), parseFloat(s.lineHeight) / parseFloat(s.fontSize)]; })""")
        assert sizes, f"no {selector} on {name}"
        small = [s for s in sizes if s[0] < CARE_TEXT_PX]
        assert not small, f"{selector} at 字体 {font}: {small[0][0]}px, under {CARE_TEXT_PX}px"
        if not selector.endswith("h2"):  # headings may sit tighter; running text may not
            tight = [s for s in sizes if s[1] < CARE_LINE_HEIGHT - 1e-3]
            assert not tight, f"{selector} at 字体 {font}: line height {tight[0][1]:.2f}, under {CARE_LINE_HEIGHT}"
        body_line = page.evaluate(
            "(s => parseFloat(s.lineHeight) / parseFloat(s.fontSize))(getComputedStyle(document.body))")
        assert body_line >= CARE_LINE_HEIGHT - 1e-3, f"the page's own line height is {body_line:.2f}"
        page.close()


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("name", PAGES)
def test_care_text_contrast_is_at_least_7_to_1(
    site_url: str, new_context: Callable[..., BrowserContext], browser_errors: list[str], name: str, screen: str
) -> None:
    page = _open(new_context(care=True, **SCREENS[screen]), site_url + PAGES[name])
    assert _care(page) == "on"
    texts = page.evaluate(TEXT_CONTRAST_JS)
    assert len(texts) > 20, f"only {len(texts)} pieces of text measured: is the page there?"
    low = [t for t in texts if t["ratio"] < CARE_CONTRAST]
    assert not low, f"text under {CARE_CONTRAST}:1 in 关怀模式 on {name} at {screen} px:\n" + "\n".join(
        f"  {t['ratio']:.2f}:1 {t['what']} ({t['colour']} on rgb({t['bg']}))" for t in low)
    assert not browser_errors, "\n".join(browser_errors)


def test_contrast_measurement_sees_low_contrast(site_url: str, new_context: Callable[..., BrowserContext]) -> None:
    """The control: the same measurement must catch grey text, a pale placeholder and a faint ::before."""
    page = _open(new_context(care=True, **SCREENS["1366"]), site_url)
    page.evaluate("""() => {
        document.querySelector('.list-meta').style.color = '#777';
        const input = document.createElement('input');
        input.placeholder = '搜索';
        document.querySelector('main').append(input);
        const style = document.createElement('style');
        style.textContent = 'input::placeholder { color: #aaa !important } li::before { color: #bbb !important }';
        document.head.append(style);
    }""")
    low = [t["what"] for t in page.evaluate(TEXT_CONTRAST_JS) if t["ratio"] < CARE_CONTRAST]
    assert any(w.startswith("p.list-meta") for w in low), low
    assert any(w.startswith("input") and w.endswith("::placeholder") for w in low), low
    assert any(w.startswith("li") and w.endswith("::before") for w in low), low


@pytest.mark.parametrize("care", [False, True], ids=["normal", "care"])
@pytest.mark.parametrize("screen", SCREENS)
def test_targets_are_large_enough(
    site_url: str, new_context: Callable[..., BrowserContext], screen: str, care: bool
) -> None:
    limit = CARE_TARGET_PX if care else NORMAL_TARGET_PX
    context = new_context(care=care, **SCREENS[screen])
    small: list[str] = []
    for name, path in PAGES.items():
        page = _open(context, site_url + path)
        targets = page.evaluate(TARGETS_JS)
        assert len(targets) >= 8, f"{name}: only {len(targets)} targets found"
        small += [f"  {name}: {t['what']} {t['w']:.0f}x{t['h']:.0f}" for t in targets
                  if t["w"] < limit - 0.01 or t["h"] < limit - 0.01]
        page.close()
    mode = "关怀模式" if care else "the normal look"
    assert not small, f"targets under {limit}x{limit} px in {mode} at {screen} px:\n" + "\n".join(small)


# ---------------------------------------------------------------------------------------------
# No sideways scrolling


@pytest.mark.parametrize("mode", ["normal", "care", "care-large"])
@pytest.mark.parametrize("screen", NARROW)
def test_no_sideways_scrolling(
    site_url: str, new_context: Callable[..., BrowserContext], screen: str, mode: str
) -> None:
    context = new_context(care=mode != "normal", font="large" if mode == "care-large" else None, **NARROW[screen])
    width = NARROW[screen]["viewport"]["width"]
    wide = []
    for name, path in PAGES.items():
        page = _open(context, site_url + path)
        assert (_care(page) == "on") == (mode != "normal")
        # innerWidth too: on a phone an overflowing page is shown zoomed out, its layout viewport widened to fit.
        scroll, client, inner = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth, innerWidth]")
        if not (scroll <= client and inner == width):
            culprits = page.evaluate("""w => [...document.body.querySelectorAll('*')]
                .filter(el => el.getBoundingClientRect().right > w + 0.5).slice(-3).map(window.__care.name)""", width)
            wide.append(f"  {name}: scrollWidth {scroll}, clientWidth {client}, innerWidth {inner}; {culprits}")
        page.close()
    assert not wide, f"sideways scrolling at {screen}, {mode}:\n" + "\n".join(wide)


# ---------------------------------------------------------------------------------------------
# Focus ring


def _ring_problems(ring: dict[str, Any]) -> list[str]:
    if ring["sides"] == 0:
        return [f"{ring['what']}: nothing measured around it"]
    problems = []
    if ring["worst"] < RING_CONTRAST:
        parts = ", ".join(ring["parts"]) or "no ring"
        problems.append(f"{ring['what']}: {ring['worst']:.2f}:1 on its worst side ({parts})")
    if ring["clipped"]:
        problems.append(f"{ring['what']}: ring clipped by {ring['clipped']}")
    return problems


@pytest.mark.parametrize("care", [False, True], ids=["normal", "care"])
@pytest.mark.parametrize("screen", SCREENS)
def test_focus_ring_shows_on_everything_it_meets(
    site_url: str, new_context: Callable[..., BrowserContext], screen: str, care: bool
) -> None:
    """Tab through two pages: every focused element's ring has a part ≥ 2 px thick at ≥ 3:1 against what
    surrounds it (the white page, the red header band), and no scrolling box clips it."""
    context = new_context(care=care, **SCREENS[screen])
    bad: list[str] = []
    seen: list[str] = []
    for path in (NOTICE, "page/2/"):  # the header, crumbs, 字体, 附件, 上一篇; the pager's links
        page = _open(context, site_url + path)
        page.locator("body").focus()
        for _ in range(100):
            page.keyboard.press("Tab")
            ring = page.evaluate(RING_JS, RING_MIN_PX)
            if ring.get("again"):  # back to the start: every element has been seen
                break
            seen.append(ring["what"])
            bad += [f"  {path}: {problem}" for problem in _ring_problems(ring)]
        else:
            pytest.fail(f"{path}: Tab never came back round")
        page.close()
    assert len(seen) >= 20, f"Tab reached only {len(seen)} elements: {seen}"
    assert sum("栏目首页" in w for w in seen) == 2, "the header nav was never focused"
    assert not bad, "focus rings that do not show:\n" + "\n".join(bad)


def test_focus_ring_measurement_sees_a_faint_ring(site_url: str, new_context: Callable[..., BrowserContext]) -> None:
    """The control: the old amber ring (2.08:1 on white) must fail the same measurement."""
    page = _open(new_context(**SCREENS["1366"]), site_url + SEED)
    page.add_style_tag(content=":focus-visible { outline: 3px solid #f0a500 !important; outline-offset: 2px !important;"
                               " box-shadow: none !important; }")
    page.locator("main").focus()
    page.keyboard.press("Tab")
    ring = page.evaluate(RING_JS, RING_MIN_PX)
    assert ring["parts"] and ring["worst"] < RING_CONTRAST, ring


# ---------------------------------------------------------------------------------------------
# Phone nav and the site's name


@pytest.mark.parametrize("care", [False, True], ids=["normal", "care"])
@pytest.mark.parametrize("screen", ["320", "375"])
def test_phone_nav_shows_every_column(
    site_url: str, new_context: Callable[..., BrowserContext], screen: str, care: bool
) -> None:
    options = NARROW["320"] if screen == "320" else SCREENS["375"]
    page = _open(new_context(care=care, **options), site_url + NOTICE)
    width = options["viewport"]["width"]
    links = page.evaluate("""() => [...document.querySelectorAll('nav.site-nav a')].map(a => {
        const r = a.getBoundingClientRect();
        const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        let clipped = false;
        for (let e = a.parentElement; e; e = e.parentElement) {
          const s = getComputedStyle(e);
          if ((s.maskImage || 'none') !== 'none') clipped = true;
          if (s.overflowX !== 'visible') {
            const b = e.getBoundingClientRect();
            if (r.left < b.left - 0.5 || r.right > b.right + 0.5) clipped = true;
          }
        }
        return {name: a.textContent.trim(), left: r.left, right: r.right, top: r.top, bottom: r.bottom,
                hit: hit === a || a.contains(hit), clipped, current: a.getAttribute('aria-current')};
    })""")
    assert [link["name"] for link in links] == ["栏目首页", *_nav_names()]
    for link in links:
        assert link["left"] >= 0 and link["right"] <= width, f"{link['name']} sticks out of the {width}px screen"
        assert link["top"] >= 0 and link["bottom"] <= options["viewport"]["height"], f"{link['name']} below the fold"
        assert link["hit"], f"{link['name']} is covered at its centre"
        assert not link["clipped"], f"{link['name']} is cut off or faded by its nav"
    assert [link["name"] for link in links if link["current"]] == ["通知公告"]
    nav_scroll = page.evaluate("(n => n.scrollWidth - n.clientWidth)(document.querySelector('nav.site-nav'))")
    assert nav_scroll <= 0, f"the nav scrolls sideways by {nav_scroll}px"


@pytest.mark.parametrize(("name", "current"),
                         [("index", "栏目首页"), ("category", "支部风采"), ("article", "栏目首页")])
def test_section_name_appears_once_in_the_header(
    site_url: str, new_context: Callable[..., BrowserContext], name: str, current: str
) -> None:
    """党建园地 is the header's title; the nav's first item is its home, not the same name again."""
    page = _open(new_context(**SCREENS["1366"]), site_url + PAGES[name])
    title = parse_config((COLUMN / "site.yaml").read_text(encoding="utf-8")).title
    header = page.locator("header.site-header").inner_text()
    assert header.count(title) == 1, f"{title} appears {header.count(title)} times in the header: {header!r}"
    current_links = page.locator("nav.site-nav a[aria-current]")
    assert current_links.all_inner_texts() == [current]


NO_HOME_CRUMB = """\
title: 党建园地
categories:
  - name: 支部风采
"""


def test_nav_home_is_called_shouye_when_no_crumb_is(make_site: Callable[..., Path], tmp_path: Path) -> None:
    """栏目首页 only where the breadcrumb already has a 首页 (the hospital's); else plainly 首页."""
    from sitegen.build import build

    names = {}
    for label, config in [("with", None), ("without", NO_HOME_CRUMB)]:
        site = make_site({"a.md": article_text(category="支部风采")}, **({"config": config} if config else {}))
        build(site, tmp_path / label)
        html = (tmp_path / label / "index.html").read_text(encoding="utf-8")
        nav = re.search(r'<nav class="site-nav".*?</nav>', html, re.S)
        assert nav, "no nav on the home page"
        names[label] = re.findall(r"<a [^>]*>([^<]*)</a>", nav[0])
        shutil.rmtree(site)  # make_site builds in one folder
    assert names == {"with": ["栏目首页", "廉洁微课堂", "支部风采"], "without": ["首页", "支部风采"]}
