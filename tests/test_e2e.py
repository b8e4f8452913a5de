"""tests/sites/column built end to end, as a reader would get it (never the repo's example content)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from sitegen.config import load_config
from tests.conftest import COLUMN, copy_fixture_site
from tests.linkcheck import broken_links

SEED = "2020/02/22/tianjin-du-zhan/index.html"


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_fixture_site(COLUMN, tmp_path_factory.mktemp("e2e") / "site")


@pytest.fixture(scope="module")
def site(source: Path) -> Path:
    out = source.parent / "build"
    done = subprocess.run([sys.executable, "-m", "sitegen", "build", str(source), "-o", str(out)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert re.match(r"已生成 \d+ 篇文章，共 (\d+) 个文件，其中 \1 个有改动", done.stdout)
    assert re.search(r"^\(built \d+ articles, (\d+) files \(\1 changed\) in [\d.]+s\)$", done.stdout, re.M)
    return out


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).strip()


def test_seed_article(site: Path) -> None:
    html = (site / SEED).read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>\n<html lang=\"zh-CN\">")
    nav = re.search(r'<nav class="breadcrumb" aria-label="当前位置">(.*?)</nav>', html, re.S)
    assert nav, "breadcrumb nav missing"
    crumbs = re.findall(r'<a href="([^"]*)"[^>]*>([^<]+)</a>', nav.group(1))
    assert _text(nav.group(1)) == "当前位置\uff1a 首页 医院概况 党建园地"
    assert crumbs == [("https://www.example-hospital.cn/", "首页"),
                      ("https://www.example-hospital.cn/yygk/", "医院概况"),
                      ("../../../../", "党建园地")]
    assert '<h1 class="article-title">【廉洁“微课堂”】天津:吹响督战号角 助力决战必胜</h1>' in html
    assert '时间\uff1a<time datetime="2020-02-22T18:23:45+08:00">2020.02.22 18:23:45</time>' in html
    assert "就是非常规,就是*********,就是全员发动" in html
    assert '<p class="article-source">来源\uff1a《中国纪检监察》杂志</p>' in html
    assert re.search(r"<h2[^>]*>闻令而动 令出行随</h2>\s*<h3[^>]*>让监督触角延伸到最前沿</h3>", html)
    assert "阅读" not in _text(html), "no view counter without counter_url"
    for name, value in [("ArticleTitle", "【廉洁“微课堂”】天津:吹响督战号角 助力决战必胜"),
                        ("PubDate", "2020-02-22 18:23"), ("ContentSource", "《中国纪检监察》杂志"),
                        ("ColumnName", "党建园地")]:
        assert f'<meta name="{name}" content="{value}">' in html
    assert re.search(r'<meta name="description" content="坚决保障打赢疫情防控阻击战[^"]+">', html)
    assert "<button" in html and ">大</button>" in html


def test_index_pager(site: Path) -> None:
    home = (site / "index.html").read_text(encoding="utf-8")
    pager = re.search(r'<nav class="pager" aria-label="分页">(.*?)</nav>', home, re.S)
    assert pager, "the column fixture must have more than one page"
    words = _text(pager.group(1))
    assert words.startswith("首页 上一页 1 2") and "下一页 尾页" in words
    assert '<a href="page/2/" rel="next">下一页</a>' in pager.group(1)
    assert (site / "page/2/index.html").is_file()
    listed = re.findall(r'<h2><a href="([^"]+)">', home.split('<ul class="article-list">')[1].split("</ul>")[0])
    assert len(listed) == load_config(COLUMN).page_size


def test_prev_next_within_category(site: Path) -> None:
    html = (site / SEED).read_text(encoding="utf-8")
    near = re.search(r'<nav class="prev-next".*?</nav>', html, re.S)
    assert near and "上一篇" in near.group(0) and "下一篇" in near.group(0)
    links = re.findall(r'href="([^"]+)" rel="(prev|next)"', near.group(0))
    assert links, "the seed article should have a neighbour in its category"
    seed_date = "2020-02-22T18:23:45+08:00"
    for href, rel in links:
        target = (site / Path(SEED).parent / href / "index.html").resolve()
        page = target.read_text(encoding="utf-8")
        assert '<meta name="ColumnName" content="党建园地">' in page
        date = re.search(r'<time datetime="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        assert (date < seed_date) if rel == "prev" else (date > seed_date)


def test_every_internal_link_resolves_under_a_sub_path(site: Path) -> None:
    assert broken_links(site, "/dangjian/") == []
    assert broken_links(site, "/") == []


def test_not_found_page_uses_base_path(site: Path) -> None:
    html = (site / "404.html").read_text(encoding="utf-8")
    assert re.search(r'href="/dangjian/static/css/site\.css\?v=[0-9a-f]{10}"', html) and "页面不存在" in html


def test_two_builds_are_byte_identical(source: Path, site: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    subprocess.run([sys.executable, "-m", "sitegen", "build", str(source), "-o", str(again)], check=True,
                   capture_output=True)
    first = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first == second


def test_drafts_and_future_articles_are_left_out(site: Path) -> None:
    texts = [p.read_text("utf-8") for p in (COLUMN / "content").rglob("*.md")]
    drafts = [text for text in texts if re.search(r"^draft: true$", text, re.M)]
    future = [text for text in texts if re.search(r"^date: 2099-", text, re.M)]
    assert drafts and future, "the column fixture has a draft and a future-dated article"
    everything = "".join(p.read_text("utf-8") for p in site.rglob("*") if p.suffix in (".html", ".xml", ".json"))
    assert "天津" in everything  # the search for titles below reads what was published
    for text in drafts + future:
        title = re.search(r"^title: *['\"]?(.+?)['\"]?$", text, re.M).group(1)  # type: ignore[union-attr]
        assert title not in everything


def test_every_published_photo_is_metadata_free_and_every_img_has_its_size(site: Path) -> None:
    """Whatever photos the fixture holds: none leaks EXIF/GPS, none shifts the layout."""
    from PIL import Image

    photos = [p for p in site.rglob("*") if p.suffix.lower() in (".jpg", ".jpeg", ".png", ".webp", ".gif")]
    assert photos, "the column fixture shows photos"
    for path in photos:
        with Image.open(path) as im:
            assert not im.getexif() and "icc_profile" not in im.info, path
        assert b"GPS" not in path.read_bytes(), path
    for page in site.rglob("*.html"):
        for img in re.findall(r"<img\s[^>]*>", page.read_text(encoding="utf-8")):
            if "/static/" not in img and "favicon" not in img:
                assert re.search(r'\swidth="\d+"', img) and re.search(r'\sheight="\d+"', img), (page, img)


def test_listings_show_covers_and_originals_stay_private(site: Path) -> None:
    home = (site / "index.html").read_text(encoding="utf-8")
    assert '<li class="has-cover">' in home
    sources = {p.name for p in (COLUMN / "content").rglob("*") if p.suffix.lower() in (".jpg", ".heic", ".png")}
    published = {p.name for p in site.rglob("*")}
    assert sources and not sources & published, "original photos are never published"


def test_index_page_2_leads_back_and_404_crumbs_stay_absolute(site: Path) -> None:
    page2 = (site / "page/2/index.html").read_text(encoding="utf-8")
    assert '<a href="../../">首页</a>' in page2 and '<a href="../../" rel="prev">上一页</a>' in page2
    not_found = (site / "404.html").read_text(encoding="utf-8")
    crumbs = re.search(r'<nav class="breadcrumb".*?</nav>', not_found, re.S).group(0)
    assert re.findall(r'href="([^"]+)"', crumbs) == ["https://www.example-hospital.cn/",
                                                     "https://www.example-hospital.cn/yygk/", "/dangjian/"]
