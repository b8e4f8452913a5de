"""The output folder's surroundings: where its work folder goes, what kind of folder it is."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from pathlib import Path


def writable_parent(path: Path) -> bool:
    return os.access(path.parent, os.W_OK)


def is_mount_point(path: Path) -> bool:
    """os.path.ismount misses a bind mount from the same file system; the kernel's table does not."""
    if os.path.ismount(path):
        return True
    try:
        with open("/proc/self/mountinfo", encoding="utf-8", errors="surrogateescape") as fh:
            points = {line.split(" ")[4] for line in fh if line.count(" ") >= 5}
    except OSError:  # not Linux
        return False
    # mountinfo writes space, tab, newline and backslash as octal escapes
    unescape = re.compile(r"\\([0-7]{3})")
    return str(path) in {unescape.sub(lambda m: chr(int(m.group(1), 8)), point) for point in points}


def work_folder(output: Path, cache_dir: Path | None) -> Path:
    """Where staging and the spare live: on the output's file system, out of the web root if possible."""
    if cache_dir is not None:
        with contextlib.suppress(OSError):
            cache_dir.mkdir(exist_ok=True)
            if os.stat(cache_dir).st_dev == os.stat(output.parent).st_dev and os.access(cache_dir, os.W_OK):
                tag = hashlib.blake2b(os.fsencode(output), digest_size=6).hexdigest()
                return cache_dir / "outputs" / f"{output.name}-{tag}"
    return output.parent / f".sitegen-{output.name}"


def copy_owner(live: Path, tree: Path) -> None:
    """The output folder keeps its mode and group (a web server's 2750 root:www-data, say)."""
    try:
        st = os.stat(live)
    except FileNotFoundError:
        return
    os.chmod(tree, st.st_mode & 0o7777)
    if not hasattr(os, "chown"):  # Windows: no owner or group to copy
        return
    with contextlib.suppress(PermissionError):
        os.chown(tree, st.st_uid if os.geteuid() == 0 else -1, st.st_gid)
    if os.stat(tree).st_mode & 0o7777 != st.st_mode & 0o7777:  # chown may clear setgid
        os.chmod(tree, st.st_mode & 0o7777)
