"""`sitegen init DIR`: a new site that builds and checks clean, made with the real command line."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sitegen.config import parse_config
from sitegen.newsite import SKELETON, skeleton_files
from sitegen.themefiles import THEME_STATIC

SRCSET = re.compile(r'(?:src|srcset)="([^"]+)"')


def sitegen(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sitegen", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=300)


def _snapshot(root: Path) -> dict[str, bytes | None]:
    return {p.relative_to(root).as_posix(): p.read_bytes() if p.is_file() else None for p in sorted(root.rglob("*"))}


def test_init_new_build_check(tmp_path: Path) -> None:
    site = tmp_path / "新网站" / "dangjian"  # a missing parent, and a Chinese name
    done = sitegen("init", site)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"已新建网站：{site}")
    for step in (f"cd {site}", 'sitegen new "文章标题"', "sitegen serve", "sitegen build"):
        assert step in done.stdout, step
    assert (site / ".gitignore").is_file() and not (site / "gitignore").exists()
    workflow = site / ".github/workflows/sitegen.yml"
    assert workflow.read_bytes() == (SKELETON / "ci.yml").read_bytes()
    assert (site / "static").is_dir() and not any((site / "static").iterdir())
    [article] = site.glob("content/**/index.md")
    assert (article.parent / "photo.jpg").is_file() and "](photo.jpg" in article.read_text("utf-8")
    assert not list(site.parent.glob(".*sitegen-init*")), "no scratch folder is left beside the site"

    done = sitegen("new", "七一主题党日活动", "--site", site)
    assert done.returncode == 0, done.stderr
    done = sitegen("build", site)
    assert done.returncode == 0, done.stderr
    out = site / "build"
    assert (out / "static/css/site.css").read_bytes() == (THEME_STATIC / "css/site.css").read_bytes()
    url = next(out.glob("*/*/*/shi-li-wen-zhang/index.html"))
    page = url.read_text("utf-8")
    assert "示例文章" in page and "<picture" in page
    photos = {src.split("?")[0] for found in SRCSET.findall(page) for src in re.split(r",\s*", found)}
    renditions = [url.parent / p.split()[0] for p in photos if "photo" in p]
    assert {r.suffix for r in renditions} >= {".webp", ".jpg"}, photos
    assert all(r.is_file() for r in renditions), renditions
    assert any("七一主题党日活动" in p.read_text("utf-8") for p in out.rglob("index.html"))
    home = (out / "index.html").read_text("utf-8")
    assert "static/css/site.css?v=" in home

    done = sitegen("check", site)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "检查通过" in done.stdout


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "notes.txt").write_text("已有的文件", "utf-8")
    before = _snapshot(tmp_path)
    done = sitegen("init", site)
    assert done.returncode == 1
    assert "不是空的" in done.stderr and "Traceback" not in done.stderr
    assert _snapshot(tmp_path) == before, "nothing written, inside the folder or beside it"


def test_init_refuses_a_file(tmp_path: Path) -> None:
    (tmp_path / "site").write_text("x", "utf-8")
    done = sitegen("init", tmp_path / "site")
    assert done.returncode == 1 and "同名的文件" in done.stderr
    assert (tmp_path / "site").read_text("utf-8") == "x"


def test_init_in_the_current_empty_folder_keeps_that_folder(tmp_path: Path) -> None:
    """`sitegen init .` fills the folder itself: a shell standing in it is not left in a deleted folder."""
    site = tmp_path / "site"
    site.mkdir()
    inode = site.stat().st_ino
    done = sitegen("init", ".", cwd=site)
    assert done.returncode == 0, done.stderr
    assert site.stat().st_ino == inode
    assert sorted(p.name for p in site.iterdir()) == [".github", ".gitignore", "content", "site.yaml", "static"]


def test_gitignore_covers_output_cache_venv_and_os_litter(tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    site = tmp_path / "site"
    assert sitegen("init", site).returncode == 0
    subprocess.run(["git", "init", "-q", str(site)], check=True)
    ignored = ["build/index.html", ".sitegen-cache/cache.sqlite", ".venv/bin/python", "Thumbs.db",
               "content/2025/.DS_Store", "static/desktop.ini"]
    kept = ["site.yaml", "content/2025/a.md", "static/logo.png", ".github/workflows/sitegen.yml",
            "content/build/a.md"]
    check = subprocess.run(["git", "-C", str(site), "check-ignore", "--no-index", *ignored, *kept],
                           capture_output=True, text=True)
    assert check.stdout.split() == ignored


def test_the_commented_settings_are_valid_when_uncommented() -> None:
    """Every example in site.yaml's comments works as written once its # is removed."""
    text = (SKELETON / "site.yaml").read_text("utf-8")
    assert parse_config(text).title
    setting = re.compile(r"^# (?=[a-z_]+:|\s+(?:- )?[a-z_]+:)", re.M)
    uncommented = setting.sub("", text)
    assert uncommented.count("\n#") < text.count("\n#"), "some settings are commented out"
    config = parse_config(uncommented)
    assert config.site_url and config.publisher.name and config.ancestors and config.counter_url


def test_skeleton_places_dotfiles_under_their_names() -> None:
    files = skeleton_files()
    assert {".gitignore", ".github/workflows/sitegen.yml", "site.yaml"} <= set(files)
    assert not any(name in files for name in ("gitignore", "ci.yml"))
    assert os.path.basename(files[".gitignore"]) == "gitignore"
