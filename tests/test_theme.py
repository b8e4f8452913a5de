"""The theme lives in the package; a site's templates/ and static/ override it file by file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import jinja2
import pytest

from sitegen.build import build
from sitegen.errors import SiteError
from sitegen.fileio import file_digest
from sitegen.load import scan_static
from sitegen.render import template_problem
from sitegen.themefiles import THEME_STATIC, THEME_TEMPLATES
from tests.conftest import article_text, override
from tests.test_write import tree

FOOTER_MARK = "本院自己的页脚"
CSS = "body { color: #123456; }\n"


def _site(make_site: Callable[..., Path]) -> Path:
    return make_site({"2020/a.md": article_text("甲"), "2020/b.md": article_text("乙", date="2021-01-01")})


def _pages(out: Path) -> list[str]:
    return [p.read_text("utf-8") for p in sorted(out.rglob("index.html"))]


def test_a_site_without_templates_or_static_builds_with_the_theme(make_site: Callable[..., Path]) -> None:
    site = _site(make_site)
    assert not (site / "templates").exists() and not any((site / "static").iterdir())
    build(site, site / "build")
    for path in THEME_STATIC.rglob("*"):
        if path.is_file():
            published = site / "build" / "static" / path.relative_to(THEME_STATIC)
            assert published.read_bytes() == path.read_bytes(), path
    assert all("<footer" in page for page in _pages(site / "build"))


def test_an_override_wins_and_the_rest_comes_from_the_theme(make_site: Callable[..., Path]) -> None:
    site = _site(make_site)
    footer = override(site, "templates/_footer.html")
    footer.write_text(footer.read_text("utf-8").replace("</footer>", f"<p>{FOOTER_MARK}</p></footer>"), "utf-8")
    (site / "static/css").mkdir()
    (site / "static/css/site.css").write_text(CSS, "utf-8")
    build(site, site / "build")
    out = site / "build"
    pages = _pages(out)
    assert pages and all(FOOTER_MARK in page for page in pages), "the site's _footer.html is used everywhere"
    theme_base = (THEME_TEMPLATES / "base.html").read_text("utf-8")
    assert "跳到正文" in theme_base and all("跳到正文" in page for page in pages), "base.html is still the theme's"
    assert (out / "static/css/site.css").read_text("utf-8") == CSS
    assert (out / "static/css/print.css").read_bytes() == (THEME_STATIC / "css/print.css").read_bytes()
    version = file_digest(site / "static/css/site.css")[:10]
    assert f"static/css/site.css?v={version}" in pages[0], "the override's own content version is linked"


def test_removing_an_override_goes_back_to_the_theme(make_site: Callable[..., Path], tmp_path: Path) -> None:
    site = _site(make_site)
    footer = override(site, "templates/_footer.html")
    footer.write_text(footer.read_text("utf-8").replace("</footer>", f"<p>{FOOTER_MARK}</p></footer>"), "utf-8")
    override(site, "static/favicon.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', "utf-8")
    build(site, site / "build")
    footer.unlink()
    (site / "static/favicon.svg").unlink()
    result = build(site, site / "build")
    assert result.written > 0
    assert not any(FOOTER_MARK in page for page in _pages(site / "build"))
    assert (site / "build/static/favicon.svg").read_bytes() == (THEME_STATIC / "favicon.svg").read_bytes()
    build(site, tmp_path / "clean", clean=True)
    assert tree(site / "build") == tree(tmp_path / "clean")


def test_adding_an_override_re_renders(make_site: Callable[..., Path]) -> None:
    site = _site(make_site)
    build(site, site / "build")
    footer = override(site, "templates/_footer.html")
    footer.write_text(footer.read_text("utf-8").replace("</footer>", f"<p>{FOOTER_MARK}</p></footer>"), "utf-8")
    build(site, site / "build")
    assert all(FOOTER_MARK in page for page in _pages(site / "build"))


def test_a_syntax_error_in_an_override_names_the_site_file_and_line(make_site: Callable[..., Path]) -> None:
    site = _site(make_site)
    footer = override(site, "templates/_footer.html")
    lines = footer.read_text("utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("<footer"))  # past the opening comment
    lines.insert(at, "{% if %}\n")
    footer.write_text("".join(lines), "utf-8")
    with pytest.raises(SiteError) as info:
        build(site, site / "build")
    [problem] = info.value.problems
    assert (problem.path, problem.line) == ("templates/_footer.html", at + 1)
    assert "sitegen 自带主题" not in problem.zh


def test_an_error_in_a_theme_template_names_the_theme_file() -> None:
    """sitegen's own file, by its place in the package, and where a site's fix would go."""
    exc = jinja2.TemplateSyntaxError("unexpected end", 7, "base.html", str(THEME_TEMPLATES / "base.html"))
    problem = template_problem(exc, Path("/srv/site"))
    assert (problem.path, problem.line) == ("sitegen/theme/templates/base.html", 7)
    assert "templates/base.html" in problem.zh.split("sitegen 自带主题")[1]


def test_a_site_file_where_the_theme_has_a_folder_wins(make_site: Callable[..., Path]) -> None:
    site = _site(make_site)
    (site / "static/css").write_text("a file, not a folder", "utf-8")
    found = scan_static(site)
    assert "static/css" in found.files and not any(p.startswith("static/css/") for p in found.files)
    assert found.source(site, "static/css") == site / "static/css"
    assert found.source(site, "static/favicon.svg") == THEME_STATIC / "favicon.svg"
    build(site, site / "build")
    assert (site / "build/static/css").read_text("utf-8") == "a file, not a folder"


def test_an_override_may_extend_the_theme_template_it_replaces(make_site: Callable[..., Path]) -> None:
    """`theme/base.html` is the theme's file even where the site has its own base.html: change one block."""
    site = _site(make_site)
    (site / "templates").mkdir()
    (site / "templates/base.html").write_text(
        '{% extends "theme/base.html" %}\n{% block title %}本院党建 | {{ page.title }}{% endblock %}\n', "utf-8")
    build(site, site / "build")
    articles = _pages(site / "build/2020") + _pages(site / "build/2021")  # list.html sets its own title
    assert len(articles) == 2 and all("<title>本院党建 | " in page for page in articles)
    assert all("跳到正文" in page and "<footer" in page for page in articles), "the rest is the theme's base.html"
    (site / "templates/base.html").write_text('{% extends "theme/base.html" %}\n{% block title %}{{ nope.x }}'
                                              "{% endblock %}\n", "utf-8")
    with pytest.raises(SiteError) as info:
        build(site, site / "build")
    assert [(p.path, p.line) for p in info.value.problems] == [("templates/base.html", 2)]
