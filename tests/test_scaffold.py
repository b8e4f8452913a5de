"""`sitegen new`: the file it writes builds as typed, and it never writes over an article."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sitegen.build import build
from sitegen.errors import SiteError
from sitegen.scaffold import new_article
from tests.conftest import MINI_CONFIG


def test_the_new_article_builds_with_its_title_category_and_local_date(make_site: Callable[..., Path]) -> None:
    site = make_site({}, MINI_CONFIG)
    now = datetime(2025, 6, 30, 20, 30, tzinfo=UTC)  # 04:30 on 1 July in Asia/Shanghai
    title = '七一主题党日：重温“入党誓词” #初心# a: b'
    made = new_article(site, title, "支部风采", now=now)
    assert made.path == site / "content/2025/2025-07-01-qi-yi-zhu-ti-dang-ri-chong-wen-ru-dang-shi-ci-chu-xin-a-b.md"
    assert "date: 2025-07-01 04:30" in made.path.read_text("utf-8")
    build(site, site / "build")
    page = next((site / "build").glob("2025/07/01/*/index.html")).read_text("utf-8")
    assert "七一主题党日：重温“入党誓词” #初心# a: b</h1>" in page and "支部风采" in page


def test_a_folder_article_and_the_default_category(make_site: Callable[..., Path]) -> None:
    site = make_site({}, MINI_CONFIG)
    made = new_article(site, "文件夹文章", folder=True, now=datetime(2024, 1, 2, tzinfo=UTC))
    assert made.path.name == "index.md" and made.path.parent.name == "2024-01-02-wen-jian-jia-wen-zhang"
    assert made.category == "党建园地"


def test_never_over_an_existing_article(make_site: Callable[..., Path]) -> None:
    site = make_site({}, MINI_CONFIG)
    now = datetime(2024, 1, 2, tzinfo=UTC)
    made = new_article(site, "同名文章", now=now)
    made.path.write_text(made.path.read_text("utf-8") + "编辑写的正文。\n", "utf-8")
    for folder in (False, True):
        with pytest.raises(SiteError, match="没有覆盖"):
            new_article(site, "同名文章", folder=folder, now=now)
    assert "编辑写的正文" in made.path.read_text("utf-8")


def test_an_unknown_category_is_refused_with_a_suggestion(make_site: Callable[..., Path]) -> None:
    site = make_site({}, MINI_CONFIG)
    done = subprocess.run([sys.executable, "-m", "sitegen", "new", "标题", "--category", "支部风", "--site", str(site)],
                          capture_output=True, text=True)
    assert done.returncode == 1 and "是否想写“支部风采”" in done.stderr and "没有新建文件" in done.stderr
    assert not (site / "content").exists() or not list((site / "content").rglob("*.md"))
