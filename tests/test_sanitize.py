"""Article HTML is sanitised with an allowlist; Markdown's own output survives."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sitegen.cli import main
from sitegen.markup import to_html
from sitegen.sanitize import make_sanitizer
from tests.conftest import MINI_CONFIG, article_text

clean = make_sanitizer(())


@pytest.mark.parametrize("attack", [
    "<script>alert(1)</script>",
    '<img src="x.png" alt="a" onerror="alert(1)">',
    '<a href="javascript:alert(1)">点我</a>',
    '<a href="JaVaScRiPt:alert(1)">点我</a>',
    '<p onclick="alert(1)">段落</p>',
    '<iframe src="https://evil.example/"></iframe>',
    '<svg onload="alert(1)"></svg>',
    '<object data="x.swf"></object>',
    '<style>body{display:none}</style>',
    '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
    '<form action="https://evil.example/"><input name="pw"></form>',
])
def test_attacks_removed(attack: str) -> None:
    out = clean(to_html("正文\n\n" + attack))
    for bad in ("<script", "onerror", "onclick", "onload", "javascript:", "<iframe", "<svg", "<object",
                "<style", "data:", "<form", "<input"):
        assert bad not in out.lower()


def test_markdown_output_survives() -> None:
    md = ("## 标题 {: #custom .big }\n\n| 列 | 值 |\n|:--|--:|\n| 甲 | 1 |\n\n- 一\n- 二\n\n1. 甲\n\n"
          "> 引用\n\n[链接](https://www.gov.cn/ \"标题\") ![图](static/a.png)\n\n注[^1]\n\n[^1]: 脚注\n\n"
          "```\ncode\n```\n")
    html = to_html(md)
    out = clean(html)
    for kept in ('<h2 class="big" id="custom">', "<table>", 'style="text-align:left"', "<ul>", "<ol>",
                 "<blockquote>", '<a href="https://www.gov.cn/" title="标题">', '<img alt="图" src="static/a.png">',
                 'class="footnote-ref"', 'id="fn:1"', "<pre><code>code"):
        assert kept in out, kept


def test_iframes_only_from_listed_hosts() -> None:
    allow = make_sanitizer(("v.qq.com",))
    out = allow('<iframe src="https://v.qq.com/iframe/player.html?vid=x" allowfullscreen></iframe>'
                '<iframe src="https://evil.example/"></iframe><iframe src="http://v.qq.com/x"></iframe>'
                '<iframe src="https://v.qq.com.evil.example/"></iframe>')
    assert out.count("<iframe") == 1 and "https://v.qq.com/iframe/player.html?vid=x" in out


def test_config_switch_turns_sanitising_off(make_site: Callable[..., Path]) -> None:
    body = '<div class="box" data-x="1" onclick="go()">受信任的 HTML</div>'
    site = make_site({"a.md": article_text(body=body)}, config=MINI_CONFIG + "sanitize: false\n")
    assert main(["build", str(site)]) == 0
    assert 'onclick="go()"' in (site / "build/2020/02/22/a/index.html").read_text("utf-8")


def test_front_matter_is_escaped_everywhere(make_site: Callable[..., Path]) -> None:
    evil = "<script>alert(1)</script>"
    site = make_site({"a.md": article_text(f"'{evil}'", source=f"'{evil}'", summary=f"'{evil}'")})
    assert main(["build", str(site)]) == 0
    for page in (site / "build").rglob("*.html"):
        assert evil not in page.read_text("utf-8"), page
    assert evil not in (site / "build/feed.xml").read_text("utf-8")
