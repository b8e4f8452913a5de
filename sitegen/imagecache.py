"""The rendition cache: one folder per key, published whole by a rename, read back distrustfully.

meta.json is data another program (or a person) may have edited: every field is type-checked,
file names must match a strict pattern (no "../"), and every file must exist with the byte size
meta.json recorded. Anything off means "not cached", and the image is processed again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
import shutil
import stat
import time
from pathlib import Path

import PIL
import pillow_heif

from sitegen.imagemodel import KINDS, MIMES, ImageInfo, ImageSettings, Rendition

PROCESSOR_VERSION = "2"  # bump when the pixels or names an entry holds change
META = "meta.json"
TMP_PREFIX = ".tmp-"
STALE_TMP_SECONDS = 3600  # a temp folder this old belongs to a crashed or killed worker
_KEY = re.compile(r"[0-9a-f]{40}")
_SHARD = re.compile(r"[0-9a-f]{2}")
_NAME = re.compile(r"(?:\d{1,5}|thumb|original|image)\.(?:webp|jpg|png|gif|svg)")
_MAX_META_BYTES = 64 * 1024
_MAX_SIDE = 1 << 20


def cache_key(digest: str, settings: ImageSettings) -> str:
    parts = (digest, repr(settings), PROCESSOR_VERSION, PIL.__version__, pillow_heif.__version__)
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=20).hexdigest()


def entry_dir(cache_root: Path, key: str) -> Path:
    return cache_root / key[:2] / key


def to_json(info: ImageInfo, sizes: dict[str, int]) -> bytes:
    doc = {
        "key": info.key, "kind": info.kind, "width": info.width, "height": info.height,
        "sources": [vars(r) for r in info.sources], "fallback": vars(info.fallback),
        "thumb": [vars(r) for r in info.thumb], "original": vars(info.original) if info.original else None,
        "files": sizes,
    }
    return json.dumps(doc, ensure_ascii=False, indent=1).encode()


def _int(value: object) -> int:
    if type(value) is not int or not 0 < value <= _MAX_SIDE:  # bool is an int subclass: refuse it too
        raise ValueError(value)
    return value


def _parse_rendition(value: object) -> Rendition:
    if not isinstance(value, dict) or set(value) != {"name", "width", "height", "mime"}:
        raise ValueError(value)
    name, mime = value["name"], value["mime"]
    if not isinstance(name, str) or not _NAME.fullmatch(name) or mime not in MIMES:
        raise ValueError(value)
    return Rendition(name, _int(value["width"]), _int(value["height"]), mime)


def from_json(raw: bytes, key: str) -> tuple[ImageInfo, dict[str, int]]:
    """The ImageInfo a meta.json describes, or ValueError/TypeError/KeyError for anything unexpected."""
    doc = json.loads(raw)
    if not isinstance(doc, dict) or doc.get("key") != key or doc.get("kind") not in KINDS:
        raise ValueError("foreign or malformed meta.json")
    sources, thumb, files = doc["sources"], doc["thumb"], doc["files"]
    if not isinstance(sources, list) or not isinstance(thumb, list) or not isinstance(files, dict):
        raise ValueError("malformed lists")
    original = None if doc["original"] is None else _parse_rendition(doc["original"])
    info = ImageInfo(key, doc["kind"], _int(doc["width"]), _int(doc["height"]),
                     tuple(_parse_rendition(r) for r in sources), _parse_rendition(doc["fallback"]),
                     tuple(_parse_rendition(r) for r in thumb), original)
    sizes = {name: _int(size) for name, size in files.items()}
    if set(sizes) != {r.name for r in info.renditions()}:
        raise ValueError("file list does not match the renditions")
    return info, sizes


def read_entry(cache_root: Path, key: str) -> ImageInfo | None:
    if not _KEY.fullmatch(key):
        return None
    folder = entry_dir(cache_root, key)
    try:
        with open(folder / META, "rb") as fh:
            raw = fh.read(_MAX_META_BYTES + 1)
        if len(raw) > _MAX_META_BYTES:
            return None
        info, sizes = from_json(raw, key)
        for name, size in sizes.items():
            st = os.lstat(folder / name)
            # a symlink could point anywhere; a wrong size is a file cut short or swapped
            if not stat.S_ISREG(st.st_mode) or st.st_size != size:
                return None
    except (OSError, ValueError, TypeError, KeyError, RecursionError):
        return None
    return info


def write_entry(cache_root: Path, info: ImageInfo, files: dict[str, bytes]) -> ImageInfo:
    """Write every file into a temp folder, then rename it into place in one step.

    Two workers on the same image both finish: the first rename wins, the second sees the
    entry in place, keeps it and deletes its own copy. A crash leaves only a temp folder.
    """
    final = entry_dir(cache_root, info.key)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache_root / f"{TMP_PREFIX}{info.key}-{os.getpid()}-{secrets.token_hex(4)}"
    tmp.mkdir()
    try:
        for name, data in files.items():
            (tmp / name).write_bytes(data)
        (tmp / META).write_bytes(to_json(info, {name: len(data) for name, data in files.items()}))
        try:
            os.rename(tmp, final)
            return info
        except OSError:
            if not final.exists():
                raise
        theirs = read_entry(cache_root, info.key)
        if theirs is not None:
            return theirs
        # The entry in place is broken (an older crash, a hand edit): move it aside, put ours in.
        trash = cache_root / f"{TMP_PREFIX}{info.key}-old-{secrets.token_hex(4)}"
        with contextlib.suppress(OSError):
            os.rename(final, trash)
            shutil.rmtree(trash, ignore_errors=True)
        try:
            os.rename(tmp, final)
        except OSError:
            theirs = read_entry(cache_root, info.key)
            if theirs is None:
                raise
            return theirs
        return info
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def prune(cache_root: Path, keep: set[str]) -> None:
    """Delete entries not in `keep`, temp folders of dead workers, and anything else we did not write."""
    now = time.time()
    try:
        tops = list(os.scandir(cache_root))
    except FileNotFoundError:
        return
    for top in tops:
        path = Path(top.path)
        if top.name.startswith(TMP_PREFIX):
            with contextlib.suppress(OSError):
                if now - top.stat(follow_symlinks=False).st_mtime > STALE_TMP_SECONDS:
                    _remove(path)
            continue
        if not (_SHARD.fullmatch(top.name) and top.is_dir(follow_symlinks=False)):
            continue  # not ours: a cache root is sometimes shared with the rest of the build cache
        for entry in os.scandir(path):
            if entry.name not in keep or entry.name[:2] != top.name:
                _remove(Path(entry.path))
        with contextlib.suppress(OSError):
            path.rmdir()  # only succeeds when empty


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        if path.is_symlink() or not path.is_dir():
            path.unlink()
        else:
            shutil.rmtree(path)
