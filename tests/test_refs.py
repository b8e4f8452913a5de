"""What an article points at: read from its Markdown with lines, then resolved against the site's files."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from sitegen import attachments
from sitegen.markup import to_html
from sitegen.model import Article, Ref
from sitegen.refs import anchors, extract
from sitegen.resolve import Catalog, nearest, resolve, unreferenced

BODY = """段落 ![主题党日现场](photo1.jpg "图为党员们重温入党誓词") 和 [报名表](附件1：报名表.docx)。

```
![代码里的不算](code.jpg)
```
行内 `[x](y.md)` 代码 [上一期](../2020/tianjin.md#一活动安排)

## 一、活动安排

## **重点** [工作](x.md)

标题二
------

## 一、活动安排

[c][r] ![d][img]

[r]: <附件 2.pdf> "t"
[img]: a.png
<img src="file:///C:/x.jpg"> <a href='b.pdf'>x</a>

![](x(1).jpg)

脚注[^1]

[^1]: 注释

## 自定 {#custom}
"""


def test_extract_finds_every_reference_at_its_line_and_none_in_code() -> None:
    found = extract(BODY, 10)
    assert [(r.target, r.line, r.image) for r in found] == [
        ("photo1.jpg", 10, True), ("附件1：报名表.docx", 10, False),
        ("../2020/tianjin.md#一活动安排", 15, False), ("x.md", 19, False),
        ("附件 2.pdf", 28, False), ("a.png", 29, True),
        ("file:///C:/x.jpg", 30, True), ("b.pdf", 30, False), ("x(1).jpg", 32, True),
    ]
    assert [r.raw_html for r in found if r.line == 30] == [True, True]
    described = {r.target: r.described for r in found}
    assert described["photo1.jpg"] and not described["x(1).jpg"]


def test_anchor_estimates_match_the_ids_markdown_gives() -> None:
    rendered = re.findall(r'id="([^"]+)"', to_html(BODY))
    assert set(anchors(BODY)) == set(rendered)


@pytest.mark.parametrize("heading", ["## 2024年“七一”表彰", "### Mixed 中英 `code` *强调*", "## 一、 活动 安排 ##",
                                     "## [链接](x.md) 文字", "Setext 标题\n=========="])
def test_anchor_of_each_heading_form(heading: str) -> None:
    assert set(anchors(heading + "\n")) == set(re.findall(r'id="([^"]+)"', to_html(heading + "\n")))


TZ = ZoneInfo("Asia/Shanghai")


def _article(path: str, url: str) -> Article:
    return Article(path=path, title="t", date=datetime(2024, 7, 1, tzinfo=TZ), category="c", slug="s", url=url,
                   body="")


A = _article("content/2024/huo-dong/index.md", "2024/07/01/huo-dong/")
B = _article("content/2020/tianjin.md", "2020/02/22/tianjin/")
CATALOG = Catalog(
    articles={A.path: A, B.path: B},
    held={"content/2024/draft.md": "是草稿（draft: true）"},
    anchors={A.path: ("二安排",), B.path: ("一背景",)}.__getitem__,
    assets={"content/2024/huo-dong/photo1.jpg": 1000, "content/2024/huo-dong/图片 1.jpg": 1000,
            "content/2024/huo-dong/附件1：报名表.docx": 35_000, "content/2024/huo-dong/run.exe": 10,
            "content/2024/huo-dong/song.mp3": 10, "content/2024/other/附件1：报名表.docx": 10,
            "content/2024/huo-dong/Photo2.JPG": 10},
    statics=frozenset({"static/img/logo.png"}),
)


def _resolve(*refs: Ref, cover: Ref | None = None) -> tuple[dict, list[str]]:
    media, problems = resolve(A, refs, cover, CATALOG)
    return dict(media.targets), [f"{p.line}:{p.zh}" for p in problems]


def test_references_resolve_relative_to_the_article_file() -> None:
    targets, problems = _resolve(
        Ref("photo1.jpg", 7, True), Ref("附件1：报名表.docx", 8, False), Ref("../../2020/tianjin.md#一背景", 9, False),
        Ref("/static/img/logo.png", 10, True), Ref("#二安排", 11, False), Ref("https://www.gov.cn/", 12, False),
        Ref("../huo-dong", 13, False), Ref("/yygk/", 14, False))
    assert problems == []
    assert targets["photo1.jpg"].kind == "image" and targets["photo1.jpg"].source == "content/2024/huo-dong/photo1.jpg"
    assert targets["附件1：报名表.docx"].href == "%E9%99%84%E4%BB%B61%EF%BC%9A%E6%8A%A5%E5%90%8D%E8%A1%A8.docx"
    assert targets["../../2020/tianjin.md#一背景"].href == "../../../../2020/02/22/tianjin/#一背景"
    assert targets["/static/img/logo.png"].href == "../../../../static/img/logo.png"
    assert targets["#二安排"].kind == "anchor"
    assert targets["https://www.gov.cn/"].kind == targets["/yygk/"].kind == "external"
    assert targets["../huo-dong"].href == "../../../../2024/07/01/huo-dong/"  # a folder article by its folder


@pytest.mark.parametrize(("written", "hint"), [
    ("photo1.JPG", "photo1.jpg"),        # case
    ("photo2.jpg", "Photo2.JPG"),        # case and extension
    ("图片1.jpg", "图片 1.jpg"),          # a space
    ("附件1:报名表.docx", "附件1：报名表.docx"),  # half-width for full-width
    ("photo11.jpg", "photo1.jpg"),       # a typo
    ("../../2020/tianjing.md", "../../2020/tianjin.md"),
])
def test_a_dangling_reference_is_an_error_with_the_nearest_name(written: str, hint: str) -> None:
    _, problems = _resolve(Ref(written, 12, written.endswith("jpg")))
    assert len(problems) == 1 and problems[0].startswith("12:找不到")
    assert f"是否想写“{hint}”" in problems[0]


@pytest.mark.parametrize(("ref", "message"), [
    (Ref("../../2020/tianjin.md#不存在", 5, False), "锚点“#不存在”在链接的文章中不存在"),
    (Ref("#一背景", 5, False), "锚点“#一背景”在本文中不存在"),
    (Ref("../draft.md", 5, False), "是草稿"),
    (Ref("run.exe", 5, False), "不能发布 .exe 文件"),
    (Ref("song.mp3", 5, False), "不支持 .mp3 类型的附件"),
    (Ref("附件1：报名表.docx", 5, True), "不是图片"),
    (Ref("file:///C:/Users/me/x.jpg", 5, True), "指向你电脑上的文件"),
    (Ref("C:\\Users\\me\\x.jpg", 5, True), "指向你电脑上的文件"),
    (Ref("img\\x.jpg", 5, True), "反斜杠"),
    (Ref("b.pdf", 5, False, raw_html=True), "网页代码（HTML）里引用的本地文件不会被发布"),
    (Ref("../../../../static/img/logo.png", 5, True), "指向网站文件夹之外"),
    (Ref("/static/img/nope.png", 5, True), "找不到文件"),
])
def test_each_unresolvable_reference_says_why(ref: Ref, message: str) -> None:
    _, problems = _resolve(ref)
    assert len(problems) == 1 and problems[0].startswith("5:") and message in problems[0], problems


def test_two_attachments_may_not_share_a_published_name() -> None:
    _, problems = _resolve(Ref("附件1：报名表.docx", 5, False), Ref("../other/附件1：报名表.docx", 6, False))
    assert len(problems) == 1 and problems[0].startswith("6:两个不同的附件都叫")


def test_cover_is_the_cover_field_or_else_the_first_photo() -> None:
    media, _ = resolve(A, (Ref("图片 1.jpg", 5, True), Ref("photo1.jpg", 6, True)), None, CATALOG)
    assert media.cover == "content/2024/huo-dong/图片 1.jpg"
    media, _ = resolve(A, (Ref("图片 1.jpg", 5, True),), Ref("photo1.jpg", 3, True), CATALOG)
    assert media.cover == "content/2024/huo-dong/photo1.jpg"
    _, problems = resolve(A, (), Ref("附件1：报名表.docx", 3, True), CATALOG)
    assert [p.line for p in problems] == [3]


def test_nearest_prefers_the_same_name_written_loosely() -> None:
    found = nearest("content/a/ＰＨＯＴＯ１.JPG", ["content/a/photo1.jpg", "content/a/photo2.jpg"])
    assert found == "content/a/photo1.jpg"
    assert nearest("content/a/zzz.pdf", ["content/a/photo1.jpg"]) is None


def test_unreferenced_files_are_listed_in_one_warning() -> None:
    (problem,) = unreferenced({"content/a/身份证.jpg": 1, "content/a/p.jpg": 1}, {"content/a/p.jpg"})
    assert problem.warning and "身份证.jpg" in problem.zh and "p.jpg" not in problem.zh.replace("身份证.jpg", "")
    assert unreferenced({"content/a/p.jpg": 1}, {"content/a/p.jpg"}) == []


@pytest.mark.parametrize(("name", "size", "label"), [
    ("通知.pdf", 1_258_291, "（PDF，1.2 MB）"), ("报名表.docx", 35_000, "（DOCX，34 KB）"),
    ("表.et", 900, "（ET，900 字节）"), ("a.OFD", 2048, "（OFD，2 KB）"),
])
def test_attachment_labels(name: str, size: int, label: str) -> None:
    assert attachments.label(name, size) == label


def test_attachment_types() -> None:
    for ok in ("a.pdf", "a.doc", "a.docx", "a.xls", "a.xlsx", "a.ppt", "a.pptx", "a.wps", "a.et", "a.dps", "a.ofd",
               "a.zip", "a.rar", "a.7z", "a.txt"):
        assert attachments.refusal(ok) is None, ok
    for bad in ("a.exe", "a.bat", "a.js", "a.html", "a.htm", "a.svg"):
        assert attachments.refusal(bad) is not None, bad
    assert attachments.href("a b#c?.pdf") == "a%20b%23c%3F.pdf"
    assert attachments.href("a:b.pdf") == "a%3Ab.pdf"  # never read as a URL scheme
