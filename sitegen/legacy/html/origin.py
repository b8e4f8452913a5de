"""Where a saved page came from: its old URL, and the mirror folder it sits in."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

# What browsers write at the top of a page saved "complete": <!-- saved from url=(0054)http://… -->
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(\S+?)\s*-->", re.IGNORECASE)
# A wget -m folder is named after the host: www.example.cn, 192.168.1.10, localhost:8080 (wget writes the port).
# A name ends in letters (.cn, .com) or is an address: a folder named v1.2 is not a host.
_HOST = re.compile(r"^(?:localhost|(?:[a-z0-9-]+\.)+[a-z]{2,}|\d{1,3}(?:\.\d{1,3}){3})(?:[:+]\d+)?$", re.IGNORECASE)


def host_dir(path: Path, root: Path) -> Path | None:
    """The <host> folder of a wget mirror holding `path`, or None for a single or complete-saved page."""
    if path.with_name(path.stem + "_files").is_dir():
        return None  # saved "complete" by a browser, wherever it lies
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return None
    if len(parts) > 1 and _HOST.match(parts[0]):
        return root / parts[0]
    if parts and _HOST.match(root.name):  # root is the host folder: even its own index.php?id=1
        return root
    return None


def legacy_url(path: Path, mirror: Path | None, soup: BeautifulSoup, text: str) -> str | None:
    """The old address: the path under a mirror's host folder, else what the page says of itself."""
    if mirror is not None:
        return "/" + path.relative_to(mirror).as_posix()
    for selector, attr in (('link[rel="canonical"]', "href"), ('meta[property="og:url"]', "content")):
        el = soup.select_one(selector)
        value = str(el.get(attr) or "").strip() if el is not None else ""
        if value.startswith(("http://", "https://", "/")):
            return value
    match = _SAVED_FROM.search(text[:4096])
    return match.group(1) if match and match.group(1).startswith(("http://", "https://")) else None


def host_of(mirror: Path | None, url: str | None) -> str | None:
    """The old site's host, to tell its own absolute links from other sites'."""
    if mirror is not None:
        return mirror.name.replace("+", ":")
    return urlsplit(url).netloc or None if url else None
