"""Golden output: a small fixed site built and compared byte for byte.

When an intended change alters the output, refresh the expected tree with
    SITEGEN_REFRESH_GOLDEN=1 pytest tests/test_golden.py
and review the diff in git before committing it.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import shutil
from pathlib import Path

from sitegen.build import build
from sitegen.publish import MARKER
from sitegen.search import BASE
from tests.searchview import is_index_file, search_view

VERSION = re.compile(rb"\?v=[0-9a-f]{10}\b")
GOLDEN = Path(__file__).parent / "sites" / "golden"
EXPECTED = GOLDEN / "expected"


def _tree(root: Path) -> dict[str, bytes]:
    # static/ is a byte copy of the theme's files (the incremental tests compare it); a second
    # copy here would only have to be refreshed on every CSS change. The marker names the
    # build's state, which hashes sitegen's own code.
    # The search index's bundles are binary and Pagefind's: what they find is compared instead.
    # Theme assets carry their content version (?v=…); the theme is sitegen's, so editing its CSS
    # must not mean refreshing the golden tree: tests/test_assets.py checks the versions themselves.
    files = {rel: VERSION.sub(b"?v=VERSION", p.read_bytes()) for p in sorted(root.rglob("*"))
             if p.is_file() and not (rel := p.relative_to(root).as_posix()).startswith(("static/", MARKER))
             and not is_index_file(rel)}
    if (root / BASE).is_dir():  # a built site; the expected tree keeps the view as a file
        files["search-index.json"] = json.dumps(search_view(root), ensure_ascii=False, indent=1).encode()
    return files


def test_golden_site(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(GOLDEN, site, ignore=shutil.ignore_patterns("expected"))  # no templates/: sitegen's theme
    build(site, tmp_path / "out")
    actual = _tree(tmp_path / "out")
    if os.environ.get("SITEGEN_REFRESH_GOLDEN"):
        shutil.rmtree(EXPECTED, ignore_errors=True)
        out = tmp_path / "out"
        skip = ["static", "pagefind", "pagefind-delta"]
        shutil.copytree(out, EXPECTED, ignore=lambda d, _: skip if Path(d) == out else [])
        (EXPECTED / "search-index.json").write_bytes(actual["search-index.json"])
    expected = _tree(EXPECTED)
    assert sorted(actual) == sorted(expected), "file lists differ"
    for name, data in expected.items():
        if actual[name] != data:
            diff = difflib.unified_diff(
                data.decode(errors="replace").splitlines(), actual[name].decode(errors="replace").splitlines(),
                f"expected/{name}", f"actual/{name}", lineterm="",
            )
            raise AssertionError(f"{name} differs (SITEGEN_REFRESH_GOLDEN=1 to accept):\n" + "\n".join(diff))
