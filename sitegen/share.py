"""What an article page tells link previews and search engines: its share image and NewsArticle JSON-LD.

The templates (_meta.html) write the Open Graph tags; the JSON-LD is built here with
json.dumps, because a title may hold anything (`</script>`, quotes, line breaks) and
JSON made by string templating breaks on the first one.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from sitegen.imagemodel import ImageInfo, Rendition
from sitegen.model import Article, Category, SiteConfig
from sitegen.pictures import file_name

MAX_WIDTH = 1200  # WeChat, Weibo and Facebook show up to this; a larger file only costs the reader
# Link previews read JPEG everywhere; PNG and GIF almost everywhere; WebP and SVG not reliably.
_PREFERRED = ("image/jpeg", "image/png", "image/gif")
# Characters that could end the <script> element or an HTML comment inside it, or that old
# JavaScript engines take for line ends: escaped, the JSON means the same.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                              "\u2028": "\\u2028", "\u2029": "\\u2029"})


@dataclass(frozen=True)
class ShareImage:
    """The picture a link preview shows: one rendition published beside the article."""

    source: str  # the editor's file, site-relative
    path: str  # site-relative and percent-encoded: "2020/02/22/a/photo1.3fa2b1c9.960.jpg"
    width: int
    height: int
    mime: str
    alt: str = ""  # the body's description of it; unknown for a `cover:` the body does not show


def share_image(folder: str, source: str, info: ImageInfo) -> ShareImage | None:
    """The largest rendition of the preferred format at most MAX_WIDTH wide (else its smallest); None for SVG."""
    for mime in _PREFERRED:
        found = [r for r in info.renditions() if r.mime == mime]
        if found:
            fits = [r for r in found if r.width <= MAX_WIDTH]
            best: Rendition = max(fits, key=lambda r: r.width) if fits else min(found, key=lambda r: r.width)
            path = quote(folder + file_name(source, info, best), safe="/()!*'~-._")
            return ShareImage(source, path, best.width, best.height, best.mime)
    return None


def script_json(value: Any) -> Markup:
    """JSON that is safe inside <script>…</script>, whatever its strings hold."""
    return Markup(json.dumps(value, ensure_ascii=False, indent=1).translate(_SCRIPT_SAFE))


def news_article(config: SiteConfig, article: Article, category: Category, description: str,
                 image: ShareImage | None, absolute: Callable[[str], str]) -> Markup:
    """schema.org NewsArticle; fields that need an absolute URL are left out without site_url."""
    url, date = absolute(article.url), article.date.isoformat()
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": article.title}
    if description:
        data["description"] = description
    data |= {"datePublished": date, "dateModified": date, "articleSection": category.name, "inLanguage": "zh-CN"}
    if article.author:
        data["author"] = {"@type": "Person", "name": article.author}
    if image is not None and absolute(image.path):
        data["image"] = {"@type": "ImageObject", "url": absolute(image.path),
                         "width": image.width, "height": image.height}
    if url:
        data["mainEntityOfPage"] = {"@type": "WebPage", "@id": url}
        data["url"] = url
    publisher: dict[str, Any] = {"@type": "Organization", "name": config.publisher.name or config.title}
    if config.publisher.logo and absolute(config.publisher.logo):
        publisher["logo"] = {"@type": "ImageObject", "url": absolute(config.publisher.logo)}
    data["publisher"] = publisher
    return script_json(data)
