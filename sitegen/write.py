"""Stage 4, write: the only place that writes, and it writes only inside the output.

Pages are written into a staging folder through a Sink, which refuses any path
that could land outside it; `publish.py` decides how they go live.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from sitegen.errors import Problem, SiteError
from sitegen.fileio import copy_file, link_or_copy
from sitegen.publish import FOREIGN, IN_PLACE_WORK, MARKER


class UnsafePathError(ValueError):
    pass


def safe_join(root: Path, rel: str) -> Path:
    """root/rel, refusing anything that could land outside root."""
    parts = PurePosixPath(rel).parts
    if not rel or "\\" in rel or "\x00" in rel or rel.startswith("/") or ".." in parts or ":" in parts[0]:
        raise UnsafePathError(f"refusing to write outside the output folder: {rel!r}")
    return root.joinpath(*parts)


class Sink:
    """Writes files under one root and nowhere else; with a twin, hard-links each into it too.

    The twin becomes the spare copy of a freshly built site (see publish.py): linking
    while the pages are written, on every core, costs a fraction of doing it later.
    """

    def __init__(self, root: Path, twin: Path | None = None) -> None:
        self.root = root
        self._dirs: set[Path] = set()
        self.twin = Sink(twin) if twin is not None else None

    def copy(self, rel: str, source: Path) -> None:
        """A file copied as it is (static/, attachments), in the kernel."""
        self._place(rel, lambda target: copy_file(source, target))

    def link(self, rel: str, source: Path) -> None:
        """A file that never changes in place (a photo rendition in the image cache), hard-linked."""
        self._place(rel, lambda target: link_or_copy(source, target))

    def _place(self, rel: str, make: Callable[[Path], object]) -> None:
        """Every way a file enters the output ends here, so each one is also linked into the twin:
        the spare of a full build must hold every file the site holds."""
        target = safe_join(self.root, rel)
        if target.parent not in self._dirs:
            self._make_dirs(target.parent)
        make(target)
        if self.twin is not None:
            self.twin.link(rel, target)

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
        self._place(rel, lambda target: _write_new(target, data))


# POSIX-only and Windows-only flags: O_BINARY keeps Windows from writing "\n" as "\r\n".
_NO_INHERIT = getattr(os, "O_CLOEXEC", 0)
_BINARY = getattr(os, "O_BINARY", 0)


def _write_new(target: Path, data: bytes) -> None:
    # O_EXCL: two pages on one path is a bug, never an overwrite. (os.open: no buffering layer.)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NO_INHERIT | _BINARY, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


# `sitegen serve`'s own output, inside the cache: nothing is ever copied from there into a site.
SERVE_OUTPUT = ".sitegen-cache/serve"


def guard_output(output: Path, site_dir: Path) -> None:
    """Refuse any output folder that is not sitegen's own, or that the site would copy into itself."""
    out, site = Path(os.path.realpath(output)), Path(os.path.realpath(site_dir))
    inputs = [site / name for name in ("content", "static", "templates", ".sitegen-cache")]
    reason = None
    if out == out.parent or out == Path.home().resolve() or out == site or site.is_relative_to(out):  # C:\ too
        reason = ("它是网站文件夹、它的上级、/ 或主目录",
                  "it is the site folder, one of its parents, / or the home folder")
    elif any(out.is_relative_to(folder) for folder in inputs) and not out.is_relative_to(site / SERVE_OUTPUT):
        reason = ("它在网站的 content/、static/、templates/ 或缓存文件夹里，网站会把自己复制进去",
                  "it is inside the site's content/, static/, templates/ or cache, so the site would copy itself")
    elif (out / "content").exists():
        reason = "里面有 content/ 文件夹", "it contains a content/ folder"
    elif out.exists() and (not out.is_dir() or (_has_files(out) and not (out / MARKER).exists())):
        reason = "它不是空文件夹，也不是 sitegen 生成的", "it is not empty and was not written by sitegen"
    if reason:
        raise SiteError([Problem(str(output), None, f"不能使用这个输出目录：{reason[0]}。请换一个目录（-o）。",
                                 f"refusing to use this output folder: {reason[1]}; choose another with -o")])


def _has_files(folder: Path) -> bool:
    """Anything in it but what a file system or an interrupted in-place build leaves."""
    return any(p.name not in FOREIGN and p.name != IN_PLACE_WORK for p in folder.iterdir())
