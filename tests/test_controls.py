"""Control characters pasted from Word: removed with a warning, never in a page, never in the feed."""

from __future__ import annotations

import contextlib
import io
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

from sitegen.cli import main
from sitegen.config import parse_config
from sitegen.controls import xml_safe
from sitegen.markup import to_html
from sitegen.model import SourceFile
from sitegen.validate import parse_source
from tests.conftest import MINI_CONFIG, article_text

CONFIG = parse_config(MINI_CONFIG)
CONTROLS = "\x01\x0b\x0c\x7f"


def parse(text: str):  # type: ignore[no-untyped-def]
    return parse_source(SourceFile("content/a.md", text.encode()), CONFIG)


def test_xml_safe_removes_what_xml_forbids() -> None:
    assert xml_safe("a\x00b\x01c\x08d\x0be\x0cf\x1fg\ufffeh\uffffi\ud800j") == "abcdefghij"
    kept = "\t\n\r 中文，“引号”…\u3000\x7f\x85\u2028😀"
    assert xml_safe(kept) == kept


def test_control_character_in_a_title_is_removed_with_a_warning() -> None:
    article, found = parse(article_text("党建\x01活动", source="人民\x7f网"))
    assert article is not None and (article.title, article.source) == ("党建活动", "人民网")
    assert [(p.line, p.warning) for p in found] == [(2, True), (5, True)]
    assert "U+0001" in found[0].en and "U+0001" in found[0].zh and "removed" in found[0].en
    assert "U+007F" in found[1].en


def test_escaped_control_character_in_a_quoted_title_is_removed() -> None:
    article, found = parse(article_text('"党建\\x01活动"'))
    assert article is not None and article.title == "党建活动"
    assert [(p.line, p.warning) for p in found] == [(2, True)] and "U+0001" in found[0].en


def test_form_feed_and_vertical_tab_in_front_matter_are_spaces() -> None:
    article, found = parse(article_text("党建\x0b活动\x0c通知"))
    assert article is not None and article.title == "党建 活动 通知" and not found


def test_body_controls_warned_once_at_the_first_line() -> None:
    article, found = parse(article_text(body="第一段。\n\n第二段\x0b第三行\x01。\n\n第四\x0c段。"))
    assert article is not None
    assert [(p.line, p.warning) for p in found] == [(9, True)] and "U+000B" in found[0].en
    assert article.body == "\n第一段。\n\n第二段\n第三行。\n\n第四\n段。\n"


def test_to_html_never_emits_control_characters() -> None:
    html = to_html("a\x0bb\x01c\x0cd *e\x02*")
    assert not any(c in html for c in CONTROLS + "\x02")


def test_an_error_still_reports_the_warnings_beside_it() -> None:
    article, found = parse("---\ntitle: 党建\x01活动\ndate: 上周五\ncategory: 党建园地\n---\n")
    assert article is None and [(p.line, p.warning) for p in found] == [(2, True), (3, False)]


def test_site_with_controls_builds_a_strict_feed(make_site: Callable[..., Path]) -> None:
    site = make_site({"a.md": article_text("党建\x01活动", body="第一段\x0b第二行\x0c第三行。\n\n结尾。")})
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        assert main(["build", str(site)]) == 0, err.getvalue()
    assert "content/a.md:2: 警告：" in err.getvalue() and "content/a.md:7: 警告：" in err.getvalue()
    feed = (site / "build" / "feed.xml").read_bytes()
    root = ET.fromstring(feed)  # a strict XML 1.0 parser: one control character fails the whole feed
    entry = root.find("{http://www.w3.org/2005/Atom}entry")
    assert entry is not None and entry.findtext("{http://www.w3.org/2005/Atom}title") == "党建活动"
    pages = [p.read_text("utf-8") for p in (site / "build").rglob("*.html")]
    assert pages and not any(c in page for page in pages for c in CONTROLS)
    import feedparser  # a test dependency: what feed readers do
    parsed = feedparser.parse(feed)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.entries[0].title == "党建活动"
