"""What a reader can find in a built site's search index, whatever bundles it is split into.

An incremental build adds a delta bundle where a clean build remakes the base
(sitegen/search.py), so the two outputs differ byte for byte and must not differ in
what search finds: both are compared by this view, url -> what Pagefind indexed.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from sitegen.search import BASE, DELTA, STATE

MAGIC = b"pagefind_dcd"


def fragments(bundle: Path) -> dict[str, dict]:
    out = {}
    for frag in sorted((bundle / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(frag.read_bytes())
        out[frag.stem] = json.loads(data[len(MAGIC):] if data.startswith(MAGIC) else data)
    return out


def search_view(out: Path) -> dict[str, object]:
    """url -> (meta without the record's key, indexed text), as the search page merges the bundles."""
    state = json.loads((out / STATE).read_text("utf-8"))
    view: dict[str, object] = {}
    bundles = [(BASE, set(state["replaced"])), *([(DELTA, set())] if state["delta"] else [])]
    for bundle, dropped in bundles:
        for page_id, data in fragments(out / bundle).items():
            if page_id not in dropped:
                meta = {k: v for k, v in data["meta"].items() if k != "rev"}
                view[data["url"]] = [meta, data["content"]]
    return dict(sorted(view.items()))


def is_index_file(rel: str) -> bool:
    return rel == STATE or rel.startswith((BASE + "/", DELTA + "/"))


def index_writes(out: Path) -> int:
    """Files an edit rewrites for search: the delta bundle and search/state.json (the base stays)."""
    delta = out / DELTA
    return 1 + (sum(1 for p in delta.rglob("*") if p.is_file()) if delta.is_dir() else 0)
