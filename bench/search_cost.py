"""What the search index costs: index time and bytes, and the builds around it, at 1k and 10k articles.

    python bench/search_cost.py [--sizes 1000 10000] [--out bench/.work/search-cost.json]

Uses the shared corpus (bench/corpus.py generates it once) and this checkout's
templates and static files. For each size, in one process, one after another:
a cold build (--clean), a no-change rebuild, an edit of one article (indexed into
the delta bundle), a second edit, and Pagefind's own run over every record,
timed alone. Index time is the time spent in Pagefind, measured around its calls;
bytes are the bundle's files as published (base, and delta if any). Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import EDIT_SENTENCE, ensure_corpus
from bench.corpus import SUBPATH_SITE_YAML as SITE_YAML
from sitegen import search
from sitegen.build import build

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "bench"

_spent = [0.0]
_run = search.run_pagefind


def _timed_run(*args: object, **kwargs: object) -> None:
    began = time.perf_counter()
    try:
        _run(*args, **kwargs)  # type: ignore[arg-type]
    finally:
        _spent[0] += time.perf_counter() - began


search.run_pagefind = _timed_run  # type: ignore[assignment]


def _bytes(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()] if folder.is_dir() else []
    return sum(p.stat().st_size for p in files), len(files)


def _step(site: Path, out: Path, **kw: bool) -> dict[str, float]:
    _spent[0] = 0.0
    began = time.perf_counter()
    result = build(site, out, **kw)
    return {"seconds": round(time.perf_counter() - began, 3), "pagefind_seconds": round(_spent[0], 3),
            "written": result.written}


def measure(n: int, work: Path) -> dict[str, object]:
    corpus = ensure_corpus(SHARED, ROOT / "bench" / ".work", n, "yaml")
    site = work / f"site-{n}"
    shutil.rmtree(site, ignore_errors=True)
    site.mkdir(parents=True)
    shutil.copytree(corpus, site / "content")  # a copy: the edits below must not touch the shared corpus
    (site / "site.yaml").write_text(SITE_YAML, "utf-8")
    out = site / "build"
    row: dict[str, object] = {"articles": n}
    row["cold"] = _step(site, out, clean=True)
    row["index_bytes"], row["index_files"] = _bytes(out / search.BASE)
    # The first rebuild is a full pass: the corpus was copied within the cold build's racy window,
    # so its stamps could not be trusted then. The second is the no-change fast path.
    row["no_change_first"] = _step(site, out)
    row["no_change"] = _step(site, out)
    articles = sorted((site / "content").rglob("*.md"))
    for name, victim in (("one_edit", articles[len(articles) // 2]), ("next_edit", articles[len(articles) // 3])):
        with victim.open("a", encoding="utf-8") as fh:
            fh.write(EDIT_SENTENCE)
        row[name] = _step(site, out)
    row["delta_bytes"], row["delta_files"] = _bytes(out / search.DELTA)
    # Pagefind alone over every record, as a base rebuild (past DELTA_LIMIT edits, or --clean) runs it.
    root = site / ".sitegen-cache" / search.CACHE_NAME
    records = {f"r/{i}/": rec.stem for i, rec in enumerate(sorted((root / "records").glob("*/*.html")))}
    began = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        _run(records, root, Path(tmp) / "bundle")
    row["pagefind_all_seconds"] = round(time.perf_counter() - began, 3)
    row["pagefind_peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)
    shutil.rmtree(site, ignore_errors=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / ".work" / "search-cost.json")
    args = parser.parse_args()
    work = ROOT / "bench" / ".work" / "search-cost"
    rows = [measure(n, work) for n in args.sizes]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(rows, indent=1), "utf-8")
    print(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
