"""What the build cache costs to load and save, against the pickle it replaced.

    python bench/cache_cost.py bench/.work/site-yaml-10000 [--runs 5]

The site must have been built (so its cache exists). --scale K replicates its
records K times under other names (10k x 5 = 50k, without building 50k articles).
Prints one JSON object:
median seconds for loading the SQLite cache, saving it whole (a cold build),
saving one changed article (a one-edit build), reading one output version,
and, for comparison, pickle.load / pickle.dump of the same records.
"""

from __future__ import annotations

import argparse
import gc
import json
import pickle
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sitegen import cache as cache_db
from sitegen.config import CONFIG_NAME
from sitegen.incremental import setup_key
from sitegen.publish import read_marker


def _median(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        fn()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def _reopen(saved: cache_db.Cache) -> None:
    fresh = cache_db.Cache(saved.setup, saved.path, meta=dict(saved.meta))
    assert cache_db.read_rows(fresh) is None and len(fresh.sources) == len(saved.sources)


def _scaled(cache: cache_db.Cache, version: cache_db.Version | None,
            k: int) -> tuple[cache_db.Cache, cache_db.Version | None]:
    big = cache_db.Cache(cache.setup, cache.path, excerpts=dict(cache.excerpts), statics=dict(cache.statics))
    for i in range(k):
        for path, (known, parsed) in cache.sources.items():
            name = f"{path[:-3]}-{i}.md"
            if parsed is not None and parsed.article is not None:
                parsed = replace(parsed, path=name, article=replace(parsed.article, path=name,
                                                                    url=f"{parsed.article.url}{i}/"))
            big.sources[name] = (known, parsed)
    if version is not None:
        pages = {f"{i}/{p}": key for i in range(k) for p, key in version.pages.items()}
        stamps = {f"{i}/{p}": st for i in range(k) for p, st in version.stamps.items()}
        version = cache_db.Version(version.state, pages, stamps)
    return big, version


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("site", type=Path)
    parser.add_argument("--output", type=Path, help="the built output (default: SITE/build)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scale", type=int, default=1, help="replicate the records this many times")
    args = parser.parse_args()
    gc.disable()  # as in a build: the parent runs with the cyclic GC off
    setup = setup_key((args.site / CONFIG_NAME).read_bytes(), False)
    cache, notice = cache_db.load(args.site, setup)
    if notice or not cache.sources:
        sys.exit(f"no usable cache in {args.site}: build it first ({notice})")
    output = (args.output or args.site / "build").resolve()
    version = cache_db.find_version(cache, str(output), read_marker(output))
    if args.scale > 1:
        cache, version = _scaled(cache, version, args.scale)
    result: dict[str, float | int] = {"sources": len(cache.sources)}
    with tempfile.TemporaryDirectory() as tmp:
        copy = cache_db.Cache(setup, Path(tmp) / cache_db.DB_NAME, cache.sources, cache.excerpts, cache.statics)
        if version is not None:
            copy.versions[str(output), version.state] = version
        keep = {version.state} if version is not None else set()

        def save_whole() -> None:
            copy.read = None
            cache_db.save(copy, str(output), keep)

        result["save_whole_s"] = _median(save_whole, args.runs)
        copy.meta = {"format": cache_db._FORMAT, "setup": setup}
        result["load_s"] = _median(lambda: _reopen(copy), args.runs)
        if version is not None:
            result["files"] = len(version.pages)
            result["read_version_s"] = _median(lambda: cache_db.find_version(
                cache_db.Cache(setup, copy.path), str(output), version.state), args.runs)
        copy.read = cache_db.Read(dict(copy.sources), dict(copy.excerpts), dict(copy.statics), same_setup=True)
        copy.versions.clear()
        path = next(iter(copy.sources))

        def save_one() -> None:
            known, parsed = copy.sources[path]
            copy.sources[path] = (replace(known, racy=not known.racy), parsed)
            cache_db.save(copy, str(output), keep)

        result["save_one_edit_s"] = _median(save_one, args.runs)
    records = {"sources": cache.sources, "excerpts": cache.excerpts, "pages": version.pages if version else {}}
    blob = pickle.dumps(records, protocol=pickle.HIGHEST_PROTOCOL)
    result["pickle_load_s"] = _median(lambda: pickle.loads(blob), args.runs)
    result["pickle_dump_s"] = _median(lambda: pickle.dumps(records, protocol=pickle.HIGHEST_PROTOCOL), args.runs)
    print(json.dumps({k: round(v, 4) if isinstance(v, float) else v for k, v in result.items()}))


if __name__ == "__main__":
    main()
