"""One build at a time per output folder: an exclusive lock that the OS drops when its holder dies.

On POSIX it is `fcntl.flock`, as it always was. Windows has no fcntl: there the lock is
`filelock`'s, which filelock's own CI tests on Windows and macOS. A lock file
made with O_EXCL would need stale-lock guessing after a kill -9; a kernel lock does not.
SITEGEN_LOCK=portable takes the filelock path on Linux too, so CI runs the calls a Windows
build makes (the byte-range lock itself is filelock's to test).
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sitegen.errors import Problem, SiteError

ENV = "SITEGEN_LOCK"
KINDS = ("flock", "portable")


class Busy(Exception):
    """Another process holds the lock."""


def kind() -> str:
    """flock where the system has it, else portable; SITEGEN_LOCK chooses (for tests and CI)."""
    forced = os.environ.get(ENV, "")
    if forced:
        if forced not in KINDS:
            raise SiteError([Problem(ENV, None, f"环境变量 {ENV}={forced} 无效，只能是 {' 或 '.join(KINDS)}。",
                                     f"{ENV} must be one of {', '.join(KINDS)}, not {forced!r}")])
        return forced
    return "portable" if sys.platform == "win32" else "flock"


def _flock(path: Path) -> Callable[[], None]:
    import fcntl  # POSIX only: imported where it is used, so Windows never needs it

    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        os.close(fd)
        if exc.errno not in (errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES):
            raise
        raise Busy from None
    return lambda: os.close(fd)  # closing drops the lock


def _portable(path: Path) -> Callable[[], None]:
    import filelock

    lock = filelock.FileLock(path, timeout=0)
    try:
        lock.acquire()
    except filelock.Timeout:
        raise Busy from None
    return lock.release


def acquire(path: Path) -> Callable[[], None]:
    """Take `path` as this process's lock and return what releases it; raise Busy at once, never wait."""
    return (_portable if kind() == "portable" else _flock)(path)


@contextmanager
def output_lock(path: Path, output: Path) -> Iterator[None]:
    """The build lock of `output`, kept in `path`; another build holding it is an editor's error."""
    try:
        release = acquire(path)
    except Busy:
        raise SiteError([Problem(str(output), None, "另一个 sitegen 正在构建这个目录，请等它结束后再试。",
                                 "another sitegen build is writing this output; "
                                 "try again when it ends")]) from None
    try:
        yield
    finally:
        release()
