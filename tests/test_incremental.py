"""The build cache is never wrong: after any change, an incremental build equals a clean one."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from sitegen.build import build
from sitegen.incremental import CACHE_DIR
from sitegen.search import BASE, DELTA
from sitegen.workers import parallel_from
from tests.conftest import MINI_CONFIG, article_text, override
from tests.searchview import fragments, search_view
from tests.test_write import tree

CATEGORIES = ["党建园地", "廉洁微课堂", "案例警示", "支部风采"]


def articles(n: int) -> dict[str, str]:
    return {f"{2015 + i % 10}/a{i:03d}.md": article_text(
        f"文章{i}", date=f"{2015 + i % 10}-{1 + i % 12:02d}-{1 + i % 28:02d} 09:{i % 60:02d}",
        category=CATEGORIES[i % 4], body=f"第{i}篇正文。\n\n## 小标题\n\n内容{i}。") for i in range(n)}


def edit(site: Path, rel: str, old: str, new: str) -> None:
    # A theme file is edited as a site's own copy of it: the override then hides the theme's.
    path = override(site, rel) if rel.startswith(("templates/", "static/")) else site / rel
    text = path.read_text("utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new), "utf-8")


CHANGES: dict[str, Callable[[Path], None]] = {
    "nothing": lambda s: None,
    "article body": lambda s: edit(s, "content/2016/a001.md", "第1篇正文。", "第1篇正文，改过了。"),
    "title": lambda s: edit(s, "content/2020/a005.md", "title: 文章5", "title: 新标题"),
    "date reorders": lambda s: edit(s, "content/2017/a002.md", "date: 2017-03-03", "date: 2024-12-30"),
    "category": lambda s: edit(s, "content/2018/a003.md", "category: 支部风采", "category: 党建园地"),
    "summary": lambda s: edit(s, "content/2019/a004.md", "category:", "summary: 新摘要\ncategory:"),
    "draft": lambda s: edit(s, "content/2020/a005.md", "category:", "draft: true\ncategory:"),
    "deleted": lambda s: (s / "content/2021/a006.md").unlink(),
    "renamed": lambda s: (s / "content/2022/a007.md").rename(s / "content/2022/renamed.md"),
    "added": lambda s: (s / "content/new.md").write_text(article_text("新文章", date="2030-01-01"), "utf-8"),
    "article template": lambda s: edit(s, "templates/article.html", "上一篇", "前一篇"),
    "base template": lambda s: edit(s, "templates/base.html", "跳到正文", "跳至正文"),
    "pager partial": lambda s: edit(s, "templates/_pager.html", "尾页", "末页"),
    "config": lambda s: edit(s, "site.yaml", "page_size: 2", "page_size: 3"),
    "static file": lambda s: edit(s, "static/css/site.css", "--red: #b71c1c;", "--red: #a00000;"),
    "static added": lambda s: (s / "static/extra.txt").write_text("x", "utf-8"),
    "static removed": lambda s: (s / "static/favicon.svg").unlink(),  # the theme's icon is published again
    "override removed": lambda s: (s / "templates/_footer.html").unlink(),  # back to the theme's footer
    "meta partial": lambda s: edit(s, "templates/_meta.html", 'content="zh_CN"', 'content="zh_CN" '),
    "sitemap template": lambda s: edit(s, "templates/sitemap.xml", "<lastmod>", "<lastmod >"),
    "robots template": lambda s: edit(s, "templates/robots.txt", "Disallow:", "Disallow: /nothing/"),
    "no site_url": lambda s: edit(s, "site.yaml", "site_url: https://www.example.cn\n", ""),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_incremental_equals_clean(make_site: Callable[..., Path], tmp_path: Path, change: str) -> None:
    site = make_site(articles(24), MINI_CONFIG)
    # Overrides of a theme file each, which some changes remove.
    (site / "static/favicon.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>', "utf-8")
    edit(site, "templates/_footer.html", "</footer>", "<p>本院自己的页脚</p></footer>")
    build(site, site / "build")
    CHANGES[change](site)
    result = build(site, site / "build")
    build(site, tmp_path / "clean", clean=True)
    assert tree(site / "build") == tree(tmp_path / "clean")
    if change == "nothing":
        assert result.written == 0
    elif change == "article body":
        # the page, the listings it is on and the feed: not the whole site
        assert 0 < result.written <= 6 + len(_files(site / "build" / DELTA))


def _files(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file()}


def test_an_edit_reindexes_only_the_delta(make_site: Callable[..., Path]) -> None:
    site = make_site(articles(24), MINI_CONFIG)
    build(site, site / "build")
    base = _files(site / "build" / BASE)
    assert base and not (site / "build" / DELTA).exists()
    CHANGES["article body"](site)
    build(site, site / "build")
    assert _files(site / "build" / BASE) == base  # the base bundle is carried over untouched
    view = search_view(site / "build")
    assert "第1篇正文，改过了。" in "".join(v[1].replace(" ", "") for v in view.values())
    assert len(fragments(site / "build" / DELTA)) == 1
    CHANGES["deleted"](site)
    build(site, site / "build")
    assert len(search_view(site / "build")) == 23 and _files(site / "build" / BASE) == base


def test_two_changes_in_a_row(make_site: Callable[..., Path], tmp_path: Path) -> None:
    site = make_site(articles(24), MINI_CONFIG)
    build(site, site / "build")
    CHANGES["title"](site)
    build(site, site / "build")
    CHANGES["deleted"](site)
    build(site, site / "build")
    build(site, tmp_path / "clean", clean=True)
    assert tree(site / "build") == tree(tmp_path / "clean")


def test_output_changed_behind_our_back_means_full_build(make_site: Callable[..., Path], tmp_path: Path) -> None:
    site = make_site(articles(8), MINI_CONFIG)
    build(site, site / "build")
    shutil.rmtree(site / "build")
    (site / "build").mkdir()
    assert build(site, site / "build").written > 8
    assert tree(site / "build") == (build(site, tmp_path / "c", clean=True) and tree(tmp_path / "c"))


def test_corrupt_cache_is_ignored(make_site: Callable[..., Path], tmp_path: Path) -> None:
    site = make_site(articles(8), MINI_CONFIG)
    build(site, site / "build")
    (site / CACHE_DIR / "manifest.pickle").write_bytes(b"garbage")
    CHANGES["title"](site)
    build(site, site / "build")
    build(site, tmp_path / "clean", clean=True)
    assert tree(site / "build") == tree(tmp_path / "clean")


def test_parallel_build_equals_serial(make_site: Callable[..., Path], tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site(articles(parallel_from() + 30), MINI_CONFIG)  # 430 with spawn
    build(site, tmp_path / "parallel", clean=True)
    monkeypatch.setattr("sitegen.workers.PARALLEL_FROM", 10**9)
    build(site, tmp_path / "serial", clean=True)
    assert tree(tmp_path / "parallel") == tree(tmp_path / "serial")
    monkeypatch.undo()
    CHANGES["article body"](site)
    build(site, tmp_path / "parallel")
    build(site, tmp_path / "serial2", clean=True)
    assert tree(tmp_path / "parallel") == tree(tmp_path / "serial2")


@pytest.mark.parametrize("template, old, new", [
    ("article.html", "{{ article.title }}</h1>", "{{ article.nope.x }}</h1>"),
    ("list.html", "{{ page.title }}</h1>", "{{ page.nope.x }}</h1>"),  # listings render in the pool too
])
def test_template_error_in_a_worker_names_the_line(make_site: Callable[..., Path], template: str, old: str,
                                                   new: str) -> None:
    from sitegen.errors import SiteError

    site = make_site(articles(parallel_from() + 10), MINI_CONFIG)
    edit(site, f"templates/{template}", old, new)
    with pytest.raises(SiteError) as info:
        build(site, site / "build")
    [problem] = info.value.problems
    assert problem.path == f"templates/{template}" and problem.line
    assert "nope" in (site / problem.path).read_text("utf-8").splitlines()[problem.line - 1]


def test_rebuild_needs_no_pinyin_dictionary(make_site: Callable[..., Path]) -> None:
    """Pinyin slugs are remembered in the cache: pypinyin costs ~0.3 s to load."""
    import subprocess
    import sys

    site = make_site(articles(4), MINI_CONFIG)  # 案例警示 has no slug in the config
    script = ("import sys; from pathlib import Path; from sitegen.build import build; "
              f"build(Path({str(site)!r}), Path({str(site / 'build')!r})); print('pypinyin' in sys.modules)")
    runs = [subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
            for _ in range(2)]
    assert runs == ["True\n", "False\n"]
    assert (site / "build/category/an-li-jing-shi/index.html").is_file()


def test_a_second_output_or_a_clean_build_does_not_move_the_firsts_base(make_site: Callable[..., Path],
                                                                        tmp_path: Path) -> None:
    """Each output keeps the base it was given: a preview folder or a --clean build elsewhere costs it nothing."""
    site = make_site(articles(24), MINI_CONFIG)
    build(site, site / "build")
    base = _files(site / "build" / BASE)
    CHANGES["article body"](site)
    build(site, tmp_path / "preview", clean=True)  # a new base, made for the preview only
    build(site, site / "build")
    assert _files(site / "build" / BASE) == base and (site / "build" / DELTA).is_dir()
    assert tree(site / "build") == tree(tmp_path / "preview")


def test_a_defaced_index_file_is_repaired_from_an_intact_cache(make_site: Callable[..., Path],
                                                                tmp_path: Path) -> None:
    """A hand edit of a live index file must not reach the cache's copy, or the repair would bring it back."""
    site = make_site(articles(24), MINI_CONFIG)
    build(site, site / "build")
    fragment = sorted((site / "build" / BASE / "fragment").iterdir())[0]
    good = fragment.read_bytes()
    fragment.write_text("defaced")  # in place, as an editor's tool would
    build(site, site / "build")
    assert fragment.read_bytes() == good
    build(site, tmp_path / "clean", clean=True)
    assert tree(site / "build") == tree(tmp_path / "clean")
