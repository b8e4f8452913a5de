"""Output trees: what is really in one, and how to turn one tree into the next with few writes.

A tree is described by a `Version`: every file in it with the key it was made
from and its stamp. `verify` compares a tree on disk with its version (so a
file deleted, edited or added by hand is noticed), and `apply` turns a tree
into a new version by moving in freshly written files, hard-linking unchanged
ones from another tree, and deleting the rest. Symlinks are never followed.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sitegen import interrupt
from sitegen.cache import Version
from sitegen.fileio import link_or_copy, remove_tree

OutStamp = tuple[int, int, int]  # (ino, size, mtime_ns); not ctime: hard-linking a file changes its ctime


def out_stamp(st: os.stat_result) -> OutStamp:
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def scan_tree(root: Path, skip: frozenset[str] = frozenset()) -> dict[str, OutStamp | None]:
    """Every file under root -> its stamp; None for a symlink or special file (never followed)."""
    found: dict[str, OutStamp | None] = {}
    todo = [(str(root), "")]
    while todo:
        folder, prefix = todo.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                rel = prefix + entry.name
                if not prefix and entry.name in skip:
                    continue
                if entry.is_dir(follow_symlinks=False):
                    todo.append((entry.path, rel + "/"))
                elif entry.is_file(follow_symlinks=False):
                    found[rel] = out_stamp(entry.stat(follow_symlinks=False))
                else:
                    found[rel] = None
    return found


@dataclass(frozen=True)
class Verified:
    version: Version  # what is really there: unknown files keyed ""
    extras: tuple[str, ...]  # not made by sitegen (put there by hand), or symlinks
    damaged: tuple[str, ...]  # made by sitegen, then edited or deleted


def verify(root: Path, version: Version, skip: frozenset[str]) -> Verified:
    found = scan_tree(root, skip)
    pages: dict[str, str] = {}
    extras, damaged = [], []
    for path, st in found.items():
        key = version.pages.get(path)
        if key is None or st is None:
            extras.append(path)
            pages[path] = ""
        elif st != version.stamps.get(path):
            damaged.append(path)
            pages[path] = ""
        else:
            pages[path] = key
    damaged += [p for p in version.pages if p not in found]
    stamps = {p: st for p, st in found.items() if st is not None}
    return Verified(Version(version.state, pages, stamps), tuple(sorted(extras)), tuple(sorted(damaged)))


class _Dirs:
    """mkdir -p with memory; a file or symlink standing where a folder must go is removed."""

    def __init__(self, root: Path) -> None:
        self.root = str(root)
        self.known: set[str] = {self.root}

    def make(self, folder: str) -> None:
        missing = []
        while folder not in self.known:
            missing.append(folder)
            folder = os.path.dirname(folder)
        for new in reversed(missing):
            try:
                os.mkdir(new)
            except FileExistsError:
                if not stat.S_ISDIR(os.lstat(new).st_mode):
                    remove_tree(Path(new))
                    os.mkdir(new)
            self.known.add(new)


def _prune(root: str, path: str) -> None:
    folder = os.path.dirname(path)
    while folder != root:
        try:
            os.rmdir(folder)
        except OSError as exc:
            if exc.errno in (errno.ENOTEMPTY, errno.EEXIST, errno.ENOENT):
                return
            raise
        folder = os.path.dirname(folder)


def _move(put: str, target: str) -> None:
    """Put a file at target in one rename, replacing whatever is there (a folder too)."""
    try:
        os.replace(put, target)
    except (IsADirectoryError, OSError) as exc:
        if not (isinstance(exc, IsADirectoryError) or exc.errno in (errno.ENOTEMPTY, errno.EEXIST)):
            raise
        remove_tree(Path(target))
        os.replace(put, target)


def _link(put: str, target: str) -> bool:
    with contextlib.suppress(FileNotFoundError):
        remove_tree(Path(target))
    return link_or_copy(put, target)


def apply(tree: Path, have: Version, pages: Mapping[str, str], fresh: Path, rendered: set[str],
          source: Path | None, source_version: Version | None, interruptible: bool = True) -> dict[str, OutStamp]:
    """Make `tree` (described by `have`) hold `pages`. Returns the stamps of the result.

    Paths in `rendered` are moved in from `fresh`; other paths whose key differs
    are hard-linked from `source`, which must hold them with that key.
    """
    root = str(tree)
    # Deletions first: a file that becomes a folder (or back) must be out of the way.
    for path in sorted(p for p in have.pages if p not in pages):
        target = os.path.join(root, path)
        with contextlib.suppress(FileNotFoundError):
            remove_tree(Path(target))
        _prune(root, target)
    dirs = _Dirs(tree)
    stamps: dict[str, OutStamp] = {}
    for n, (path, key) in enumerate(pages.items()):
        if interruptible and n % 512 == 0:  # not while a live site is being updated in place
            interrupt.checkpoint()
        target = os.path.join(root, path)
        if path in rendered:
            dirs.make(os.path.dirname(target))
            _move(os.path.join(fresh, path), target)
            stamps[path] = out_stamp(os.stat(target))
        elif have.pages.get(path) == key and path in have.stamps:
            stamps[path] = have.stamps[path]
        else:
            if source is None or source_version is None or source_version.pages.get(path) != key:
                raise AssertionError(f"no source for unchanged page {path}")  # a planning bug
            dirs.make(os.path.dirname(target))
            linked = _link(os.path.join(source, path), target)
            stamps[path] = source_version.stamps[path] if linked else out_stamp(os.stat(target))
    return stamps
