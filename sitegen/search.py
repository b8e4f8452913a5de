"""The search index: a Pagefind bundle of every article, kept up to date without re-indexing them all.

Pagefind indexes from scratch every time (4.4 ms an article: 47 s at 10,000), so
the index comes in two parts, as a log-structured store does. The base bundle
(`pagefind/`) holds every article as it was when the base was made. The delta
bundle (`pagefind-delta/`) holds only the articles added or changed since, and
`search/state.json` names the base's entries they replace, by Pagefind's page id.
The search page merges the two and drops those entries. An edit re-indexes the
delta alone; once the delta passes `DELTA_LIMIT` articles the base is made again.

Bundles are made in the cache (`.sitegen-cache/search/`) and copied into the output
when they change, so a kept bundle costs no time.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from sitegen.fileio import write_atomic
from sitegen.incremental import code_key, digest
from sitegen.job import RenderJob
from sitegen.model import Article, OutputFile
from sitegen.searchindex import DELTA, bundle_files, page_ids, record_path, run_pagefind
from sitegen.write import Sink

CACHE_NAME = "search"  # under .sitegen-cache/; shared by build and check: everything in it is content-addressed
BASE, STATE, PAGE = "pagefind", "search/state.json", "search/index.html"
DELTA_LIMIT = 200  # articles: at ~5 ms each plus 0.3 s to start Pagefind, about 1.3 s at most
STATES = 4  # outputs whose index state is kept: the site's build/, a preview folder, a check or two


@dataclass(frozen=True)
class Bundle:
    id: str  # a key of the records in it
    records: Mapping[str, str]  # url -> record key
    pages: Mapping[str, str]  # url -> Pagefind page id (its fragment's hash)
    files: tuple[str, ...] = ()  # what of it is published, relative to its folder


def record_keys(articles: Sequence[Article], sums: Mapping[str, str], media: Mapping[str, str]) -> dict[str, str]:
    """Article path -> the key of its record: what the record is made of, and no more.

    Not the setup key: a change of page_size or of a template must not re-index 10,000 articles
    (50 s). The config enters only as each article's URL and category name.
    """
    code = code_key()
    return {a.path: hashlib.blake2b(f"{code}\0{sums[a.path]}\0{a.url}\0{a.category}\0{media[a.path]}".encode(),
                                    digest_size=16).hexdigest() for a in articles}


def _make(records: Mapping[str, str], root: Path, kind: str) -> tuple[Bundle, bool]:
    """The bundle of these records, and whether it had to be made (bundles are kept by content)."""
    bundle_id = digest(kind, sorted(records.items()))
    folder = root / f"{kind}-{bundle_id}"
    made = not (folder / "pagefind.js").is_file()
    if made:
        shutil.rmtree(folder, ignore_errors=True)
        run_pagefind(records, root, folder)
    ids = page_ids(folder) if kind == BASE else {}
    return Bundle(bundle_id, dict(records), ids, tuple(bundle_files(folder, kind))), made


def _state_file(root: Path, slot: str) -> Path:
    return root / f"state-{slot}.json"


def _load(root: Path, slot: str) -> Bundle | None:
    path = _state_file(root, slot)
    try:
        stamp = path.stat().st_mtime_ns
        if path in _loaded and _loaded[path][0] == stamp:  # read once per build: with_records, then update
            return _loaded[path][1]
        data = json.loads(path.read_text(encoding="utf-8"))
        base = Bundle(data["id"], data["records"], data["pages"], tuple(data["files"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not (root / f"{BASE}-{base.id}" / "pagefind.js").is_file():
        return None
    _loaded[path] = (stamp, base)
    return base


_loaded: dict[Path, tuple[int, Bundle]] = {}


def _save(root: Path, slot: str, base: Bundle) -> None:
    write_atomic(_state_file(root, slot),
                 json.dumps({"id": base.id, "records": base.records, "pages": base.pages, "files": base.files}))


def _kept_states(root: Path) -> tuple[set[str], set[str]]:
    """The bundles and records the newest STATES outputs' bases use; older states go (checks make some).

    Their records stay too: `known_records` trusts an output's base records to be on disk.
    """
    states = sorted(root.glob("state-*.json"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in states[STATES:]:
        old.unlink(missing_ok=True)
    bundles: set[str] = set()
    records: set[str] = set()
    for state in states[:STATES]:
        try:
            data = json.loads(state.read_text(encoding="utf-8"))
            bundles.add(f"{BASE}-{data['id']}")
            records.update(data["records"].values())
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            state.unlink(missing_ok=True)
    return bundles, records


@dataclass(frozen=True)
class Index:
    files: Mapping[str, tuple[str, Path, str]]  # output path -> (key, bundle folder, path in it)
    state: bytes  # search/state.json


def update(records: Mapping[str, str], root: Path, slot: str, fresh: bool = False) -> Index:
    """The bundles for these records (url -> key, each record already in the cache).

    `slot` names the output: each output has the base it was given, so building into a second
    folder (or sitegen check) does not make the first one's next build relink a new base.
    `fresh`: --clean, which makes the base anew (the only index a new clone would have).
    """
    root.mkdir(parents=True, exist_ok=True)
    if not records:  # Pagefind refuses an empty site; the page answers every query with 没有找到
        return Index({}, json.dumps({"empty": True, "delta": False, "replaced": []}, separators=(",", ":")).encode())
    base = None if fresh else _load(root, slot)
    changed = {u: k for u, k in records.items() if base is None or base.records.get(u) != k}
    made = base is None or len(changed) > min(DELTA_LIMIT, len(records) // 2)
    if made:
        (base, _), changed = _make(records, root, BASE), {}
        _save(root, slot, base)
    else:
        os.utime(_state_file(root, slot))  # the newest state: kept when other outputs' are dropped
    assert base is not None
    replaced = sorted(base.pages[u] for u, k in base.records.items() if records.get(u) != k and u in base.pages)
    bundles = [(BASE, base)]
    if changed:
        delta, made_delta = _make(changed, root, DELTA)
        bundles.append((DELTA, delta))
        made = made or made_delta
    # A bundle's files are named by their content or never change within it: its id is their key.
    files = {f"{kind}/{path}": (bundle.id, folder, path)
             for kind, bundle, folder in ((k, b, root / f"{k}-{b.id}") for k, b in bundles) for path in bundle.files}
    state = json.dumps({"delta": bool(changed), "replaced": replaced}, separators=(",", ":")).encode()
    if made:  # pruning reads every state and lists every record: only when something was added
        kept_bundles, kept_records = _kept_states(root)
        _prune(root, {f"{kind}-{b.id}" for kind, b in bundles} | kept_bundles, {*records.values(), *kept_records})
    return Index(files, state)


def known_records(root: Path, slot: str) -> frozenset[str]:
    """Record keys of this output's base: their files are there (only records no longer current are pruned)."""
    base = _load(root, slot)
    return frozenset(base.records.values()) if base is not None else frozenset()


def _prune(root: Path, keep: set[str], records: Iterable[str]) -> None:
    for folder in root.iterdir():
        if folder.is_dir() and folder.name.startswith((BASE + "-", DELTA + "-")) and folder.name not in keep:
            shutil.rmtree(folder, ignore_errors=True)
    wanted = {f"{k}.html" for k in records}
    for shard in (root / "records").glob("*"):
        for rec in shard.iterdir():
            if rec.name not in wanted:
                rec.unlink(missing_ok=True)


def with_records(jobs: list[RenderJob], articles: Sequence[Article], keys: Mapping[str, str], root: Path,
                 slot: str, extra: Callable[[Article, str], RenderJob]) -> list[RenderJob]:
    """Jobs that also write the search records the cache lacks; `keys`: article path -> its record's key."""
    known = known_records(root, slot)  # spares 10,000 stat calls in an edit build
    missing = {a.path: str(p) for a in articles
               if keys[a.path] not in known and not (p := record_path(root, keys[a.path])).is_file()}
    out = [replace(j, record=missing.pop(j.article.path, "")) for j in jobs]
    by_path = {a.path: a for a in articles}
    return out + [extra(by_path[path], record) for path, record in missing.items()]


def publish(articles: Sequence[Article], keys: Mapping[str, str], root: Path, page: Callable[[], OutputFile],
            page_key: str, old: Mapping[str, str], pages: dict[str, str], sink: Sink, slot: str,
            fresh: bool = False) -> list[str]:
    """The search page and the index bundles into the output, rewriting only what changed."""
    index = update({a.url: keys[a.path] for a in articles}, root, slot, fresh)
    written = []
    for path, (key, folder, rel) in index.files.items():
        pages[path] = key
        if old.get(path) != key:
            # Copied, not linked: a hand edit of the live file would otherwise edit the cache's copy too,
            # and the repair would link the defaced file back (57 MB at 10k; only when a bundle changes).
            sink.copy(path, folder / rel)
            written.append(path)
    # The page is rendered only when its key changed: compiling its templates costs 0.05 s an edit.
    for path, key, data in ((STATE, digest(index.state), lambda: index.state), (PAGE, page_key, lambda: page().data)):
        pages[path] = key
        if old.get(path) != key:
            sink.write(path, data())
            written.append(path)
    return written
