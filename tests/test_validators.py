"""The built pages as two independent validators see them: axe-core in the browser, and vnu (the Nu HTML Checker).

axe-core (npm ``axe-core``) is injected into each page of the column fixture, served under /dangjian/ and
driven in Debian's Chromium, at a phone's width (375 px) and an office monitor's (1366 px), in the normal
look and in 关怀模式, the elder-friendly mode. Every violation fails, reported with its rule, the elements
it names and axe's help text. In 关怀模式 axe's AAA contrast rule (7:1) is switched on as well, because
that mode promises 7:1 to its readers (MIIT's 适老化 guideline).

vnu (npm ``vnu-jar``, on Debian's Java) checks every HTML page, the style sheet and every SVG of two
builds, tests/sites/column and tests/sites/markup (a fixture with every kind of markup an article can
produce), in one JVM run: the JVM takes seconds to start, the checking itself is quick. Only errors count;
vnu's warnings (an obsolete ``align`` pasted from Word) are advice. A deliberately broken page and style
sheet go into the same run, so a run that checks nothing (a wrong flag, output read from the wrong
stream) can't pass.

The tools are installed by ``npm ci`` at the repo root (package.json) and apt (chromium, a JRE):
without them these tests skip, except under CI=true, where they fail.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

import pytest

from tests.conftest import NODE_MODULES, copy_fixture_site, missing, serve

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
MARKUP_SITE = Path(__file__).parent / "sites" / "markup"
TIMEOUT_MS = 15_000
SEED = "2020/02/22/tianjin-du-zhan/"
SEARCH_QUERY = "纪检监察"  # finds the seed article (issue 9)

# What a reader opens: each kind of page, and an article with photos (figures, captions, <picture>).
PAGES = {
    "index": "",
    "category": "category/zhi-bu-feng-cai/",
    "article": SEED,
    "photo-article": "2024/07/01/zhu-ti-dang-ri/",
    "search": f"search/?q={SEARCH_QUERY}",
    "404": "404.html",
}
DEVICES: dict[str, dict[str, Any]] = {
    "375": {"viewport": {"width": 375, "height": 812}, "device_scale_factor": 2, "is_mobile": True,
            "has_touch": True},
    "1366": {"viewport": {"width": 1366, "height": 768}},
}
CARE_KEY, CARE_ON = "sitegen-care", "on"  # what the 关怀模式 toggle remembers in localStorage
MODES = ("normal", "care")


# ---------------------------------------------------------------------------------------------
# axe-core


@pytest.fixture(scope="module")
def column_url(column_build: Path) -> Iterator[str]:
    with serve(column_build) as url:
        yield url


def _axe_run(page: Page, care: bool) -> dict[str, Any]:
    if not AXE_JS.is_file():
        missing(f"{AXE_JS} is missing (npm ci at the repo root)")
    page.add_script_tag(path=str(AXE_JS))
    options: dict[str, Any] = {"resultTypes": ["violations"]}
    if care:
        options["rules"] = {"color-contrast-enhanced": {"enabled": True}}
    return page.evaluate("options => axe.run(document, options)", options)


def _report(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"][:8]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    {' '.join(map(str, node['target']))}: {summary}")
        if len(v["nodes"]) > 8:
            lines.append(f"    … and {len(v['nodes']) - 8} more")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def contexts(chromium: Browser) -> Iterator[dict[tuple[str, str], BrowserContext]]:
    """One browser context per screen and mode, shared by the module's pages (a context costs ~0.3 s)."""
    made: dict[tuple[str, str], BrowserContext] = {}
    yield made
    for context in made.values():
        context.close()


def _open(browser: Browser, contexts: dict[tuple[str, str], BrowserContext], url: str, device: str,
          mode: str) -> Page:
    if (device, mode) not in contexts:
        context = browser.new_context(**DEVICES[device])
        context.set_default_timeout(TIMEOUT_MS)
        if mode == "care":
            # As if the reader had switched 关怀模式 on on an earlier visit.
            context.add_init_script(f"try {{ localStorage.setItem('{CARE_KEY}', '{CARE_ON}') }} catch (e) {{}}")
        contexts[device, mode] = context
    page = contexts[device, mode].new_page()
    response = page.goto(url, wait_until="load")
    assert response is not None and response.ok, f"{url}: HTTP {response and response.status}"
    page.evaluate("document.fonts.ready.then(() => null)")  # contrast and sizes are judged on the real fonts
    return page


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_violations(chromium: Browser, contexts: dict[tuple[str, str], BrowserContext], column_url: str,
                                 name: str, device: str, mode: str) -> None:
    care = mode == "care"
    url = column_url + PAGES[name]
    page = _open(chromium, contexts, url, device, mode)
    try:
        if name == "search":
            # Judged with its results on screen: they are most of what a reader of that page sees.
            page.locator(f"main a[href*='{SEED.rstrip('/')}']").first.wait_for(state="visible")
        if care:
            assert page.evaluate("document.documentElement.dataset.care") == CARE_ON, (
                f"{url}: 关怀模式 was remembered in localStorage but <html data-care> is not 'on'")
        results = _axe_run(page, care)
    finally:
        page.close()
    assert len(results["passes"]) > 10, "axe ran almost no rules: is it really running on the page?"
    violations = results["violations"]
    assert not violations, f"axe-core: {len(violations)} violation(s) on {url} at {device} px, {mode}:\n" + _report(
        violations)


def test_axe_reports_a_known_violation(chromium: Browser, tmp_path: Path) -> None:
    """The harness itself: a page with an unlabelled image and a field without a label must fail."""
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><html lang="zh-CN"><title>坏页面</title><main><img src="x.png">'
                   '<input type="text"></main></html>', encoding="utf-8")
    context = chromium.new_context()
    try:
        page = context.new_page()
        page.goto(bad.as_uri())
        ids = {v["id"] for v in _axe_run(page, care=False)["violations"]}
    finally:
        context.close()
    assert {"image-alt", "label"} <= ids, ids


# ---------------------------------------------------------------------------------------------
# vnu


CANARY_HTML = '<!DOCTYPE html><html lang="zh-CN"><head><title>坏</title></head><body><p><div>块</div></p><foo></foo>'
CANARY_CSS = "p { colr: red; }\n"


@pytest.fixture(scope="module")
def markup_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/sites/markup, built with the real CLI."""
    site = copy_fixture_site(MARKUP_SITE, tmp_path_factory.mktemp("markup") / "site")
    out = site.parent / "out"
    subprocess.run([sys.executable, "-m", "sitegen", "build", str(site), "-o", str(out)], check=True)
    return out


def _checked_files(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*") if p.suffix in (".html", ".css", ".svg") and p.is_file())


@pytest.fixture(scope="module")
def vnu_messages(column_build: Path, markup_build: Path, tmp_path_factory: pytest.TempPathFactory
                 ) -> dict[Path, list[dict[str, Any]]]:
    """vnu's errors for every checked file of both builds and the canaries, from one JVM run."""
    java = shutil.which("java")
    if java is None:
        missing("java not found (apt-get install -y default-jre-headless)")
    if not VNU_JAR.is_file():
        missing(f"{VNU_JAR} is missing (npm ci at the repo root)")
    canaries = tmp_path_factory.mktemp("canary")
    (canaries / "canary.html").write_text(CANARY_HTML, encoding="utf-8")
    (canaries / "canary.css").write_text(CANARY_CSS, encoding="utf-8")
    files = [*_checked_files(column_build), *_checked_files(markup_build), *_checked_files(canaries)]
    # --stdout: vnu writes its report to stderr unless told otherwise, mixed with any JVM warning.
    proc = subprocess.run([java, "-jar", str(VNU_JAR), "--errors-only", "--also-check-css", "--also-check-svg",
                           "--format", "json", "--stdout", *map(str, files)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode in (0, 1), f"vnu failed to run ({proc.returncode}):\n{proc.stderr}"
    found: dict[Path, list[dict[str, Any]]] = {path.resolve(): [] for path in files}
    for message in json.loads(proc.stdout)["messages"]:
        url = message.get("url", "")
        assert url.startswith("file:"), f"vnu message about no file: {message}"
        path = Path(unquote(url.removeprefix("file:"))).resolve()
        assert path in found, f"vnu reported a file it was not given: {path}"
        found[path].append(message)
    return found


def _vnu_report(messages: dict[Path, list[dict[str, Any]]], root: Path) -> str:
    lines = []
    for path, errors in messages.items():
        for e in errors:
            lines.append(f"- {path.relative_to(root)}:{e.get('lastLine', '?')}: {e['message']}\n"
                         f"      {' '.join(e.get('extract', '').split())}")
    return "\n".join(lines)


def _errors_under(found: dict[Path, list[dict[str, Any]]], root: Path) -> dict[Path, list[dict[str, Any]]]:
    root = root.resolve()
    mine = {path: errors for path, errors in found.items() if path.is_relative_to(root)}
    assert any(path.suffix == ".html" for path in mine), f"no HTML page under {root} was checked"
    assert any(path.suffix == ".css" for path in mine), f"no style sheet under {root} was checked"
    return {path: errors for path, errors in mine.items() if errors}


def test_vnu_reports_known_errors(vnu_messages: dict[Path, list[dict[str, Any]]]) -> None:
    by_name = {path.name: errors for path, errors in vnu_messages.items() if path.stem == "canary"}
    assert by_name["canary.html"], "vnu found nothing wrong in a page with <div> inside <p> and an unknown element"
    assert any("colr" in e["message"] for e in by_name["canary.css"]), by_name["canary.css"]


def test_vnu_column_fixture_has_no_errors(vnu_messages: dict[Path, list[dict[str, Any]]], column_build: Path) -> None:
    errors = _errors_under(vnu_messages, column_build)
    assert not errors, "vnu errors in tests/sites/column:\n" + _vnu_report(errors, column_build.resolve())


def test_vnu_markup_fixture_has_no_errors(vnu_messages: dict[Path, list[dict[str, Any]]], markup_build: Path) -> None:
    errors = _errors_under(vnu_messages, markup_build)
    assert not errors, "vnu errors in tests/sites/markup:\n" + _vnu_report(errors, markup_build.resolve())
