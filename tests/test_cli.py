"""The command line as editors and CI use it: exit codes, messages, summary."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from sitegen import __version__
from tests.conftest import article_text


def sitegen(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sitegen", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd)


def test_version_and_help() -> None:
    assert sitegen("--version").stdout.strip() == f"sitegen {__version__}"
    helped = sitegen("build", "--help")
    assert helped.returncode == 0 and "--output" in helped.stdout and "--drafts" in helped.stdout


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert sitegen().returncode == 2
    assert sitegen("build", tmp_path / "missing").returncode == 2
    assert sitegen("publish").returncode == 2


def test_build_defaults_to_site_dir_build(make_site: Callable[..., Path]) -> None:
    site = make_site({"a.md": article_text()})
    done = sitegen("build", cwd=site)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("已生成 1 篇文章，") and "\n(built 1 articles, " in done.stdout
    assert (site / "build" / "2020/02/22/a/index.html").is_file()


def test_content_errors_exit_1_and_write_nothing(make_site: Callable[..., Path]) -> None:
    site = make_site({"a.md": article_text(souce="x"), "b.md": article_text(date="2021-02-30")})
    done = sitegen("build", site)
    assert done.returncode == 1
    assert "content/a.md:5: 错误" in done.stderr and "did you mean 'source'" in done.stderr
    assert "content/b.md:3: 错误" in done.stderr
    assert "共 2 个错误" in done.stderr and "Traceback" not in done.stderr
    assert not (site / "build").exists()


def test_failed_build_keeps_previous_output(make_site: Callable[..., Path]) -> None:
    site = make_site({"a.md": article_text()})
    assert sitegen("build", site).returncode == 0
    before = {p: p.read_bytes() for p in (site / "build").rglob("*") if p.is_file()}
    (site / "content" / "b.md").write_text(article_text(category="不存在"), encoding="utf-8")
    assert sitegen("build", site).returncode == 1
    after = {p: p.read_bytes() for p in (site / "build").rglob("*") if p.is_file()}
    assert after == before
    assert not list(site.glob(".sitegen-staging-*"))


def test_drafts_flag(make_site: Callable[..., Path]) -> None:
    site = make_site({"a.md": article_text(draft="true")})
    assert sitegen("build", site).returncode == 0
    assert not (site / "build/2020/02/22/a").exists()
    assert sitegen("build", site, "--drafts").returncode == 0
    assert (site / "build/2020/02/22/a/index.html").is_file()


def test_debug_shows_the_traceback(make_site: Callable[..., Path]) -> None:
    site = make_site({"a.md": article_text(souce="x")})
    plain, debug = sitegen("build", site), sitegen("build", site, "--debug")
    assert plain.returncode == debug.returncode == 1
    assert "Traceback" not in plain.stderr
    assert "Traceback" in debug.stderr and "did you mean 'source'" in debug.stderr


def test_progress_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from sitegen import cli

    monkeypatch.setattr(sys.stderr, "isatty", lambda: False)
    cli._progress()("生成", 5, 10)
    assert capsys.readouterr().err == ""
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    show = cli._progress()
    show("生成", 5, 10)
    show("生成", 10, 10)
    err = capsys.readouterr().err
    assert "\r生成 5/10 (50%)" in err and err.endswith("\r生成 10/10 (100%)\n")


def test_help_is_chinese_first() -> None:
    for args in (["--help"], ["build", "--help"], ["check", "--help"]):
        helped = sitegen(*args)
        assert helped.returncode == 0
        text = helped.stdout
        assert "生成网站" in text or "输出目录" in text or "检查内容" in text, args
        assert text.index("网站") < text.index("(", text.index("网站")), "Chinese before the English"
    top = sitegen("--help").stdout
    # every command listed once under 命令 (commands), and the metavar not repeated as if it were one
    assert top.count("命令 (COMMAND)") == 1
    assert all(f"\n  {name} " in top for name in ("build", "check", "serve", "new", "init"))


def test_help_usage_errors_and_the_summary_are_chinese_first(tmp_path: Path) -> None:
    """Editors read the command line too: every line they see starts in Chinese, English after."""
    helped = sitegen("--help").stdout
    assert helped.startswith("用法 (usage): sitegen") and "选项 (options)" in helped and "显示本帮助" in helped
    assert "show this help message" not in helped  # argparse's own English-only -h line is gone
    wrong = sitegen("publish")
    assert wrong.returncode == 2 and "命令写得不对" in wrong.stderr and "invalid choice" in wrong.stderr
    missing = sitegen("build", tmp_path / "missing")
    assert missing.stderr.startswith("sitegen：错误：找不到文件夹") and "(no such folder)" in missing.stderr
    for line in (helped.splitlines()[0], wrong.stderr.splitlines()[-1], missing.stderr.splitlines()[0]):
        assert any("\u4e00" <= ch <= "\u9fff" for ch in line.split("(")[0]), line


def test_check_never_says_the_site_was_not_updated(make_site: Callable[..., Path]) -> None:
    """check only reads: its verdict on bad content or a bad site.yaml names the check, not a site left alone."""
    site = make_site({"a.md": article_text(date="2021-02-30")})
    (site / "site.yaml").write_text((site / "site.yaml").read_text("utf-8") + "feed_size: -1\n", "utf-8")
    for args in (("check", site), ("check", site, "--drafts")):
        done = sitegen(*args)
        assert done.returncode == 1 and "site.yaml:" in done.stderr
        assert "检查未通过" in done.stderr
        assert "网站未更新" not in done.stderr and "nothing was written" not in done.stderr
    built = sitegen("build", site)
    assert built.returncode == 1 and "网站未更新" in built.stderr


def test_check_shows_the_builds_warnings_and_passes(make_site: Callable[..., Path]) -> None:
    site = make_site({"a.md": article_text(), "b.md": article_text(date="2099-01-01 08:00")})
    done = sitegen("check", site)
    assert done.returncode == 0, done.stderr
    assert "content/b.md" in done.stderr and "警告" in done.stderr  # scheduled for 2099: said, not an error
    assert "另有 1 条提醒" in done.stdout
    # Its temporary build is a first build: its clean-up must not warn about a folder the swap renamed.
    assert done.stderr.count("警告") == 1, done.stderr
