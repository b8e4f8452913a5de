"""Article HTML is sanitised with an allowlist; Markdown's own output survives."""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest

from sitegen.cli import main
from sitegen.markup import to_html
from sitegen.sanitize import make_sanitizer
from tests.conftest import MINI_CONFIG, article_text

clean = make_sanitizer(())


@pytest.mark.parametrize("attack", [
    "<script>alert(1)</script>",
    '<img src="x.png" alt="a" onerror="alert(1)">',
    '<a href="javascript:alert(1)">点我</a>',
    '<a href="JaVaScRiPt:alert(1)">点我</a>',
    '<p onclick="alert(1)">段落</p>',
    '<iframe src="https://evil.example/"></iframe>',
    '<svg onload="alert(1)"></svg>',
    '<object data="x.swf"></object>',
    '<style>body{display:none}</style>',
    '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
    '<form action="https://evil.example/"><input name="pw"></form>',
])
def test_attacks_removed(attack: str) -> None:
    out = clean(to_html("正文\n\n" + attack))
    for bad in ("<script", "onerror", "onclick", "onload", "javascript:", "<iframe", "<svg", "<object",
                "<style", "data:", "<form", "<input"):
        assert bad not in out.lower()


def test_markdown_output_survives() -> None:
    md = ("## 标题 {: #custom .big }\n\n| 列 | 值 |\n|:--|--:|\n| 甲 | 1 |\n\n- 一\n- 二\n\n1. 甲\n\n"
          "> 引用\n\n[链接](https://www.gov.cn/ \"标题\") ![图](static/a.png)\n\n注[^1]\n\n[^1]: 脚注\n\n"
          "```\ncode\n```\n")
    html = to_html(md)
    out = clean(html)
    for kept in ('<h2 class="big" id="custom">', "<table>", 'style="text-align:left"', "<ul>", "<ol>",
                 "<blockquote>", '<a href="https://www.gov.cn/" title="标题">', '<img alt="图" src="static/a.png">',
                 'class="footnote-ref"', 'id="fn:1"', "<pre><code>code"):
        assert kept in out, kept


def test_iframes_only_from_listed_hosts() -> None:
    allow = make_sanitizer(("v.qq.com",))
    out = allow('<iframe src="https://v.qq.com/iframe/player.html?vid=x" allowfullscreen></iframe>'
                '<iframe src="https://evil.example/"></iframe><iframe src="http://v.qq.com/x"></iframe>'
                '<iframe src="https://v.qq.com.evil.example/"></iframe>')
    assert out.count("<iframe") == 1 and "https://v.qq.com/iframe/player.html?vid=x" in out


def test_config_switch_turns_sanitising_off(make_site: Callable[..., Path]) -> None:
    body = '<div class="box" data-x="1" onclick="go()">受信任的 HTML</div>'
    site = make_site({"a.md": article_text(body=body)}, config=MINI_CONFIG + "sanitize: false\n")
    assert main(["build", str(site)]) == 0
    assert 'onclick="go()"' in (site / "build/2020/02/22/a/index.html").read_text("utf-8")


def test_front_matter_is_escaped_everywhere(make_site: Callable[..., Path]) -> None:
    evil = "<script>alert(1)</script>"
    site = make_site({"a.md": article_text(f"'{evil}'", source=f"'{evil}'", summary=f"'{evil}'")})
    assert main(["build", str(site)]) == 0
    for page in (site / "build").rglob("*.html"):
        assert evil not in page.read_text("utf-8"), page
    assert evil not in (site / "build/feed.xml").read_text("utf-8")


# OWASP XSS Filter Evasion Cheat Sheet URL forms, plus WHATWG-vs-urllib host confusions.
# Each is written raw into an href/src attribute, so entity forms are decoded by the HTML parser.
EVASIONS = [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", "JAVASCRIPT:alert(1)",
    "jav&#x09;ascript:alert(1)", "jav&#x0A;ascript:alert(1)", "jav&#x0D;ascript:alert(1)",
    "jav\tascript:alert(1)", "jav\nascript:alert(1)", "jav&#9;ascript:alert(1)",
    "&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)",
    "&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)",
    "&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)",
    "&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)",
    "&#x0006A&#x00061&#x00076&#x00061&#x00073&#x00063&#x00072&#x00069&#x00070&#x00074&#x0003A",
    "javascript&colon;alert(1)", "javascript&#58;alert(1)", " javascript:alert(1)", "\x01javascript:alert(1)",
    "&#x01;javascript:alert(1)", "&#14;javascript:alert(1)", "java\x00script:alert(1)", "java&#0;script:alert(1)",
    "javascript://v.qq.com/%0Aalert(1)", "vbscript:msgbox(1)", "VBScript:msgbox(1)", "livescript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "DATA:text/html,<script>alert(1)</script>",
    "da&#x09;ta:text/html,x", "//evil.example/x", "\\\\evil.example/x", "/\\evil.example/x",
    "https:evil.example/x", "https:/\\evil.example/x", "https:\\\\evil.example/x", "https:///evil.example/x",
    "https://v.qq.com@evil.example/x", "https://evil.example\\@v.qq.com/x", "https://evil.example%2f@v.qq.com/x",
    "https://evil.example:443@v.qq.com/x", "https://v.qq.com%2eevil.example/x", "https://v.qq.com.evil.example/x",
    "https://evil.example\\.v.qq.com/x", "https://evil.example#.v.qq.com", "https://evil.example?.v.qq.com",
    "https://v.qq.com&#x09;.evil.example/", "https://v.qq.com\t.evil.example/", "HTTPS://EVIL.EXAMPLE/",
    "&#104;ttps://evil.example/", "\x01https://evil.example/", "http://v.qq.com/x", "https://v。qq。com.evil.example/",
]
_URL_ATTRS = {"href", "src", "poster", "action", "formaction", "data", "srcdoc", "ping"}
_IFRAME_OK = re.compile(r"https://([a-z0-9-]+\.)*v\.qq\.com(:[0-9]+)?([/?#]|$)")


class _Attrs(HTMLParser):
    """Every URL-bearing attribute in the output, entity-decoded as a browser's HTML parser would."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [(tag, name, value or "") for name, value in attrs if name in _URL_ATTRS]


def _as_browser_reads(value: str) -> str:
    """WHATWG URL pre-processing: strip C0/space, drop tab/LF/CR (and NUL, to be safe), \\ is /."""
    value = value.strip("".join(map(chr, range(0x21))))
    value = re.sub("[\t\n\r\x00]", "", value)
    return value.lower().replace("\\", "/")


def _dangerous(html: str) -> list[tuple[str, str, str]]:
    parser = _Attrs()
    parser.feed(html)
    parser.close()
    bad = []
    for tag, name, value in parser.found:
        url = _as_browser_reads(value)
        if url.startswith(("javascript:", "vbscript:", "livescript:", "data:")) or (
            tag == "iframe" and not _IFRAME_OK.match(url)  # anything not plainly on the allowlist
        ):
            bad.append((tag, name, value))
    return bad


@pytest.mark.parametrize("url", EVASIONS)
@pytest.mark.parametrize("template", ['<p><a href="{}">链接</a></p>', '<p><img src="{}" alt="图"></p>',
                                      '<iframe src="{}" allowfullscreen></iframe>'])
def test_url_evasions_neutralised(url: str, template: str) -> None:
    html = template.format(url)
    for sanitise in (clean, make_sanitizer(("v.qq.com",))):
        out = sanitise(html)
        assert not _dangerous(out), out


def test_oracle_sees_the_evasions() -> None:
    # The checker above must flag the raw attacks, or the test proves nothing.
    flagged = [u for u in EVASIONS if _dangerous(f'<iframe src="{u}"></iframe>')]
    assert flagged == EVASIONS
    assert _dangerous(f'<a href="{EVASIONS[3]}">x</a>') and _dangerous('<a href="&#x01;javascript:x">x</a>')


@pytest.mark.parametrize("url", ["https://v.qq.com/x", "HTTPS://V.QQ.COM/x", "https://m.v.qq.com:443/x?a=1&amp;b=2"])
def test_good_iframes_kept(url: str) -> None:
    out = make_sanitizer(("v.qq.com",))(f'<iframe src="{url}"></iframe>')
    assert "<iframe" in out and not _dangerous(out)


def test_iframe_with_dropped_src_leaves_no_empty_box() -> None:
    out = make_sanitizer(("v.qq.com",))('<p>前</p><iframe src="https://evil.example/" width="640" allowfullscreen>'
                                        '</iframe><p>后</p>')
    assert "<iframe" not in out and "<p>前</p>" in out and "<p>后</p>" in out
