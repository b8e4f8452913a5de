"""The build cache on disk: SQLite, so it is updated in place, transactional, and never executed.

A cache from anywhere (committed, corrupt, another version's) is at worst ignored:
every value is type-checked as it is read, and anything unexpected means a full
build with a notice. A source is reused only while its stamp is unchanged, an
output version only while the output's marker names it. Typed columns, not
serialised objects: loading 10,000 articles is one query, not 10,000 documents.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitegen.cache_rows import (
    SCHEMA,
    CorruptCache,
    Unchanged,
    article_from_row,
    problems_from_text,
    refs_from_text,
    source_row,
    stamp_of_row,
)
from sitegen.model import Parsed, Stamp

CACHE_DIR = ".sitegen-cache"
DB_NAME = "cache.sqlite"
_FORMAT = "4"


@dataclass(frozen=True)
class Version:
    """One output tree: every file in it with its key (what it was made from) and stamp."""

    state: str
    pages: Mapping[str, str]  # output path -> key; "" for a file whose content is unknown
    stamps: Mapping[str, tuple[int, int, int]]  # output path -> (ino, size, mtime_ns)


@dataclass(frozen=True)
class Known:
    stamp: Stamp
    racy: bool  # changed too close to the last build for its stamp to prove anything
    digest: str


@dataclass(frozen=True)
class Read:
    """The rows as they were read, so that saving writes only the ones that changed."""

    sources: Mapping[str, Any]
    excerpts: Mapping[str, str]
    statics: Mapping[str, Known]
    same_setup: bool  # False: the sources and excerpts rows belong to another setup


@dataclass
class Cache:
    setup: str
    path: Path | None = None  # the database, for versions read on demand
    sources: dict[str, tuple[Known, Parsed | None]] = field(default_factory=dict)
    excerpts: dict[str, str] = field(default_factory=dict)
    statics: dict[str, Known] = field(default_factory=dict)
    # Versions made or verified by this build, by (output, state); stored ones are read on demand.
    versions: dict[tuple[str, str], Version] = field(default_factory=dict)
    read: Read | None = None  # None: every table is rewritten
    meta: dict[str, str] = field(default_factory=dict)
    broken: str | None = None  # why the file could not be read at all


def _reader(path: Path) -> sqlite3.Connection:
    """For reading; in a read-only site folder too, where WAL mode cannot make its -shm file."""
    try:
        db = _connect(path)
        db.execute("SELECT 1 FROM sqlite_master").fetchone()
        return db
    except sqlite3.OperationalError:
        return sqlite3.connect(f"{path.resolve().as_uri()}?immutable=1", uri=True)


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")  # a commit is one fsync, and readers never block
    db.execute("PRAGMA synchronous=NORMAL")
    return db


_UNREADABLE = (sqlite3.Error, CorruptCache, ValueError, TypeError, KeyError, OverflowError)


def load(site_dir: Path, setup: str) -> tuple[Cache, tuple[str, str] | None]:
    """The cache for this setup, everything in it; and a notice if it could not be used."""
    cache = open_cache(site_dir, setup)
    return cache, read_rows(cache)


def open_cache(site_dir: Path, setup: str) -> Cache:
    """The cache with its settings only: a build with nothing to do needs no more."""
    cache = Cache(setup, site_dir / CACHE_DIR / DB_NAME)
    if cache.path is not None and cache.path.exists():
        try:
            db = _reader(cache.path)
            try:
                cache.meta = {_text(k): _text(v) for k, v in db.execute("SELECT key, value FROM meta")}
            finally:
                db.close()
        except _UNREADABLE as exc:
            cache.meta, cache.broken = {}, str(exc)
    return cache


def read_rows(cache: Cache) -> tuple[str, str] | None:
    """Read sources, excerpts and static files into `cache`; a notice if they could not be used."""
    if cache.broken is not None:
        return _notice(cache.broken)
    if cache.path is None or not cache.path.exists() or cache.meta.get("format") != _FORMAT:
        return None
    try:
        db = _reader(cache.path)
        try:
            _read(db, cache)
            return None
        finally:
            db.close()
    except _UNREADABLE as exc:
        cache.sources, cache.excerpts, cache.statics, cache.read = {}, {}, {}, None
        return _notice(str(exc))


def _notice(why: str) -> tuple[str, str]:
    return f"构建缓存无法读取（{why}），本次完整构建。", f"build cache unreadable ({why}); full build"


def _read(db: sqlite3.Connection, cache: Cache) -> None:
    for row in db.execute("SELECT path, mtime, size, ctime, ino, racy, digest FROM statics"):
        cache.statics[_text(row[0])] = Known(stamp_of_row(row[1:5]), bool(row[5]), _text(row[6]))
    same_setup = cache.meta.get("setup") == cache.setup
    if same_setup:  # sources and excerpts depend on site.yaml and sitegen's code; statics do not
        cache.excerpts = {_text(d): _text(t) for d, t in db.execute("SELECT digest, text FROM excerpts")}
        for row in db.execute("SELECT * FROM sources"):
            known = Known(stamp_of_row(row[1:5]), bool(row[5]), _text(row[6]))
            parsed = None
            if row[7] == 1:
                parsed = Parsed(row[0], known.stamp, known.digest, article_from_row(row[0], row[8:19], row[20]), (),
                                *refs_from_text(row[21]))  # refs, cover
            elif row[7] == 2:
                parsed = Parsed(row[0], known.stamp, known.digest, None, problems_from_text(row[19]))
            cache.sources[_text(row[0])] = (known, parsed)
    cache.read = Read(dict(cache.sources), dict(cache.excerpts), dict(cache.statics), same_setup)


def last_build(cache: Cache, output: str) -> Unchanged | None:
    return Unchanged.parse(cache.meta.get(f"inputs:{output}", ""))


def _text(value: object) -> str:
    if type(value) is not str:
        raise CorruptCache(f"expected text, found {type(value).__name__}")
    return value


def find_version(cache: Cache, output: str, state: str) -> Version | None:
    """The version of `output` called `state`: made by this build, or stored by an earlier one."""
    if (output, state) in cache.versions:
        return cache.versions[output, state]
    if not state or cache.path is None or not cache.path.exists():
        return None
    try:
        db = _reader(cache.path)
        try:
            if not db.execute("SELECT 1 FROM meta WHERE key = 'format' AND value = ?", (_FORMAT,)).fetchone():
                return None
            rows = db.execute("SELECT path, key, ino, size, mtime FROM files WHERE output = ? AND state = ?",
                              (output, state)).fetchall()
        finally:
            db.close()
        if not rows:
            return None
        pages = {_text(r[0]): _text(r[1]) for r in rows}
        stamps = {r[0]: stamp_of_row(r[2:5]) for r in rows if r[2] is not None}
    except _UNREADABLE:
        return None
    return Version(state, pages, stamps)


def save(cache: Cache, output: str, keep: set[str], unchanged: Unchanged | None = None) -> None:
    """Write what changed in one transaction; raises OSError or sqlite3.Error when it cannot."""
    assert cache.path is not None
    cache.path.parent.mkdir(exist_ok=True)
    db = _connect(cache.path)
    try:
        row = db.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
        if row is None or row[0] != _FORMAT:
            raise sqlite3.DatabaseError("another format")
    except sqlite3.Error:  # new, corrupt, or another version's: start afresh
        db.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{cache.path}{suffix}").unlink(missing_ok=True)
        cache.read = None
        db = _connect(cache.path)
    try:
        db.executescript(SCHEMA)
        db.execute("BEGIN IMMEDIATE")
        read = cache.read or Read({}, {}, {}, same_setup=False)
        if not read.same_setup:
            db.execute("DELETE FROM sources")
            db.execute("DELETE FROM excerpts")
        if cache.read is None:
            db.execute("DELETE FROM statics")
        db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", [("format", _FORMAT), ("setup", cache.setup)])
        db.execute("DELETE FROM meta WHERE key = ?", (f"inputs:{output}",))
        if unchanged is not None:
            db.execute("INSERT INTO meta VALUES (?, ?)", (f"inputs:{output}", unchanged.text()))
        _sync(db, "sources", "path", read.sources, cache.sources, source_row)
        _sync(db, "excerpts", "digest", read.excerpts, cache.excerpts, lambda d, t: (d, t))
        _sync(db, "statics", "path", read.statics, cache.statics,
              lambda p, k: (p, *k.stamp, k.racy, k.digest))
        # Versions of this output that no tree holds any more; other outputs of the site keep theirs.
        db.execute(f"DELETE FROM files WHERE output = ? AND state NOT IN ({', '.join('?' * len(keep))})",
                   (output, *keep))
        for (out, state), version in cache.versions.items():
            if out == output and state in keep:
                db.execute("DELETE FROM files WHERE output = ? AND state = ?", (output, state))
                db.executemany("INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?)", [
                    (output, state, p, k, *(version.stamps.get(p) or (None, None, None)))
                    for p, k in version.pages.items()])
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    finally:
        db.close()


def _sync(db: sqlite3.Connection, table: str, key: str, before: Mapping[str, Any], now: Mapping[str, Any],
          row: Any) -> None:
    """Update `table` in place: only rows whose value is not the very object that was read."""
    db.executemany(f"DELETE FROM {table} WHERE {key} = ?", [(k,) for k in before if k not in now])
    changed = [row(k, v) for k, v in now.items() if before.get(k) is not v]
    if changed:
        marks = ", ".join("?" * len(changed[0]))
        db.executemany(f"INSERT OR REPLACE INTO {table} VALUES ({marks})", changed)
