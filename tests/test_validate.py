from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from sitegen.errors import SiteError
from sitegen.model import SiteConfig, SourceFile
from sitegen.slugs import make_slug
from sitegen.validate import validate
from tests.conftest import article_text


def run(config: SiteConfig, files: dict[str, str], drafts: bool = False):  # type: ignore[no-untyped-def]
    return validate([SourceFile(p, t.encode()) for p, t in files.items()], config, drafts)


def errors(config: SiteConfig, files: dict[str, str]) -> list[tuple[str, int | None, str]]:
    with pytest.raises(SiteError) as info:
        run(config, files)
    return [(p.path, p.line, p.en) for p in info.value.problems]


def test_article_fields(config: SiteConfig) -> None:
    [a] = run(config, {"content/2020-02-22-tianjin.md": article_text(
        "天津:吹响督战号角", "2020.02.22 18:23:45", source="《中国纪检监察》杂志", author="张三")})
    assert a.title == "天津:吹响督战号角"
    assert a.date == datetime(2020, 2, 22, 18, 23, 45, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert (a.slug, a.url) == ("tianjin", "2020/02/22/tianjin/")
    assert (a.source, a.author, a.category) == ("《中国纪检监察》杂志", "张三", "党建园地")
    assert a.body == "\n正文。\n"


def test_slug_from_front_matter_is_sanitised(config: SiteConfig) -> None:
    [a] = run(config, {"content/x.md": article_text(slug="../../Evil Path")})
    assert a.url == "2020/02/22/evil-path/"


def test_newest_first_and_drafts(config: SiteConfig) -> None:
    files = {
        "content/a.md": article_text(date="2021-01-01"),
        "content/b.md": article_text(date="2022-01-01"),
        "content/c.md": article_text(date="2023-01-01", draft="true"),
    }
    assert [a.path for a in run(config, files)] == ["content/b.md", "content/a.md"]
    assert next(a.path for a in run(config, files, drafts=True)) == "content/c.md"


def test_unknown_field_suggests_the_right_one(config: SiteConfig) -> None:
    [(path, line, en)] = errors(config, {"content/a.md": article_text(souce="人民网")})
    assert (path, line) == ("content/a.md", 5)
    assert en == "unknown field 'souce'; did you mean 'source'?"


def test_unknown_category_suggests_close_names(config: SiteConfig) -> None:
    [(_, line, en)] = errors(config, {"content/a.md": article_text(category="廉洁微讲堂")})
    assert line == 4 and "did you mean '廉洁微课堂'" in en


def test_all_problems_in_all_files_reported(config: SiteConfig) -> None:
    found = errors(config, {
        "content/a.md": "---\ntitle: ''\ndate: 2021-02-30\ncategory: [1, 2]\n---\n",
        "content/b.md": "no front matter",
    })
    assert ("content/a.md", 2, "'title' is empty") in found
    assert ("content/a.md", 3, "date '2021-02-30' does not exist") in found
    assert ("content/a.md", 4, "'category' must be text, not list") in found
    assert ("content/b.md", 1, "no front matter: the first line must be `---`") in found


def test_missing_required_fields(config: SiteConfig) -> None:
    found = errors(config, {"content/a.md": "---\ntitle: 标题\n---\n"})
    assert {en for _, _, en in found} == {"missing required field 'date'", "missing required field 'category'"}


def test_same_url_names_both_files(config: SiteConfig) -> None:
    found = errors(config, {
        "content/2020/x.md": article_text(),
        "content/2021/x.md": article_text(),
    })
    assert found == [("content/2021/x.md", None,
                      "same URL 2020/02/22/x/ as content/2020/x.md; give one of them a different `slug`")]


def test_bom_and_crlf_accepted(config: SiteConfig) -> None:
    raw = ("\ufeff" + article_text("标题", body="第一段\n第二行")).replace("\n", "\r\n").encode()
    [a] = validate([SourceFile("content/a.md", raw)], config)
    assert a.title == "标题" and "\r" not in a.body


def test_gbk_file_explained(config: SiteConfig) -> None:
    raw = article_text("党建").encode("gbk")
    with pytest.raises(SiteError) as info:
        validate([SourceFile("content/a.md", raw)], config)
    assert "GBK" in info.value.problems[0].en and "UTF-8" in info.value.problems[0].zh


def test_text_fields_keep_the_editors_text(config: SiteConfig) -> None:
    """YAML would read 2024.10 as a float, 0701 as octal 449, true as a bool: a title is text."""
    [a] = run(config, {"content/a.md": article_text("2024.10", source="0701", author="true", summary="1e3")})
    assert (a.title, a.source, a.author, a.summary) == ("2024.10", "0701", "true", "1e3")
    [b] = run(config, {"content/b.md": article_text("true", source="'0701'")})
    assert (b.title, b.source) == ("true", "0701")


def test_five_thousand_digit_title_is_its_digits(config: SiteConfig) -> None:
    [a] = run(config, {"content/a.md": article_text("9" * 5000)})
    assert a.title == "9" * 5000


@pytest.mark.parametrize("date, en", [
    ("9" * 5000, "cannot read date '9999999999"),
    ("9999-12-31 23:00 -12:00", "out of range"),
    ("0001-01-01 01:00 +14:00", "out of range"),
    ("0000-01-01", "out of range"),
])
def test_dates_past_the_calendar_are_errors_at_their_line(config: SiteConfig, date: str, en: str) -> None:
    [(path, line, message)] = errors(config, {"content/a.md": article_text(date=date)})
    assert (path, line) == ("content/a.md", 3) and en in message
    assert len(message) < 200  # the date is shortened, not quoted whole


def test_unbalanced_quotes_in_a_plain_scalar_are_kept(config: SiteConfig) -> None:
    [a] = run(config, {"content/a.md": article_text('他说"你好"', source="新华社 ")})
    assert (a.title, a.source) == ('他说"你好"', "新华社")


# What YAML would type, typed unquoted: each stays the editor's text.
TYPED = ["2024.10", "0701", "yes", "no", "on", "off", "null", "~", "1e3", "12:30:00", "0x1F", ".inf", "2024-10-01",
         "true", "False", "-.5", "0o17", "1_000", "+12"]


@pytest.mark.parametrize("typed", TYPED)
def test_every_text_field_keeps_what_was_typed(config: SiteConfig, typed: str) -> None:
    [a] = run(config, {"content/a.md": article_text(typed, source=typed, author=typed, summary=typed, cover=typed)})
    assert (a.title, a.source, a.author, a.summary, a.cover) == (typed,) * 5


@pytest.mark.parametrize("typed", TYPED)
def test_slug_and_category_keep_what_was_typed(config: SiteConfig, typed: str) -> None:
    [found] = errors(config, {"content/a.md": article_text(category=typed)})
    assert found[1:] == (4, f"unknown category {typed!r}")  # not True, None or 449
    slug = make_slug(typed)
    if slug:
        [a] = run(config, {"content/a.md": article_text(slug=typed)})
        assert a.slug == slug
    else:  # `slug: ~` is not "no slug": it asks for a URL that cannot be made
        [(_, line, en)] = errors(config, {"content/a.md": article_text(slug=typed)})
        assert line == 5 and en.startswith(f"slug {typed!r} has no letters or digits")


@pytest.mark.parametrize("typed", TYPED)
def test_extra_keeps_what_was_typed_at_any_depth(config: SiteConfig, typed: str) -> None:
    """Templates print `extra`: they get the text typed, as for title."""
    extra = f"\n  a: {typed}\n  b:\n    - {typed}\n    - {{c: {typed}}}\n  {typed}: d"
    [a] = run(config, {"content/a.md": article_text(extra=extra)})
    assert a.extra == {"a": typed, "b": [typed, {"c": typed}], typed: "d"}


def test_extra_quoted_empty_and_block_values(config: SiteConfig) -> None:
    extra = "\n  q: '0701'\n  e:\n  l: |\n    第一行\n    第二行\n  n: [1, 2.0, yes]"
    [a] = run(config, {"content/a.md": article_text(extra=extra)})
    assert a.extra == {"q": "0701", "e": "", "l": "第一行\n第二行\n", "n": ["1", "2.0", "yes"]}


def test_a_text_field_written_null_is_its_text(config: SiteConfig) -> None:
    [a] = run(config, {"content/a.md": article_text("null", author="~", source="")})
    assert (a.title, a.author, a.source) == ("null", "~", "")
    [(_, line, en)] = errors(config, {"content/a.md": article_text("")})
    assert (line, en) == (2, "'title' is empty")


def test_dates_keep_their_own_parser(config: SiteConfig) -> None:
    [a] = run(config, {"content/a.md": article_text(date="2024-10-01  # 发布日期")})
    assert a.date == datetime(2024, 10, 1, tzinfo=ZoneInfo("Asia/Shanghai"))
    [(_, line, en)] = errors(config, {"content/a.md": article_text(date="null")})
    assert line == 3 and en.startswith("cannot read date 'null'")


def test_hashtag_title_builds_and_a_comment_after_text_is_an_error(config: SiteConfig) -> None:
    [a] = run(config, {"content/a.md": article_text("学习贯彻 #二十大# 精神专题", draft="false  # 已审")})
    assert a.title == "学习贯彻 #二十大# 精神专题"
    [(_, line, en)] = errors(config, {"content/a.md": article_text(category="党建园地  # 栏目")})
    assert line == 4 and "' #' starts a YAML comment" in en


def test_slips_are_reported_before_unknown_keys(config: SiteConfig) -> None:
    text = article_text().replace("title: 标题", "titel：标题")
    [(_, line, en)] = errors(config, {"content/a.md": text})
    assert line == 2 and en.endswith("the key is 'title'; type: title: 标题")
    found = errors(config, {"content/a.md": article_text().replace("title:", "titel:")})
    assert ("content/a.md", 2, "unknown field 'titel'; did you mean 'title'?") in found
