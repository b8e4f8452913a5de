#!/usr/bin/env python3
"""Screenshots of the example site for people to look at: phone and desktop, into docs/screenshots/.

Builds the example site (this repository) into a temporary folder, serves it under /dangjian/ on
127.0.0.1 (as the hospital's server does, so a link that escapes the sub-path shows as broken), opens
it in Debian's Chromium and writes full-page PNGs:

    article-{phone,desktop}.png   an article (天津督战, the seed article)
    index-{phone,desktop}.png     the home listing, with photo thumbnails
    search-{phone,desktop}.png    the search page with its results for 纪检监察
    care-{phone,desktop}.png      the same article in 关怀模式

phone = 375 px wide (drawn at 2x), desktop = 1366 px. Each page is scrolled through before the shot so
lazy photos load; nothing is masked. The names never change, so a regenerated set shows up in
`git diff` as changed pictures.

    python scripts/screenshots.py                 # into docs/screenshots/
    python scripts/screenshots.py --out /tmp/shots

Needs the playwright Python package and Debian's Chromium (apt-get install chromium fonts-noto-cjk);
never a browser from `playwright install`.
"""

from __future__ import annotations

import argparse
import http.server
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "/dangjian/"
SEED = "2020/02/22/tianjin-du-zhan/"
QUERY = "纪检监察"
DEVICES: dict[str, dict[str, Any]] = {
    "phone": {"viewport": {"width": 375, "height": 812}, "device_scale_factor": 2, "is_mobile": True,
              "has_touch": True},
    "desktop": {"viewport": {"width": 1366, "height": 768}},
}
CARE_KEY, CARE_ON = "sitegen-care", "on"  # what the 关怀模式 toggle remembers
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
TIMEOUT_MS = 20_000
IN_VIEW_LOADED_JS = """() => [...document.images].every(img => {
  const box = img.getBoundingClientRect();
  return box.bottom < 0 || box.top > innerHeight || box.width === 0 || img.complete;
})"""
# (file name stem, path under the section, 关怀模式)
SHOTS = [
    ("article", SEED, False),
    ("index", "", False),
    ("search", f"search/?q={quote(QUERY)}", False),
    ("care", SEED, True),
]


class _Handler(http.server.SimpleHTTPRequestHandler):
    """The build under PREFIX only; anything else is a 404."""

    def do_GET(self) -> None:
        if self.path.startswith(PREFIX):
            super().do_GET()
        else:
            self.send_error(404)

    def translate_path(self, path: str) -> str:
        return super().translate_path("/" + path[len(PREFIX):])

    def log_message(self, format: str, *args: Any) -> None:  # "format": the base class's name
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_Handler, directory=str(directory)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def scroll_through(page: Page) -> None:
    """A screen at a time to the bottom, so every lazy photo starts; then wait for all of them, and go back up."""
    y = 0
    while True:
        page.evaluate("y => window.scrollTo(0, y)", y)
        # Lazy photos start only once seen: wait for the ones on this screen before moving on.
        page.wait_for_function(IN_VIEW_LOADED_JS)
        if page.evaluate("scrollY + innerHeight >= document.documentElement.scrollHeight - 1"):
            break
        y += int(page.evaluate("innerHeight") * 0.8)
    page.evaluate("window.scrollTo(0, 0)")
    page.evaluate("document.fonts.ready.then(() => null)")
    page.evaluate("new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done(null))))")


def shoot(browser: Browser, base: str, out: Path) -> list[Path]:
    written = []
    for device, options in DEVICES.items():
        for care in (False, True):
            context = browser.new_context(**options)
            context.set_default_timeout(TIMEOUT_MS)
            if care:
                context.add_init_script(f"try {{ localStorage.setItem('{CARE_KEY}', '{CARE_ON}') }} catch (e) {{}}")
            try:
                for stem, path, shot_care in SHOTS:
                    if shot_care != care:
                        continue
                    page = context.new_page()
                    response = page.goto(base + path, wait_until="load")
                    if response is None or not response.ok:
                        raise SystemExit(f"{base + path}: HTTP {response and response.status}")
                    if stem == "search":
                        # The results arrive after load, from the search index.
                        page.locator(f"main a[href*='{SEED.rstrip('/')}']").first.wait_for(state="visible")
                    if care and page.evaluate("document.documentElement.dataset.care") != CARE_ON:
                        raise SystemExit(f"{base + path}: 关怀模式 did not turn on (<html data-care> is not 'on')")
                    scroll_through(page)
                    target = out / f"{stem}-{device}.png"
                    page.screenshot(path=str(target), full_page=True, animations="disabled", caret="hide")
                    written.append(target)
                    page.close()
            finally:
                context.close()
    return written


def setup(doc: str | None, argv: list[str] | None) -> tuple[argparse.Namespace, str | None]:
    """--out parsed (and made), and Debian's Chromium; None (said on stderr) when it is missing."""
    parser = argparse.ArgumentParser(description=(doc or "").split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots", help="folder for the PNGs")
    args = parser.parse_args(argv)
    executable = "/usr/bin/chromium" if Path("/usr/bin/chromium").is_file() else shutil.which("chromium")
    if executable is None:
        print("Chromium not found (apt-get install chromium fonts-noto-cjk)", file=sys.stderr)
    args.out.mkdir(parents=True, exist_ok=True)
    return args, executable


def main(argv: list[str] | None = None) -> int:
    args, executable = setup(__doc__, argv)
    if executable is None:
        return 1
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="sitegen-shots-") as tmp:
        site = Path(tmp) / "out"
        subprocess.run([sys.executable, "-m", "sitegen", "build", str(ROOT), "-o", str(site)], check=True)
        with serve(site) as base, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            try:
                written = shoot(browser, base, args.out)
            finally:
                browser.close()
    for path in written:
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}  {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
