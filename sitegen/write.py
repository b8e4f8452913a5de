"""Stage 4, write: the only place that writes, and it writes only inside the output.

The new site is assembled in a hidden folder beside the output and swapped in
only when complete, so a failed or killed build leaves the live site untouched.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import json
import os
import shutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from sitegen.errors import Problem, SiteError

MARKER = ".sitegen-output"  # tells our own output folders from anyone else's
STAGING_PREFIX = ".sitegen-staging-"
COMMIT_PREFIX = ".sitegen-commit-"
JOURNAL = ".sitegen-journal"
_RENAME_EXCHANGE = 2


class UnsafePathError(ValueError):
    pass


def safe_join(root: Path, rel: str) -> Path:
    """root/rel, refusing anything that could land outside root."""
    parts = PurePosixPath(rel).parts
    if not rel or "\\" in rel or "\x00" in rel or rel.startswith("/") or ".." in parts or ":" in parts[0]:
        raise UnsafePathError(f"refusing to write outside the output folder: {rel!r}")
    return root.joinpath(*parts)


class Sink:
    """Writes files under one root and nowhere else."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._dirs: set[Path] = set()

    def _make_dirs(self, folder: Path) -> None:
        # Top-down from the deepest folder known to exist: one mkdir per new folder.
        # (Path.mkdir(parents=True) tries the leaf first and fails once per missing
        # level, and a mkdir costs ~0.2 ms here: a site has a folder per article.)
        missing = []
        while folder not in self._dirs and folder != self.root:
            missing.append(folder)
            folder = folder.parent
        for new in reversed(missing):
            with contextlib.suppress(FileExistsError):  # another worker made it
                os.mkdir(new)
            self._dirs.add(new)

    def write(self, rel: str, data: bytes) -> None:
        target = safe_join(self.root, rel)
        if target.parent not in self._dirs:
            self._make_dirs(target.parent)
        # O_EXCL: two pages on one path is a bug, never an overwrite. (os.open: no buffering layer.)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)


def guard_output(output: Path, site_dir: Path) -> None:
    """Refuse to replace any folder that is not sitegen's own output."""
    out, site = output.resolve(), site_dir.resolve()
    reason = None
    if out in (Path("/"), Path.home().resolve()) or out == site or site.is_relative_to(out):
        reason = "it is the site folder, one of its parents, / or the home folder"
    elif (out / "content").exists():
        reason = "it contains a content/ folder"
    elif out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).exists())):
        reason = "it is not empty and was not written by sitegen"
    if reason:
        raise SiteError([Problem(str(output), None, f"不能使用这个输出目录：{reason}。请换一个目录（-o）。",
                                 f"refusing to use this output folder: {reason}; choose another with -o")])


@contextmanager
def build_lock(output: Path) -> Iterator[None]:
    """One build at a time per output folder; the OS drops the lock if the build dies."""
    output.parent.mkdir(parents=True, exist_ok=True)
    with open(output.parent / f".sitegen-lock-{output.name}", "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SiteError([Problem(str(output), None, "另一个 sitegen 正在构建这个目录，请等它结束后再试。",
                                     "another sitegen build is writing this output; try again when it ends")]) from None
        yield


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2); False where unsupported."""
    # CDLL(None): the C library already loaded; find_library would spawn ldconfig.
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd = -100
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE) == 0


def _apply(commit: Path, output: Path) -> None:
    """Move a committed change set into the output; safe to run again after a crash."""
    journal = json.loads((commit / JOURNAL).read_text(encoding="utf-8"))
    for rel in journal["write"]:
        source = commit / rel
        if source.exists():  # not moved yet
            target = safe_join(output, rel)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)
    for rel in journal["delete"]:
        target = safe_join(output, rel)
        target.unlink(missing_ok=True)
        parent = target.parent
        while parent != output and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent
    shutil.rmtree(commit)


def recover(output: Path) -> None:
    """Finish what a killed build committed; throw away what it had not."""
    for commit in output.parent.glob(f"{COMMIT_PREFIX}{output.name}"):
        _apply(commit, output)
    for leftover in output.parent.glob(f"{STAGING_PREFIX}{output.name}-*"):
        old = leftover.name.endswith("-old")
        if old and not output.exists():
            leftover.rename(output)
        else:
            shutil.rmtree(leftover, ignore_errors=True)


class Transaction:
    """Every write of one build goes to a staging folder beside the output.

    Nothing is visible until commit(). A full build then swaps the whole folder
    in; an incremental one records its change set in a journal, renames the
    staging folder (the commit point) and moves each file into place, so a
    crash before the rename changes nothing and one after it is completed by
    the next build.
    """

    def __init__(self, output: Path, full: bool) -> None:
        output.parent.mkdir(parents=True, exist_ok=True)
        recover(output)
        self.output, self.full = output, full or not output.exists()
        self.root = output.parent / f"{STAGING_PREFIX}{output.name}-{os.getpid()}"
        shutil.rmtree(self.root, ignore_errors=True)
        self.root.mkdir()
        self.sink = Sink(self.root)

    def __enter__(self) -> Transaction:
        return self

    def __exit__(self, kind: object, *rest: object) -> None:
        if kind is not None:
            shutil.rmtree(self.root, ignore_errors=True)

    def commit(self, delete: Iterable[str] = ()) -> None:
        if self.full:
            self._swap()
            return
        written = sorted(p.relative_to(self.root).as_posix() for p in self.root.rglob("*") if p.is_file())
        (self.root / JOURNAL).write_text(json.dumps({"write": written, "delete": sorted(delete)}), "utf-8")
        commit = self.output.parent / f"{COMMIT_PREFIX}{self.output.name}"
        self.root.rename(commit)
        _apply(commit, self.output)

    def _swap(self) -> None:
        output, staging = self.output, self.root
        if not output.exists():
            staging.rename(output)
        elif _exchange(staging, output):
            shutil.rmtree(staging)  # now holds the previous site
        else:
            old = output.parent / f"{STAGING_PREFIX}{output.name}-old"
            output.rename(old)
            staging.rename(output)
            shutil.rmtree(old)
