"""`sitegen serve` in Chromium: a save reloads the open page; an error shows over it, and its fix reloads it.

The page is never reloaded by the test: a mark left on `window` before the save is gone
only if serve.js reloaded the page itself.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.conftest import ROOT, chromium_path, missing
from tests.servehelp import Served, copy_site, free_port

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

ARTICLE = "content/2024/2024-05-14-xue-xi.md"
TIMEOUT_MS = 20_000


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return copy_site(tmp_path / "site")


def _article_url(served: Served, page: Page) -> str:
    page.goto(served.url)
    page.get_by_role("link", name="第一党支部开展党纪学习教育").first.click()
    page.wait_for_load_state()
    return page.url


def _mark(page: Page) -> None:
    page.evaluate("window.__notReloaded = true")


def _reloaded(page: Page) -> None:
    page.wait_for_function("window.__notReloaded === undefined", timeout=TIMEOUT_MS)


def test_saving_an_article_reloads_the_open_page_with_the_new_text(chromium: Browser, site: Path) -> None:
    article = site / ARTICLE
    with Served(site, "--port", str(free_port())) as served:
        page = chromium.new_page()
        url = _article_url(served, page)
        assert url.startswith(served.url)
        page.wait_for_function("document.querySelector('script[data-generation]') !== null")
        page.wait_for_timeout(300)  # the event stream is open
        _mark(page)
        article.write_text(article.read_text("utf-8") + "\n这是保存后新加的一句话。\n", "utf-8")
        _reloaded(page)
        assert page.url == url
        page.get_by_text("这是保存后新加的一句话。").wait_for(timeout=TIMEOUT_MS)
        page.close()


_VISIBILITY = """hidden => {
    Object.defineProperty(document, "hidden", {configurable: true, get: () => hidden});
    document.dispatchEvent(new Event("visibilitychange"));
}"""


def test_a_tab_out_of_view_stops_listening_and_catches_up_when_back(chromium: Browser, site: Path) -> None:
    """Each listening tab holds one of the browser's 6 connections to the server: only tabs in view listen."""
    article = site / ARTICLE
    with Served(site, "--port", str(free_port())) as served:
        page = chromium.new_page()
        _article_url(served, page)
        page.wait_for_timeout(300)
        page.evaluate(_VISIBILITY, True)
        _mark(page)
        lines = len(served.out)
        article.write_text(article.read_text("utf-8") + "\n后台时保存的一句话。\n", "utf-8")
        served.wait_for("个文件有改动", after=lines)
        page.wait_for_timeout(1000)
        assert page.evaluate("window.__notReloaded") is True  # out of view: not told, not reloaded
        page.evaluate(_VISIBILITY, False)
        _reloaded(page)
        page.get_by_text("后台时保存的一句话。").wait_for(timeout=TIMEOUT_MS)
        page.close()


def test_an_error_shows_over_the_page_and_fixing_it_brings_the_page_back(chromium: Browser, site: Path) -> None:
    article = site / ARTICLE
    good = article.read_text("utf-8")
    with Served(site, "--port", str(free_port())) as served:
        page = chromium.new_page()
        alerts: list[str] = []
        page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
        url = _article_url(served, page)
        page.wait_for_timeout(300)
        _mark(page)
        article.write_text(good.replace("date: 2024-05-14 09:30",
                                        'date: 2024-13-45\n"<img src=x onerror=alert(1)>": 1'), "utf-8")
        overlay = page.locator("#sitegen-overlay")
        overlay.get_by_role("alertdialog").wait_for(timeout=TIMEOUT_MS)
        text = overlay.get_by_role("alertdialog").inner_text()
        assert "网站生成失败，共 2 个错误" in text
        assert f"{ARTICLE}:3" in text and "日期“2024-13-45”不存在" in text
        assert f"{ARTICLE}:4" in text and "未知字段“<img src=x onerror=alert(1)>”" in text  # shown as text
        assert overlay.locator("img").count() == 0 and alerts == []
        # Underneath, the last good page, not reloaded: the broken save was never published.
        assert page.evaluate("window.__notReloaded") is True
        assert page.get_by_role("heading", name="第一党支部开展党纪学习教育").count() == 1
        page.screenshot(path=str(site.parent / "overlay.png"))
        overlay.get_by_role("button", name="暂时关闭").click()  # to look at the page underneath
        assert overlay.count() == 0

        article.write_text(good.replace("第一党支部开展", "第三党支部开展"), "utf-8")
        _reloaded(page)
        assert page.url == url
        page.get_by_role("heading", name="第三党支部开展党纪学习教育").wait_for(timeout=TIMEOUT_MS)
        assert page.locator("#sitegen-overlay").count() == 0
        page.close()


def test_the_reload_benchmark_still_runs(tmp_path: Path) -> None:
    """bench/serve_reload.py on a tiny corpus: it must not rot between uses."""
    shared = ROOT.parent / "shared" / "bench"
    if not (shared / "gen_corpus.py").is_file():
        missing(f"{shared} is not beside the repo (the benchmark's corpus generator lives there)")
    if chromium_path() is None:
        missing("Chromium not found at /usr/bin/chromium or on PATH (apt-get install -y chromium)")
    out = tmp_path / "result.json"
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "serve_reload.py"), "--n", "30", "--edits", "2",
                           "--live", "--work", str(tmp_path / "work"), "--out", str(out)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads(out.read_text("utf-8"))
    assert result["articles"] == 30 and len(result["saves"]) == 2 and result["exit_code"] == 0
    assert all(0 < save["build_s"] < save["save_to_screen_s"] for save in result["saves"])
