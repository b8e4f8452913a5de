#!/usr/bin/env python3
"""The pictures in docs/编辑指南.md: what an editor sees, shot from the example site, into docs/screenshots/.

    guide-article-phone.png    an article with its photo, on a phone (375 px wide)
    guide-attachments.png      the end of an article: its attachments, as linked and as listed
    guide-category.png         a category page (支部风采) on a computer
    guide-serve-overlay.png    `sitegen serve` showing a mistake (a misspelt category) over the page

The first three come from a build of the example site (this repository) served under /dangjian/ as
scripts/screenshots.py serves it; the overlay from a real `sitegen serve` of a copy of the example in
which the script then misspells a category, as an editor would. Only what is on screen is shot (not
full pages), and each PNG is reduced to a palette so the set stays small.

    python scripts/guide_screenshots.py                 # into docs/screenshots/
    python scripts/guide_screenshots.py --out /tmp/shots

Needs the playwright Python package and Debian's Chromium (apt-get install chromium fonts-noto-cjk).
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
from screenshots import CHROMIUM_ARGS, DEVICES, PREFIX, ROOT, TIMEOUT_MS, scroll_through, serve, setup

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

PHOTO_ARTICLE = "2024/07/01/zhu-ti-dang-ri/"  # content/2024/2024-07-01-zhu-ti-dang-ri: photos, a caption
ATTACHMENT_ARTICLE = "2025/06/03/yan-jiang-bi-sai-tong-zhi/"  # two attachments, linked in the text
CATEGORY = "category/zhi-bu-feng-cai/"
BROKEN = ROOT / "content" / "2024" / "2024-07-01-zhu-ti-dang-ri" / "index.md"
TYPO = ("category: 支部风采", "category: 支部风彩")  # the mistake the overlay shows
COLOURS = 96  # a palette this size keeps photos recognisable and text crisp at a tenth of the bytes


def _page(browser: Browser, device: str, url: str) -> Page:
    context = browser.new_context(**DEVICES[device])
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    response = page.goto(url, wait_until="load")
    if response is None or not response.ok:
        raise SystemExit(f"{url}: HTTP {response and response.status}")
    scroll_through(page)
    return page


def _small(path: Path) -> None:
    """Reduce to a palette (photos stay recognisable, text stays sharp) and let zlib work hard."""
    with Image.open(path) as img:
        small = img.convert("RGB").quantize(COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small.save(path, optimize=True)


def shoot_build(browser: Browser, base: str, out: Path) -> list[Path]:
    shots = []
    page = _page(browser, "phone", base + PHOTO_ARTICLE)
    # From 当前位置 down to the first photo and its caption: what a reader sees after a swipe or two.
    top = page.evaluate("document.querySelector('nav.breadcrumb').getBoundingClientRect().top + scrollY - 8")
    figure = page.locator("main figure").first
    figure.scroll_into_view_if_needed()
    box = figure.bounding_box()
    bottom = page.evaluate("scrollY") + (box["y"] + box["height"] if box else 700) + 8
    page.evaluate("window.scrollTo(0, 0)")
    shots.append(out / "guide-article-phone.png")
    page.screenshot(path=str(shots[-1]), full_page=True, animations="disabled", caret="hide",
                    clip={"x": 0, "y": top, "width": 375, "height": min(bottom - top, 1100)})
    page.context.close()

    page = _page(browser, "desktop", base + ATTACHMENT_ARTICLE)
    shots.append(out / "guide-attachments.png")
    # The paragraph linking the form, down to the 附件 list at the end of the article.
    linked = page.locator("main a[href$='.docx']").first
    target = page.locator("main .attachments, main section:has(h2:text('附件'))").last
    first, last = linked.bounding_box(), target.bounding_box()
    scroll_y = page.evaluate("scrollY")
    if first is None or last is None:
        raise SystemExit(f"{ATTACHMENT_ARTICLE}: no linked attachment or 附件 list to shoot")
    main = page.locator("main").bounding_box() or {"x": 0, "width": 1366}
    page.screenshot(path=str(shots[-1]), full_page=True, animations="disabled", caret="hide",
                    clip={"x": main["x"], "y": first["y"] + scroll_y - 40, "width": main["width"],
                          "height": last["y"] + last["height"] - first["y"] + 56})
    page.context.close()

    page = _page(browser, "desktop", base + CATEGORY)
    shots.append(out / "guide-category.png")
    page.screenshot(path=str(shots[-1]), animations="disabled", caret="hide")
    page.context.close()
    return shots


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def shoot_overlay(browser: Browser, tmp: Path, out: Path) -> tuple[Path, str]:
    """A real `sitegen serve` of a copy of the example; the script misspells a category as an editor would."""
    site = tmp / "site"
    site.mkdir()
    for name in ("site.yaml", "content", "static", "templates"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, site / name)
        elif (ROOT / name).is_file():
            shutil.copyfile(ROOT / name, site / name)
    port = _free_port()
    log = tmp / "serve.log"
    with log.open("wb") as sink:
        proc = subprocess.Popen([sys.executable, "-m", "sitegen", "serve", str(site), "--port", str(port)],
                                stdout=sink, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}{PREFIX}{PHOTO_ARTICLE}"
    try:
        deadline = time.monotonic() + 120
        while "预览地址" not in log.read_text("utf-8", "replace"):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("sitegen serve did not start:\n" + log.read_text("utf-8", "replace"))
            time.sleep(0.2)
        urllib.request.urlopen(url, timeout=10).close()
        context = browser.new_context(**DEVICES["desktop"])
        context.set_default_timeout(TIMEOUT_MS * 3)
        page = context.new_page()
        page.goto(url, wait_until="load")
        article = site / BROKEN.relative_to(ROOT)
        article.write_text(article.read_text("utf-8").replace(*TYPO, 1), "utf-8")
        page.locator("#sitegen-overlay").wait_for(state="attached")
        page.wait_for_timeout(300)
        target = out / "guide-serve-overlay.png"
        page.screenshot(path=str(target), animations="disabled", caret="hide",
                        clip={"x": 0, "y": 0, "width": 1366, "height": 360})
        context.close()
    finally:
        proc.send_signal(signal.SIGINT)  # as Ctrl-C in the editor's window
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return target, log.read_text("utf-8", "replace")


def main(argv: list[str] | None = None) -> int:
    args, executable = setup(__doc__, argv)
    if executable is None:
        return 1
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="sitegen-guide-") as tmp_name, sync_playwright() as pw:
        tmp = Path(tmp_name)
        build = tmp / "out"
        subprocess.run([sys.executable, "-m", "sitegen", "build", str(ROOT), "-o", str(build)], check=True)
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            with serve(build) as base:
                written = shoot_build(browser, base, args.out)
            overlay, serve_log = shoot_overlay(browser, tmp, args.out)
            written.append(overlay)
        finally:
            browser.close()
    for path in written:
        _small(path)
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}  {path.stat().st_size // 1024} KB")
    print("\nsitegen serve printed:\n" + serve_log)
    return 0


if __name__ == "__main__":
    sys.exit(main())
