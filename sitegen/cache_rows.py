"""How cached values become table rows and back, type-checked on the way in.

STRICT tables make SQLite enforce the column types on every write; a file
crafted by hand can still hold anything, so reading checks them again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sitegen.errors import Problem
from sitegen.model import Article, Parsed, Ref

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS sources (
    path TEXT PRIMARY KEY, mtime INTEGER NOT NULL, size INTEGER NOT NULL, ctime INTEGER NOT NULL,
    ino INTEGER NOT NULL, racy INTEGER NOT NULL, digest TEXT NOT NULL,
    kind INTEGER NOT NULL,  -- 0: not parsed, 1: an article, 2: problems only
    title TEXT, date TEXT, tz TEXT, category TEXT, slug TEXT, url TEXT, source TEXT, author TEXT,
    summary TEXT, draft INTEGER, extra TEXT, problems TEXT,
    cover TEXT, refs TEXT) STRICT;  -- refs: JSON of what the body links to, and the cover's line
CREATE TABLE IF NOT EXISTS excerpts (digest TEXT PRIMARY KEY, text TEXT NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS statics (
    path TEXT PRIMARY KEY, mtime INTEGER NOT NULL, size INTEGER NOT NULL, ctime INTEGER NOT NULL,
    ino INTEGER NOT NULL, racy INTEGER NOT NULL, digest TEXT NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS files (
    output TEXT NOT NULL, state TEXT NOT NULL, path TEXT NOT NULL, key TEXT NOT NULL,
    ino INTEGER, size INTEGER, mtime INTEGER, PRIMARY KEY (output, state, path)) STRICT;
"""


@dataclass(frozen=True)
class Unchanged:
    """What the last build of an output saw and made, to tell at a glance that nothing changed."""

    inputs: str  # a key of every input's stamp, the templates and the setup
    state: str
    articles: int
    files: int
    until: int = 0  # when a scheduled article falls due (ns since the epoch): then this is stale

    def text(self) -> str:
        return f"{self.inputs} {self.state} {self.articles} {self.files} {self.until}"

    @staticmethod
    def parse(text: str) -> Unchanged | None:
        value = text.split(" ")
        if len(value) != 5 or not all(v.isdigit() for v in value[2:]):
            return None
        return Unchanged(value[0], value[1], int(value[2]), int(value[3]), int(value[4]))


class CorruptCache(Exception):
    """Raised while reading: the file is not a cache this version of sitegen wrote."""


def stamp_of_row(values: Any) -> Any:
    stamp = tuple(values)
    for v in stamp:
        if type(v) is not int:
            raise CorruptCache("bad stamp")
    return stamp


def _extra_text(extra: dict[str, Any]) -> str | None:
    """JSON for `extra`, or None when it cannot round-trip exactly (int keys, sets, bytes ...)."""
    if not extra:
        return "{}"
    try:
        text = json.dumps(extra, ensure_ascii=False)
        return text if json.loads(text) == extra else None
    except (TypeError, ValueError, RecursionError):
        return None


def source_row(path: str, entry: tuple[Any, Parsed | None]) -> tuple[Any, ...]:
    known, parsed = entry
    head = (path, *known.stamp, known.racy, known.digest)
    if parsed is not None and parsed.article is not None and not parsed.problems:
        a = parsed.article
        extra = _extra_text(dict(a.extra))
        if extra is not None:
            tz = a.date.tzinfo.key if isinstance(a.date.tzinfo, ZoneInfo) else None
            return (*head, 1, a.title, a.date.isoformat(), tz, a.category, a.slug, a.url, a.source, a.author,
                    a.summary, int(a.draft), extra, None, a.cover, refs_text(parsed))
    if parsed is not None and parsed.article is None:
        problems = json.dumps([[p.path, p.line, p.zh, p.en, p.warning] for p in parsed.problems],
                              ensure_ascii=False)
        return (*head, 2, *[None] * 11, problems, None, None)
    return (*head, 0, *[None] * 14)  # the stamp and digest alone: the file is parsed again


def article_from_row(path: str, row: Any, cover: Any = "") -> Article:
    title, date, tz, category, slug, url, source, author, summary, draft, extra = row
    for value in (path, title, date, category, slug, url, source, author, summary, extra, cover):
        if type(value) is not str:
            raise CorruptCache("bad article")
    when = datetime.fromisoformat(date)
    if tz is not None:
        when = when.astimezone(ZoneInfo(tz))
    extras = json.loads(extra) if extra != "{}" else {}
    if when.tzinfo is None or type(draft) is not int or not isinstance(extras, dict):
        raise CorruptCache("bad article")
    return Article(path=path, title=title, date=when, category=category, slug=slug, url=url, body="",
                   source=source, author=author, summary=summary, cover=cover, draft=bool(draft), extra=extras)


def problems_from_text(text: Any) -> tuple[Problem, ...]:
    rows = json.loads(text) if type(text) is str else None
    if not isinstance(rows, list):
        raise CorruptCache("bad problems")
    out = []
    for row in rows:
        path, line, zh, en, warning = row
        if not (line is None or type(line) is int) or type(warning) is not bool \
                or not all(type(v) is str for v in (path, zh, en)):
            raise CorruptCache("bad problem")
        out.append(Problem(path, line, zh, en, warning))
    return tuple(out)



def refs_text(parsed: Parsed) -> str | None:
    def ref(r: Ref | None) -> list[Any] | None:
        return None if r is None else [r.target, r.line, r.image, r.raw_html, r.described]

    if not parsed.refs and parsed.cover is None:
        return None  # most articles: no JSON to write, nor to parse on every build

    return json.dumps({"refs": [ref(r) for r in parsed.refs], "cover": ref(parsed.cover)}, ensure_ascii=False)


def refs_from_text(text: Any) -> tuple[tuple[Ref, ...], Ref | None]:
    """Type-checked: a crafted cache must not put a non-string where a path is expected."""
    def ref(value: Any) -> Ref:
        if not (isinstance(value, list) and len(value) == 5 and type(value[0]) is str and type(value[1]) is int
                and all(type(v) is bool for v in value[2:])):
            raise CorruptCache("bad reference")
        return Ref(*value)

    if text is None:
        return (), None
    data = json.loads(text) if type(text) is str else None
    if not (isinstance(data, dict) and isinstance(data.get("refs"), list)):
        raise CorruptCache("bad references")
    cover = data.get("cover")
    return tuple(ref(r) for r in data["refs"]), None if cover is None else ref(cover)
