"""Every legacy fixture at once, as a hospital would run it: import, build, check, and the old URLs redirect.

The per-reader tests compare fields; this one holds the importer to "an import that
produces an invalid article is a bug" over all of them together, through the real CLI.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import yaml

from tests.conftest import PREFIX
from tests.nginxserver import running_nginx

HERE = Path(__file__).parent
COLUMN = HERE / "sites" / "column"
HTML = HERE / "legacy" / "html"
TEXT = HERE / "legacy" / "text"


class _NoFollow(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:  # the 301 itself is what is tested
        return None


def _sitegen(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sitegen", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=300)


def test_all_fixtures_import_build_pass_check_and_redirect(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(COLUMN / "static", site / "static")
    shutil.copyfile(COLUMN / "site.yaml", site / "site.yaml")
    sources = [HTML / name for name in ("dedecms-mirror", "empirecms-gbk", "pbootcms-single", "phpcms-complete",
                                        "unknown-template")]
    sources += [TEXT / "2021-07-01-zhi-bu.txt", TEXT / "other-column.txt"]
    done = _sitegen("import", *sources, cwd=site)
    assert done.returncode == 0, done.stdout + done.stderr
    articles = sorted((site / "content").rglob("index.md"))
    assert len(articles) == 7, [str(a) for a in articles]  # five CMS pages and two text exports
    report = (site / "import-report.md").read_text("utf-8")
    assert report.count("已忽略") >= 1  # the mirror's list page
    checked = _sitegen("check", ".", cwd=site)
    assert checked.returncode == 0, checked.stderr
    assert "检查通过" in checked.stdout
    built = _sitegen("build", ".", "-o", tmp_path / "out", cwd=site)
    assert built.returncode == 0, built.stderr
    # The old URLs the pages carried redirect, through the real nginx, to pages that exist.
    olds = {}
    for article in articles:
        front = yaml.safe_load(article.read_text("utf-8").split("---\n", 2)[1])
        if (old := (front.get("extra") or {}).get("legacy_url")) is not None:
            olds[old] = article
    assert len(olds) >= 4, olds
    (tmp_path / "nginx").mkdir()
    with running_nginx(tmp_path / "out", tmp_path / "nginx", legacy_map=site / "legacy-redirects.map") as origin:
        opener = urllib.request.build_opener(_NoFollow)
        for old in olds:
            path = urllib.parse.urlsplit(old)
            request = urllib.parse.quote(path.path) + (f"?{path.query}" if path.query else "")
            try:
                opener.open(origin + request, timeout=10)
                raise AssertionError(f"{old}: no redirect")
            except urllib.error.HTTPError as answer:
                assert answer.code == 301, (old, answer.code)
                target = answer.headers["Location"]
            # An old URL from another host redirects to site_url + the path (see sitegen/legacy/redirects.py):
            # the page itself is asked of this nginx.
            new = urllib.parse.urlsplit(target)
            assert new.path.startswith(PREFIX), (old, target)
            with urllib.request.urlopen(origin + new.path, timeout=10) as page:
                assert page.status == 200 and PREFIX in page.url
