"""Theme assets are linked with their content version, which changes exactly when the file does."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from sitegen.build import build
from sitegen.fileio import file_digest
from sitegen.themefiles import THEME_STATIC
from tests.conftest import MINI_CONFIG, article_text, override

LINK = re.compile(r'(?:href|src)="([^"?]*static/[^"?]+)\?v=([0-9a-f]+)"')


def _versions(page: Path) -> dict[str, str]:
    return {url.rsplit("static/", 1)[1]: v for url, v in LINK.findall(page.read_text("utf-8"))}


def test_assets_carry_their_content_version_and_a_change_renews_it(make_site: Callable[..., Path]) -> None:
    site = make_site({"2020/a.md": article_text("一篇")}, MINI_CONFIG)
    out = site / "build"
    build(site, out)
    versions = _versions(out / "index.html")
    assert {"css/site.css", "js/site.js", "favicon.svg"} <= set(versions)
    for name, version in versions.items():
        assert version == file_digest(THEME_STATIC / name)[: len(version)], name
    assert _versions(out / "404.html") == versions  # the 404 page's absolute links carry them too
    css = override(site, "static/css/site.css")  # the site's own copy, edited
    css.write_text(css.read_text("utf-8") + "\n.x { color: red; }\n", "utf-8")
    build(site, out)
    after = _versions(out / "index.html")
    assert after["css/site.css"] != versions["css/site.css"] and after["js/site.js"] == versions["js/site.js"]
    article = next(out.glob("2020/**/index.html"))
    assert _versions(article)["css/site.css"] == after["css/site.css"]  # every page re-rendered with it

