"""Strict URL checks for values that end up in href and src attributes.

Browsers parse URLs by the WHATWG URL Standard; Python's urllib does not. To
urlsplit, `https://evil.example\\@v.qq.com/` has the host v.qq.com, while
Chromium treats the backslash as a path separator and loads evil.example.
Rather than re-implement the standard, these checks accept only URLs that every
parser reads the same way and reject anything ambiguous: spaces and control
characters anywhere (browsers strip some and delete tabs and newlines),
backslashes, user info (`@` before the host), percent-encoded or non-ASCII hosts
(browsers decode and IDNA-map them: `v。qq。com` is v.qq.com), empty host labels,
IPv6 literals and ports that are not plain numbers.

Schemes and hosts are compared case-insensitively, as browsers lowercase both:
`HTTPS://V.QQ.COM/` is accepted as https and v.qq.com.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

WEB_SCHEMES = ("http", "https")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_LABEL = re.compile(r"[a-z0-9_-]+")
_PORT = re.compile(r"[0-9]{1,5}")
_END_OF_AUTHORITY = re.compile(r"[/?#]")


def _plain(url: str) -> bool:
    """No spaces, control characters or backslashes anywhere."""
    return bool(url) and "\\" not in url and not any(ord(c) <= 0x20 or 0x7F <= ord(c) <= 0x9F for c in url)


def _host(after_slashes: str) -> str | None:
    """The lowercase host of the authority that starts `after_slashes`, or None if it is ambiguous."""
    authority = _END_OF_AUTHORITY.split(after_slashes, maxsplit=1)[0]
    if "@" in authority or "[" in authority or not authority.isascii():
        return None
    host, colon, port = authority.partition(":")
    if colon and not (_PORT.fullmatch(port) and int(port) <= 65535):
        return None
    host = host.lower()
    if not all(_LABEL.fullmatch(label) for label in host.split(".")):
        return None  # empty host or label, %-encoding, or a character no host name has
    return host


def web_url(url: str) -> tuple[str, str] | None:
    """(scheme, host), both lowercase, of an unambiguous absolute http(s) URL; None for anything else."""
    match = _SCHEME.match(url)
    if not _plain(url) or not match:
        return None
    scheme = match.group()[:-1].lower()
    rest = url[match.end():]
    if scheme not in WEB_SCHEMES or not rest.startswith("//"):
        return None  # `https:evil.example` is https://evil.example/ to a browser: require the slashes
    host = _host(rest[2:])
    return (scheme, host) if host else None


def relative_url(url: str) -> bool:
    """A reference without a scheme: a path, query or fragment, or `//host/...` with a plain host.

    `//host` takes the page's own scheme, which for a served page is http or https.
    A colon before the first / ? # would read as a scheme (`javascript:`), so none is allowed.
    """
    if not _plain(url):
        return False
    if url.startswith("//"):
        return _host(url[2:]) is not None
    return ":" not in _END_OF_AUTHORITY.split(url, maxsplit=1)[0]


def host_listed(host: str, hosts: Iterable[str]) -> bool:
    """`host` is one of `hosts` or a subdomain of one (all lowercase)."""
    return any(host == h or host.endswith("." + h) for h in hosts)
