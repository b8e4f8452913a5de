"""Running Pagefind: a bundle from search records, and what of it the site publishes.

The records (`searchtext.record`) live in the cache by key; a bundle is made by linking
the wanted ones into a folder laid out as the site's URLs and pointing Pagefind at it.
"""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from sitegen.errors import Problem, SiteError
from sitegen.fileio import link_or_copy

DELTA = "pagefind-delta"
_FRAGMENT_MAGIC = b"pagefind_dcd"


def record_path(root: Path, key: str) -> Path:
    return root / "records" / key[:2] / f"{key}.html"


def pagefind_binary() -> str:
    try:
        import pagefind_bin_extended  # the extended build segments Chinese; the plain one does not
    except ImportError:
        raise SiteError([Problem("site.yaml", None, "没有安装站内搜索所需的 Pagefind 扩展版，请运行："
                                 "pip install 'pagefind[extended]'。",
                                 "Pagefind's extended build is missing: pip install 'pagefind[extended]'")]) from None
    return str(pagefind_bin_extended.get_executable())


def run_pagefind(records: Mapping[str, str], root: Path, out: Path) -> None:
    """Index the given records (url -> key) into the bundle folder `out`."""
    with tempfile.TemporaryDirectory(prefix="sitegen-search-", dir=root) as tmp:
        for url, key in records.items():
            page = Path(tmp, url, "index.html")
            page.parent.mkdir(parents=True, exist_ok=True)
            link_or_copy(record_path(root, key), page)  # a FAT drive has no hard links
        done = subprocess.run([pagefind_binary(), "--site", tmp, "--output-path", str(out), "--silent"],
                              capture_output=True, text=True, check=False)
    if done.returncode != 0:
        shutil.rmtree(out, ignore_errors=True)
        detail = (done.stderr or done.stdout).strip()[-500:]
        raise SiteError([Problem("pagefind", None, f"生成站内搜索索引失败：{detail}",
                                 f"Pagefind failed to build the search index: {detail}")])


def page_ids(bundle: Path) -> dict[str, str]:
    """url -> Pagefind's id for it: the search page drops a replaced article by this id."""
    ids = {}
    for frag in (bundle / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(frag.read_bytes())
        url = json.loads(data[len(_FRAGMENT_MAGIC):] if data.startswith(_FRAGMENT_MAGIC) else data)["url"]
        ids[url.lstrip("/")] = frag.stem  # Pagefind's urls are root-relative; ours are site-relative
    return ids


# Pagefind's own search UIs, unused (the search page has its own), and in a delta bundle its JS too:
# the page merges a delta into the base's instance, which loads only its data files.
_UNUSED = ("pagefind-ui.", "pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.")
_BASE_ONLY = ("pagefind.js", "pagefind-worker.js")


def bundle_files(folder: Path, kind: str) -> Iterable[str]:
    skip = _UNUSED + (_BASE_ONLY if kind == DELTA else ())
    return sorted(rel for p in folder.rglob("*") if p.is_file()
                  and not (rel := p.relative_to(folder).as_posix()).startswith(skip))
