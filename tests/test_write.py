"""The write sink and the output guard: nothing outside the output, nobody else's folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitegen.errors import SiteError
from sitegen.publish import MARKER
from sitegen.search import STATE
from sitegen.write import Sink, UnsafePathError, guard_output, safe_join
from tests.searchview import is_index_file, search_view


def tree(root: Path) -> dict[str, bytes]:
    """Every file of an output but its marker, which names the output's own state.

    The search index is one entry, what it finds: how it is split into bundles depends on history.
    """
    files = {rel: p.read_bytes() for p in root.rglob("*")
             if p.is_file() and (rel := p.relative_to(root).as_posix()) != MARKER and not is_index_file(rel)}
    if (root / STATE).is_file():
        files["<search index>"] = json.dumps(search_view(root), ensure_ascii=False).encode()
    return files


@pytest.mark.parametrize("bad", ["../x", "a/../../x", "/etc/passwd", "", "a\\..\\x", "C:/x", "a/\x00"])
def test_paths_outside_are_refused(tmp_path: Path, bad: str) -> None:
    with pytest.raises(UnsafePathError):
        safe_join(tmp_path, bad)


def test_sink_never_overwrites_within_a_build(tmp_path: Path) -> None:
    sink = Sink(tmp_path)
    sink.write("a/index.html", b"1")
    with pytest.raises(FileExistsError):
        sink.write("a/index.html", b"2")


@pytest.mark.parametrize("setup", ["site", "parent", "content", "foreign", "in-static", "in-content",
                                   "in-templates", "in-cache"])
def test_refuses_folders_that_are_not_ours(tmp_path: Path, setup: str) -> None:
    site = tmp_path / "site"
    for name in ("content", "static", "templates"):
        (site / name).mkdir(parents=True)
    target = {"site": site, "parent": tmp_path, "content": tmp_path / "other", "foreign": tmp_path / "docs",
              "in-static": site / "static" / "gen", "in-content": site / "content" / "x",
              "in-templates": site / "templates" / "out", "in-cache": site / ".sitegen-cache" / "o"}[setup]
    if setup == "content":
        (target / "content").mkdir(parents=True)
    if setup == "foreign":
        target.mkdir()
        (target / "thesis.docx").write_bytes(b"precious")
    with pytest.raises(SiteError):
        guard_output(target, site)


def test_static_gen_through_a_symlink_is_refused(tmp_path: Path) -> None:
    """A symlink must not smuggle the output into the site's own inputs."""
    site = tmp_path / "site"
    (site / "static").mkdir(parents=True)
    (tmp_path / "alias").symlink_to(site / "static")
    with pytest.raises(SiteError):
        guard_output(tmp_path / "alias" / "gen", site)


def test_accepts_new_empty_or_own_folders(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    guard_output(tmp_path / "new", site)
    (tmp_path / "empty").mkdir()
    guard_output(tmp_path / "empty", site)
    (tmp_path / "ours").mkdir()
    (tmp_path / "ours" / MARKER).write_text("state x")
    (tmp_path / "ours" / "a.html").write_text("")
    guard_output(tmp_path / "ours", site)


def test_link_falls_back_to_a_copy_across_drives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache and the output may be on two drives: a hard link fails there (EXDEV) and a copy is made."""
    import errno
    import os

    source = tmp_path / "cache.bin"
    source.write_bytes(b"rendition")

    def cross_device(src: object, dst: object) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", cross_device)
    (tmp_path / "out").mkdir()
    Sink(tmp_path / "out").link("a/b.bin", source)
    copied = tmp_path / "out" / "a" / "b.bin"
    assert copied.read_bytes() == b"rendition" and copied.stat().st_ino != source.stat().st_ino
