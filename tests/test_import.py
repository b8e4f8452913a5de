"""`sitegen import`: legacy text exports become valid folder articles; re-runs, hand edits, dry runs, the report."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from sitegen.build import build, check_site
from sitegen.config import parse_config
from sitegen.errors import split_warnings
from sitegen.legacy.model import Asset, Page, Skipped
from sitegen.legacy.report import Outcome, exit_code, markdown
from sitegen.legacy.run import Settings, import_all
from sitegen.legacy.sources import pages, read_page
from sitegen.legacy.text import read_text_export
from sitegen.legacy.write import compose
from tests.conftest import ROOT, missing

FIXTURES = Path(__file__).parent / "legacy" / "text"
COLUMN = Path(__file__).parent / "sites" / "column"
SEED = ROOT.parent / "shared" / "seed" / "legacy-article-2020-02-22.txt"
HAND = COLUMN / "content" / "2020" / "2020-02-22-tianjin-du-zhan.md"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """An empty site with the column fixture's settings (the 党建园地 crumbs, its categories)."""
    site = tmp_path / "site"
    shutil.copytree(COLUMN / "static", site / "static")
    shutil.copyfile(COLUMN / "site.yaml", site / "site.yaml")
    return site


def _run(site: Path, *sources: Path, force: bool = False, dry_run: bool = False,
         category: str | None = None) -> list[Outcome]:
    config = parse_config((site / "site.yaml").read_text("utf-8"))
    settings = Settings(site, site / "content" / "imported", config, category, force, dry_run)
    return import_all(list(sources), settings)


def _cli(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sitegen", "import", *args, "--site", str(site)],
                          capture_output=True, text=True, cwd=site.parent)


def _split(path: Path) -> tuple[dict[str, object], str]:
    _, front, body = path.read_text("utf-8").split("---\n", 2)
    return yaml.safe_load(front), body.strip("\n")


def _articles(site: Path) -> list[Path]:
    return sorted((site / "content").rglob("index.md"))


def _check_passes(site: Path) -> None:
    errors, _ = split_warnings(check_site(site))
    assert errors == []


def test_the_seed_imports_to_the_hand_converted_article_and_builds_every_element(site: Path, tmp_path: Path) -> None:
    if not SEED.is_file():
        missing(f"the seed export {SEED} is not on this machine")
    source = tmp_path / "src" / SEED.name
    source.parent.mkdir()
    shutil.copyfile(SEED, source)
    [outcome] = _run(site, source.parent)
    assert outcome.status == "imported" and outcome.notes == ()
    [article] = _articles(site)
    front, body = _split(article)
    hand_front, hand_body = _split(HAND)
    extra = front.pop("extra")
    assert extra["legacy_source"] == SEED.name and extra["legacy_views"] == 1
    hand_front.pop("slug")  # the hand-converted file names its slug; the import's comes from its folder name
    assert front == hand_front and body == hand_body
    build(site, site / "build")
    [page] = (site / "build" / "2020" / "02" / "22").glob("*/index.html")
    html = page.read_text("utf-8")
    for crumb in ("首页", "医院概况", "党建园地"):
        assert f">{crumb}</a>" in html
    assert "【廉洁“微课堂”】天津:吹响督战号角 助力决战必胜</h1>" in html
    assert '时间：<time datetime="2020-02-22T18:23:45+08:00">2020.02.22 18:23:45</time>' in html
    assert ">闻令而动 令出行随</h2>" in html and ">让监督触角延伸到最前沿</h3>" in html
    assert html.count("</h2>") == html.count("</h3>") == 3
    assert "就是*********,就是" in html and "来源：《中国纪检监察》杂志</p>" in html
    _check_passes(site)


def test_a_text_export_keeps_its_category_date_author_and_literal_markup(site: Path) -> None:
    [outcome] = _run(site, FIXTURES / "2021-07-01-zhi-bu.txt")
    assert outcome.status == "imported"
    folder = "2021-07-01-di-yi-dang-zhi-bu-kai-zhan-qi-yi-zhu-ti-dang-ri-huo"
    assert outcome.target == f"content/imported/2021/{folder}/index.md"
    front, body = _split(site / outcome.target)
    assert front["category"] == "支部风采" and front["date"] == "2021年7月1日 09:30"
    assert front["author"] == "党办 李明" and front["source"] == "第一党支部"
    assert front["extra"]["legacy_views"] == 25
    assert "## 重温誓词 坚定信念\n\n### 全体党员在党旗下重温入党誓词" in body and "[字体" not in body
    _check_passes(site)
    build(site, site / "build")
    html = next((site / "build").glob("2021/07/01/*/index.html")).read_text("utf-8")
    assert "<strong>" not in html and "<em>" not in html and "**三个必须**" in html and "*重点*" in html
    assert "<p># 不是标题" in html and "<p>1. 不是列表" in html and "<li>不是列表" not in html


def test_a_page_without_time_is_skipped_with_the_reason_and_exit_code_1(site: Path) -> None:
    done = _cli(site, str(FIXTURES))
    assert done.returncode == 1, done.stderr
    assert "没有日期" in done.stdout and "no-time.txt" in done.stdout
    report = (site / "import-report.md").read_text("utf-8")
    [line] = [row for row in report.splitlines() if "no-time.txt" in row]
    assert "已跳过" in line and "没有日期 (no date)" in line
    assert sum("已导入" in row for row in report.splitlines() if row.startswith("| `")) == 2
    assert len(_articles(site)) == 2
    _check_passes(site)


def test_a_category_unknown_to_site_yaml_is_filed_under_the_column_with_a_warning(site: Path) -> None:
    [outcome] = _run(site, FIXTURES / "other-column.txt")
    assert outcome.status == "warned" and "院务公开" in outcome.notes[0]
    front, _ = _split(site / outcome.target)
    assert front["category"] == "党建园地" and front["extra"]["legacy_category"] == "院务公开"
    [forced] = _run(site, FIXTURES / "other-column.txt", category="学习园地", force=True)
    assert forced.target == outcome.target and _split(site / outcome.target)[0]["category"] == "学习园地"
    _check_passes(site)


def test_a_dry_run_writes_nothing(site: Path) -> None:
    before = sorted(p.relative_to(site) for p in site.rglob("*"))
    done = _cli(site, str(FIXTURES), "--dry-run")
    assert done.returncode == 1 and "将写入" in done.stdout and "试运行" in done.stdout
    assert sorted(p.relative_to(site) for p in site.rglob("*")) == before


def test_a_rerun_updates_the_same_article_in_place(site: Path, tmp_path: Path) -> None:
    source = tmp_path / "src" / "page.txt"
    source.parent.mkdir()
    shutil.copyfile(FIXTURES / "2021-07-01-zhi-bu.txt", source)
    [first] = _run(site, source.parent)
    assert [o.status for o in _run(site, source.parent)] == ["unchanged"]
    text = source.read_text("utf-8").replace("第一党支部开展", "第一党支部隆重开展").replace("合影留念", "合影")
    source.write_text(text, "utf-8")
    [again] = _run(site, source.parent)
    assert again.status == "updated" and again.target == first.target  # a new title, the same folder
    assert _articles(site) == [site / first.target]
    front, body = _split(site / first.target)
    assert front["title"] == "第一党支部隆重开展“七一”主题党日活动" and "大家合影。" in body


def test_a_hand_edit_is_kept_without_force_and_overwritten_with_it(site: Path) -> None:
    [first] = _run(site, FIXTURES / "2021-07-01-zhi-bu.txt")
    article = site / first.target
    edited = article.read_text("utf-8").replace("活动最后", "编辑改过：活动最后")
    article.write_text(edited, "utf-8")
    [kept] = _run(site, FIXTURES / "2021-07-01-zhi-bu.txt")
    assert kept.status == "kept" and exit_code([kept]) == 0
    assert article.read_text("utf-8") == edited
    done = _cli(site, str(FIXTURES / "2021-07-01-zhi-bu.txt"))
    assert done.returncode == 0 and "未覆盖" in done.stdout and article.read_text("utf-8") == edited
    [forced] = _run(site, FIXTURES / "2021-07-01-zhi-bu.txt", force=True)
    assert forced.status == "updated" and "编辑改过" not in article.read_text("utf-8")
    assert [o.status for o in _run(site, FIXTURES / "2021-07-01-zhi-bu.txt")] == ["unchanged"]


def test_encodings_gbk_is_read_with_a_warning_and_binary_is_skipped(site: Path, tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "gbk.txt").write_bytes((FIXTURES / "2021-07-01-zhi-bu.txt").read_text("utf-8").encode("gbk"))
    (src / "zz-broken.txt").write_bytes(b"\x00\x01\xff binary")
    gbk, broken = _run(site, src)
    assert gbk.status == "warned" and "GBK" in gbk.notes[0]
    assert broken.status == "skipped" and "编码无法识别" in broken.notes[0]
    _check_passes(site)


def test_sources_are_sorted_and_assets_are_not_pages(tmp_path: Path) -> None:
    src = tmp_path / "src"
    (src / "b" / "saved_files").mkdir(parents=True)
    for name in ("b/2.txt", "a.txt", "b/saved_files/x.html", "photo.jpg", "b/doc.pdf", ".hidden.txt"):
        (src / name).write_text("x", "utf-8")
    (src / "show.php?id=3").write_text("<!DOCTYPE html><html></html>", "utf-8")
    (src / "notes").write_text("plain words", "utf-8")
    found = [p.relative_to(src).as_posix() for p, root in pages([src, src / "a.txt"])]
    assert found == ["a.txt", "b/2.txt", "show.php?id=3"]
    assert "不是网页或文本导出" in read_page(src / "photo.jpg", src).reason


def test_a_missing_image_is_left_out_with_a_warning_and_a_found_one_is_copied(site: Path, tmp_path: Path) -> None:
    config = parse_config((site / "site.yaml").read_text("utf-8"))
    photo = tmp_path / "photo.png"
    shutil.copyfile(COLUMN / "content/2024/2024-07-25-dang-ji-zhi-shi-ce-shi/cheng-ji.png", photo)
    page = Page(tmp_path / "a.html", "/news/1.html", "有图的文章", "2022-03-04", None, None, None,
                '正文。\n\n![合影](he-ying.jpg)\n\n![成绩](cheng-ji.png "图为成绩")\n',
                (Asset("/img/he-ying.jpg", None, "he-ying.jpg", "image"),
                 Asset("/img/c.png", photo, "cheng-ji.png", "image")))
    article = compose(page, "党建园地", "a.html", config)
    assert not isinstance(article, str)
    assert "he-ying.jpg" not in article.text and "合影" in article.text and "![成绩](cheng-ji.png" in article.text
    assert article.copies == ((photo, "cheng-ji.png"),) and "/img/he-ying.jpg" in article.warnings[0]
    assert "legacy_url: /news/1.html" in article.text
    assert compose(Page(page.source, None, "t", "2022-02-30", None, None, None, "x"), "党建园地", "a", config) \
        == "日期无法识别：“2022-02-30” (unreadable date)"


def test_cli_usage_errors(site: Path) -> None:
    done = _cli(site, str(FIXTURES), "--category", "支部风")
    assert done.returncode == 1 and "是否想写“支部风采”" in done.stderr and "没有导入任何文章" in done.stderr
    done = _cli(site, str(site / "nowhere"))
    assert done.returncode == 2 and "找不到" in done.stderr and "Traceback" not in done.stderr
    assert not (site / "content").exists() and not (site / "import-report.md").exists()
    help_text = subprocess.run([sys.executable, "-m", "sitegen", "import", "-h"], capture_output=True, text=True).stdout
    assert "--dry-run" in help_text and "--force" in help_text and "导入" in help_text


def test_pages_of_one_old_url_are_one_article_and_its_photo_is_copied_beside_it(
        site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "mirror"
    src.mkdir()
    for name in ("a.html", "b.html"):
        (src / name).write_text("<html></html>", "utf-8")
    photo = COLUMN / "content/2024/2024-07-25-dang-ji-zhi-shi-ce-shi/cheng-ji.png"

    def read(path: Path, root: Path) -> Page:
        return Page(path, "/news/7.html", "同一篇文章", "2023-01-02 08:00", "学习园地", "党办", None,
                    '正文。\n\n![成绩](cheng-ji.png "图为成绩")\n',
                    (Asset("/img/c.png", photo, "cheng-ji.png", "image"),))

    monkeypatch.setattr("sitegen.legacy.run.read_page", read)
    first, second = _run(site, src)
    assert first.status == "imported" and second.status == "skipped" and "旧网址相同" in second.notes[0]
    [article] = _articles(site)
    assert (article.parent / "cheng-ji.png").read_bytes() == photo.read_bytes()
    assert _split(article)[0]["extra"]["legacy_url"] == "/news/7.html"
    _check_passes(site)
    assert [o.status for o in _run(site, src / "a.html")] == ["unchanged"]
    assert [o.status for o in _run(site, src / "b.html")] == ["updated"]  # found by its old URL: no second copy
    assert _articles(site) == [article]


def test_a_name_already_taken_gets_a_suffix_never_a_url_clash(site: Path, tmp_path: Path) -> None:
    folder = "2021-07-01-di-yi-dang-zhi-bu-kai-zhan-qi-yi-zhu-ti-dang-ri-huo"
    hand = site / "content" / "2021" / f"{folder}.md"  # written by hand elsewhere, same date and title
    hand.parent.mkdir(parents=True)
    hand.write_text("---\ntitle: 手写的\ndate: 2021-07-01\ncategory: 党建园地\n---\n\n正文。\n", "utf-8")
    src = tmp_path / "src"
    for sub in ("a", "b"):
        (src / sub).mkdir(parents=True)
        shutil.copyfile(FIXTURES / "2021-07-01-zhi-bu.txt", src / sub / "page.txt")
    first, second = _run(site, src)
    assert first.target == f"content/imported/2021/{folder}-2/index.md"
    assert second.target == f"content/imported/2021/{folder}-3/index.md"
    _check_passes(site)


def test_a_meta_line_of_another_cms_gives_its_date_views_and_source(site: Path, tmp_path: Path) -> None:
    export = tmp_path / "page.txt"
    meta = "发布时间：2020年2月22日 星期六  来源：党委办公室  点击：100次"
    export.write_text(f"标题：医院召开党委会\n\n{meta}\n\n正文。\n", "utf-8")
    [outcome] = _run(site, export)
    front, body = _split(site / outcome.target)
    assert (front["date"], front["source"], front["extra"]["legacy_views"]) == ("2020年2月22日", "党委办公室", 100)
    assert front["title"] == "医院召开党委会" and body == "正文。"
    assert outcome.target == "content/imported/2020/2020-02-22-yi-yuan-zhao-kai-dang-wei-hui/index.md"


def test_a_mirrors_index_page_is_ignored_and_keeps_the_exit_code_0(site: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "mirror"
    src.mkdir()
    (src / "index.html").write_text("<html></html>", "utf-8")
    shutil.copyfile(FIXTURES / "2021-07-01-zhi-bu.txt", src / "page.txt")

    def read(path: Path, root: Path) -> Page | Skipped:
        if path.suffix == ".html":
            return Skipped(path, "非文章页：栏目列表 (not an article: a list page)")
        return read_text_export(path, root)

    monkeypatch.setattr("sitegen.legacy.run.read_page", read)
    outcomes = _run(site, src)
    assert [o.status for o in outcomes] == ["ignored", "imported"] and exit_code(outcomes) == 0
    report = markdown(outcomes)
    assert "已忽略：非文章页" in report and "不影响退出码" in report


def test_eleven_pages_of_one_long_title_get_eleven_urls(site: Path, tmp_path: Path) -> None:
    if not SEED.is_file():
        missing(f"the seed export {SEED} is not on this machine")
    src = tmp_path / "src"
    src.mkdir()
    for n in range(11):  # -10 and -11 must survive the 60-character cut of a slug
        (src / f"p{n:02d}.txt").write_text(SEED.read_text("utf-8").replace("决战必胜", f"决战必胜{n}", 1), "utf-8")
    outcomes = _run(site, src)
    assert [o.status for o in outcomes] == ["imported"] * 11
    assert outcomes[-1].target.endswith("-du-zhan-hao-11/index.md")
    _check_passes(site)


def _legacy_article(site: Path, name: str, old_url: str, extra: str = "") -> None:
    path = site / "content" / f"{name}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\ntitle: {name}\ndate: 2019-05-01 09:00\ncategory: 党建园地\n{extra}"
                    f"extra:\n  legacy_url: {old_url}\n---\n\n正文。\n", "utf-8")


def test_the_redirect_map_is_remade_and_says_what_it_leaves_out(site: Path) -> None:
    source = FIXTURES / sorted(p.name for p in FIXTURES.glob("*.txt"))[0]
    _legacy_article(site, "old-a", "/html/2019/0501/1.html")
    _legacy_article(site, "old-draft", "/html/2019/0501/2.html", "draft: true\n")
    done = _cli(site, str(source))
    assert "legacy-redirects.map" in done.stdout, done.stdout + done.stderr
    assert "/dangjian/" in (site / "legacy-redirects.map").read_text("utf-8")
    assert "old-draft" in done.stderr  # left out of the map, and said so
    # Two articles claiming one old URL: the articles are in, the map is not remade, exit 1.
    _legacy_article(site, "old-b", "/html/2019/0501/1.html")
    before = (site / "legacy-redirects.map").read_bytes()
    again = _cli(site, str(source))
    assert again.returncode == 1 and "跳转表没有更新" in again.stderr
    assert "old-a" in again.stderr and "old-b" in again.stderr
    assert (site / "legacy-redirects.map").read_bytes() == before


def test_check_says_when_the_redirect_map_is_stale_and_import_alone_remakes_it(site: Path) -> None:
    _legacy_article(site, "old-draft", "/html/2019/0501/2.html", "draft: true\n")
    assert _cli(site).returncode == 0  # no SOURCE: only the map
    assert "2.html" in (site / "legacy-redirects.map").read_text("utf-8")

    def check() -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "sitegen", "check", str(site)], capture_output=True, text=True)

    assert check().returncode == 0 and "跳转表已过时" not in check().stderr
    draft = site / "content" / "old-draft.md"
    draft.write_text(draft.read_text("utf-8").replace("draft: true\n", ""), "utf-8")  # it goes out
    stale = check()
    assert stale.returncode == 0 and "legacy-redirects.map: 警告：旧网址跳转表已过时" in stale.stderr
    assert _cli(site).returncode == 0
    assert '"/dangjian/2019/05/01/' in (site / "legacy-redirects.map").read_text("utf-8")
    assert "跳转表已过时" not in check().stderr
