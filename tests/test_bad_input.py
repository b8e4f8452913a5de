"""Every kind of bad input an editor can save: a clean error, the live site untouched."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from sitegen.cli import main
from sitegen.themefiles import THEME_TEMPLATES
from tests.conftest import article_text, override

BAD = Path(__file__).parent / "bad"
EXPECTED: dict[str, list] = yaml.safe_load((BAD / "expected.yaml").read_text(encoding="utf-8"))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def build(site: Path) -> subprocess.CompletedProcess[str]:
    """The real command line, in-process: a fresh interpreter per case would dominate the run time."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["build", str(site)])
    return subprocess.CompletedProcess([], code, out.getvalue(), err.getvalue())


def test_every_bad_file_has_an_expectation() -> None:
    assert sorted(EXPECTED) == sorted(p.name for p in BAD.glob("*.md"))


@pytest.fixture
def live_site(make_site: Callable[..., Path]) -> Path:
    site = make_site({"2020/good.md": article_text("好文章")})
    done = build(site)
    assert done.returncode == 0, done.stderr
    return site


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_fails_cleanly(live_site: Path, name: str) -> None:
    line, message = EXPECTED[name]
    before = snapshot(live_site / "build")
    shutil.copy(BAD / name, live_site / "content" / name)
    done = build(live_site)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    where = f"content/{name}:{line}: 错误：" if line else f"content/{name}: 错误："
    first = done.stderr.splitlines()[0]
    assert first.startswith(where), done.stderr
    assert re.search(r"[\u4e00-\u9fff]", first[len(where):]), "Chinese message first"
    assert message in done.stderr
    assert "共 1 个错误" in done.stderr
    assert snapshot(live_site / "build") == before
    assert not list(live_site.glob(".sitegen-staging-*"))


def test_all_bad_files_reported_in_one_run(live_site: Path) -> None:
    for name in EXPECTED:
        shutil.copy(BAD / name, live_site / "content" / name)
    done = build(live_site)
    assert done.returncode == 1
    assert f"共 {len(EXPECTED)} 个错误" in done.stderr
    assert done.stderr.count(": 错误：") == len(EXPECTED)


@pytest.mark.parametrize("name", [
    "中文目录/七一 主题党日.md", "with space/a b.md", ".#lock.md", "a.md~", ".a.md.swp", ".DS_Store", "notes.txt",
])
def test_odd_names_and_editor_junk(make_site: Callable[..., Path], name: str) -> None:
    junk = name.startswith(".") or name.endswith(("~", ".txt", ".swp"))
    site = make_site({name: "垃圾" if junk else article_text("标题"), "ok.md": article_text("好", date="2021-01-01")})
    done = build(site)
    assert done.returncode == 0, done.stderr
    assert ("(built 1 articles" if junk else "(built 2 articles") in done.stdout


def test_chinese_file_name_gets_a_pinyin_url(make_site: Callable[..., Path]) -> None:
    site = make_site({"中文目录/七一 主题党日.md": article_text("标题")})
    assert build(site).returncode == 0
    assert (site / "build/2020/02/22/qi-yi-zhu-ti-dang-ri/index.html").is_file()


def test_bom_and_crlf_build(make_site: Callable[..., Path]) -> None:
    site = make_site({})
    raw = ("\ufeff" + article_text("标题", body="第一行\n第二行")).replace("\n", "\r\n").encode()
    (site / "content").mkdir(exist_ok=True)
    (site / "content" / "a.md").write_bytes(raw)
    assert build(site).returncode == 0
    assert "<p>第一行第二行</p>" in (site / "build/2020/02/22/a/index.html").read_text("utf-8")


def test_site_config_errors_have_lines(make_site: Callable[..., Path]) -> None:
    site = make_site({"a.md": article_text()}, config="title: 党建园地\npage_size: 十\nsort: date\n")
    done = build(site)
    assert done.returncode == 1
    assert "site.yaml:2: 错误：" in done.stderr and "site.yaml:3: 错误：" in done.stderr
    assert "共 2 个错误" in done.stderr


def test_template_error_names_the_template_line(make_site: Callable[..., Path]) -> None:
    site = make_site({"a.md": article_text()})
    (site / "templates").mkdir()  # the site's own 404.html overrides the theme's
    (site / "templates" / "404.html").write_text("{% extends 'base.html' %}\n{% block content %}\n{{ nope.x }}\n"
                                                 "{% endblock %}\n", encoding="utf-8")
    done = build(site)
    assert done.returncode == 1, done.stderr
    assert "templates/404.html:3: 错误：模板错误" in done.stderr
    (site / "templates" / "404.html").write_text("{% if %}\n", encoding="utf-8")
    done = build(site)
    assert "templates/404.html:1: 错误：模板错误" in done.stderr


def test_template_error_with_a_symlinked_theme(make_site: Callable[..., Path], tmp_path: Path) -> None:
    """A shared theme linked in as templates/ still gets a clean, located error."""
    site = make_site({"a.md": article_text()})
    theme = tmp_path / "theme"
    shutil.copytree(THEME_TEMPLATES, theme)
    (site / "templates").symlink_to(theme)
    (theme / "404.html").write_text("{% extends 'base.html' %}\n{% block content %}{{ nope.x }}{% endblock %}\n",
                                    encoding="utf-8")
    done = build(site)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "templates/404.html:2: 错误：模板错误" in done.stderr


@pytest.mark.parametrize("template, line", [("article.html", 16), ("list.html", 8)])
def test_python_error_in_a_template_names_its_line(make_site: Callable[..., Path], template: str,
                                                   line: int) -> None:
    """Not only Jinja's own errors: `{{ 1/0 }}` or a filter raising TypeError is the template's fault too."""
    site = make_site({"a.md": article_text()})
    path = override(site, f"templates/{template}")
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(line - 1, "{{ 1/0 }}\n")
    path.write_text("".join(lines), encoding="utf-8")
    done = build(site)
    assert done.returncode == 1, done.stderr
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"templates/{template}:{line}: 错误：模板错误"), done.stderr
    assert "ZeroDivisionError" in done.stderr
    path.write_text("".join(lines).replace("{{ 1/0 }}", "{{ page.title | round }}"), encoding="utf-8")
    done = build(site)
    assert done.returncode == 1 and f"templates/{template}:{line}: 错误：模板错误" in done.stderr, done.stderr


MEDIA = BAD / "media"
MEDIA_EXPECTED: dict[str, list] = yaml.safe_load((MEDIA / "expected.yaml").read_text(encoding="utf-8"))


def test_every_bad_media_case_has_an_expectation() -> None:
    assert sorted(MEDIA_EXPECTED) == sorted(p.name for p in MEDIA.iterdir() if p.is_dir())


@pytest.mark.parametrize("name", sorted(MEDIA_EXPECTED))
def test_bad_photo_attachment_or_reference_fails_cleanly(live_site: Path, name: str) -> None:
    """A bad photo or a dangling reference: an error at the article's line, the live site and other pages untouched."""
    line, message = MEDIA_EXPECTED[name]
    before = snapshot(live_site / "build")
    shutil.copytree(MEDIA / name, live_site / "content" / name)
    done = build(live_site)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    where = f"content/{name}/index.md:{line}: 错误："
    first = done.stderr.splitlines()[0]
    assert first.startswith(where), done.stderr
    assert re.search(r"[\u4e00-\u9fff]", first[len(where):]), "Chinese message first"
    assert message in done.stderr
    assert "共 1 个错误" in done.stderr
    assert snapshot(live_site / "build") == before
