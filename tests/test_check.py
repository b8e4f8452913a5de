"""`sitegen check` finds what readers would trip over, without touching the live output."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sitegen.cli import main
from tests.conftest import article_text


def test_clean_site_passes(make_site: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({"a.md": article_text(body="见[另一篇](b.md)。"),
                      "b.md": article_text("另一篇", date="2021-01-01")})
    assert main(["check", str(site)]) == 0
    assert "check passed" in capsys.readouterr().out
    assert not (site / "build").exists()


def test_broken_references_are_build_errors_at_their_lines(make_site: Callable[..., Path],
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    body = "[坏链接](no-such-page.md)\n\n![](/static/missing.png)\n\n[锚点](#nowhere)"
    site = make_site({"2020/a.md": article_text(body=body)})
    assert main(["check", str(site)]) == 1
    err = capsys.readouterr().err
    assert "content/2020/a.md:7: 错误：找不到文章“no-such-page.md”" in err
    assert "content/2020/a.md:9: 错误：找不到文件“/static/missing.png”" in err
    assert "content/2020/a.md:11: 错误：锚点“#nowhere”在本文中不存在" in err
    assert not (site / "build").exists()


def test_check_finds_what_templates_break(tmp_path: Path) -> None:
    """Links that no article wrote (a theme's, say) are checked in the built pages."""
    from sitegen.check import check_output

    (tmp_path / "a").mkdir()
    (tmp_path / "a/index.html").write_text(
        '<title>甲</title><a href="../no-such-page/">x</a><img src="../static/missing.png">'
        '<a href="#nowhere">y</a><img src="../b.png" alt="">', encoding="utf-8")
    (tmp_path / "b.png").write_bytes(b"")
    found = [p.en for p in check_output(tmp_path, sources={"a/index.html": "content/a.md"})]
    assert sorted(found) == sorted(["broken link ../no-such-page/", "broken link ../static/missing.png",
                                    "image ../static/missing.png has no alt text", "broken anchor #nowhere"])


def test_check_reports_content_errors_too(make_site: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({"a.md": article_text(category="无此栏目")})
    assert main(["check", str(site)]) == 1
    assert "content/a.md:4: 错误" in capsys.readouterr().err


def test_check_catches_a_base_path_glued_onto_an_absolute_url(tmp_path: Path) -> None:
    from sitegen.check import check_output

    page = ('<title>页面不存在</title><a href="/dangjian/https://www.example.cn/">首页</a>'
            '<a href="https://www.example.cn/yygk/">医院概况</a><a href="/dangjian/">党建园地</a>')
    (tmp_path / "404.html").write_text(page, encoding="utf-8")
    found = [p.en for p in check_output(tmp_path)]
    assert found == ["broken link /dangjian/https://www.example.cn/: a path prefix glued onto an absolute URL"]
