"""The write sink: nothing outside the output, nothing half-written, nobody else's folder."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest

from sitegen.errors import SiteError
from sitegen.model import OutputFile
from sitegen.write import (
    COMMIT_PREFIX,
    JOURNAL,
    MARKER,
    Sink,
    Transaction,
    UnsafePathError,
    guard_output,
    recover,
    safe_join,
)


def publish(out: Path, files: Iterable[OutputFile], full: bool = True, delete: tuple[str, ...] = ()) -> None:
    with Transaction(out, full) as txn:
        for f in files:
            txn.sink.write(f.path, f.data)
        txn.sink.write(MARKER, b"ours")
        txn.commit(delete)


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize("bad", ["../x", "a/../../x", "/etc/passwd", "", "a\\..\\x", "C:/x", "a/\x00"])
def test_paths_outside_are_refused(tmp_path: Path, bad: str) -> None:
    with pytest.raises(UnsafePathError):
        safe_join(tmp_path, bad)


def test_sink_never_overwrites_within_a_build(tmp_path: Path) -> None:
    sink = Sink(tmp_path)
    sink.write("a/index.html", b"1")
    with pytest.raises(FileExistsError):
        sink.write("a/index.html", b"2")


def test_publish_replaces_the_whole_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    publish(out, [OutputFile("old.html", b"old")])
    assert (out / MARKER).is_file()
    publish(out, [OutputFile("new.html", b"new")])
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "new.html"]
    assert not list(tmp_path.glob(".sitegen-staging-*"))


def test_error_midway_leaves_previous_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    publish(out, [OutputFile("index.html", b"live")])

    def files():  # type: ignore[no-untyped-def]
        yield OutputFile("index.html", b"new")
        raise RuntimeError("render failed")

    for full in (True, False):
        with pytest.raises(RuntimeError):
            publish(out, files(), full)
    assert (out / "index.html").read_bytes() == b"live"
    assert not list(tmp_path.glob(".sitegen-staging-*"))


def test_recover_restores_a_half_swapped_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    old = tmp_path / ".sitegen-staging-out-old"
    old.mkdir()
    (old / "index.html").write_text("live")
    recover(out)
    assert (out / "index.html").read_text() == "live"


@pytest.mark.parametrize("setup", ["site", "parent", "content", "foreign"])
def test_refuses_folders_that_are_not_ours(tmp_path: Path, setup: str) -> None:
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    target = {"site": site, "parent": tmp_path, "content": tmp_path / "other", "foreign": tmp_path / "docs"}[setup]
    if setup == "content":
        (target / "content").mkdir(parents=True)
    if setup == "foreign":
        target.mkdir()
        (target / "thesis.docx").write_bytes(b"precious")
    with pytest.raises(SiteError):
        guard_output(target, site)


def test_accepts_new_empty_or_own_folders(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    guard_output(tmp_path / "new", site)
    (tmp_path / "empty").mkdir()
    guard_output(tmp_path / "empty", site)
    publish(tmp_path / "ours", [OutputFile("a.html", b"")])
    guard_output(tmp_path / "ours", site)


def test_incremental_commit_writes_and_deletes(tmp_path: Path) -> None:
    out = tmp_path / "out"
    publish(out, [OutputFile("a/index.html", b"a"), OutputFile("b/x/index.html", b"b")])
    publish(out, [OutputFile("a/index.html", b"a2"), OutputFile("c/index.html", b"c")], full=False,
            delete=("b/x/index.html",))
    assert tree(out) == {MARKER: b"ours", "a/index.html": b"a2", "c/index.html": b"c"}
    assert not (out / "b").exists(), "emptied folders are removed"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"], "no staging or commit folder left"


def test_crash_after_commit_point_is_rolled_forward(tmp_path: Path) -> None:
    out = tmp_path / "out"
    publish(out, [OutputFile("a/index.html", b"a"), OutputFile("b/index.html", b"b")])
    commit = tmp_path / f"{COMMIT_PREFIX}out"
    (commit / "a").mkdir(parents=True)
    (commit / "a/index.html").write_bytes(b"new")
    (commit / JOURNAL).write_text('{"write": ["a/index.html"], "delete": ["b/index.html"]}')
    recover(out)  # what the next build does first
    assert tree(out) == {MARKER: b"ours", "a/index.html": b"new"}
    assert not commit.exists()


def test_crash_before_commit_point_changes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    publish(out, [OutputFile("a/index.html", b"a")])
    staging = tmp_path / ".sitegen-staging-out-4242"
    (staging / "a").mkdir(parents=True)
    (staging / "a/index.html").write_bytes(b"half")
    recover(out)
    assert tree(out) == {MARKER: b"ours", "a/index.html": b"a"}
    assert not staging.exists()
