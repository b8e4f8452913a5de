"""sitegen.urls accepts only URLs that browsers and urllib read alike."""

from __future__ import annotations

import pytest

from sitegen.urls import host_listed, relative_url, web_url


@pytest.mark.parametrize(("url", "parsed"), [
    ("https://v.qq.com/x", ("https", "v.qq.com")), ("HTTPS://V.QQ.COM", ("https", "v.qq.com")),
    ("http://10.0.0.1:8080/a?b#c", ("http", "10.0.0.1")), ("https://xn--fiq228c.cn/", ("https", "xn--fiq228c.cn")),
])
def test_plain_web_urls(url: str, parsed: tuple[str, str]) -> None:
    assert web_url(url) == parsed


@pytest.mark.parametrize("url", [
    "", " https://v.qq.com/", "https://v.qq.com/ ", "\x01https://v.qq.com/", "https://v.qq.com/\ta", "https://v\n.qq.com/",
    "https://evil.example\\@v.qq.com/", "https:\\\\v.qq.com/", "https://v.qq.com@evil.example/", "https://a:b@v.qq.com/",
    "https://%76.qq.com/", "https://v。qq。com/", "https://例子.cn/", "https://\u212a.cn/", "https:///evil.example/",
    "https:evil.example", "https:/evil.example", "https://", "https://v..qq.com/", "https://v.qq.com./",
    "https://v.qq.com:/", "https://v.qq.com:80x/", "https://v.qq.com:99999/", "https://[::1]/", "//v.qq.com/",
    "ftp://v.qq.com/", "javascript://v.qq.com/%0Aalert(1)", "https://v.qq.com\x85/",
])
def test_ambiguous_or_other_urls_rejected(url: str) -> None:
    assert web_url(url) is None


@pytest.mark.parametrize(("url", "ok"), [
    ("/", True), ("yygk/", True), ("../a/b.html?x=1#y", True), ("?page=2", True), ("/新闻/", True),
    ("//www.example.cn/a", True), ("a/b:c", True), ("javascript:alert(1)", False), ("mailto:x@y.cn", False),
    ("1a:b", False), ("//", False), ("//a@b.cn/", False), ("\\\\evil.example", False), ("/\\evil.example", False),
    ("a b", False), ("", False), ("https://www.example.cn/", False),
])
def test_relative_urls(url: str, ok: bool) -> None:
    assert relative_url(url) is ok


def test_host_listed() -> None:
    assert host_listed("v.qq.com", ["v.qq.com"]) and host_listed("m.v.qq.com", ["v.qq.com"])
    assert not host_listed("v.qq.com.evil.example", ["v.qq.com"]) and not host_listed("evilv.qq.com", ["v.qq.com"])
