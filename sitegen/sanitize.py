"""Allowlist sanitising of article HTML with nh3 (Rust's ammonia).

Editors paste HTML from Word and other sites; only markup a news article needs
survives: no scripts, no event handlers, no javascript: URLs, and iframes only
from hosts the site config names (video platforms, maps).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

import nh3

from sitegen.urls import host_listed, web_url

_GENERIC = {"id", "class", "title", "lang", "dir"}
_TAGS = set(nh3.ALLOWED_TAGS) | {"section", "figure", "figcaption", "video", "audio", "source", "picture"}
_ATTRIBUTES: dict[str, set[str]] = {
    **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
    "*": _GENERIC,
    "a": {"href", "hreflang", "rel"},
    # srcset/sizes carry the photo renditions; browsers never run a javascript: URL from srcset.
    "img": {"src", "alt", "width", "height", "loading", "decoding", "fetchpriority", "srcset", "sizes"},
    "td": {"align", "colspan", "rowspan", "style"},
    "th": {"align", "colspan", "rowspan", "scope", "style"},
    "ol": {"start", "type"},
    "video": {"src", "controls", "width", "height", "poster", "preload"},
    "audio": {"src", "controls", "preload"},
    "source": {"src", "type", "srcset", "sizes", "media"},
    "iframe": {"src", "width", "height", "title", "allowfullscreen", "frameborder"},
}
_SCHEMES = {"http", "https", "mailto", "tel"}
# As nh3 serialises it: every attribute value in double quotes, with any `"` inside escaped.
_ATTR = r'\s([\w:-]+)(?:="[^"]*")?'
_IFRAME = re.compile(rf"<iframe((?:{_ATTR})*)></iframe>")


def _iframe_filter(hosts: frozenset[str]) -> Callable[[str, str, str], str | None]:
    def keep(tag: str, attribute: str, value: str) -> str | None:
        if tag == "iframe" and attribute == "src":
            # Parsed strictly (sitegen.urls): urlsplit and browsers disagree on the host of
            # `https://evil.example\@v.qq.com/`, so anything ambiguous is dropped.
            url = web_url(value)
            return value if url and url[0] == "https" and host_listed(url[1], hosts) else None
        return value

    return keep


@lru_cache(maxsize=8)
def make_sanitizer(iframe_hosts: tuple[str, ...]) -> Callable[[str], str]:
    """A clean(html) function; iframes survive only with an https src on `iframe_hosts`."""
    if not iframe_hosts:
        tags = _TAGS
        attributes = {k: v for k, v in _ATTRIBUTES.items() if k != "iframe"}

        def clean(html: str) -> str:
            return nh3.clean(html, tags=tags, attributes=attributes, url_schemes=_SCHEMES, link_rel=None,
                             filter_style_properties={"text-align"}, strip_comments=True)

        return clean
    keep = _iframe_filter(frozenset(h.lower().lstrip(".") for h in iframe_hosts))
    tags_with_iframe = _TAGS | {"iframe"}

    def clean_with_iframes(html: str) -> str:
        cleaned = nh3.clean(html, tags=tags_with_iframe, attributes=_ATTRIBUTES, url_schemes=_SCHEMES,
                            link_rel=None, filter_style_properties={"text-align"}, attribute_filter=keep)
        # An iframe whose src was dropped is an empty box: remove it.
        return _IFRAME.sub(lambda m: m[0] if "src" in re.findall(_ATTR, m[1]) else "", cleaned)

    return clean_with_iframes
