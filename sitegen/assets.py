"""Theme assets (stylesheets, scripts, icons, the logo) linked with a content hash: `?v=3f2a1b4c0d`.

A changed file gets a new URL, so servers may let browsers keep these for a year
(deploy/nginx.conf); the files keep their names, so a site's own links and
Markdown references to /static/… keep working. The versions are part of every
template's key: changing the stylesheet re-renders the pages that link it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePosixPath

SUFFIXES = frozenset({".css", ".js", ".mjs", ".svg", ".ico", ".png", ".webp", ".jpg", ".jpeg", ".woff", ".woff2"})
LENGTH = 10  # hex digits: a collision between two versions of one file is not a concern


def is_theme_asset(path: str) -> bool:
    """A file under static/ that a template may link (photos belong beside their articles in content/)."""
    return path.startswith("static/") and PurePosixPath(path).suffix.lower() in SUFFIXES


def versions(digests: Mapping[str, str]) -> dict[str, str]:
    return {path: key[:LENGTH] for path, key in sorted(digests.items())}


def versioned(url: str, version: str | None) -> str:
    return f"{url}?v={version}" if version else url
