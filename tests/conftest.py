"""Shared fixtures: the repository root (the example site) and small site builders."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from sitegen.config import parse_config
from sitegen.model import SiteConfig

ROOT = Path(__file__).resolve().parent.parent

MINI_CONFIG = """\
title: 党建园地
page_size: 2
ancestors:
  - {name: 首页, url: "https://www.example.cn/"}
  - {name: 医院概况, url: "https://www.example.cn/yygk/"}
categories:
  - name: 廉洁微课堂
    slug: lian-jie-wei-ke-tang
    children:
      - name: 案例警示
  - name: 支部风采
"""


@pytest.fixture
def config() -> SiteConfig:
    return parse_config(MINI_CONFIG)


def article_text(title: str = "标题", date: str = "2020-02-22 18:23:45", category: str = "党建园地",
                 body: str = "正文。", **extra: str) -> str:
    lines = [f"title: {title}", f"date: {date}", f"category: {category}"]
    lines += [f"{k}: {v}" for k, v in extra.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body + "\n"


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., Path]:
    """A site folder with the real theme, the given config and articles."""

    def make(articles: dict[str, str], config: str = MINI_CONFIG) -> Path:
        site = tmp_path / "site"
        shutil.copytree(ROOT / "templates", site / "templates")
        shutil.copytree(ROOT / "static", site / "static")
        (site / "site.yaml").write_text(textwrap.dedent(config), encoding="utf-8")
        for name, text in articles.items():
            path = site / "content" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return site

    return make
