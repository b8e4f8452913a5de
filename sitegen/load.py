"""Stage 1, load: find the files under content/ and static/, and the theme's static/ (the input end of the I/O).

Only names and stamps are gathered here; files are read by whoever needs their
bytes, so a rebuild with nothing changed reads none of them. Nothing that lies
outside the site folder is ever found: a symlink pointing out of the site, a
hidden folder (`static/.git`) and anything that is not a plain file are skipped
with a warning, so they can never be published by accident.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from sitegen.errors import Problem
from sitegen.model import Stamp
from sitegen.themefiles import THEME_DIR
from sitegen.winnames import published_problems

MARKDOWN_SUFFIXES = (".md", ".markdown")
# Litter that file managers and version control leave everywhere: skipped silently.
_QUIET = {".DS_Store", ".gitkeep", ".gitignore", ".keep", "Thumbs.db", "desktop.ini", ".git", ".svn"}


def is_racy(stamp: Stamp, started_ns: int) -> bool:
    """Changed so close to a build that a later change could keep the same stamp (its clock's tick).

    Such a file is read again by the next build, as git does with racily clean index entries.
    """
    return stamp[2] + RACY_NS > started_ns


RACY_NS = 2_000_000_000  # FAT's mtime ticks are 2 s; Linux's ctime ticks are a few ms


def is_editor_junk(name: str) -> bool:
    """Backup, swap and lock files that editors leave beside real articles."""
    return (
        name.startswith((".", "~", "#"))
        or name.endswith(("~", ".swp", ".swo", ".tmp", ".bak"))
    )


def stamp_of(st: os.stat_result) -> Stamp:
    return (st.st_mtime_ns, st.st_size, st.st_ctime_ns, st.st_ino)


@dataclass(frozen=True)
class Found:
    files: dict[str, Stamp]  # site-relative posix path -> stamp, in sorted order
    problems: tuple[Problem, ...]  # warnings for what was skipped; errors for loops and unreadable folders
    elsewhere: Mapping[str, Path] = field(default_factory=dict)  # files not at site_dir/path: the theme's

    def source(self, site_dir: Path, path: str) -> Path:
        """Where the file published as `path` is read from."""
        return self.elsewhere.get(path) or site_dir / path


def misnamed(name: str, path: str) -> bool:
    """An article saved as .txt: Notepad adds it when Windows hides extensions (通知.md.txt)."""
    lower = name.lower()
    if lower.endswith((".md.txt", ".markdown.txt")):
        return True
    if not lower.endswith(".txt"):
        return False
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError:
        return False
    return head.removeprefix(b"\xef\xbb\xbf").startswith(b"---")


class _Scan:
    def __init__(self, site_dir: Path, folder: str, markdown_only: bool) -> None:
        # content/ itself may be a link (to a shared drive, say): the site's choice, so what it
        # points to counts as inside. Links below it are the risk: anyone can commit one.
        self.roots = (Path(os.path.realpath(site_dir)), Path(os.path.realpath(site_dir / folder)))
        self.markdown_only = markdown_only
        self.files: dict[str, Stamp] = {}
        self.others: dict[str, Stamp] = {}  # under content/: photos and attachments, published if referenced
        self.problems: list[Problem] = []
        self.seen: set[tuple[int, int]] = set()  # (dev, ino) of folders entered: a loop is a folder seen twice

    def warn(self, rel: str, zh: str, en: str) -> None:
        self.problems.append(Problem(rel, None, zh, en, warning=True))

    def fail(self, rel: str, zh: str, en: str) -> None:
        self.problems.append(Problem(rel, None, zh, en))

    def folder(self, path: Path, rel: str) -> None:
        try:
            st = path.stat()
            entries = sorted(os.scandir(path), key=lambda e: e.name)
        except OSError as exc:
            self.fail(rel, f"无法读取这个文件夹（{exc.strerror}），请检查它的权限。", f"cannot read this folder: {exc}")
            return
        if (st.st_dev, st.st_ino) in self.seen:
            self.fail(rel, "符号链接形成了循环（文件夹链接到了它自己或上级文件夹），请删除这个链接。",
                      "symlink loop: this folder links back to itself or a parent; remove the link")
            return
        self.seen.add((st.st_dev, st.st_ino))
        for entry in entries:
            self.entry(entry, f"{rel}/{entry.name}")
        self.seen.discard((st.st_dev, st.st_ino))

    def entry(self, entry: os.DirEntry[str], rel: str) -> None:
        name = entry.name
        if name.startswith("."):
            if name not in _QUIET and not self.markdown_only:
                self.warn(rel, "隐藏文件或文件夹不会发布。", "hidden files and folders are not published")
            return
        if self.markdown_only and is_editor_junk(name):
            return
        try:
            if entry.is_symlink() and not self._inside(entry.path, rel):
                return
            st = os.stat(entry.path)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                self.fail(rel, "符号链接形成了循环，请删除这个链接。", "symlink loop; remove the link")
            else:
                self.warn(rel, f"无法读取（{exc.strerror}），已跳过。", f"cannot read it ({exc}); skipped")
            return
        if stat.S_ISDIR(st.st_mode):
            self.folder(Path(entry.path), rel)
        elif not stat.S_ISREG(st.st_mode):
            if not self.markdown_only or name.lower().endswith(MARKDOWN_SUFFIXES):
                self.warn(rel, "这不是普通文件（可能是管道或设备），已跳过。", "not a regular file; skipped")
        elif not self.markdown_only or name.lower().endswith(MARKDOWN_SUFFIXES):
            self.files[rel] = stamp_of(st)
        elif misnamed(name, entry.path):
            base = name[:-4] if name.lower().endswith((".md.txt", ".markdown.txt")) else name[:-4] + ".md"
            self.fail(rel, f"文件扩展名不对：“{name}”是文章，但保存成了文本文件（.txt），不会被当作文章。"
                           f"请把它改名为“{base}”（Windows 里先在“查看”中勾选“文件扩展名”再改名）。",
                      f"an article saved with a .txt extension; rename it to {base!r}")
        else:
            self.others[rel] = stamp_of(st)

    def _inside(self, path: str, rel: str) -> bool:
        """A symlink is followed only when it stays inside the site folder."""
        try:
            os.stat(path)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                self.fail(rel, "符号链接形成了循环，请删除这个链接。", "symlink loop; remove the link")
            else:
                self.warn(rel, "符号链接指向的文件不存在，已跳过。", "dangling symlink; skipped")
            return False
        target = Path(os.path.realpath(path))
        if not any(target.is_relative_to(root) for root in self.roots):
            self.warn(rel, "符号链接指向网站文件夹之外，出于安全考虑不会发布。请把文件复制到网站文件夹中。",
                      "symlink points outside the site folder; not published (copy the file in instead)")
            return False
        return True


def _scan(site_dir: Path, folder: str, markdown_only: bool) -> _Scan:
    scan = _Scan(site_dir, folder, markdown_only)
    root = site_dir / folder
    if root.is_dir():
        scan.folder(root, folder)
    return scan


def scan_sources(site_dir: Path) -> tuple[Found, Found]:
    """Every article file under content/, and every other file there (photos, attachments)."""
    scan = _scan(site_dir, "content", markdown_only=True)
    return Found(dict(sorted(scan.files.items())), tuple(scan.problems)), Found(dict(sorted(scan.others.items())), ())


def scan_static(site_dir: Path, theme_dir: Path = THEME_DIR) -> Found:
    """Every file under static/ and the theme's static/, published as it is; the site's file wins.

    A theme file is left out, too, where the site has a file in place of one of its folders or a
    folder in place of the file: the site's choice, and one output path cannot be both.
    """
    scan = _scan(site_dir, "static", markdown_only=False)
    theme = _scan(theme_dir, "static", markdown_only=False)
    folders = {str(parent) for rel in scan.files for parent in PurePosixPath(rel).parents}
    files = dict(scan.files)
    elsewhere = {}
    for rel, stamp in theme.files.items():
        if rel not in files and rel not in folders and not any(str(p) in files for p in PurePosixPath(rel).parents):
            files[rel], elsewhere[rel] = stamp, theme_dir / rel
    return Found(dict(sorted(files.items())), (*scan.problems, *theme.problems, *published_problems(files)),
                 elsewhere)
