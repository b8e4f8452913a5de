"""Output names that a Windows or macOS host cannot hold, though Linux can.

Both systems compare file names without regard to case, so `a/Foo.pdf` and
`a/foo.pdf` are one file there: the second write fails or overwrites the first.
Windows also refuses the device names (CON, PRN, AUX, NUL, COM1–COM9, LPT1–LPT9),
with any extension (`con.txt`, `aux.tar.gz`), names ending in a dot or a space,
and a few characters. Pure functions of site-relative posix paths.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from sitegen.errors import Problem

DEVICES = frozenset({"con", "prn", "aux", "nul",
                     *(f"{port}{n}" for port in ("com", "lpt") for n in (*"123456789", "¹", "²", "³"))})
_FORBIDDEN = re.compile(r'[<>:"|?*\\\x00-\x1f]')


def name_problem(name: str) -> tuple[str, str] | None:
    """Why Windows cannot hold a file or folder called `name`, (zh, en); None if it can."""
    device = name.split(".", 1)[0].rstrip(" ").casefold()
    if device in DEVICES:
        return (f"“{name}”是 Windows 的保留设备名（{device.upper()}），Windows 上无法建立这个文件或文件夹",
                f"{name!r} is a Windows device name ({device.upper()}) that no file or folder may have")
    if name.endswith((".", " ")):
        return (f"“{name}”以点或空格结尾，Windows 会把它们去掉，成为另一个名字",
                f"{name!r} ends in a dot or a space, which Windows drops")
    bad = _FORBIDDEN.search(name)
    if bad:
        return (f"“{name}”含有 Windows 文件名不允许的字符 {bad.group()!r}",
                f"{name!r} has the character {bad.group()!r}, which Windows file names may not have")
    return None


def path_problem(path: str) -> tuple[str, str] | None:
    """The first segment of a site-relative path that Windows cannot hold, told as name_problem does."""
    for segment in path.split("/"):
        if segment:
            found = name_problem(segment)
            if found:
                return found
    return None


def fold(path: str) -> str:
    """The key under which Windows and macOS see a path: two paths with one key are one file there.

    macOS also takes é typed as one character and as e plus an accent for one name.
    """
    return unicodedata.normalize("NFC", path).casefold()


def case_twins(paths: Iterable[str]) -> list[tuple[str, str]]:
    """(first, other) for each path that differs from an earlier one only in case; exact repeats are not twins."""
    seen: dict[str, str] = {}
    twins = []
    for path in paths:
        first = seen.setdefault(fold(path), path)
        if first != path:
            twins.append((first, path))
    return twins


def published_problems(paths: Iterable[str]) -> list[Problem]:
    """Errors for files published under their own names (static/): names Windows refuses, case twins."""
    paths = list(paths)
    problems = []
    for path in paths:
        found = path_problem(path)
        if found is not None:
            problems.append(Problem(path, None, f"{found[0]}。请给它改名。", f"{found[1]}; rename it"))
    for first, other in case_twins(paths):
        problems.append(Problem(other, None, f"与 {first} 只有大小写不同，在 Windows 和 macOS 上是同一个文件。"
                                "请给其中一个改名。",
                                f"differs from {first} only in case, which Windows and macOS ignore; rename one"))
    return problems
