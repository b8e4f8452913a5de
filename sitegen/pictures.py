"""Where an image's renditions are published, and the URLs a page uses for them.

Renditions go into the folder of the article that shows the image, named after
the editor's file plus a short content key (`photo1.3fa2b1c9.960.webp`): a
changed photo gets new URLs, so no browser or CDN shows a stale copy.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from urllib.parse import quote

from sitegen.imagemodel import ImageInfo, Rendition
from sitegen.pages import relative
from sitegen.winnames import name_problem

_UNSAFE = re.compile(r"[^\w-]+")


@dataclass(frozen=True)
class Picture:
    """An image as one page links to it: every URL relative to that page."""

    kind: str  # photo | graphic | animated | vector
    width: int  # of the largest rendition: the aspect ratio reserves the space before it loads
    height: int
    src: str  # fallback (JPEG/PNG/GIF/SVG)
    srcset: str  # WebP renditions: "a.480.webp 480w, a.960.webp 960w"; "" when there are none
    largest: str  # the biggest file, for a link to the image itself
    thumb: str = ""  # WebP listing thumbnail
    thumb_src: str = ""  # its JPEG/PNG fallback
    thumb_width: int = 0
    thumb_height: int = 0


def stem(source: str) -> str:
    name = _UNSAFE.sub("-", posixpath.splitext(posixpath.basename(source))[0]).strip("-")[:60] or "image"
    return f"{name}-image" if name_problem(name) else name  # con.1a2b3c4d.webp is CON to Windows


def file_name(source: str, info: ImageInfo, rendition: Rendition) -> str:
    return f"{stem(source)}.{info.key[:8]}.{rendition.name}"


def outputs(folder: str, source: str, info: ImageInfo) -> dict[str, Rendition]:
    """Output path -> rendition, for one image shown by the article in `folder`."""
    return {folder + file_name(source, info, r): r for r in info.renditions()}


def href(target: str, page_dir: str) -> str:
    """A URL from a page to an output file: plain file names for the page's own folder."""
    path = target[len(page_dir):] if target.startswith(page_dir) else relative(target, page_dir)
    return quote(path, safe="/()!*'~-._")


def picture(folder: str, source: str, info: ImageInfo, page_dir: str) -> Picture:
    def url(r: Rendition) -> str:
        return href(folder + file_name(source, info, r), page_dir)

    top = info.sources[-1] if info.sources else info.fallback
    biggest = info.original or max((*info.sources, info.fallback), key=lambda r: r.width)
    webp = next((r for r in info.thumb if r.mime == "image/webp"), None)
    # The <img> of a listing: the thumbnail's JPEG/PNG, else (a vector has no thumbnail) the image itself.
    shown = next((r for r in info.thumb if r.mime != "image/webp"), info.fallback)
    return Picture(
        kind=info.kind, width=top.width, height=top.height, src=url(info.fallback),
        srcset=", ".join(f"{url(r)} {r.width}w" for r in info.sources), largest=url(biggest),
        thumb=url(webp) if webp else "", thumb_src=url(shown), thumb_width=shown.width, thumb_height=shown.height,
    )
