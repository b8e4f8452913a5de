"""`sitegen check` finds what readers would trip over, without touching the live output."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sitegen.cli import main
from tests.conftest import article_text


def test_clean_site_passes(make_site: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({"a.md": article_text(body="见[首页](../../../../)。")})
    assert main(["check", str(site)]) == 0
    assert "check passed" in capsys.readouterr().out
    assert not (site / "build").exists()


def test_broken_links_images_and_alt(make_site: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    body = "[坏链接](../../../../no-such-page/)\n\n![](../../../../static/missing.png)\n\n[锚点](#nowhere)"
    site = make_site({"2020/a.md": article_text(body=body)})
    assert main(["build", str(site)]) == 0
    live = {p: p.read_bytes() for p in (site / "build").rglob("*") if p.is_file()}
    assert main(["check", str(site)]) == 1
    err = capsys.readouterr().err
    assert "content/2020/a.md: 错误：链接 ../../../../no-such-page/" in err
    assert "broken link ../../../../static/missing.png" in err
    assert "image ../../../../static/missing.png has no alt text" in err
    assert "broken anchor #nowhere" in err
    assert "共 4 个错误" in err
    assert {p: p.read_bytes() for p in (site / "build").rglob("*") if p.is_file()} == live


def test_check_reports_content_errors_too(make_site: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({"a.md": article_text(category="无此栏目")})
    assert main(["check", str(site)]) == 1
    assert "content/a.md:4: 错误" in capsys.readouterr().err
