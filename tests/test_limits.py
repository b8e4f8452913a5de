"""Limits on Markdown bodies: pathological input is an error at its line, real articles never meet one."""

from __future__ import annotations

import random
import time

import pytest

from sitegen import limits
from sitegen.config import parse_config
from sitegen.limits import check_body
from sitegen.markup import to_html
from sitegen.model import SourceFile
from sitegen.validate import parse_source
from tests.conftest import MINI_CONFIG, article_text

CONFIG = parse_config(MINI_CONFIG)
PROSE = ("为深入贯彻落实党的二十大精神，医院党委组织全体党员干部认真学习习近平新时代中国特色社会主义思想，"
         "坚持以人民健康为中心，不断提升医疗服务质量和水平，切实增强人民群众的获得感、幸福感、安全感。"
         "各党支部结合临床工作实际，开展形式多样的主题党日活动，推动党建工作与业务工作深度融合。")
URLS = ["https://www.people.com.cn/n1/2020/0222/c1001-31598000.html",
        "https://mp.weixin.qq.com/s?__biz=MzA3MDM3NjE5NQ==&mid=2650000000&idx=1&sn=abcdef0123&chksm=84a1b2c3#rd",
        "http://www.nhc.gov.cn/xcs/yqtb/202002/ac1e98495cb04d36b0d0a4e1e7fab545.shtml"]


def realistic_article() -> str:
    """A long real-looking article: 220 KB of prose, 300 links, 100 footnotes, 5 tables, lists 6 deep."""
    rnd = random.Random(7)
    parts = []
    for i in range(250):
        if i % 25 == 0:
            parts.append(f"## 第{i // 25 + 1}部分：工作进展")
        text = PROSE[rnd.randrange(40):] + PROSE[: rnd.randrange(40, 140)]
        for k, cut in enumerate(sorted(rnd.sample(range(len(text)), 2 if i < 150 else 0), reverse=True)):
            text = text[:cut] + f"[相关报道]({URLS[(i + k) % 3]})" + text[cut:]
        if i < 100:
            text += f"[^{i + 1}]"
        if i % 2 == 0:
            text = text.replace("党建", "**党建**", 1) + "（2020年）(见附件)"
        parts.append(text)
        if i % 50 == 10:
            parts.append("| 科室 | 姓名 | 职务 | 党龄 | 备注 | 电话 |\n|---|---|---|---|---|---|\n" + "\n".join(
                f"| 心内科 | 张{r} | 支部书记 | {r} 年 | 优秀共产党员 | 0755-1234{r:04d} |" for r in range(30)))
        if i % 50 == 30:
            parts.append("\n".join(" " * (4 * (d % 6)) + f"- 第{d}项：{PROSE[:30]}" for d in range(36)))
        if i == 100:
            parts.append("> 引用：" + PROSE + "\n>\n> - 要点一\n>     - 要点二")
            parts.append("![活动现场](images/2020/photo-01.jpg)")
    parts.append("\n\n".join(f"[^{n}]: 参见《中国纪检监察》杂志 2020 年第 {n} 期。" for n in range(1, 101)))
    return "\n\n".join(parts) + "\n"


def problems(body: str) -> list[tuple[int | None, str]]:
    article, found = parse_source(SourceFile("content/a.md", article_text(body=body).encode()), CONFIG)
    assert (article is None) == bool(found)
    return [(p.line, p.en) for p in found]


def test_a_long_real_article_meets_no_limit() -> None:
    body = realistic_article()
    assert len(body.encode()) > 200_000 and body.count("](http") == 300 and body.count("[^") == 200
    article, found = parse_source(SourceFile("content/a.md", article_text(body=body).encode()), CONFIG)
    assert article is not None and not found
    html = to_html(body)
    assert html.count("<table>") == 5 and html.count('class="footnote-ref"') == 100
    assert html.count("<ul>") >= 5 * 6  # nested 6 deep


def test_a_long_real_article_is_far_from_the_limits() -> None:
    """Half of each limit is still more than this article needs."""
    body = realistic_article()
    saved = {name: getattr(limits, name) for name in dir(limits) if name.startswith("MAX_")}
    try:
        for name, value in saved.items():
            setattr(limits, name, value // 2)
        assert check_body(body, "a.md", 1) == []
    finally:
        for name, value in saved.items():
            setattr(limits, name, value)


@pytest.mark.parametrize("body, line, en", ids=lambda v: v[:20] if isinstance(v, str) else str(v), argvalues=[
    ("正文。\n\n" + "[" * 16_000, 9, "body too complex"),  # unmatched [: quadratic, 35 s before
    ("正文。\n\n" + "[" * 1_500, 9, "too many unmatched [ or ("),
    ("正文。\n\n" + "[a](" * 4_000, 9, "too many unmatched [ or ("),  # 3.8 s before
    ("正文。\n\n" + '[a](b "c) ' * 400, 9, "too many unmatched [ or ("),  # a title never closed
    ("- x\n" + "".join(" " * (4 * i) + "- x\n" for i in range(1, 100)), 19, "nested 13 levels deep"),
    ("正文。\n\n" + "- " * 3_000 + "x\n", 9, "nested 3000 levels deep"),  # 100 s and 3.7 GB before
    ("".join(" " * (2 * i) + "- x\n" for i in range(800)), 31, "nested 13 levels deep"),  # RecursionError before
    ("正文。\n\n" + "- " * 800 + "x\n", 9, "nested 800 levels deep"),
    ("正文。\n\n" + "> " * 100 + "x\n", 9, "nested 100 levels deep"),
    ("正文。\n\n" + "<div>" * 10_000 + "x" + "</div>" * 10_000, 9, "body too complex"),
    ("正文。\n\n" + "*a " * 10_000 + "x" + " a*" * 10_000, 9, "body too complex"),
    ("正文。\n\n" + "`" * 20_000, 9, "body too complex"),
    ("正文。\n\n" + "<a " * 1_500, 9, "HTML tags never closed"),
    ("正文。\n\n" + "<div " + "a " * 60_000 + ">x</div>", 9, "too many attributes"),
    ("正文。\n\n# 标题 {: " + " ".join(f".c{i}" for i in range(11_000)) + "}", 9, "attribute lists"),
    ("正文[^1]。\n\n" + "再引[^1]" * 100 + "\n\n[^1]: 注释", 7, "footnote [^1] is referenced 101 times"),
    ("".join(f"注[^{i}]\n" for i in range(1_001)), 7, "1001 footnote references"),
    ("正文。\n\n" + "文字\n\n" * 10_000, 20_006, "body too complex"),
    ("正文。\n\n" + "文字。" * 120_000, 9, "body too large: 1080 KB"),
])
def test_pathological_bodies_are_errors_at_their_line(body: str, line: int, en: str) -> None:
    start = time.perf_counter()
    [(at, message)] = problems(body)
    assert time.perf_counter() - start < 1  # the check itself is linear
    assert at == line and en in message, message


def test_messages_say_what_where_and_how_to_fix() -> None:
    _, [problem] = parse_source(SourceFile("content/a.md", article_text(body="- " * 20 + "x").encode()), CONFIG)
    assert problem.path == "content/a.md" and problem.line == 7 and not problem.warning
    assert "嵌套太深" in problem.zh and "第 20 层" in problem.zh and "请减少" in problem.zh
    assert problem.format().startswith("content/a.md:7: 错误：列表或引用嵌套太深")


def test_limits_are_checked_on_the_cleaned_body() -> None:
    """A form feed becomes a line break before the limits count lines."""
    article, found = parse_source(SourceFile("content/a.md", article_text(body="甲\x0c乙").encode()), CONFIG)
    assert article is not None and [p.warning for p in found] == [True]


@pytest.mark.parametrize("body", ids=["brackets", "titles", "tags", "nesting", "breaks"], argvalues=[
    "[" * 990,  # unmatched brackets, just under MAX_BRACKET_SCAN
    '[a](b "c) ' * 300,  # link titles never closed
    "<a " * 1_100,  # tags never closed, just under MAX_TAG_SCAN
    ("- " * 12 + "x\n") * 750,  # the deepest nesting, as often as MAX_UNITS allows
    "a  \n" * 19_000,  # hard breaks: the costliest line
])
def test_the_worst_bodies_under_the_limits_convert_in_seconds(body: str) -> None:
    """bench/limits.py measures every family; here a few, with a bound loose enough for a slow CI machine."""
    from sitegen.sanitize import make_sanitizer

    assert check_body(body, "a.md", 1) == []
    start = time.perf_counter()
    make_sanitizer(())(to_html(body))
    assert time.perf_counter() - start < 5
