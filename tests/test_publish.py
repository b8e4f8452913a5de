"""Publishing never wedges, never trusts a stale cache, and never writes or publishes through symlinks."""

from __future__ import annotations

import os
import pickle
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from sitegen import cache as cache_db
from sitegen.build import build
from sitegen.cache import CACHE_DIR
from sitegen.cli import main
from sitegen.incremental import setup_key
from sitegen.publish import MARKER, Output
from sitegen.themefiles import THEME_TEMPLATES
from tests.conftest import article_text, override
from tests.searchview import index_writes
from tests.test_incremental import articles
from tests.test_write import tree

Site = Callable[..., Path]


def clean_tree(site: Path, tmp_path: Path, name: str = "clean") -> dict[str, bytes]:
    build(site, tmp_path / name, clean=True)
    return tree(tmp_path / name)


def live_tree(out: Path) -> dict[str, bytes]:
    return tree(out)


def work(site: Path) -> Path:
    return Output(site / "build", site / CACHE_DIR).work


def test_static_file_turning_into_a_folder_and_back(make_site: Site, tmp_path: Path) -> None:
    site = make_site(articles(6))
    (site / "static/report").write_text("v1")
    build(site, site / "build")
    (site / "static/report").unlink()
    (site / "static/report").mkdir()
    (site / "static/report/2021.txt").write_text("v2")
    assert main(["build", str(site)]) == 0
    assert live_tree(site / "build") == clean_tree(site, tmp_path)
    shutil.rmtree(site / "static/report")
    (site / "static/report").write_text("v3")
    assert main(["build", str(site)]) == 0
    assert live_tree(site / "build") == clean_tree(site, tmp_path, "clean2")


@pytest.mark.parametrize("mess", ["spare is a file", "spare has a forged marker", "stale staging",
                                  "old torn journal", "spare is a symlink", "spare is a dangling symlink"])
def test_leftovers_never_wedge_a_build(make_site: Site, tmp_path: Path, mess: str) -> None:
    site = make_site(articles(6))
    build(site, site / "build")
    (site / "content/2015/a000.md").write_text(article_text("新标题", date="2015-01-01"), "utf-8")
    build(site, site / "build")  # now there is a spare
    (site / "content/2016/a001.md").write_text(article_text("又一个", date="2016-02-02"), "utf-8")
    spare = work(site) / "spare"
    if mess == "spare is a file":
        shutil.rmtree(spare)
        spare.write_text("junk")
    elif mess == "spare has a forged marker":
        (spare / MARKER).write_text("state 0000")
        (spare / "index.html").write_text("forged")
    elif mess == "stale staging":
        (work(site) / "staging-1").mkdir()
        (work(site) / "staging-1/index.html").write_text("half")
    elif mess == "old torn journal":  # what sitegen 0.1 left behind
        (site / ".sitegen-commit-build").mkdir()
        (site / ".sitegen-commit-build/.sitegen-journal").write_text("")
    elif mess == "spare is a dangling symlink":
        shutil.rmtree(spare)
        spare.symlink_to(tmp_path / "nowhere")
    else:
        shutil.rmtree(spare)
        (tmp_path / "elsewhere").mkdir()
        spare.symlink_to(tmp_path / "elsewhere")
    for args in (["build", str(site)], ["build", str(site), "--clean"]):
        assert main(args) == 0, mess
        assert live_tree(site / "build") == clean_tree(site, tmp_path)
    assert sorted(p.name for p in work(site).iterdir()) == ["lock", "spare"]
    assert not (site / ".sitegen-commit-build").exists()
    assert not any((tmp_path / "elsewhere").iterdir()) if (tmp_path / "elsewhere").exists() else True


def test_edit_that_keeps_size_and_mtime_is_seen(make_site: Site) -> None:
    site = make_site(articles(6))
    build(site, site / "build")
    path = site / "content/2015/a000.md"
    before = path.stat()
    text = path.read_text("utf-8")
    path.write_text(text.replace("第0篇正文", "第0篇原文"), "utf-8")  # same byte count
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # as cp -p, rsync -t, unzip do
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    result = build(site, site / "build")
    assert result.written > 0
    assert "第0篇原文" in next((site / "build").rglob("a000/index.html")).read_text("utf-8")


def test_a_pickle_in_the_cache_is_never_loaded(make_site: Site, tmp_path: Path) -> None:
    site = make_site(articles(4))
    (site / CACHE_DIR).mkdir()
    pwned = tmp_path / "pwned"

    class Payload:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.mkdir, (str(pwned),))

    (site / CACHE_DIR / "manifest.pickle").write_bytes(pickle.dumps(Payload()))
    (site / CACHE_DIR / cache_db.DB_NAME).write_bytes(pickle.dumps(Payload()))
    assert main(["build", str(site)]) == 0
    assert not pwned.exists()


@pytest.mark.parametrize("damage", ["garbage", "wrong types", "truncated"])
def test_corrupt_cache_means_a_full_build_with_a_notice(make_site: Site, tmp_path: Path, damage: str,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site(articles(8))
    build(site, site / "build")
    db = site / CACHE_DIR / cache_db.DB_NAME
    if damage == "garbage":
        db.write_bytes(b"SQLite format 3\x00" + os.urandom(3000))
    elif damage == "truncated":
        db.write_bytes(db.read_bytes()[:2000])
    else:
        import sqlite3

        con = sqlite3.connect(db)  # a crafted file: untyped columns holding the wrong types
        rows = con.execute("SELECT * FROM sources").fetchall()
        con.execute("DROP TABLE sources")
        con.execute(f"CREATE TABLE sources ({', '.join(f'c{i}' for i in range(len(rows[0])))})")
        con.executemany(f"INSERT INTO sources VALUES ({', '.join('?' * len(rows[0]))})",
                        [(r[0], "x", *r[2:8], 12345, *r[9:]) for r in rows])
        con.commit()
        con.close()
    (site / "content/2015/a000.md").write_text(article_text("改过", date="2015-01-01"), "utf-8")
    capsys.readouterr()
    assert main(["build", str(site)]) == 0
    err = capsys.readouterr().err
    assert "Traceback" not in err
    if damage != "truncated":  # a truncated WAL database can read as empty, which is a plain full build
        assert "构建缓存无法读取" in err
    assert live_tree(site / "build") == clean_tree(site, tmp_path)


def test_setup_key_covers_every_library_that_shapes_output(monkeypatch: pytest.MonkeyPatch) -> None:
    import yaml

    import sitegen.incremental as inc

    base = setup_key(b"title: x", False)
    monkeypatch.setattr(inc, "version", lambda name: "99.0" if name == "pypinyin" else "1.0")
    assert setup_key(b"title: x", False) != base
    pinned = setup_key(b"title: x", False)
    monkeypatch.setattr(yaml, "__version__", "0.0.1")
    assert setup_key(b"title: x", False) != pinned


def test_one_outputs_build_never_touches_anothers(make_site: Site) -> None:
    site = make_site(articles(4))
    news, archive = site.parent / "news", site.parent / "news-archive"
    build(site, archive)
    other = Output(archive, site / CACHE_DIR)
    with other.locked():  # news-archive is being built ...
        staging = other.new_staging()
        (staging / "index.html").write_text("in progress")
        assert main(["build", str(site), "-o", str(news)]) == 0  # ... while news builds
        assert (staging / "index.html").read_text() == "in progress"


def test_output_reached_through_a_symlink_updates_the_real_folder(make_site: Site, tmp_path: Path) -> None:
    site = make_site(articles(4))
    real = tmp_path / "real"
    (tmp_path / "live").symlink_to(real)
    assert main(["build", str(site), "-o", str(tmp_path / "live")]) == 0
    (site / "content/2015/a000.md").write_text(article_text("新标题甲", date="2015-01-01"), "utf-8")
    assert main(["build", str(site), "-o", str(tmp_path / "live")]) == 0
    assert (tmp_path / "live").is_symlink() and (tmp_path / "live").resolve() == real
    assert "新标题甲" in (real / "2015/01/01/a000/index.html").read_text("utf-8")
    assert live_tree(real) == clean_tree(site, tmp_path)


def test_two_names_for_one_output_share_one_lock(make_site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site(articles(4))
    build(site, site / "out")
    (site.parent / "alias").symlink_to(site / "out")
    with Output(site / "out", site / CACHE_DIR).locked():
        assert main(["build", str(site), "-o", str(site.parent / "alias")]) == 1
    assert "another sitegen build is writing this output" in capsys.readouterr().err


def test_never_writes_through_a_symlink_inside_the_output(make_site: Site, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site(articles(4))
    (site / "static/report.txt").write_text("the site's own")
    build(site, site / "build")
    ext = tmp_path / "ext"
    shutil.copytree(site / "build/static", ext / "static")
    (ext / "static/keep.txt").write_text("not sitegen's")
    before = tree(ext)
    shutil.rmtree(site / "build/static")
    (site / "build/static").symlink_to(ext / "static")
    override(site, "static/css/site.css").write_text("body{}", "utf-8")
    (site / "static/report.txt").unlink()
    assert main(["build", str(site)]) == 0
    assert tree(ext) == before, "nothing created, changed or deleted outside the output"
    assert not (site / "build/static").is_symlink()
    assert live_tree(site / "build") == clean_tree(site, tmp_path)
    assert "警告" in capsys.readouterr().err


def test_nothing_outside_the_site_or_hidden_is_published(make_site: Site, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site(articles(2))
    secret = tmp_path / "secret.md"
    secret.write_text(article_text("外部文章", date="2021-01-01"), "utf-8")
    (site / "content/linked.md").symlink_to(secret)
    (site / "static/passwd.txt").symlink_to("/etc/passwd")
    (site / "static/.git").mkdir()
    (site / "static/.git/config").write_text("[remote] url = https://token@example.invalid")
    (site / "static/.private").mkdir()
    (site / "static/.private/id.jpg").write_bytes(b"\xff\xd8")
    (site / "static/inside.txt").write_text("ok")
    (site / "static/alias.txt").symlink_to(site / "static/inside.txt")  # inside the site: fine
    assert main(["build", str(site)]) == 0
    out = tree(site / "build")
    assert not any(name.endswith(("passwd.txt", "config", "id.jpg")) for name in out)
    assert not any("外部文章" in data.decode("utf-8", "replace") for data in out.values())
    assert out["static/alias.txt"] == b"ok"
    err = capsys.readouterr().err
    for name in ("content/linked.md", "static/passwd.txt", "static/.private"):
        assert f"{name}: 警告：" in err
    assert "static/.git" not in err  # version-control litter is skipped quietly


def test_symlink_loop_in_content_is_an_error(make_site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site(articles(2))
    (site / "content/loop").symlink_to(site / "content")
    (site / "content/self.md").symlink_to(site / "content/self.md")
    assert main(["build", str(site)]) == 1
    err = capsys.readouterr().err
    assert "content/loop: 错误：" in err and "content/self.md: 错误：" in err and "symlink loop" in err
    assert "internal error" not in err


def test_unreadable_article_is_an_error(make_site: Site, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    import builtins

    import sitegen.job

    site = make_site(articles(2))

    def guarded_open(file: object, *args: object, **kwargs: object) -> object:
        if str(file).endswith("a000.md"):
            raise PermissionError(13, "Permission denied", str(file))
        return builtins.open(file, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(sitegen.job, "open", guarded_open, raising=False)
    assert main(["build", str(site)]) == 1
    err = capsys.readouterr().err
    assert "content/2015/a000.md: 错误：无法读取" in err and "internal error" not in err
    monkeypatch.undo()
    assert main(["build", str(site)]) == 0  # an unreadable file was not cached as read


def test_no_litter_beside_the_output_and_no_empty_staging(make_site: Site) -> None:
    site = make_site(articles(4))
    for _ in range(2):
        assert main(["build", str(site)]) == 0
    assert sorted(p.name for p in site.iterdir() if p.name.startswith(".")) == [CACHE_DIR]
    assert not list(work(site).glob("staging-*"))


def test_check_leaves_the_cache_alone(make_site: Site) -> None:
    site = make_site(articles(6))
    build(site, site / "build")
    db = site / CACHE_DIR / cache_db.DB_NAME
    before = (db.read_bytes(), db.stat().st_mtime_ns)
    assert main(["check", str(site)]) == 0
    assert (db.read_bytes(), db.stat().st_mtime_ns) == before
    assert build(site, site / "build").written == 0


@pytest.mark.parametrize("clean", [False, True])
def test_files_put_in_the_output_by_hand_are_reported_and_removed(make_site: Site, clean: bool,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site(articles(4))
    build(site, site / "build")
    (site / "build/notes.txt").write_text("by hand")
    capsys.readouterr()
    assert main(["build", str(site), *(["--clean"] if clean else [])]) == 0
    assert not (site / "build/notes.txt").exists()
    err = capsys.readouterr().err
    assert "notes.txt" in err and "static/" in err


def test_output_files_deleted_or_edited_by_hand_are_restored(make_site: Site, tmp_path: Path) -> None:
    site = make_site(articles(30))
    build(site, site / "build")
    (site / "build/category/zhi-bu-feng-cai/index.html").unlink()
    page = next((site / "build").rglob("a003/index.html"))
    page.write_text("defaced")
    assert build(site, site / "build").written == 2
    assert live_tree(site / "build") == clean_tree(site, tmp_path)
    (site / "build/feed.xml").unlink()  # the feed needs the newest bodies: more work, same result
    assert build(site, site / "build").written > 0
    assert live_tree(site / "build") == clean_tree(site, tmp_path, "clean2")


def test_interrupt_while_listing_leaves_no_staging(make_site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site(articles(6))
    build(site, site / "build")
    before = tree(site / "build")
    (site / "content/2015/a000.md").write_text(article_text("新", date="2015-01-01"), "utf-8")

    def interrupted(*args: object, **kwargs: object) -> list[str]:
        raise KeyboardInterrupt

    monkeypatch.setattr("sitegen.workers.Pool.render_lists", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build(site, site / "build")
    assert tree(site / "build") == before
    assert not list(work(site).glob("staging-*"))


def test_second_build_in_one_process_sees_edited_templates(make_site: Site) -> None:
    site = make_site(articles(4))
    build(site, site / "build")
    template = override(site, "templates/article.html")
    template.write_text(template.read_text("utf-8").replace("上一篇", "前一篇"), "utf-8")
    build(site, site / "build")
    page = next((site / "build").rglob("a001/index.html")).read_text("utf-8")
    assert "前一篇" in page and "上一篇" not in page


def test_content_folder_itself_may_be_a_link(make_site: Site, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    """A site may keep its articles on a shared drive; links *inside* them still may not leave."""
    site = make_site(articles(3))
    shutil.move(site / "content", tmp_path / "shared")
    (site / "content").symlink_to(tmp_path / "shared")
    (tmp_path / "private.md").write_text(article_text("私密", date="2021-01-01"), "utf-8")
    (tmp_path / "shared/leak.md").symlink_to(tmp_path / "private.md")
    assert main(["build", str(site)]) == 0
    assert build(site, site / "build").articles == 3
    assert "content/leak.md: 警告：" in capsys.readouterr().err


def test_unchanged_static_files_are_neither_read_nor_copied(make_site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    import sitegen.media

    monkeypatch.setattr("sitegen.load.RACY_NS", 0)  # as if the files were written more than 2 s ago
    site = make_site(articles(2))
    (site / "static/video.mp4").write_bytes(os.urandom(3 << 20))
    build(site, site / "build")
    read: list[str] = []
    real = sitegen.media.file_digest
    monkeypatch.setattr(sitegen.media, "file_digest", lambda p: read.append(str(p)) or real(p))
    monkeypatch.setattr("sitegen.write.copy_file", lambda *a: read.append("copy"))
    assert build(site, site / "build").written == 0
    assert read == []
    assert (site / "build/static/video.mp4").read_bytes() == (site / "static/video.mp4").read_bytes()


def test_clean_build_after_a_deletion_reports_nothing_removed(make_site: Site,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site(articles(4))
    build(site, site / "build")
    (site / "content/2015/a000.md").unlink()
    capsys.readouterr()
    assert main(["build", str(site), "--clean"]) == 0
    assert "警告" not in capsys.readouterr().err  # the old page was sitegen's own, not a hand-made file
    assert not list((site / "build").rglob("a000"))


def test_an_empty_file_system_is_an_output(make_site: Site) -> None:
    """mkfs leaves lost+found at the root of a file system mounted as the output: not a reason to refuse."""
    site = make_site(articles(2))
    (site / "out/lost+found").mkdir(parents=True)
    assert main(["build", str(site), "-o", str(site / "out")]) == 0
    assert main(["build", str(site), "-o", str(site / "out")]) == 0


def test_nothing_changed_reads_no_cache_rows_and_writes_nothing(make_site: Site, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sitegen.load.RACY_NS", 0)  # as if the files were written more than 2 s ago
    site = make_site(articles(6))
    build(site, site / "build")
    real_read = cache_db.read_rows
    monkeypatch.setattr(cache_db, "read_rows", lambda c: pytest.fail("a no-change build read the cache rows"))
    first = build(site, site / "build")
    assert (first.written, first.articles) == (0, 6)
    monkeypatch.setattr(cache_db, "read_rows", real_read)
    for change in (lambda: (site / "build/feed.xml").unlink(),  # the output, by hand
                   lambda: (site / "static/extra.txt").write_text("x"),  # an input
                   lambda: override(site, "templates/list.html").write_text(  # a template, the site's own
                       (THEME_TEMPLATES / "list.html").read_text("utf-8") + "\n", "utf-8")):
        change()
        assert build(site, site / "build").written > 0
        assert tree(site / "build") == clean_tree(site, tmp_path)


def test_article_saved_again_during_the_build_is_not_mixed(make_site: Site, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    """Metadata from one version of a file and the body from another would never match."""
    import sitegen.job

    site = make_site(articles(3))
    build(site, site / "build")
    before = tree(site / "build")
    path = site / "content/2015/a000.md"
    path.write_text(article_text("第一版", date="2015-01-01"), "utf-8")
    real = sitegen.job.Worker.render

    def save_meanwhile(self: object, job: object, sink: object) -> object:
        path.write_text(article_text("第二版", date="2015-01-01", body="[" * 50_000), "utf-8")
        return real(self, job, sink)  # type: ignore[arg-type]

    monkeypatch.setattr(sitegen.job.Worker, "render", save_meanwhile)
    assert main(["build", str(site)]) == 1
    assert "content/2015/a000.md: 错误：这篇文章在构建过程中被修改了" in capsys.readouterr().err
    assert tree(site / "build") == before
    monkeypatch.undo()
    assert main(["build", str(site)]) == 1  # the second version is caught by the limits, at its line


def test_clean_build_of_unchanged_content_keeps_later_edits_cheap(make_site: Site, tmp_path: Path) -> None:
    """The old and new trees of a --clean build share a state; they must not share a cache row."""
    site = make_site(articles(30))
    build(site, site / "build")
    (site / "content/2015/a000.md").write_text(article_text("一改", date="2015-01-01"), "utf-8")
    build(site, site / "build")  # makes the spare
    build(site, site / "build", clean=True)
    (site / "content/2016/a001.md").write_text(article_text("二改", date="2016-02-02"), "utf-8")
    assert 0 < build(site, site / "build").written < 20 + index_writes(site / "build")  # the pages it is on
    assert tree(site / "build") == clean_tree(site, tmp_path)
    (site / "build/hand.txt").write_text("x")  # an extra alone: same pages, same state, still a swap
    assert build(site, site / "build").written == 0
    (site / "content/2017/a002.md").write_text(article_text("三改", date="2017-03-03"), "utf-8")
    assert 0 < build(site, site / "build").written < 20 + index_writes(site / "build")  # the pages it is on
    assert tree(site / "build") == clean_tree(site, tmp_path, "clean2")


@pytest.mark.parametrize("first", [True, False])
def test_a_full_build_leaves_a_spare_so_the_first_edit_renders_only_it(make_site: Site, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch,
                                                                      first: bool) -> None:
    import sitegen.tree

    site = make_site(articles(30))
    if not first:
        build(site, site / "build")
    build(site, site / "build", clean=True)
    spare = work(site) / "spare"
    assert spare.is_dir() and (spare / MARKER).is_file()
    page = next((site / "build").rglob("a003/index.html"))
    assert os.stat(page).st_ino == os.stat(spare / page.relative_to(site / "build")).st_ino  # hard links
    linked: list[str] = []
    real_link = sitegen.tree._link
    monkeypatch.setattr(sitegen.tree, "_link", lambda put, target: linked.append(target) or real_link(put, target))
    (site / "content/2015/a000.md").write_text(article_text("改", date="2015-01-01"), "utf-8")
    assert 0 < build(site, site / "build").written < 20
    assert linked == [], "the spare was complete: nothing to link from the live site"
    assert tree(site / "build") == clean_tree(site, tmp_path)


def test_a_failure_after_the_swap_is_a_warning_not_an_error(make_site: Site, monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    """Once the new site is live, saying 'the previous site is unchanged' would be false."""
    site = make_site(articles(4))
    build(site, site / "build")
    (site / "content/2015/a000.md").write_text(article_text("已上线", date="2015-01-01"), "utf-8")

    def fails(self: Output, prepared: object) -> None:
        raise OSError(28, "No space left on device", str(self.spare))

    monkeypatch.setattr(Output, "settle", fails)
    assert main(["build", str(site)]) == 0
    err = capsys.readouterr().err
    assert "警告：磁盘空间已满" in err and "新网站已发布" in err and "网站未更新" not in err
    assert "已上线" in (site / "build/2015/01/01/a000/index.html").read_text("utf-8")
    monkeypatch.undo()
    assert main(["build", str(site)]) == 0  # the next build tidies up


def test_errors_from_scanning_and_from_articles_come_in_one_run(make_site: Site,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site(articles(2))
    (site / "content/loop").symlink_to(site / "content")
    (site / "content/bad.md").write_text("no front matter\n", "utf-8")
    assert main(["build", str(site)]) == 1
    err = capsys.readouterr().err
    assert "content/loop: 错误：" in err and "content/bad.md:1: 错误：" in err and "共 2 个错误" in err
