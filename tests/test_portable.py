"""The macOS and Windows code paths, run on Linux: the spawn pool, the portable lock, the swap by renames.

CI also runs the build tests with all three forced (SITEGEN_START_METHOD=spawn,
SITEGEN_LOCK=portable, SITEGEN_EXCHANGE=portable); these tests force each one
themselves, so they test it in every run.
"""

from __future__ import annotations

import errno
import multiprocessing
import os
import runpy
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from sitegen import fileio, lock, workers
from sitegen.build import build
from sitegen.cache import CACHE_DIR
from sitegen.cli import main
from sitegen.errors import SiteError
from sitegen.publish import ASIDE, Output
from tests.conftest import ROOT, article_text
from tests.test_incremental import articles
from tests.test_write import tree

Site = Callable[..., Path]


@pytest.fixture(params=lock.KINDS)
def lock_kind(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv(lock.ENV, request.param)
    return str(request.param)


def test_lock_kind_follows_the_system_unless_forced(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(lock.ENV, raising=False)
    assert lock.kind() == ("portable" if sys.platform == "win32" else "flock")
    monkeypatch.setenv(lock.ENV, "portable")
    assert lock.kind() == "portable"
    monkeypatch.setenv(lock.ENV, "msvcrt")
    with pytest.raises(SiteError, match="SITEGEN_LOCK"):
        lock.kind()


def test_a_held_lock_is_refused_at_once(lock_kind: str, tmp_path: Path) -> None:
    release = lock.acquire(tmp_path / "lock")
    with pytest.raises(lock.Busy):
        lock.acquire(tmp_path / "lock")
    release()
    lock.acquire(tmp_path / "lock")()  # free again


HOLDER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from sitegen import lock
    release = lock.acquire(Path(sys.argv[1]))  # kept: filelock lets go of a lock it no longer sees
    print("held", flush=True)
    time.sleep(60)
""")


def test_a_build_killed_holding_the_lock_leaves_it_free(lock_kind: str, make_site: Site,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site(articles(3))
    assert main(["build", str(site)]) == 0
    path = Output(site / "build", site / CACHE_DIR).work / "lock"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        assert main(["build", str(site)]) == 1
        err = capsys.readouterr().err
        assert "另一个 sitegen 正在构建这个目录，请等它结束后再试。" in err
    finally:
        holder.kill()
        holder.wait()
    assert main(["build", str(site)]) == 0  # kill -9 dropped the lock: nothing wedged


def test_exchange_is_refused_where_forced_portable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    monkeypatch.setenv(fileio.EXCHANGE_ENV, "portable")
    assert not fileio.exchange(tmp_path / "a", tmp_path / "b")


def test_swap_by_renames_publishes_and_keeps_the_spare(monkeypatch: pytest.MonkeyPatch, make_site: Site,
                                                       tmp_path: Path) -> None:
    monkeypatch.setenv(fileio.EXCHANGE_ENV, "portable")
    renames: list[str] = []
    real = os.rename
    monkeypatch.setattr(os, "rename", lambda a, b: renames.append(Path(b).name) or real(a, b))
    site = make_site(articles(6))
    build(site, site / "build")
    (site / "content/2015/a000.md").write_text(article_text("新标题", date="2015-01-01"), "utf-8")
    renames.clear()
    result = build(site, site / "build")
    assert ASIDE in renames  # the swap went by renames, not renameat2
    assert result.written < result.files  # incremental: the spare was there to update
    assert "新标题" in (site / "build/2015/01/01/a000/index.html").read_text("utf-8")
    build(site, tmp_path / "clean", clean=True)
    assert tree(site / "build") == tree(tmp_path / "clean")
    assert not (Output(site / "build", site / CACHE_DIR).work / ASIDE).exists()


KILLED_BETWEEN = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from sitegen.build import build
    real = os.rename
    def rename(a, b):
        real(a, b)
        if Path(b).name == "aside":  # the live site is set aside; the new one is not in yet
            os.kill(os.getpid(), signal.SIGKILL)
    os.rename = rename
    build(Path(sys.argv[1]), Path(sys.argv[1]) / "build")
""")


def test_kill_9_between_the_two_renames_leaves_the_old_site_to_the_next_build(
        make_site: Site, tmp_path: Path) -> None:
    site = make_site(articles(6))
    env = {**os.environ, fileio.EXCHANGE_ENV: "portable"}
    subprocess.run([sys.executable, "-c", "import sys; from sitegen.cli import main; sys.exit(main(sys.argv[1:]))",
                    "build", str(site)], env=env, check=True)
    old = tree(site / "build")
    (site / "content/2015/a000.md").write_text(article_text("新标题", date="2015-01-01"), "utf-8")
    killed = subprocess.run([sys.executable, "-c", KILLED_BETWEEN, str(site)], env=env)
    assert killed.returncode == -signal.SIGKILL
    aside = Output(site / "build", site / CACHE_DIR).work / ASIDE
    assert not (site / "build").exists() and tree(aside) == old  # the moment with no site, caught in it
    with Output(site / "build", site / CACHE_DIR).locked():  # what the next build does first
        assert tree(site / "build") == old and not aside.exists()
    build(site, site / "build")
    build(site, tmp_path / "clean", clean=True)
    assert tree(site / "build") == tree(tmp_path / "clean")


def test_killed_after_the_second_rename_the_new_site_stays(make_site: Site) -> None:
    site = make_site(articles(3))
    build(site, site / "build")
    new = tree(site / "build")
    aside = Output(site / "build", site / CACHE_DIR).work / ASIDE
    aside.mkdir()
    (aside / "index.html").write_text("the old site")
    with Output(site / "build", site / CACHE_DIR).locked():
        assert not aside.exists() and tree(site / "build") == new


def test_start_method_is_fork_on_linux_unless_forced(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(workers.START_ENV, raising=False)
    assert workers.start_method() == ("fork" if sys.platform.startswith("linux") else "spawn")
    monkeypatch.setenv(workers.START_ENV, "fork")
    assert workers.parallel_from() == workers.PARALLEL_FROM
    monkeypatch.setenv(workers.START_ENV, "spawn")
    assert workers.start_method() == "spawn"
    assert workers.parallel_from() == workers.PARALLEL_FROM * workers.SPAWN_COST  # a spawned pool costs more
    monkeypatch.setenv(workers.START_ENV, "vfork")
    with pytest.raises(SiteError, match="SITEGEN_START_METHOD"):
        workers.start_method()


def test_a_spawned_pool_builds_the_same_site(monkeypatch: pytest.MonkeyPatch, make_site: Site,
                                             tmp_path: Path) -> None:
    pages = articles(12)
    pages["2016/党建活动.md"] = article_text("拼音网址", date="2016-05-05")  # a pinyin slug, worked out in a worker
    site = make_site(pages)
    build(site, tmp_path / "serial", clean=True)
    methods: list[str] = []
    real = multiprocessing.get_context
    monkeypatch.setattr(multiprocessing, "get_context", lambda m=None: methods.append(m) or real(m))
    monkeypatch.setattr(workers, "PARALLEL_FROM", 0)
    monkeypatch.setenv(workers.START_ENV, "spawn")
    build(site, tmp_path / "spawned", clean=True)
    assert methods == ["spawn"]
    assert tree(tmp_path / "spawned") == tree(tmp_path / "serial")
    assert (tmp_path / "spawned/2016/05/05/dang-jian-huo-dong/index.html").is_file()


def test_python_m_sitegen_does_not_build_again_in_a_spawned_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    # spawn imports the parent's __main__ in each worker under the name __mp_main__.
    monkeypatch.setattr(sys, "argv", ["sitegen", "build", str(ROOT / "no-such-site")])
    runpy.run_module("sitegen.__main__", run_name="__mp_main__")  # would exit 1, building nothing
    with pytest.raises(SystemExit):
        runpy.run_module("sitegen.__main__", run_name="__main__")


def test_chinese_output_into_a_pipe_in_a_code_page_without_chinese(tmp_path: Path) -> None:
    # What `sitegen build > log.txt` meets on an English Windows (cp1252), forced here by PYTHONIOENCODING.
    env = {**os.environ, "PYTHONIOENCODING": "cp1252"}
    shown = subprocess.run([sys.executable, "-m", "sitegen", "--help"], env=env, capture_output=True)
    assert shown.returncode == 0 and "用法" in shown.stdout.decode("utf-8")
    failed = subprocess.run([sys.executable, "-m", "sitegen", "build", str(tmp_path / "nowhere")], env=env,
                            capture_output=True)
    assert failed.returncode == 2 and "找不到文件夹" in failed.stderr.decode("utf-8")


def test_a_drive_without_hard_links_gets_copies(monkeypatch: pytest.MonkeyPatch, make_site: Site,
                                                tmp_path: Path) -> None:
    """Windows says "incorrect function" (EINVAL) to a hard link on a FAT or exFAT drive."""
    def no_links(source: object, target: object) -> None:
        raise OSError(errno.EINVAL, "Incorrect function")

    site = make_site(articles(4))
    monkeypatch.setattr(os, "link", no_links)
    build(site, site / "build")
    (site / "content/2015/a000.md").write_text(article_text("新标题", date="2015-01-01"), "utf-8")
    build(site, site / "build")  # the spare is made of copies, not links
    monkeypatch.undo()
    build(site, tmp_path / "clean", clean=True)
    assert tree(site / "build") == tree(tmp_path / "clean")


def test_a_file_in_use_on_windows_is_told_as_such() -> None:
    exc = PermissionError(errno.EACCES, "The process cannot access the file", "C:\\site\\build")
    exc.winerror = 32  # type: ignore[attr-defined]  # ERROR_SHARING_VIOLATION, as Windows sets it
    problem = fileio.os_problem(exc, "build")
    assert problem.zh.startswith("文件正被其他程序使用") and "之前的网站没有改动" in problem.zh
    assert fileio.os_problem(PermissionError(errno.EACCES, "denied"), "build").zh.startswith("没有写入权限")
