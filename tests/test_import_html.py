"""sitegen.legacy.html: saved pages of the old CMSs, each fixture compared field by field with its expected.json."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from sitegen.legacy.html import read_html
from sitegen.legacy.html.encoding import declared, decode
from sitegen.legacy.model import Page, Skipped

FIXTURES = Path(__file__).parent / "legacy" / "html"
FIELDS = ("title", "date", "category", "source_name", "author", "legacy_url", "views", "rule")


def _cases() -> list[tuple[str, dict]]:
    out = []
    for expected in sorted(FIXTURES.glob("*/expected.json")):
        data = json.loads(expected.read_text(encoding="utf-8"))
        out += [(expected.parent.name, {**page, "root": data["root"]}) for page in data["pages"]]
    return out


CASES = _cases()


def _asset_rows(page: Page) -> list[dict]:
    return [{"ref": a.ref, "name": a.name, "kind": a.kind, "found": a.source is not None} for a in page.assets]


@pytest.mark.parametrize(("fixture", "case"), CASES, ids=[f"{f}/{c['page']}" for f, c in CASES])
def test_fixture_matches_expected(fixture: str, case: dict) -> None:
    folder = FIXTURES / fixture
    got = read_html(folder / case["page"], folder / case["root"])
    if "skipped" in case:
        assert isinstance(got, Skipped), got
        assert got.reason.startswith(case["skipped"])
        return
    assert isinstance(got, Page), got
    wrong = {f: (getattr(got, f), case[f]) for f in FIELDS if getattr(got, f) != case[f]}
    if got.body.split("\n") != case["body"]:
        wrong["body"] = (got.body.split("\n"), case["body"])
    if _asset_rows(got) != case["assets"]:
        wrong["assets"] = (_asset_rows(got), case["assets"])
    if list(got.warnings) != case["warnings"]:
        wrong["warnings"] = (list(got.warnings), case["warnings"])
    assert wrong == {}, "fields that differ (got, expected)"


def test_every_cms_and_form_is_covered() -> None:
    rules = {c["rule"] for _, c in CASES if "rule" in c}
    assert {"dedecms", "phpcms", "empirecms", "pbootcms", "paragraphs"} <= rules
    assert any("skipped" in c for _, c in CASES), "a mirror's list page"
    assert any(not a["found"] for _, c in CASES for a in c.get("assets", [])), "a missing image"
    assert any(a["kind"] == "attachment" and a["found"] for _, c in CASES for a in c.get("assets", []))


def test_found_assets_point_at_the_files() -> None:
    page = read_html(FIXTURES / "dedecms-mirror/www.dyrmyy.cn/a/djyd/2020/0222/123.html", FIXTURES / "dedecms-mirror")
    assert isinstance(page, Page)
    sources = {a.name: a.source for a in page.assets}
    host = FIXTURES / "dedecms-mirror/www.dyrmyy.cn"
    assert sources["党史学习教育安排表.doc"] == host / "uploads/soft/200222/1-200222103Q5.doc"
    assert all(f"]({a.name}" in page.body for a in page.assets)


def test_gbk_page_without_charset_is_detected() -> None:
    raw = (FIXTURES / "empirecms-gbk/news.html").read_bytes()
    assert declared(raw) is None
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text, codec = decode(raw) or ("", "")
    assert codec == "gb18030" and "我院召开庆祝中华人民共和国成立70周年座谈会" in text


def test_declared_gb2312_reads_as_gb18030() -> None:
    # 镕 is outside GB2312 but CMSs wrote it anyway; only the superset reads it.
    raw = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312"><p>朱镕基</p>'.encode("gb18030")
    assert declared(raw) == "gb18030"
    assert decode(raw) == (raw.decode("gb18030"), "gb18030")


def test_declared_gb2312_but_utf8_bytes_reads_as_utf8() -> None:
    # An editor re-saved the page as UTF-8 and left the CMS's meta: gb18030 would take it as mojibake.
    raw = '<meta charset="gb2312"><title>天津：吹响督战号角</title><p>朱镕基同志</p>'.encode()
    assert decode(raw) == (raw.decode("utf-8"), "utf-8")


def test_undecodable_page_is_skipped(tmp_path: Path) -> None:
    page = tmp_path / "broken.html"
    page.write_bytes(bytes(range(256)) * 8)
    got = read_html(page, tmp_path)
    assert isinstance(got, Skipped) and got.reason.startswith("无法识别的编码")


def test_wget_query_file_name_is_the_legacy_url(tmp_path: Path) -> None:
    """wget -m writes /plus/view.php?aid=125 as a file named so (not in git: Windows forbids '?')."""
    host = tmp_path / "www.dyrmyy.cn"
    shutil.copytree(FIXTURES / "dedecms-mirror/www.dyrmyy.cn/uploads", host / "uploads")
    (host / "plus").mkdir()
    shutil.copy(FIXTURES / "dedecms-mirror/www.dyrmyy.cn/a/djyd/2020/0222/123.html", host / "plus/view.php?aid=125")
    for root in (tmp_path, host):  # the folder holding the host folder, or the host folder itself
        got = read_html(host / "plus/view.php?aid=125", root)
        assert isinstance(got, Page)
        assert got.legacy_url == "/plus/view.php?aid=125"
        assert [a.source is not None for a in got.assets] == [True, True]
    shutil.copy(host / "plus/view.php?aid=125", host / "index.php?id=1")
    for root in (tmp_path, host):
        got = read_html(host / "index.php?id=1", root)
        assert isinstance(got, Page) and got.legacy_url == "/index.php?id=1"


def _page(tmp_path: Path, body: str) -> Path:
    page = tmp_path / "site" / "a.html"
    page.parent.mkdir(parents=True)
    page.write_text(f"<html><head><title>标题一二三四</title></head><body><h1>标题一二三四</h1>"
                    f"<div>时间：2020-02-22</div><div id='zoom'>{body}</div></body></html>", encoding="utf-8")
    return page


def test_reference_outside_the_source_folder_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "secret.pdf").write_bytes(b"%PDF secret")
    page = _page(tmp_path, "<p>正文内容足够长的一段话。<a href='../../secret.pdf'>secret.pdf</a></p>")
    got = read_html(page, page.parent)
    assert isinstance(got, Page)
    assert [(a.name, a.source) for a in got.assets] == [("secret.pdf", None)]
    assert got.warnings == ("附件缺失：../../secret.pdf（missing attachment: ../../secret.pdf）",)


def test_names_are_unique_and_safe(tmp_path: Path) -> None:
    page = _page(tmp_path, "<p><img src='a/Photo 1.JPG'><img src='b/photo 1.jpg'><img src='con.jpg'>"
                           "<img src='a/Photo 1.JPG'></p>")
    got = read_html(page, page.parent)
    assert isinstance(got, Page)
    assert [a.name for a in got.assets] == ["Photo-1.jpg", "photo-1-2.jpg", "con-file.jpg"]
    assert got.body.count("](Photo-1.jpg)") == 2


def test_br_br_paragraphs_indents_and_fonts(tmp_path: Path) -> None:
    page = _page(tmp_path, "<font color=red>&nbsp;&nbsp;第一段。</font><br><br>　　第二段<span style='x'>继续</span>。"
                           "<br />\n<br />\n<p>【打印本页】【关闭窗口】</p><p>上一篇：<a href='/1.html'>旧文</a></p>")
    got = read_html(page, page.parent)
    assert isinstance(got, Page)
    assert got.body == "第一段。\n\n第二段继续。\n"


def test_complex_table_is_kept_as_html(tmp_path: Path) -> None:
    page = _page(tmp_path, "<p>名单如下：</p><table style='width:500px'>"
                           "<tr><td colspan='2'><font>先进支部</font></td></tr>"
                           "<tr><td>第一支部</td><td>第二支部</td></tr></table>")
    got = read_html(page, page.parent)
    assert isinstance(got, Page)
    assert got.body == ("名单如下：\n\n<table>\n<tr><td colspan=\"2\">先进支部</td></tr>\n"
                        "<tr><td>第一支部</td><td>第二支部</td></tr>\n</table>\n")


def test_reading_is_deterministic() -> None:
    folder = FIXTURES / "phpcms-complete"
    assert read_html(folder / "七一主题党日活动.html", folder) == read_html(folder / "七一主题党日活动.html", folder)


def test_dates_are_what_the_writer_parses() -> None:
    from zoneinfo import ZoneInfo

    from sitegen.dates import parse_date

    checked = 0
    for _, case in CASES:
        if case.get("date"):
            when = parse_date(case["date"], ZoneInfo("Asia/Shanghai"))  # raises DateError on what it cannot read
            assert str(when.year) in case["date"] and f"{when.month:02d}" in case["date"], case["date"]
            checked += 1
    assert checked >= 5, "every fixture page has a date; none was found to check"


def test_list_of_article_links_is_not_an_article(tmp_path: Path) -> None:
    items = "".join(f"<li><a href='/a/{i}.html'>文章标题第{i}篇</a><span>2020-02-2{i}</span></li>" for i in range(8))
    got = read_html(_page(tmp_path, f"<ul>{items}</ul>"), tmp_path / "site")
    assert isinstance(got, Skipped) and got.reason.startswith("非文章页")


def test_notice_of_attachments_is_an_article(tmp_path: Path) -> None:
    links = "".join(f"<p><a href='/up/{i}.pdf'>附件{i}：报名表.pdf</a></p>" for i in range(6))
    got = read_html(_page(tmp_path, f"<p>请下载以下附件：</p>{links}"), tmp_path / "site")
    assert isinstance(got, Page)
    assert [a.name for a in got.assets] == [f"附件{i}：报名表.pdf" for i in range(6)]


def test_text_that_would_become_markdown_syntax_stays_text(tmp_path: Path) -> None:
    got = read_html(_page(tmp_path, "<p>1. 不是列表</p><p>　　#不是标题</p><p>- 不是列表</p><ol><li>是列表</li></ol>"),
                    tmp_path / "site")
    assert isinstance(got, Page)
    assert got.body == "1\\. 不是列表\n\n\\#不是标题\n\n\\- 不是列表\n\n1. 是列表\n"


def test_heading_and_date_line_inside_the_body_container(tmp_path: Path) -> None:
    page = tmp_path / "a.html"
    page.write_text("<html><head><title>医院举办健康讲座 - 新闻</title></head><body><article><header>"
                    "<h1>医院举办健康讲座</h1><p>2021-05-06 作者：李四 来源：宣传科</p></header>"
                    "<p>正文第一段，医院举办健康讲座，邀请专家讲解慢病管理。</p><video src='/v/1.mp4'></video>"
                    "</article></body></html>", encoding="utf-8")
    got = read_html(page, tmp_path)
    assert isinstance(got, Page)
    assert (got.title, got.date, got.author, got.source_name) == ("医院举办健康讲座", "2021-05-06", "李四", "宣传科")
    assert got.body == "正文第一段，医院举办健康讲座，邀请专家讲解慢病管理。\n"
    assert got.warnings == ("视频或嵌入内容未导入：/v/1.mp4（video or embedded frame not imported: /v/1.mp4）",)


def test_absolute_same_site_and_lazy_loaded_photos_in_a_mirror(tmp_path: Path) -> None:
    host = tmp_path / "www.dyrmyy.cn"
    (host / "uploads").mkdir(parents=True)
    (host / "uploads/a.jpg").write_bytes(b"jpeg")
    (host / "uploads/b.jpg").write_bytes(b"jpeg")
    page = host / "a" / "1.html"
    page.parent.mkdir()
    page.write_text("<html><head><title>标题一二三四</title></head><body><h1>标题一二三四</h1><div>时间：2020-02-22</div>"
                    "<div id='zoom'><p>正文。</p><p><img src='http://dyrmyy.cn/uploads/a.jpg'></p>"
                    "<p><img src='/images/loading.gif' data-original='/uploads/b.jpg'></p>"
                    "<p><img src='http://other.cn/c.jpg'></p></div></body></html>", encoding="utf-8")
    got = read_html(page, tmp_path)
    assert isinstance(got, Page)
    assert [(a.name, a.source) for a in got.assets] == [("a.jpg", host / "uploads/a.jpg"),
                                                        ("b.jpg", host / "uploads/b.jpg")]
    assert got.body == "正文。\n\n![](a.jpg)\n\n![](b.jpg)\n\n![](http://other.cn/c.jpg)\n"
    assert got.warnings == ("图片不在本站，未复制：http://other.cn/c.jpg（image on another site, not copied: http://other.cn/c.jpg）",)


def test_date_from_the_old_url_when_the_page_has_none(tmp_path: Path) -> None:
    page = tmp_path / "www.dyrmyy.cn" / "html" / "2020" / "0222" / "123.html"
    page.parent.mkdir(parents=True)
    page.write_text("<html><head><title>标题一二三四</title></head><body><h1>标题一二三四</h1>"
                    "<div id='zoom'><p>正文。</p></div></body></html>", encoding="utf-8")
    got = read_html(page, tmp_path)
    assert isinstance(got, Page) and got.date == "2020-02-22"
    assert got.warnings == ("页面上没有发布时间，取自旧网址：2020-02-22"
                            "（no date on the page; taken from the old URL）",)
    page.rename(tmp_path / "x.html")
    got = read_html(tmp_path / "x.html", tmp_path)
    assert isinstance(got, Page) and got.date is None
    assert got.warnings == ("未找到发布时间（no publish date found）",)


def test_a_wrapper_named_print_is_not_taken_for_the_print_button(tmp_path: Path) -> None:
    text = "医院党委召开党史学习教育动员大会，全院各党支部书记、中层干部和党员代表共120余人参加会议。" * 3
    got = read_html(_page(tmp_path, f"<div id='printContent'><p>{text}</p><p><img src='a.jpg'></p></div>"
                                    "<div class='bdsharebuttonbox'><img src='wx.png'><a>微信</a></div>"),
                    tmp_path / "site")
    assert isinstance(got, Page)
    assert got.body == f"{text}\n\n![](a.jpg)\n"


def test_article_split_over_pages_is_one_article(tmp_path: Path) -> None:
    folder = tmp_path / "www.dyrmyy.cn" / "a"
    folder.mkdir(parents=True)

    def write(name: str, text: str) -> None:
        (folder / name).write_text(
            "<html><head><title>长文章标题</title></head><body><div class='viewbox'>"
            "<div class='title'><h2>长文章标题</h2></div><div class='info'>时间:2020-02-22</div>"
            f"<div class='content'><p>{text}</p></div><div class='dede_pages'>"
            "<ul class='pagelist'><li><a href='123.html'>1</a></li><li><a href='123_2.html'>2</a></li>"
            "<li><a href='123_3.html'>3</a></li></ul></div></div></body></html>", encoding="utf-8")

    write("123.html", "第一页。")
    write("123_2.html", "第二页。")
    write("123_3.html", "第三页。")
    got = read_html(folder / "123.html", tmp_path)
    assert isinstance(got, Page) and got.body == "第一页。\n\n第二页。\n\n第三页。\n"
    later = read_html(folder / "123_2.html", tmp_path)
    assert isinstance(later, Skipped) and later.reason.startswith("非文章页：分页文章的续页，已并入 123.html")
    (folder / "123_3.html").unlink()  # a page wget did not get: the link is left, nothing is invented
    got = read_html(folder / "123.html", tmp_path)
    assert isinstance(got, Page) and got.body == "第一页。\n\n第二页。\n"


def test_the_gbk_fixture_is_its_utf8_source_in_gbk() -> None:
    """sources/empirecms-news.html is the page to read and edit; make_fixtures.py writes its GBK twin.
    An edit to one without the other would test a page nobody can read."""
    source = (FIXTURES / "sources" / "empirecms-news.html").read_text(encoding="utf-8")
    assert (FIXTURES / "empirecms-gbk" / "news.html").read_bytes() == source.encode("gbk")
