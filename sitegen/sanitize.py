"""Allowlist sanitising of article HTML with nh3 (Rust's ammonia).

Editors paste HTML from Word and other sites; only markup a news article needs
survives: no scripts, no event handlers, no javascript: URLs, and iframes only
from hosts the site config names (video platforms, maps).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from urllib.parse import urlsplit

import nh3

_GENERIC = {"id", "class", "title", "lang", "dir"}
_TAGS = set(nh3.ALLOWED_TAGS) | {"section", "figure", "figcaption", "video", "audio", "source"}
_ATTRIBUTES: dict[str, set[str]] = {
    **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
    "*": _GENERIC,
    "a": {"href", "hreflang", "rel"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"align", "colspan", "rowspan", "style"},
    "th": {"align", "colspan", "rowspan", "scope", "style"},
    "ol": {"start", "type"},
    "video": {"src", "controls", "width", "height", "poster", "preload"},
    "audio": {"src", "controls", "preload"},
    "source": {"src", "type"},
    "iframe": {"src", "width", "height", "title", "allowfullscreen", "frameborder"},
}
_SCHEMES = {"http", "https", "mailto", "tel"}


def _iframe_filter(hosts: frozenset[str]) -> Callable[[str, str, str], str | None]:
    def keep(tag: str, attribute: str, value: str) -> str | None:
        if tag == "iframe" and attribute == "src":
            url = urlsplit(value)
            host = (url.hostname or "").lower()
            allowed = url.scheme == "https" and any(host == h or host.endswith("." + h) for h in hosts)
            return value if allowed else None
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
        return cleaned.replace("<iframe></iframe>", "")

    return clean_with_iframes
