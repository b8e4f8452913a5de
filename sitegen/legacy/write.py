"""A `Page` as a folder article: its index.md text, where it goes, and whether what is there may be replaced.

The text carries `extra.legacy_hash`, a digest of the file as written (without that line), so a
later import can tell an article edited by hand since (never overwritten without --force) from
one that is still as imported, without a side file that a fresh checkout would lack.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from sitegen.dates import DateError, parse_date
from sitegen.errors import split_warnings
from sitegen.frontmatter import split
from sitegen.legacy.model import Page
from sitegen.model import SiteConfig
from sitegen.slugs import MAX_LENGTH, make_slug
from sitegen.validate import KEYS, article_from

_HASH_LINE = re.compile(r"^  legacy_hash: sha256:[0-9a-f]{16}\n", re.MULTILINE)
_IMAGE = r"!\[(?P<alt>[^\]]*)\]\({name}(?:\s+\"[^\"]*\")?\)"
_LINK = r"\[(?P<text>[^\]]*)\]\({name}(?:\s+\"[^\"]*\")?\)"


class _Quoted(str):
    """Written in double quotes: a title in “curly quotes”, or starting with `#` or `[`, reads back as typed."""


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(_Quoted, lambda dumper, data: dumper.represent_scalar("tag:yaml.org,2002:str", data, '"'))


@dataclass(frozen=True)
class Article:
    """What to write for one page."""

    text: str  # index.md
    folder_name: str  # <date>-<pinyin slug>, under <into>/<year>/
    year: str
    copies: tuple[tuple[Path, str], ...]  # (file found, name beside index.md)
    warnings: tuple[str, ...]


def normal_date(page: Page, config: SiteConfig) -> tuple[str, datetime] | str:
    """The page's date as sitegen reads it (full-width digits and spaces made plain, nothing else), or why not."""
    if not page.date or not page.date.strip():
        return "没有日期 (no date)"
    text = " ".join(unicodedata.normalize("NFKC", page.date).split())
    try:
        when = parse_date(text, ZoneInfo(config.timezone)).astimezone(ZoneInfo(config.timezone))
    except DateError:
        return f"日期无法识别：“{page.date}” (unreadable date)"
    return text, when


def compose(page: Page, category: str, legacy_source: str, config: SiteConfig) -> Article | str:
    """The article for `page` under `category`, or the reason it cannot be one."""
    dated = normal_date(page, config)
    if isinstance(dated, str):
        return dated
    date, when = dated
    warnings = list(page.warnings)
    body = page.body.strip("\n") + "\n"
    copies: list[tuple[Path, str]] = []
    for asset in page.assets:
        if asset.source is not None and asset.source.is_file():
            copies.append((asset.source, asset.name))
            continue
        # The article stays valid without it: a reference to a missing file would fail the build.
        body = re.sub(_IMAGE.format(name=re.escape(asset.name)), lambda m: m["alt"], body)
        body = re.sub(_LINK.format(name=re.escape(asset.name)), lambda m: m["text"], body)
        warnings = [w for w in warnings if asset.ref not in w]  # the reader's own note of it, said again below
        what = "图片" if asset.kind == "image" else "附件"
        warnings.append(f"{what}“{asset.ref}”找不到，已从正文中去掉 (missing {asset.kind}, left out)")
    if not body.strip():
        return "没有找到正文 (no body found)"
    front: dict[str, Any] = {"title": _Quoted(" ".join(page.title.split())), "date": date, "category": category}
    if page.source_name:
        front["source"] = _Quoted(page.source_name)
    if page.author:
        front["author"] = _Quoted(page.author)
    extra: dict[str, Any] = {}
    if page.legacy_url:
        extra["legacy_url"] = page.legacy_url
    extra["legacy_source"] = legacy_source
    if page.views is not None:
        extra["legacy_views"] = page.views
    if page.category and page.category != category:
        extra["legacy_category"] = page.category
    front["extra"] = extra
    text = _text(front, body)
    front["extra"] = {**extra, "legacy_hash": digest(text)}
    text = _text(front, body)
    problems = _problems(text, category, config)
    if problems:  # never write what the build would refuse: an importer bug, reported as such
        return f"生成的文章无效，请报告此问题：{problems} (the article written would be invalid: a bug)"
    folder = f"{when:%Y-%m-%d}-{_short(make_slug(page.title)) or 'article'}"
    return Article(text, folder, f"{when:%Y}", tuple(copies), tuple(warnings))


def _short(slug: str) -> str:
    """The slug cut at a word to leave room for a -2 … -9999 within the 60 characters a slug may have."""
    room = MAX_LENGTH - 5
    return slug if len(slug) <= room else slug[:room].rsplit("-", 1)[0]


def _text(front: dict[str, Any], body: str) -> str:
    dumped = yaml.dump(front, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1_000_000)
    return f"---\n{dumped}---\n\n{body}"


def _problems(text: str, category: str, config: SiteConfig) -> str:
    doc, problems = split(text, "index.md", KEYS)
    if doc is not None and not problems:
        _, problems = article_from(doc, "content/imported/index.md", config)
    errors, _ = split_warnings(problems)
    return "；".join(p.zh for p in errors)


def digest(text: str) -> str:
    """The text's digest, leaving out its own legacy_hash line."""
    return "sha256:" + hashlib.sha256(_HASH_LINE.sub("", text).encode("utf-8")).hexdigest()[:16]


def edited_by_hand(text: str) -> bool:
    """True unless `text` is exactly as an import wrote it (a file without a legacy_hash counts as edited)."""
    found = re.search(r"^  legacy_hash: (sha256:[0-9a-f]{16})$", text, re.MULTILINE)
    return found is None or found[1] != digest(text)


def imported_articles(content: Path) -> Iterator[tuple[dict[str, Any], Path]]:
    """(extra, path) of every article under `content` that records where it was imported from."""
    for path in sorted(content.rglob("*.md")):
        try:
            text = path.read_text("utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue
        if "legacy_" not in text or not text.startswith("---"):
            continue
        end = text.find("\n---", 3)
        try:
            front = yaml.safe_load(text[3:end]) if end > 0 else None
        except yaml.YAMLError:
            continue
        extra = front.get("extra") if isinstance(front, dict) else None
        if isinstance(extra, dict):
            yield extra, path
