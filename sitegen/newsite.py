"""`sitegen init DIR`: a new site from the skeleton in the package, all of it or nothing.

The skeleton (`sitegen/skeleton/`) is package data: a commented site.yaml, one folder
article with a photo, a .gitignore and the CI workflow. Dotfiles are stored without their
dot, since packaging may drop them, and placed under their real names here. The site is
assembled in a hidden folder beside DIR and renamed into place, so an interrupted init
leaves no half-made site, and a folder that gained a file meanwhile is never written into.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sitegen.errors import Problem, SiteError

SKELETON = Path(__file__).resolve().parent / "skeleton"
# Skeleton file -> where it goes in the new site; the rest keep their paths.
PLACES = {"gitignore": ".gitignore", "ci.yml": ".github/workflows/sitegen.yml"}
EMPTY_FOLDERS = ("static",)  # packaging keeps no empty folder: made here


@dataclass(frozen=True)
class NewSite:
    root: Path
    files: tuple[str, ...]  # site-relative posix paths, in the order written
    folders: tuple[str, ...]


def skeleton_files() -> dict[str, Path]:
    """The new site's files: its relative path -> the skeleton file it is copied from."""
    files = {}
    for path in sorted(SKELETON.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            rel = path.relative_to(SKELETON).as_posix()
            files[PLACES.get(rel, rel)] = path
    return dict(sorted(files.items()))


def _refuse(root: Path, zh: str, en: str) -> SiteError:
    return SiteError([Problem(str(root), None, zh, en)])


def _check_target(root: Path) -> None:
    if root.exists() and not root.is_dir():
        raise _refuse(root, "这里已经有一个同名的文件，不能在这里新建网站。请换一个文件夹名。",
                      "a file of that name exists; choose another folder")
    if root.is_dir() and any(root.iterdir()):
        raise _refuse(root, "这个文件夹不是空的，为了不覆盖里面的文件，没有在这里新建网站。"
                            "请指定一个新的（或空的）文件夹，例如 sitegen init 我的网站。",
                      "the folder is not empty; nothing was written (give a new or empty folder)")


def create_site(root: Path) -> NewSite:
    """Write the skeleton to `root`, which must be missing or empty; its missing parents are made."""
    _check_target(root)
    files = skeleton_files()
    real = Path(os.path.abspath(root))  # `sitegen init .` has a parent to work beside
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=f".{real.name}.sitegen-init-", dir=real.parent) as tmp:
            work = Path(tmp) / "site"
            for rel, source in files.items():
                (work / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, work / rel)
            for folder in EMPTY_FOLDERS:
                (work / folder).mkdir(parents=True, exist_ok=True)
            _place(work, real)
    except OSError as exc:
        if exc.errno in (errno.ENOTEMPTY, errno.EEXIST):  # a file appeared in it meanwhile
            _check_target(root)
        raise _refuse(root, f"无法新建网站（{exc.strerror}）：{exc.filename or root}。请检查文件夹的权限和磁盘空间。",
                      f"cannot create the site: {exc}") from None
    return NewSite(root, tuple(files), EMPTY_FOLDERS)


def _place(work: Path, root: Path) -> None:
    """A new folder is renamed into place whole; an existing empty one (perhaps the shell's current
    folder, which a rename would leave deleted under it) gets the finished entries moved in."""
    if not root.exists():
        os.rename(work, root)
        return
    entries = sorted(os.listdir(work))
    _check_target(root)
    for name in entries:
        os.rename(work / name, root / name)


def summary(site: NewSite) -> str:
    """What was made and what to do next, Chinese first."""
    name = str(site.root)
    folder = f'"{name}"' if any(ch.isspace() for ch in name) else name
    return "\n".join([
        f"已新建网站：{name} (created a new site)",
        *(f"  {rel}" for rel in site.files),
        *(f"  {f}/（空文件夹，放单位标志等原样发布的文件） (empty, for files published as they are)"
          for f in site.folders),
        "",
        "接下来 (next steps):",
        f"  cd {folder}",
        "  编辑 site.yaml：栏目名称、网址、主办单位（每一项都有说明） (edit site.yaml)",
        '  sitegen new "文章标题"    新建一篇文章 (write an article)',
        "  sitegen serve             在浏览器里预览 (preview it in a browser)",
        "  sitegen build             生成网站到 build/ 文件夹 (build the site into build/)",
    ])
