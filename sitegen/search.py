"""The search index: a Pagefind bundle of every article, kept up to date without re-indexing them all.

Pagefind indexes from scratch every time (4.4 ms an article: 47 s at 10,000), so
the index comes in two parts, as a log-structured store does. The base bundle
(`pagefind/`) holds every article as it was when the base was made. The delta
bundle (`pagefind-delta/`) holds only the articles added or changed since, and
`search/state.json` names the base's entries they replace, by Pagefind's page id.
The search page merges the two and drops those entries. An edit re-indexes the
delta alone; once the delta passes `DELTA_LIMIT` articles the base is made again.

Bundles are made in the cache (`.sitegen-cache/search/`) and hard-linked into the
output, so a kept bundle costs neither time nor disk.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from sitegen.errors import Problem, SiteError
from sitegen.incremental import digest
from sitegen.job import RenderJob
from sitegen.model import Article, OutputFile
from sitegen.write import Sink

CACHE_NAME = "search"  # under .sitegen-cache/; shared by build and check: everything in it is content-addressed
BASE, DELTA, STATE = "pagefind", "pagefind-delta", "search/state.json"
DELTA_LIMIT = 200  # articles: at ~5 ms each plus 0.3 s to start Pagefind, about 1.3 s at most
STATES = 4  # outputs whose index state is kept: the site's build/, a preview folder, a check or two
_FRAGMENT_MAGIC = b"pagefind_dcd"


@dataclass(frozen=True)
class Bundle:
    id: str  # a key of the records in it
    records: Mapping[str, str]  # url -> record key
    pages: Mapping[str, str]  # url -> Pagefind page id (its fragment's hash)


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


def _run_pagefind(records: Mapping[str, str], root: Path, out: Path) -> None:
    """Index the given records (url -> key) into the bundle folder `out`."""
    with tempfile.TemporaryDirectory(prefix="sitegen-search-", dir=root) as tmp:
        for url, key in records.items():
            page = Path(tmp, url, "index.html")
            page.parent.mkdir(parents=True, exist_ok=True)
            os.link(record_path(root, key), page)
        done = subprocess.run([pagefind_binary(), "--site", tmp, "--output-path", str(out), "--silent"],
                              capture_output=True, text=True, check=False)
    if done.returncode != 0:
        shutil.rmtree(out, ignore_errors=True)
        detail = (done.stderr or done.stdout).strip()[-500:]
        raise SiteError([Problem("pagefind", None, f"生成站内搜索索引失败：{detail}",
                                 f"Pagefind failed to build the search index: {detail}")])


def _page_ids(bundle: Path) -> dict[str, str]:
    """url -> Pagefind's id for it: the search page drops a replaced article by this id."""
    ids = {}
    for frag in (bundle / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(frag.read_bytes())
        url = json.loads(data[len(_FRAGMENT_MAGIC):] if data.startswith(_FRAGMENT_MAGIC) else data)["url"]
        ids[url.lstrip("/")] = frag.stem  # Pagefind's urls are root-relative; ours are site-relative
    return ids


def _make(records: Mapping[str, str], root: Path, kind: str) -> Bundle:
    bundle_id = digest(kind, sorted(records.items()))
    folder = root / f"{kind}-{bundle_id}"
    if not (folder / "pagefind.js").is_file():
        shutil.rmtree(folder, ignore_errors=True)
        _run_pagefind(records, root, folder)
    return Bundle(bundle_id, dict(records), _page_ids(folder) if kind == BASE else {})


def _state_file(root: Path, slot: str) -> Path:
    return root / f"state-{slot}.json"


def _load(root: Path, slot: str) -> Bundle | None:
    try:
        data = json.loads(_state_file(root, slot).read_text(encoding="utf-8"))
        base = Bundle(data["id"], data["records"], data["pages"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return base if (root / f"{BASE}-{base.id}" / "pagefind.js").is_file() else None


def _save(root: Path, slot: str, base: Bundle) -> None:
    target = _state_file(root, slot)
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps({"id": base.id, "records": base.records, "pages": base.pages}), encoding="utf-8")
    os.replace(tmp, target)


def _kept_bases(root: Path) -> set[str]:
    """The base bundles of the newest STATES outputs' states; older states go (a check build makes one)."""
    states = sorted(root.glob("state-*.json"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in states[STATES:]:
        old.unlink(missing_ok=True)
    kept = set()
    for state in states[:STATES]:
        try:
            kept.add(f"{BASE}-{json.loads(state.read_text(encoding='utf-8'))['id']}")
        except (OSError, ValueError, KeyError, TypeError):
            state.unlink(missing_ok=True)
    return kept


@dataclass(frozen=True)
class Index:
    files: Mapping[str, tuple[str, Path]]  # output path -> (key, file to link)
    state: bytes  # search/state.json


def update(records: Mapping[str, str], root: Path, slot: str, fresh: bool = False) -> Index:
    """The bundles for these records (url -> key, each record already in the cache).

    `slot` names the output: each output has the base it was given, so building into a second
    folder (or sitegen check) does not make the first one's next build relink a new base.
    `fresh`: --clean, which makes the base anew (the only index a new clone would have).
    """
    root.mkdir(parents=True, exist_ok=True)
    if not records:  # Pagefind refuses an empty site; the page answers every query with 没有找到
        _prune(root, set(), ())
        return Index({}, json.dumps({"empty": True, "delta": False, "replaced": []}, separators=(",", ":")).encode())
    base = None if fresh else _load(root, slot)
    changed = {u: k for u, k in records.items() if base is None or base.records.get(u) != k}
    if base is None or len(changed) > min(DELTA_LIMIT, len(records) // 2):
        base, changed = _make(records, root, BASE), {}
    _save(root, slot, base)  # also marks this output's state the newest
    replaced = sorted(base.pages[u] for u, k in base.records.items() if records.get(u) != k and u in base.pages)
    bundles = [(BASE, base.id)]
    if changed:
        bundles.append((DELTA, _make(changed, root, DELTA).id))
    files = {}
    for kind, bundle_id in bundles:
        folder = root / f"{kind}-{bundle_id}"
        for path in _files(folder, kind):
            files[f"{kind}/{path}"] = (digest(bundle_id, path), folder / path)
    state = json.dumps({"delta": bool(changed), "replaced": replaced}, separators=(",", ":")).encode()
    _prune(root, {f"{kind}-{bundle_id}" for kind, bundle_id in bundles} | _kept_bases(root), records.values())
    return Index(files, state)


# Pagefind's own search UIs, unused (the search page has its own), and in a delta bundle its JS too:
# the page merges a delta into the base's instance, which loads only its data files.
_UNUSED = ("pagefind-ui.", "pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.")
_BASE_ONLY = ("pagefind.js", "pagefind-worker.js")


def _files(folder: Path, kind: str) -> Iterable[str]:
    skip = _UNUSED + (_BASE_ONLY if kind == DELTA else ())
    return sorted(rel for p in folder.rglob("*") if p.is_file()
                  and not (rel := p.relative_to(folder).as_posix()).startswith(skip))


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
                 extra: Callable[[Article, str], RenderJob]) -> list[RenderJob]:
    """Jobs that also write the search records the cache lacks; `keys`: article path -> its page's key."""
    missing = {a.path: str(p) for a in articles if not (p := record_path(root, keys[a.path])).is_file()}
    out = [replace(j, record=missing.pop(j.article.path, "")) for j in jobs]
    by_path = {a.path: a for a in articles}
    return out + [extra(by_path[path], record) for path, record in missing.items()]


def publish(articles: Sequence[Article], keys: Mapping[str, str], root: Path, page: OutputFile, page_key: str,
            old: Mapping[str, str], pages: dict[str, str], sink: Sink, slot: str, fresh: bool = False) -> list[str]:
    """The search page and the index bundles into the output, rewriting only what changed."""
    index = update({a.url: keys[a.path] for a in articles}, root, slot, fresh)
    written = []
    for path, (key, source) in index.files.items():
        pages[path] = key
        if old.get(path) != key:
            sink.link(path, source)
            written.append(path)
    for path, key, data in ((STATE, digest(index.state), index.state), (page.path, page_key, page.data)):
        pages[path] = key
        if old.get(path) != key:
            sink.write(path, data)
            written.append(path)
    return written
