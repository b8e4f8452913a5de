"""Photos, attachments and article links, end to end through `sitegen build`."""

from __future__ import annotations

import io
import re
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from sitegen.build import build
from sitegen.cli import main
from tests.conftest import MINI_CONFIG, article_text
from tests.linkcheck import broken_links

Site = Callable[..., Path]
FOLDER = "2024/huo-dong/index.md"
PAGE = "2024/07/01/huo-dong/"


def phone_photo(path: Path, size: tuple[int, int] = (1200, 900), orientation: int = 1) -> None:
    """An upright picture with a red block top-left, stored as a phone stores it, with GPS and a camera name."""
    upright = Image.new("RGB", size, (40, 90, 160))
    upright.paste((220, 20, 20), (0, 0, size[0] // 4, size[1] // 4))
    stored = {1: upright, 6: upright.transpose(Image.Transpose.ROTATE_90),
              8: upright.transpose(Image.Transpose.ROTATE_270), 3: upright.transpose(Image.Transpose.ROTATE_180)}
    exif = Image.Exif()
    exif[0x010F], exif[0x0110], exif[0x0112] = "HUAWEI", "ELS-AN00", orientation
    exif[0x8825] = {1: "N", 2: (39.0, 5.0, 3.0), 3: "E", 4: (117.0, 12.0, 3.0)}
    path.parent.mkdir(parents=True, exist_ok=True)
    stored[orientation].save(path, "JPEG", quality=90, exif=exif)


BODY = """活动现场如下。

![党员们重温入党誓词](photo1.jpg "图为全体党员重温入党誓词")

请下载[报名表](附件1：报名表.docx)，另见[上一期](../2020-first.md#一背景)。

![](photo2.jpg "图为党课现场")

## 二、安排
"""


@pytest.fixture
def photo_site(make_site: Site) -> Path:
    site = make_site({
        FOLDER: article_text("主题党日", date="2024-07-01 09:00", body=BODY),
        "2024/2020-first.md": article_text("第一期", date="2024-06-01", body="## 一、背景\n\n正文。"),
    })
    folder = site / "content/2024/huo-dong"
    phone_photo(folder / "photo1.jpg")
    phone_photo(folder / "photo2.jpg", size=(900, 1200), orientation=6)  # a portrait, stored sideways
    phone_photo(folder / "身份证.jpg")  # referenced by nothing: must never go public
    (folder / "附件1：报名表.docx").write_bytes(b"PK\x03\x04" + b"\0" * 35_000)
    return site


def _images(out: Path) -> list[Path]:
    return [p for p in out.rglob("*") if p.suffix in (".jpg", ".jpeg", ".webp", ".png", ".gif", ".heic")]


def test_photos_are_published_as_upright_metadata_free_renditions(photo_site: Path) -> None:
    result = build(photo_site, photo_site / "build")
    out = photo_site / "build"
    published = _images(out)
    assert published and all(p.parent == out / PAGE for p in published)
    names = {p.name for p in published}
    assert not {"photo1.jpg", "photo2.jpg", "身份证.jpg"} & names, "originals are not published"
    assert not any("身份证" in n for n in names)
    assert any("身份证.jpg" in w.zh and w.warning for w in result.warnings)
    for path in published:
        data = path.read_bytes()
        with Image.open(io.BytesIO(data)) as im:
            assert not im.getexif() and "icc_profile" not in im.info and "xmp" not in im.info, path.name
            rgb = im.convert("RGB")
            w, h = rgb.size
            # For the portrait's 4:3 thumbnail too: its crop keeps the top, where faces and titles are.
            assert rgb.getpixel((w // 10, h // 10))[0] > 150, f"{path.name}: red block not top-left (sideways?)"
            if "photo2" in path.name and "thumb" not in path.name:
                assert h > w, "the photo stored rotated (orientation 6) is portrait once upright"
        for marker in (b"Exif", b"GPS", b"HUAWEI", b"http://ns.adobe.com/xap/"):
            assert marker not in data, (path.name, marker)


def test_article_page_shows_figures_attachments_and_links(photo_site: Path) -> None:
    build(photo_site, photo_site / "build")
    html = (photo_site / "build" / PAGE / "index.html").read_text(encoding="utf-8")
    first, second = re.findall(r"<figure>.*?</figure>", html, re.S)
    assert "<figcaption>图为全体党员重温入党誓词</figcaption>" in first
    assert 'fetchpriority="high"' in first and 'loading="lazy"' not in first
    assert 'loading="lazy"' in second and 'decoding="async"' in second
    assert 'alt="图为党课现场"' in second, "an empty alt takes the caption"
    assert 'class="portrait"' in second and 'class=' not in first, "a portrait is narrower on wide screens"
    assert 'sizes="(max-width: 32rem) calc(100vw - 2rem), 30rem"' in second, "sizes says how wide it is shown"
    img = re.search(r'<img ([^>]+)>', first).group(1)
    assert 'width="1200"' in img and 'height="900"' in img
    source = re.search(r'<source ([^>]+)>', first).group(1)
    assert 'type="image/webp"' in source and "480w" in source and "960w" in source and "1600w" not in source, \
        "renditions are never upscaled: a 1200 px photo has no 1600 px one"
    assert re.search(r'srcset="photo1\.[0-9a-f]{8}\.480\.webp 480w', source)
    href = "%E9%99%84%E4%BB%B61%EF%BC%9A%E6%8A%A5%E5%90%8D%E8%A1%A8.docx"
    assert f'<a href="{href}">报名表</a><span class="file-meta">（DOCX，34 KB）</span>' in html
    assert re.search(r'<section class="attachments".*附件1：报名表\.docx.*（DOCX，34 KB）', html, re.S)
    assert (photo_site / "build" / PAGE / "附件1：报名表.docx").read_bytes()[:2] == b"PK"
    assert '<a href="../../../../2024/06/01/2020-first/#一背景">上一期</a>' in html


def test_listing_shows_the_cover_beside_the_title(photo_site: Path) -> None:
    build(photo_site, photo_site / "build")
    home = (photo_site / "build/index.html").read_text(encoding="utf-8")
    item = re.search(r'<li class="has-cover">.*?</li>', home, re.S).group(0)
    assert re.search(rf'<img src="{PAGE}photo1\.[0-9a-f]{{8}}\.thumb\.jpg" alt="" width="360" height="270"', item)
    assert 'aria-hidden="true"' in item and "主题党日" in item
    assert "请下载报名表，另见上一期。" in item, "no attachment label or figure caption in the excerpt"
    assert "<li>" in home, "an article without photos is listed without a thumbnail"


def test_cover_field_picks_the_listing_photo(photo_site: Path) -> None:
    path = photo_site / "content" / FOLDER
    path.write_text(article_text("主题党日", date="2024-07-01 09:00", body=BODY, cover="photo2.jpg"), "utf-8")
    build(photo_site, photo_site / "build")
    home = (photo_site / "build/index.html").read_text(encoding="utf-8")
    assert re.search(r'photo2\.[0-9a-f]{8}\.thumb', home) and not re.search(r'photo1\.[0-9a-f]{8}\.thumb', home)


def _entries(site: Path) -> dict[str, float]:
    return {p.parent.name: p.stat().st_mtime_ns for p in (site / ".sitegen-cache/images").glob("*/*/meta.json")}


def test_photos_are_processed_once_and_again_only_when_changed(photo_site: Path) -> None:
    for i in range(60):  # older articles, beyond the feed: an edit is an incremental build, not a full one
        old = photo_site / f"content/2019/a{i:02d}.md"
        old.parent.mkdir(exist_ok=True)
        old.write_text(article_text(f"旧文{i}", date=f"2019-{i // 28 + 1:02d}-{i % 28 + 1:02d}"), "utf-8")
    build(photo_site, photo_site / "build")
    first = _entries(photo_site)
    assert len(first) == 2
    page = photo_site / "content" / FOLDER
    page.write_text(page.read_text(encoding="utf-8").replace("活动现场", "主题党日活动现场"), "utf-8")
    result = build(photo_site, photo_site / "build")
    assert _entries(photo_site) == first, "a text edit processes no photo"
    assert 1 <= result.written < 40, "an incremental build (the edited page, the feed's, the listings)"
    # The first edit after a full build publishes its spare: it must hold the renditions too.
    assert broken_links(photo_site / "build") == []
    phone_photo(photo_site / "content/2024/huo-dong/photo2.jpg", size=(800, 1000), orientation=6)
    build(photo_site, photo_site / "build")
    after = _entries(photo_site)
    assert len(after) == 2 and len(set(after) - set(first)) == 1, "exactly the changed photo is processed"
    html = (photo_site / "build" / PAGE / "index.html").read_text(encoding="utf-8")
    new_key = (set(after) - set(first)).pop()[:8]
    assert f"photo2.{new_key}." in html and re.search(r'height="1000" [^>]*width="800"', html)
    assert not any(n.startswith("photo2.") and new_key not in n for n in
                   (p.name for p in (photo_site / "build" / PAGE).iterdir())), "the old renditions are gone"


def test_image_settings_come_from_site_yaml(photo_site: Path) -> None:
    (photo_site / "site.yaml").write_text(MINI_CONFIG + "images:\n  widths: [320, 640]\n  originals: true\n", "utf-8")
    build(photo_site, photo_site / "build")
    names = {p.name for p in (photo_site / "build" / PAGE).iterdir()}
    assert any(n.endswith(".320.webp") for n in names) and any(n.endswith(".640.webp") for n in names)
    assert not any(n.endswith(".480.webp") for n in names)
    originals = [n for n in names if "original" in n or n.endswith(".orig.jpg")]
    assert originals, names
    for name in originals:
        assert b"GPS" not in (photo_site / "build" / PAGE / name).read_bytes()


def test_a_broken_reference_fails_the_build_at_its_line_and_keeps_the_site(photo_site: Path,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(photo_site)]) == 0
    before = {p: p.read_bytes() for p in (photo_site / "build").rglob("*") if p.is_file()}
    page = photo_site / "content" / FOLDER
    page.write_text(page.read_text(encoding="utf-8").replace("(photo1.jpg", "(Photo1.JPG"), "utf-8")
    capsys.readouterr()
    assert main(["build", str(photo_site)]) == 1
    err = capsys.readouterr().err
    assert f"content/{FOLDER}:9: 错误：找不到图片“Photo1.JPG”。是否想写“photo1.jpg”？" in err
    assert "Traceback" not in err
    assert {p: p.read_bytes() for p in (photo_site / "build").rglob("*") if p.is_file()} == before


def test_future_articles_wait_for_their_date(make_site: Site) -> None:
    soon = (datetime.now(ZoneInfo("Asia/Shanghai")) + timedelta(seconds=3)).strftime("%Y-%m-%d %H:%M:%S")
    site = make_site({"a.md": article_text("今天", date="2020-01-01"),
                      "b.md": article_text("定时", date=soon, category="支部风采"),
                      "c.md": article_text("明年", date="2999-01-01")})
    result = build(site, site / "build")
    assert result.articles == 1
    held = [w for w in result.warnings if "还没到" in w.zh]
    assert {w.path for w in held} == {"content/b.md", "content/c.md"} and all(w.warning for w in held)
    assert build(site, site / "build", future=True).articles == 3
    assert build(site, site / "build").articles == 1
    time.sleep(3.5)
    assert build(site, site / "build").articles == 2, "a rebuild after the date publishes it"


@pytest.mark.parametrize(("name", "ok"), [("a.MD", True), ("a.markdown", True), ("a.md.txt", False)])
def test_article_file_names(make_site: Site, name: str, ok: bool, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({name: article_text("文章")})
    assert main(["build", str(site)]) == (0 if ok else 1)
    if not ok:
        assert f"content/{name}: 错误：文件扩展名不对" in capsys.readouterr().err


def test_a_txt_article_is_an_error_but_a_txt_attachment_is_published(make_site: Site,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({"通知.txt": article_text("通知"),
                      "2020/b.md": article_text("附件", body="见[说明](说明.txt)。"),
                      "2020/说明.txt": "一段说明文字。\n"})
    assert main(["build", str(site)]) == 1
    assert "content/通知.txt: 错误：文件扩展名不对" in capsys.readouterr().err
    (site / "content/通知.txt").unlink()
    assert main(["build", str(site)]) == 0
    assert (site / "build/2020/02/22/b/说明.txt").read_text(encoding="utf-8") == "一段说明文字。\n"


def test_svg_is_published_only_as_a_cleaned_image(make_site: Site) -> None:
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" onload="alert(1)">'
           '<script>alert(2)</script><rect width="200" height="100" fill="#c00"/>'
           '<a href="javascript:alert(3)"><text x="10" y="50">组织架构</text></a></svg>')
    site = make_site({"2020/jia-gou/index.md": article_text(
        "组织架构", body='![党委组织架构图](jia-gou.svg "图为党委组织架构")\n\n[查看大图](jia-gou.svg)')})
    (site / "content/2020/jia-gou/jia-gou.svg").write_text(svg, encoding="utf-8")
    build(site, site / "build")
    folder = site / "build/2020/02/22/jia-gou"
    (published,) = [p for p in folder.iterdir() if p.suffix == ".svg"]
    data = published.read_text(encoding="utf-8")
    assert "组织架构" in data and "<rect" in data
    assert "script" not in data and "onload" not in data and "javascript:" not in data
    html = (folder / "index.html").read_text(encoding="utf-8")
    assert f'src="{published.name}"' in html and 'width="200"' in html and 'height="100"' in html
    assert f'<a href="{published.name}">查看大图</a>' in html, "a link to an image opens the cleaned copy"


def test_a_drafts_photos_are_not_published_nor_called_strays(make_site: Site) -> None:
    site = make_site({"2020/cao-gao/index.md": article_text("草稿", body="![现场](p.jpg)", draft="true")})
    phone_photo(site / "content/2020/cao-gao/p.jpg")
    result = build(site, site / "build")
    assert not _images(site / "build")
    assert not any("没有被任何文章引用" in w.zh for w in result.warnings)
    assert _images(site / "build") == [] and build(site, site / "build", drafts=True).articles == 1
    assert _images(site / "build"), "with --drafts the draft and its photo are published"


def test_an_image_with_neither_alt_nor_title_is_a_warning_at_its_line(make_site: Site) -> None:
    site = make_site({"2020/a/index.md": article_text("无说明", body="第一段。\n\n![](p.jpg)")})
    phone_photo(site / "content/2020/a/p.jpg")
    result = build(site, site / "build")
    (warning,) = [w for w in result.warnings if "既没有说明文字也没有标题" in w.zh]
    assert (warning.path, warning.line, warning.warning) == ("content/2020/a/index.md", 9, True)


def test_a_reference_the_reader_missed_fails_the_build_instead_of_dangling(
        make_site: Site, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """The safety net behind refs.extract: Markdown saw a local image nobody resolved."""
    monkeypatch.setattr("sitegen.refs.extract", lambda body, line: ())
    site = make_site({"2020/a/index.md": article_text("漏读", body="第一段。\n\n![现场](p.jpg)")})
    phone_photo(site / "content/2020/a/p.jpg")
    assert main(["build", str(site)]) == 1
    err = capsys.readouterr().err
    assert "content/2020/a/index.md:9: 错误：无法识别对“p.jpg”的引用写法" in err and "Traceback" not in err
    assert not (site / "build").exists()
