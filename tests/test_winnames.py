"""Names a Windows or macOS host cannot hold: device names and URLs, files and attachments differing in case only."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path, PureWindowsPath
from zoneinfo import ZoneInfo

import pytest

from sitegen.build import build
from sitegen.cli import main
from sitegen.errors import SiteError
from sitegen.model import Article
from sitegen.pictures import stem
from sitegen.validate import url_clashes
from sitegen.winnames import case_twins, fold, name_problem, path_problem
from tests.conftest import article_text

Site = Callable[..., Path]


@pytest.mark.parametrize("name", ["con", "CON", "Aux", "nul.txt", "NUL.tar.gz", "prn", "com1", "LPT9.md",
                                  "com¹", "con .txt", "a.", "a ", "a:b", "a\\b", "a|b"])
def test_names_windows_refuses(name: str) -> None:
    assert name_problem(name) is not None


@pytest.mark.parametrize("name", ["console", "conx", "com10", "lpt0", "auxiliary.pdf", "a.b", "党建.pdf", ".htaccess"])
def test_names_windows_takes(name: str) -> None:
    assert name_problem(name) is None


def test_a_path_is_judged_segment_by_segment() -> None:
    assert path_problem("2020/01/02/a/index.html") is None
    assert "AUX" in path_problem("2020/aux/index.html")[1]  # type: ignore[index]
    # A backslash is a name character on Linux and a separator on Windows: one file becomes two folders.
    assert path_problem("static/img\\logo.png") is not None
    assert PureWindowsPath("static/img\\logo.png").parts == ("static", "img", "logo.png")


def test_case_twins_and_fold() -> None:
    assert case_twins(["a/Foo.pdf", "a/b.pdf", "a/foo.pdf", "a/b.pdf"]) == [("a/Foo.pdf", "a/foo.pdf")]
    assert case_twins(["a/x", "b/x"]) == []
    assert fold("caf\u00e9") == fold("cafe\u0301") == fold("CAFÉ")  # macOS: one name, typed two ways


def _article(path: str, url: str) -> Article:
    return Article(path=path, title="t", date=datetime(2020, 1, 1, tzinfo=ZoneInfo("Asia/Shanghai")),
                   category="党建园地", slug=url.rstrip("/").rsplit("/", 1)[-1], url=url, body="")


def test_urls_differing_in_case_only_clash_naming_both_files() -> None:
    # Slugs are lowercase today; the check does not rely on it.
    found = url_clashes([_article("content/a.md", "2020/01/01/Dang-Ri/"),
                         _article("content/b.md", "2020/01/01/dang-ri/"), _article("content/c.md", "2020/01/01/x/")])
    assert len(found) == 1
    assert found[0].path == "content/b.md" and "content/a.md" in found[0].zh
    assert found[0].zh.startswith("与 content/a.md 的网址只有大小写不同") and "slug" in found[0].zh


def _errors(exc: pytest.ExceptionInfo[SiteError]) -> list[str]:
    return [f"{p.path}:{p.line or ''}: {p.zh}" for p in exc.value.problems]


def test_a_device_name_slug_is_an_error_at_its_line(make_site: Site) -> None:
    site = make_site({"2020/a.md": article_text("甲", slug="con"), "2020/aux.md": article_text("乙"),
                      "2020/lpt1/index.md": article_text("丙"), "2020/ok.md": article_text("丁", slug="console")})
    with pytest.raises(SiteError) as exc:
        build(site, site / "build")
    errors = _errors(exc)
    assert len(errors) == 3, errors
    assert errors[0].startswith("content/2020/a.md:5: 网址名（slug）“con”是 Windows 的保留设备名（CON）")
    assert "请换一个 slug，例如 slug: con-1" in errors[0]
    assert errors[1].startswith("content/2020/aux.md:: 网址名（slug）“aux”")  # from the file name: no line
    assert "请给文章加一行 slug（或给文件改名）" in errors[1]
    assert errors[2].startswith("content/2020/lpt1/index.md:: 网址名（slug）“lpt1”")


def test_static_files_differing_in_case_or_named_for_a_device_are_errors(
        make_site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({"2020/a.md": article_text("甲")})
    for name in ("Logo.png", "logo.png", "docs/nul.txt", "Docs/x.txt"):
        (site / "static" / name).parent.mkdir(parents=True, exist_ok=True)
        (site / "static" / name).write_bytes(b"x")
    assert main(["build", str(site)]) == 1
    err = capsys.readouterr().err
    assert "static/docs/nul.txt: 错误：“nul.txt”是 Windows 的保留设备名（NUL）" in err
    assert "static/logo.png: 错误：与 static/Logo.png 只有大小写不同，在 Windows 和 macOS 上是同一个文件。" in err
    assert "static/docs/x.txt" not in err  # static/Docs/ vs static/docs/: one folder there, but no file in both
    assert not (site / "build").exists()


def test_attachments_differing_in_case_or_named_for_a_device_are_errors(make_site: Site) -> None:
    site = make_site({"2020/a/index.md": article_text("甲", body="[一](Report.pdf) [二](b/report.pdf) [三](aux.doc)")})
    for name in ("Report.pdf", "b/report.pdf", "aux.doc"):
        (site / "content/2020/a" / name).parent.mkdir(parents=True, exist_ok=True)
        (site / "content/2020/a" / name).write_bytes(b"%PDF")
    with pytest.raises(SiteError) as exc:
        build(site, site / "build")
    errors = _errors(exc)
    assert len(errors) == 2, errors
    assert errors[0].startswith("content/2020/a/index.md:7: 两个不同的附件只有大小写不同，在 Windows 和 macOS 上都叫"
                                "“report.pdf”（content/2020/a/Report.pdf 和 content/2020/a/b/report.pdf）")
    assert errors[1].startswith("content/2020/a/index.md:7: 附件名“aux.doc”是 Windows 的保留设备名（AUX）")


def test_a_photo_named_for_a_device_gets_renditions_windows_can_hold() -> None:
    assert stem("content/2020/a/con.jpg") == "con-image"
    assert stem("content/2020/a/Con.JPG") == "Con-image"
    assert stem("content/2020/a/photo.jpg") == "photo"


def test_a_category_slug_named_for_a_device_is_refused() -> None:
    from sitegen.config import parse_config

    with pytest.raises(SiteError) as exc:
        parse_config("title: 党建园地\ncategories:\n  - name: 控制台\n    slug: CON\n")
    assert "栏目“控制台”的网址名“con”是 Windows 的保留设备名（CON）" in _errors(exc)[0]
