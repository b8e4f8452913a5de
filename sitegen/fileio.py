"""File-system primitives the writer is built from, and what their failures mean to an editor."""

from __future__ import annotations

import contextlib
import ctypes
import errno
import hashlib
import os
import shutil
import sys
from pathlib import Path

from sitegen.errors import Problem

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_CHUNK = 1 << 20
# SITEGEN_EXCHANGE=portable: swap by two renames even where renameat2 works, so that Linux CI
# tests the path macOS and Windows take.
EXCHANGE_ENV = "SITEGEN_EXCHANGE"


def file_digest(path: Path | str) -> str:
    """blake2b-128 of a file, read in chunks: an 800 MB video never sits in memory."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, lambda: hashlib.blake2b(digest_size=16)).hexdigest()


def copy_file(source: Path | str, target: Path | str) -> None:
    """Copy into a new file, in the kernel (copy_file_range reflinks where the file system can)."""
    copy_range = getattr(os, "copy_file_range", None)  # Linux only
    with open(source, "rb") as src, open(target, "xb") as dst:
        try:
            if copy_range is None:
                raise OSError(errno.ENOSYS, "copy_file_range")
            while copy_range(src.fileno(), dst.fileno(), _CHUNK):
                pass
        except OSError as exc:  # EXDEV on old kernels, ENOSYS, EINVAL on some file systems
            if exc.errno not in (errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
                raise
            src.seek(0)
            dst.seek(0)
            dst.truncate()
            shutil.copyfileobj(src, dst, _CHUNK)


def link_or_copy(source: Path | str, target: Path | str) -> bool:
    """A hard link where the file system has them (FAT and some network shares do not). True if linked."""
    try:
        os.link(source, target)
        return True
    except OSError as exc:
        # EINVAL: Windows' "incorrect function" on FAT and exFAT drives
        if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.EMLINK, errno.EXDEV, errno.EINVAL):
            raise
        copy_file(source, target)
        return False


def write_atomic(path: Path, text: str) -> None:
    """A text file that is there whole or not at all (a reader never sees half of it)."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8", newline="\n")  # the same bytes on Windows, no \r\n
    os.replace(tmp, path)


def exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2); False where the system or file system cannot."""
    if not sys.platform.startswith("linux") or os.environ.get(EXCHANGE_ENV) == "portable":
        return False
    # CDLL(None): the C library already loaded; find_library would spawn ldconfig.
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def sync_folder(folder: Path) -> None:
    """Flush the file system holding `folder`, so a swap never outlives the data it points to."""
    if sys.platform == "win32":  # a folder cannot be opened to flush; NTFS journals the renames
        return
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        syncfs = getattr(ctypes.CDLL(None, use_errno=True), "syncfs", None)
        if syncfs is None or syncfs(fd) != 0:
            os.fsync(fd)
    finally:
        os.close(fd)


def remove_tree(path: Path) -> None:
    """Delete a file or folder without following symlinks; nothing if it is gone."""
    with contextlib.suppress(FileNotFoundError):
        if path.is_symlink() or not path.is_dir():
            path.unlink()
        else:
            shutil.rmtree(path)


_SHARING_VIOLATION = 32  # Windows: a file in the folder is open in another program, so it cannot be renamed
_REASONS = {
    errno.ENOSPC: ("磁盘空间已满（或文件数量 inode 已用完）", "the disk is full (no space or no inodes left)"),
    errno.EDQUOT: ("磁盘配额已用完", "the disk quota is used up"),
    errno.EROFS: ("文件系统是只读的", "the file system is read-only"),
    errno.EACCES: ("没有写入权限", "permission denied"),
    errno.EPERM: ("操作不被允许（权限或文件属性）", "operation not permitted"),
    errno.EMFILE: ("打开的文件过多", "too many open files"),
    errno.ENAMETOOLONG: ("文件名过长", "file name too long"),
    errno.EIO: ("磁盘读写出错", "input/output error"),
    errno.EBUSY: ("目录正被占用（可能是挂载点）", "device or resource busy (a mount point?)"),
    errno.EXDEV: ("不能跨文件系统移动", "cannot move across file systems"),
    errno.ENOENT: ("文件或目录不存在", "no such file or directory"),
}


def os_problem(exc: OSError, where: str, published: bool = False) -> Problem:
    """An environment failure, told as what the editor can do about it."""
    zh, en = _REASONS.get(exc.errno or 0, (f"文件操作失败（{exc.strerror}）", exc.strerror or "file operation failed"))
    if getattr(exc, "winerror", None) == _SHARING_VIOLATION:  # EACCES to Python, but not a permission at all
        zh, en = ("文件正被其他程序使用（网页服务器、资源管理器窗口或编辑器）", "a file is in use by another program")
    target = exc.filename or where
    outcome = ("新网站已发布，但收尾工作未完成，下次构建会完成它。" if published
               else "之前的网站没有改动。")
    return Problem(where, None, f"{zh}：{target}。{outcome}请处理后重新构建。",
                   f"{en}: {target}; " + ("the new site is live; the next build finishes the clean-up"
                                          if published else "the previous site is unchanged"))
