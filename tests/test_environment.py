"""Hostile environments: a full disk, no inodes, read-only folders, mount points, a web server's modes.

These tests mount tmpfs and bind mounts, so they need root (as in CI); they skip,
saying why, where that is not possible. Every mount is undone in teardown.
"""

from __future__ import annotations

import grp
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sitegen.publish import IN_PLACE_WORK, MARKER, is_mount_point
from tests.conftest import ROOT, article_text
from tests.searchview import index_writes
from tests.test_atomic import Tree, changed_count, digests

IN_PLACE_SKIP = frozenset({MARKER, IN_PLACE_WORK})
UNCHANGED_CLAIMS = ("没有改动", "未更新", "unchanged", "nothing was written")


class Mounts:
    """Mounts made by one test, undone in reverse order (lazily if a plain umount fails)."""

    def __init__(self) -> None:
        self.targets: list[Path] = []

    def _mount(self, target: Path, *args: str) -> None:
        if os.geteuid() != 0:
            pytest.skip("needs root to mount a tmpfs or a bind mount")
        if shutil.which("mount") is None:
            pytest.skip("no mount command")
        target.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(["mount", *args, str(target)], capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"mount {' '.join(args)} {target} failed: {done.stderr.strip()}")
        self.targets.append(target)

    def tmpfs(self, target: Path, size: str = "8m", inodes: int | None = None) -> Path:
        options = f"size={size}" + (f",nr_inodes={inodes}" if inodes else "")
        self._mount(target, "-t", "tmpfs", "-o", options, "tmpfs")
        return target

    def bind(self, source: Path, target: Path, read_only: bool = False) -> Path:
        self._mount(target, "--bind", str(source))
        if read_only:
            done = subprocess.run(["mount", "-o", "remount,ro,bind", str(target)], capture_output=True, text=True)
            if done.returncode != 0:
                pytest.skip(f"cannot make the bind mount read-only: {done.stderr.strip()}")
            if not os.statvfs(target).f_flag & os.ST_RDONLY:
                pytest.skip("the bind mount did not become read-only")
        return target

    def undo(self) -> None:
        for target in reversed(self.targets):
            if subprocess.run(["umount", str(target)], capture_output=True).returncode != 0:
                subprocess.run(["umount", "-l", str(target)], capture_output=True)
        self.targets.clear()


@pytest.fixture
def mounts() -> Iterator[Mounts]:
    made = Mounts()
    try:
        yield made
    finally:
        made.undo()


def sitegen(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real command line in its own process: a hang or a crash cannot take the test run with it."""
    return subprocess.run([sys.executable, "-m", "sitegen", "build", str(site), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under root, byte for byte (markers and work folders included)."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()} \
        if root.exists() else {}


def clean_build(site: Path, where: Path) -> Tree:
    done = sitegen(site, "-o", str(where), "--clean")
    assert done.returncode == 0, done.stderr
    return digests(where)


N_SMALL = 30  # enough that one edit is an incremental build (the feed holds the newest 20)
EDITS = ["a000.md", "a012.md", "a024.md"]  # the three oldest: not in the feed, so few pages change


def articles(n: int, first: int = 0) -> dict[str, str]:
    return {f"a{i:03d}.md": article_text(f"文章{i}", date=f"2020-{1 + i % 12:02d}-{1 + i % 28:02d} 09:{i % 60:02d}",
                                         slug=f"a{i:03d}", body=f"第{i}篇正文。") for i in range(first, first + n)}


def write_articles(site: Path, texts: dict[str, str]) -> None:
    for name, text in texts.items():
        (site / "content" / name).write_text(text, "utf-8")


def retitle(site: Path, name: str, title: str) -> None:
    path = site / "content" / name
    path.write_text(re.sub(r"(?m)^title: .*$", f"title: {title}", path.read_text("utf-8")), "utf-8")


def assert_clean_failure(done: subprocess.CompletedProcess[str], zh: str, en: str) -> None:
    """Exit 1 with `path: 错误：<Chinese>` then the English, and no traceback."""
    assert done.returncode == 1, (done.returncode, done.stdout, done.stderr)
    err = done.stderr
    assert "Traceback" not in err and "internal error" not in err, err
    assert re.search(r": 错误：", err), err
    assert zh in err, err
    found = re.search(en, err, re.IGNORECASE)
    assert found, err
    assert err.index(zh) < found.start(), "the Chinese message comes first"


def staging_left(*roots: Path) -> list[Path]:
    return [p for root in roots if root.exists() for p in root.rglob("staging-*")]


@pytest.mark.parametrize("what", ["space", "inodes"])
def test_full_disk_fails_cleanly_and_keeps_the_live_site(
        make_site: Callable[..., Path], tmp_path: Path, mounts: Mounts, what: str) -> None:
    site = make_site(articles(N_SMALL))
    space = what == "space"
    fs = mounts.tmpfs(tmp_path / "fs", size="2m" if space else "64m", inodes=None if space else 600)
    out = fs / "out"
    first = sitegen(site, "-o", str(out))
    assert first.returncode == 0, first.stderr
    assert [p.name for p in fs.iterdir() if p.name != "out"], \
        "the work folder goes beside the output, on its file system (the cache is on another)"
    before = snapshot(out)
    if space:  # a video that does not fit
        free = os.statvfs(fs).f_bavail * os.statvfs(fs).f_frsize
        big = site / "static" / "video.mp4"
        with open(big, "wb") as fh:
            for _ in range((free >> 20) + 2):
                fh.write(b"\x00" * (1 << 20))
    else:  # 250 new articles (parsed and rendered by the worker pool): more files than inodes left
        more = articles(250, first=100)
        write_articles(site, more)
    free = os.statvfs(fs)
    done = sitegen(site, "-o", str(out))
    assert_clean_failure(done, "磁盘空间", r"disk is full|no space")
    assert snapshot(out) == before, "the live site is byte-identical to before"
    assert staging_left(fs, site / ".sitegen-cache") == []
    now = os.statvfs(fs)
    assert (now.f_bfree, now.f_ffree) == (free.f_bfree, free.f_ffree), "the failed build left litter behind"
    if space:  # space freed: the next build succeeds
        big.unlink()
    else:
        for name in more:
            (site / "content" / name).unlink()
    retitle(site, EDITS[0], "空间释放后")
    done = sitegen(site, "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert digests(out) == clean_build(site, tmp_path / "ref")
    assert staging_left(fs, site / ".sitegen-cache") == []


def test_read_only_site_folder(make_site: Callable[..., Path], tmp_path: Path, mounts: Mounts) -> None:
    site = make_site(articles(N_SMALL))
    assert sitegen(site).returncode == 0  # the cache and site/build exist
    ro = mounts.bind(site, tmp_path / "ro-site", read_only=True)
    out = tmp_path / "elsewhere"
    for step in range(2):
        if step:
            retitle(site, EDITS[0], "只读站点上的修改")  # edited through the writable path
        before = snapshot(out)
        done = sitegen(ro, "-o", str(out))
        err = done.stderr
        assert "Traceback" not in err and "internal error" not in err, err
        if done.returncode == 0:
            assert "警告" in err and "缓存" in err and "cache" in err, \
                f"a build that cannot save its cache says so\n{err}"
            assert digests(out) == clean_build(site, tmp_path / f"ref-{step}")
        else:
            assert done.returncode == 1 and ": 错误：" in err, err
            if any(claim in err for claim in UNCHANGED_CLAIMS):
                assert snapshot(out) == before, f"told the output was unchanged, but it changed:\n{err}"
    # The default output is inside the read-only folder: a clear error, the old site untouched.
    before = snapshot(site / "build")
    done = sitegen(ro)
    assert_clean_failure(done, "只读", r"read-only")
    assert snapshot(site / "build") == before


def test_read_only_site_folder_with_a_new_photo(make_site: Callable[..., Path], tmp_path: Path,
                                                mounts: Mounts) -> None:
    """The image cache cannot be written: renditions are made in a folder of this build's own."""
    from tests.test_media import phone_photo

    site = make_site({"2020/huo-dong/index.md": article_text("活动", body='![现场](p.jpg "图为现场")')})
    phone_photo(site / "content/2020/huo-dong/p.jpg")
    ro = mounts.bind(site, tmp_path / "ro-site", read_only=True)
    scratch = set(Path(tempfile.gettempdir()).glob("sitegen-images-*"))
    done = sitegen(ro, "-o", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "缓存" in done.stderr
    assert list((tmp_path / "out/2020/02/22/huo-dong").glob("p.*.960.webp"))
    assert set(Path(tempfile.gettempdir()).glob("sitegen-images-*")) == scratch, "the build's own folder is gone"
    assert not (site / ".sitegen-cache/images").exists()


def _mount_output(mounts: Mounts, tmp_path: Path, out: Path, kind: str) -> None:
    """A tmpfs, or a bind mount from the same file system (which os.path.ismount does not see)."""
    if kind == "tmpfs":
        mounts.tmpfs(out)
    else:
        (tmp_path / "disk").mkdir()
        mounts.bind(tmp_path / "disk", out)


@pytest.mark.parametrize("kind", ["tmpfs", "bind"])
def test_output_mount_inside_a_read_only_parent(
        make_site: Callable[..., Path], tmp_path: Path, mounts: Mounts, kind: str) -> None:
    site = make_site(articles(N_SMALL))
    parent = tmp_path / "www"
    (parent / "out").mkdir(parents=True)
    mounts.bind(parent, parent, read_only=True)
    out = parent / "out"
    _mount_output(mounts, tmp_path, out, kind)
    assert os.statvfs(parent).f_flag & os.ST_RDONLY and not os.statvfs(out).f_flag & os.ST_RDONLY
    done = sitegen(site, "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert digests(out, IN_PLACE_SKIP) == clean_build(site, tmp_path / "ref-1")
    retitle(site, EDITS[0], "只读上级目录")
    done = sitegen(site, "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert 0 < changed_count(done.stdout) < 10 + index_writes(out), done.stdout
    assert digests(out, IN_PLACE_SKIP) == clean_build(site, tmp_path / "ref-2")
    assert staging_left(out, site / ".sitegen-cache") == []


@pytest.mark.parametrize("kind", ["tmpfs", "bind"])
def test_output_is_a_mount_point(make_site: Callable[..., Path], tmp_path: Path, mounts: Mounts, kind: str) -> None:
    site = make_site(articles(N_SMALL))
    out = tmp_path / "out"
    _mount_output(mounts, tmp_path, out, kind)
    for step in range(3):
        if step:
            retitle(site, EDITS[step - 1], f"挂载点{step}")
        done = sitegen(site, "-o", str(out))
        assert done.returncode == 0, done.stderr
        if step:
            assert 0 < changed_count(done.stdout) < 10 + index_writes(out), done.stdout
        assert is_mount_point(out), "the mount point itself stays"  # os.path.ismount misses bind mounts
        assert digests(out, IN_PLACE_SKIP) == clean_build(site, tmp_path / f"ref-{step}")
        assert list((out / IN_PLACE_WORK).glob("staging-*")) == []


def test_output_mode_and_group_survive(make_site: Callable[..., Path], tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root to give the output another group")
    try:
        gid = grp.getgrnam("nogroup").gr_gid
    except KeyError:
        pytest.skip("no group named nogroup")
    site = make_site(articles(N_SMALL))
    out = tmp_path / "www"
    assert sitegen(site, "-o", str(out)).returncode == 0
    os.chmod(out, 0o2750)
    os.chown(out, -1, gid)
    owner = os.stat(out).st_uid
    changed = []
    for step, args in enumerate([("--clean",), (), (), ()]):
        if step:
            retitle(site, EDITS[step - 1], f"权限{step}")
        done = sitegen(site, "-o", str(out), *args)
        assert done.returncode == 0, done.stderr
        changed.append(changed_count(done.stdout) - index_writes(out))  # the search delta aside
        st = os.stat(out)
        assert (oct(stat.S_IMODE(st.st_mode)), st.st_gid, st.st_uid) == (oct(0o2750), gid, owner), \
            f"after build {step} {args}: {done.stdout}"
    assert any(0 < n < 10 for n in changed[1:]), f"an incremental build (through the spare) was tested: {changed}"
