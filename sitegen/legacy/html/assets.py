"""The photos and attachments a page references: found on disk, named for the article folder."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from sitegen.legacy.model import Asset

IMAGES = frozenset({"jpg", "jpeg", "png", "gif", "bmp", "webp", "heic", "heif", "tif", "tiff"})
ATTACHMENTS = frozenset({"pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "wps", "et", "dps", "ofd",
                         "zip", "rar", "7z", "txt", "csv"})
_UNSAFE = re.compile(r"[\s\\/:*?\"<>|()\[\]{}#%&'`^!;=,+$@~\x00-\x1f]+")
_RESERVED = re.compile(r"^(?:con|prn|aux|nul|com[1-9]|lpt[1-9])$", re.IGNORECASE)


@dataclass(frozen=True)
class Place:
    """Where a page was found, for resolving what it references."""

    page: Path
    root: Path  # nothing outside it is read: a page cannot pull /etc/passwd into the site
    host_dir: Path | None  # a wget mirror's <host> folder: site-rooted references start there
    host: str | None  # the old site's host, from the mirror folder or the page's own URL


def kind_of(tag: str, ref: str) -> str | None:
    """"image" for a photo, "attachment" for a document link; None for an ordinary link."""
    ext = PurePosixPath(urlsplit(ref).path).suffix.lower().lstrip(".")
    if tag == "img":
        return "image"
    if ext in ATTACHMENTS:
        return "attachment"
    return "image" if ext in IMAGES else None


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True


def _bare(host: str) -> str:
    """www.dyrmyy.cn and dyrmyy.cn are one site; so is :80."""
    host = host.lower().removesuffix(":80")
    return host.removeprefix("www.")


def candidates(ref: str, place: Place) -> list[Path] | None:
    """Files that `ref` may be, best first; None when it points at another site (left as a link)."""
    url = urlsplit(ref.strip())
    if url.scheme not in {"", "http", "https"}:
        return None
    same_site = not url.netloc or (place.host is not None and _bare(url.netloc) == _bare(place.host))
    if url.netloc and not same_site:
        return None
    if url.path.startswith("/"):
        base = place.host_dir or place.root
        rel = url.path.lstrip("/")
    elif url.netloc:
        return None
    else:
        base, rel = place.page.parent, url.path
    names = [rel, unquote(rel)]
    if url.query:  # wget keeps the query in the file name: showpic.php?id=3
        names = [f"{n}?{url.query}" for n in names] + names
    out: list[Path] = []
    for name in dict.fromkeys(names):
        path = base / name
        if _inside(path, place.root) and path not in out:
            out.append(path)
    return out


def safe_name(ref: str, kind: str, taken: set[str], number: int, label: str = "") -> str:
    """A file name that works on every system and in a Markdown link, unique in the article folder.

    An attachment linked as "报名表.doc" is named so rather than as the CMS's upload number:
    readers download it under that name.
    """
    url = urlsplit(ref)
    raw = unquote(PurePosixPath(url.path).name) or f"{kind}-{number}"
    label = label.strip()
    if kind == "attachment" and label and PurePosixPath(label).suffix.lower() == PurePosixPath(raw).suffix.lower():
        raw = label
    stem, dot, ext = raw.rpartition(".")
    if not dot:
        stem, ext = raw, ""
    stem = _UNSAFE.sub("-", stem).strip("-. ") or f"{kind}-{number}"
    if _RESERVED.match(stem):
        stem += "-file"
    ext = _UNSAFE.sub("", ext).lower()
    name = f"{stem}.{ext}" if ext else stem
    n = 2
    while name.casefold() in taken:
        name = f"{stem}-{n}.{ext}" if ext else f"{stem}-{n}"
        n += 1
    taken.add(name.casefold())
    return name


def resolve(refs: list[tuple[str, str, str]], place: Place) -> tuple[tuple[Asset, ...], tuple[str, ...]]:
    """Assets for (tag, ref, link text) in page order, and a warning for each one that is missing."""
    assets: dict[str, Asset] = {}
    warnings: list[str] = []
    taken: set[str] = set()
    for tag, ref, label in refs:
        kind = kind_of(tag, ref)
        if kind is None or ref in assets or ref.startswith(("data:", "#")):
            continue
        paths = candidates(ref, place)
        if paths is None:
            if kind == "image":  # a photo from another site: not copied, so reported
                warnings.append(f"图片不在本站，未复制：{ref}（image on another site, not copied: {ref}）")
            continue
        found = next((p for p in paths if p.is_file()), None)
        assets[ref] = Asset(ref=ref, source=found, name=safe_name(ref, kind, taken, len(assets) + 1, label), kind=kind)
        if found is None:
            what = ("图片", "image") if kind == "image" else ("附件", "attachment")
            warnings.append(f"{what[0]}缺失：{ref}（missing {what[1]}: {ref}）")
    return tuple(assets.values()), tuple(warnings)
