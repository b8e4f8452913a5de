"""Chinese-keyboard slips and ` #` in front matter: an error at the right line saying what to type.

And no error where the same characters are meant: a `：` in a summary, “…” inside a title,
a hashtag.
"""

from __future__ import annotations

import time

import pytest

from sitegen.frontmatter import Document, split
from sitegen.validate import KEYS


def read(front: str, body: str = "正文\n") -> tuple[Document | None, list[tuple[int | None, str, str]]]:
    doc, found = split(f"---\n{front}---\n{body}", "a.md", KEYS)
    return doc, [(p.line, p.zh, p.en) for p in found]


def fields(front: str) -> dict[str, object]:
    doc, found = read(front)
    assert not found and doc is not None
    return {f.key: f.value for f in doc.fields}


def one_error(front: str) -> tuple[int | None, str, str]:
    _, found = read(front)
    assert len(found) == 1, found
    return found[0]


# --- full-width colon, missing space, full-width indentation, curly quotes -------------------------

@pytest.mark.parametrize("front, line, typed", ids=["first", "middle", "last", "spaces", "in-extra", "extra-last"],
                         argvalues=[
    ("title：学习\ndate: 2024-10-01\ncategory: 党建园地\n", 2, "title: 学习"),
    ("date: 2024-10-01\ntitle：学习\ncategory: 党建园地\n", 3, "title: 学习"),
    ("date: 2024-10-01\ncategory: 党建园地\ntitle：学习\n", 4, "title: 学习"),
    ("title ： 学习\n", 2, "title: 学习"),
    ("title: x\nextra:\n  a: b\n  来源网址：https://www.example.cn/\n", 5, "来源网址: https://www.example.cn/"),
    ("title: x\nextra:\n  note：abc\n", 4, "note: abc"),
])
def test_full_width_colon(front: str, line: int, typed: str) -> None:
    at, zh, en = one_error(front)
    assert at == line
    assert "中文冒号" in zh and f"这一行应写成：{typed}" in zh
    assert en == f"full-width colon '：' after the key; type: {typed}"


@pytest.mark.parametrize("front, line, typed", [
    ("title:测试\n", 2, "title: 测试"),
    ("title:测试\ndate: 2024-10-01\n", 2, "title: 测试"),
    ("title: 标题\ndate:2024-10-01 12:30:00\ncategory: 党建园地\n", 3, "date: 2024-10-01 12:30:00"),
    ("title: x\nextra:\n  a: b\n  cover:a.jpg\n", 5, "cover: a.jpg"),
])
def test_no_space_after_colon(front: str, line: int, typed: str) -> None:
    at, zh, en = one_error(front)
    assert (at, en) == (line, f"no space after ':'; type: {typed}")
    assert "缺少空格" in zh


def test_every_slip_is_reported_at_its_own_line() -> None:
    _, found = read("title：学习\ndate：2024-10-01\ncategory:党建园地\n")
    assert [(line, en.split(";")[0]) for line, _, en in found] == [
        (2, "full-width colon '：' after the key"), (3, "full-width colon '：' after the key"),
        (4, "no space after ':'")]


def test_misspelt_key_is_corrected_in_the_line_to_type() -> None:
    at, zh, en = one_error("titel：学习贯彻\ndate: 2024-10-01\n")
    assert at == 2 and "字段名应是 title" in zh and en.endswith("type: title: 学习贯彻")
    doc, found = read("titel: 学习贯彻\n")  # no slip: the unknown key is validate's to report
    assert not found and doc is not None and doc.fields[0].key == "titel"


@pytest.mark.parametrize("front, line, zh_typed", ids=["under-extra", "misaligned", "continuation", "top"],
                         argvalues=[
    ("title: x\nextra:\n\u3000\u3000editor: 张三\n", 4, "editor: 张三（行首用 4 个英文空格缩进）"),
    ("title: x\nextra:\n  a: 1\n  \u3000b: 2\n", 5, "b: 2（行首用 2 个英文空格缩进）"),
    ("title: 学习\n\u3000\u3000贯彻\ndate: 2024-10-01\n", 3, "贯彻（行首用 4 个英文空格缩进）"),
    ("title: x\n\u3000date: 2024-10-01\n", 3, "date: 2024-10-01（顶格写，行首不留空格）"),
])
def test_full_width_space_as_indentation(front: str, line: int, zh_typed: str) -> None:
    at, zh, en = one_error(front)
    assert at == line and "全角空格" in zh and zh.endswith(f"这一行应写成：{zh_typed}")
    assert en.startswith("full-width space (U+3000) used as indentation")


def test_line_of_full_width_spaces() -> None:
    at, zh, en = one_error("title: x\n\u3000\u3000\ndate: 2024-10-01\n")
    assert at == 3 and "删去这些空格" in zh and "U+3000" in en


@pytest.mark.parametrize("front, typed, kept", [
    ("title: “学习贯彻”\n", 'title: "学习贯彻"', "title: \"“学习贯彻”\""),
    ("title: ‘学习贯彻’\n", 'title: "学习贯彻"', "title: \"‘学习贯彻’\""),
    ("title: “天津: 吹响督战号角”\n", 'title: "天津: 吹响督战号角"', "title: \"“天津: 吹响督战号角”\""),
    ("title: “他说\"好\"”\n", "title: '他说\"好\"'", "title: '“他说\"好\"”'"),
    ("title: “他说‘好’”\n", 'title: "他说‘好’"', "title: \"“他说‘好’”\""),
])
def test_value_in_curly_quotes(front: str, typed: str, kept: str) -> None:
    at, zh, en = one_error(front)
    assert at == 2 and "中文引号" in zh
    assert f"这一行应写成：{typed}；" in zh and zh.endswith(f"请在外面再加英文引号：{kept}")
    assert en == f"value wrapped in curly quotes; type: {typed}"


def test_curly_quotes_in_extra_and_lists() -> None:
    assert one_error("title: x\nextra:\n  note: “备注”\n")[0] == 4
    assert one_error("title: x\nextra:\n  tags:\n    - “党建”\n")[0] == 5


def test_both_slips_on_one_line() -> None:
    at, zh, en = one_error("title：“学习”\n")
    assert at == 2 and "中文冒号" in zh and "中文引号" in zh and en.endswith('type: title: "学习"')


@pytest.mark.parametrize("front, key, value", [
    ("title: “四史”学习教育\n", "title", "“四史”学习教育"),
    ("title: “学习”与“实践”\n", "title", "“学习”与“实践”"),
    ("title: 【廉洁“微课堂”】天津：吹响督战号角\n", "title", "【廉洁“微课堂”】天津：吹响督战号角"),
    ("title: '“学习贯彻”'\n", "title", "“学习贯彻”"),
    ("title: \"“学习贯彻”\"\n", "title", "“学习贯彻”"),
    ("summary:\n  本报讯：近日，医院召开会议\n", "summary", "本报讯：近日，医院召开会议"),
    ("summary: 第一行\n  通知：明天开会\n", "summary", "第一行 通知：明天开会"),
    ("summary: |\n  CT：检查\n  http://x.cn\n  \u3000\u3000段落首行缩进\n  “引用”\n  note: “x”\n", "summary",
     "CT：检查\nhttp://x.cn\n\u3000\u3000段落首行缩进\n“引用”\nnote: “x”"),  # the last line break is the fence's
    ("summary: 全角空格在中间\u3000也可以\n", "summary", "全角空格在中间\u3000也可以"),
    ("source: https://www.example.cn/a:b\n", "source", "https://www.example.cn/a:b"),
])
def test_the_same_characters_where_they_are_meant(front: str, key: str, value: str) -> None:
    assert fields(front)[key] == value


# --- fences -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("fence", ["———", "——", "－－－", "—-—", "-－-", "―――", "–––", "－－－\u3000", " ——— "])
def test_opening_fence_typed_with_a_chinese_input_method(fence: str) -> None:
    doc, found = split(f"{fence}\ntitle: x\n---\n正文\n", "a.md", KEYS)
    assert doc is None
    [(line, zh, en)] = [(p.line, p.zh, p.en) for p in found]
    assert line == 1 and "三个英文减号 ---" in zh and "not a front matter fence" in en


@pytest.mark.parametrize("fence", ["———", "－－－", "—-—", "---—"])
def test_closing_fence_typed_with_a_chinese_input_method(fence: str) -> None:
    """Found before a `---` further down: a rule in the body would otherwise close the front matter."""
    for tail in ("正文\n", "正文\n\n---\n\n更多\n"):
        doc, found = split(f"---\ntitle: x\ndate: 2024-10-01\n{fence}\n{tail}", "a.md", KEYS)
        assert doc is None and [(p.line, p.en[:len(fence) + 2]) for p in found] == [(4, repr(fence))]


def test_dashes_that_are_not_fences() -> None:
    doc, found = split("---\ntitle: x\nsummary: |\n  ———\n---\n———\n正文\n", "a.md", KEYS)
    assert not found and doc is not None and doc.body == "———\n正文\n"
    assert split("-\ntitle: x\n---\n", "a.md", KEYS)[1][0].en.startswith("no front matter")


# --- ` #` after a text value ------------------------------------------------------------------------

@pytest.mark.parametrize("typed, value", [
    ("学习贯彻 #二十大# 精神专题", "学习贯彻 #二十大# 精神专题"),
    ("#二十大# 精神专题", "#二十大# 精神专题"),
    ("学习贯彻 #二十大#", "学习贯彻 #二十大#"),
    ("学习 #二十大# #两会#", "学习 #二十大# #两会#"),
    ("学习贯彻#二十大#精神", "学习贯彻#二十大#精神"),  # no space: YAML never took it for a comment
    ("C# 入门", "C# 入门"),
])
def test_hashtags_in_a_title_are_kept(typed: str, value: str) -> None:
    assert fields(f"title: {typed}\ndate: 2024-10-01  # 发布日期\n")["title"] == value


def test_hashtags_at_the_end_of_a_folded_value() -> None:
    assert fields("summary: 第一行\n  第二行 #话题#\n")["summary"] == "第一行 第二行 #话题#"


@pytest.mark.parametrize("typed, comment", [
    ("人民网 # 转载", "# 转载"),
    ("人民网 #转载", "#转载"),
    ("学习 #二十大# 精神 # 备注", "#二十大# 精神 # 备注"),
    ("人民网\t# 转载", "# 转载"),
])
def test_a_comment_after_a_text_value_is_an_error(typed: str, comment: str) -> None:
    at, zh, en = one_error(f"title: 标题\nsource: {typed}\n")
    assert at == 3
    assert f"它后面的“{comment}”会被丢掉" in zh
    assert f"请把整个值用英文引号括起来：source: \"{typed}\"" in zh and "请删去它" in zh
    assert en.startswith(f"' #' starts a YAML comment, so {comment!r} would be dropped")


def test_a_comment_after_an_empty_text_value_is_an_error() -> None:
    at, zh, _ = one_error("title: # 学习贯彻\n")
    assert at == 2 and zh.endswith('如果它是内容，请用英文引号括起来：title: "# 学习贯彻"。')


def test_comments_where_they_drop_nothing_typed() -> None:
    front = ("# 文章信息\ntitle: \"标题 # 不是注释\"  # 引号外的注释\ndate: 2024-10-01 12:30  # 发布日期\n"
             "draft: true # 草稿\nsummary: | # 多行摘要\n  第一行 # 也是正文\nextra: # 给模板用\n  a: b\n"
             "  # 整行注释\n")
    assert fields(front) == {"title": "标题 # 不是注释", "date": "2024-10-01 12:30", "draft": True,
                             "summary": "第一行 # 也是正文\n", "extra": {"a": "b"}}


def test_hashtags_and_comments_inside_extra() -> None:
    assert fields("extra:\n  note: 学习 #话题#\n  tags:\n    - 党建 #七一#\n") == {
        "extra": {"note": "学习 #话题#", "tags": ["党建 #七一#"]}}
    at, zh, en = one_error("extra:\n  tags:\n    - 党建\n    - 七一 # 备注\n")
    assert at == 5 and '- "七一 # 备注"' in zh and "'# 备注'" in en


def test_huge_front_matter_is_not_read_again_and_again() -> None:
    """Each suspect line costs a reading of the whole front matter: past 20,000 characters YAML's error stands."""
    front = "x:\n" + "".join(f"  \u3000a{i}: b\n" for i in range(300)) + "".join(f"k{i}: v\n" for i in range(100_000))
    start = time.perf_counter()
    _, found = read(front + "z: [\n")
    assert time.perf_counter() - start < 5
    assert [en.split(":")[0] for _, _, en in found] == ["YAML syntax error"]
    _, found = read("x:\n  \u3000a: b\n" + "# 备注\n" * 3000)
    assert [en.split(";")[0] for _, _, en in found] == ["full-width space (U+3000) used as indentation"]
