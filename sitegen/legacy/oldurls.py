"""Old URLs as nginx sees them: the keys of the redirect map, and its quoting.

nginx compares a map's plain keys with `$request_uri`: the path and query exactly as the browser sent
them, still percent-encoded, without the fragment, ignoring case (nginx lowercases both sides). A link
written with raw Chinese (/党建/1.html) arrives as /%E5%85%9A%E5%BB%BA/1.html, so a key is the old URL
encoded the way browsers encode it (the WHATWG URL Standard, whose path and query sets differ). Only
the path and query are kept: `http://old-host/x.html` is keyed /x.html, so one map serves every host
the old site answered on. (A query the old site's GBK pages wrote in Chinese was sent GBK-encoded by
browsers; such links are not matched. Old CMS queries are ASCII ids in practice.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from sitegen.urls import web_url

# Besides C0 controls, space and everything past "~" (non-ASCII): what browsers encode in a path, and
# in the query of an http(s) URL.
_PATH_SET = frozenset('"#<>?`{}')
_QUERY_SET = frozenset("\"#<>'")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
# Characters browsers drop from a URL before parsing it (a link broken over lines in a post).
_DROPPED = str.maketrans("", "", "\t\n\r")


class OldUrlError(ValueError):
    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


@dataclass(frozen=True)
class OldUrl:
    written: str  # as the article's extra.legacy_url has it
    host: str  # lowercase, without port; "" for a site-rooted path
    key: str  # $request_uri as a browser sends it: /path?query, percent-encoded

    @property
    def folded(self) -> str:
        """What nginx compares: two keys equal here are one key to it (and `nginx -t` refuses both)."""
        return self.key.lower()


def _encode(text: str, extra: frozenset[str]) -> str:
    out = []
    for char in text:
        if ord(char) <= 0x20 or ord(char) >= 0x7F or char in extra:
            out.append("".join(f"%{b:02X}" for b in char.encode("utf-8")))
        else:
            out.append(char)
    return "".join(out)


def request_key(path_and_query: str) -> str:
    """A site-rooted reference (/path?query#fragment) as its $request_uri."""
    rest = path_and_query.split("#", 1)[0]
    path, mark, query = rest.partition("?")
    # Browsers read a backslash in an http(s) path as a slash (IIS-era links have them).
    key = _encode(path.replace("\\", "/"), _PATH_SET)
    return key + (mark + _encode(query, _QUERY_SET) if mark else "")


def parse_old(written: str) -> OldUrl:
    """The key of an old URL: a full http(s) URL, a site-rooted path, or a path without its first slash."""
    text = written.strip().translate(_DROPPED)
    host = ""
    if _SCHEME.match(text) or text.startswith("//"):
        absolute = text if _SCHEME.match(text) else "http:" + text
        found = web_url(absolute.replace(" ", "%20"))
        if found is None:
            raise OldUrlError(f"旧网址“{written}”不是可用的 http:// 或 https:// 网址，也不是以 / 开头的路径。",
                              f"old URL {written!r} is neither an http(s) URL nor a site-rooted path")
        host = found[1]
        after = absolute.split("//", 1)[1]
        start = min((i for i in (after.find(c) for c in "/?#") if i >= 0), default=len(after))
        text = after[start:]
        text = text if text.startswith("/") else "/" + text
    elif not text.startswith(("/", "\\")):
        text = "/" + text  # index.php?m=content&…: written relative to the old site's root
    key = request_key(text)
    if key == "/":
        raise OldUrlError(f"旧网址“{written}”是旧网站的首页，不能跳转到一篇文章。",
                          f"old URL {written!r} is the old site's home page, not an article")
    return OldUrl(written, host, key)


def target(path: str, origin: str = "") -> str:
    """The map's value for a new page: its path (origin "") or absolute URL, ASCII-only, with no nginx `$`."""
    # `$` would start an nginx variable in a map value; `%` is kept, as a base_path may be encoded already.
    return origin + quote(path, safe="/-._~!&'()*+,;=:@%")


def nginx_string(text: str) -> str:
    """A double-quoted nginx string: only the backslash and the quote are special inside one."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
