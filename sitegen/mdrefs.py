"""The Markdown side of references: links and images rewritten to what they resolved to.

`resolve` decided, before rendering, where every reference goes; this
treeprocessor applies it: article links become page URLs, images become
responsive `<picture>`s (a `<figure>` with its caption when alone in a
paragraph), and attachment links get their type-and-size label. A local
reference it was not told about is reported, never published dangling.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from sitegen.pictures import Picture
from sitegen.resolve import Target

# The article column is at most 58rem wide (site.css .wrap): the full width less padding on phones.
# The width each shape is shown at, as site.css caps it: browsers pick the rendition from this.
SIZES = {"": "(max-width: 60rem) calc(100vw - 2rem), 58rem",
         "portrait": "(max-width: 32rem) calc(100vw - 2rem), 30rem",
         "tall": "(max-width: 24rem) calc(100vw - 2rem), 22rem"}
_LOCAL = re.compile(r"^(?![a-zA-Z][a-zA-Z0-9+.-]*:|//|/|#)")


@dataclass
class PageRefs:
    """What one conversion needs: set by the caller, read by the treeprocessor."""

    targets: Mapping[str, Target] = field(default_factory=dict)
    pictures: Mapping[str, Picture] = field(default_factory=dict)  # by image source path
    labels: Mapping[str, str] = field(default_factory=dict)  # attachment source -> （PDF，1.2 MB）
    unknown: list[str] = field(default_factory=list)  # local references nobody resolved
    alts: dict[str, str] = field(default_factory=dict)  # image source -> its first description, for og:image:alt


_current = PageRefs()


@contextmanager
def using(refs: PageRefs) -> Iterator[PageRefs]:
    global _current
    previous, _current = _current, refs
    try:
        yield refs
    finally:
        _current = previous


def picture_element(pic: Picture, alt: str, eager: bool) -> etree.Element:
    img = etree.Element("img", {"src": pic.src, "alt": alt, "width": str(pic.width), "height": str(pic.height)})
    shape = "tall" if pic.height > 1.8 * pic.width else "portrait" if pic.height > pic.width else ""
    if shape:  # narrower on wide screens, so a portrait fits in one screen (site.css)
        img.set("class", shape)
    if eager:  # the first image is likely the largest thing in view: fetch it first
        img.set("fetchpriority", "high")
    else:
        img.set("loading", "lazy")
    img.set("decoding", "async")
    if not pic.srcset:
        return img
    element = etree.Element("picture")
    etree.SubElement(element, "source", {"type": "image/webp", "srcset": pic.srcset, "sizes": SIZES[shape]})
    element.append(img)
    return element


class _References(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        refs = _current
        # One walk, on every article of a build; collected first, as rewriting moves elements.
        found = [(child, parent) for parent in root.iter() for child in parent
                 if child.tag == "img" or (child.tag == "a" and child.get("href") is not None)]
        first = True
        for el, parent in found:
            if el.tag == "img":
                first = self._image(el, parent, refs, first)
            else:
                self._link(el, parent, refs)

    def _image(self, img: etree.Element, parent: etree.Element, refs: PageRefs,
               first: bool) -> bool:
        src = img.get("src", "")
        target = refs.targets.get(src)
        if target is None:
            if _LOCAL.match(src):
                refs.unknown.append(src)
            return first
        if target.kind != "image":
            img.set("src", target.href)
            return first
        pic = refs.pictures[target.source]
        title, alt = (img.get("title") or "").strip(), (img.get("alt") or "").strip()
        if alt or title:
            refs.alts.setdefault(target.source, alt or title)
        alone = parent.tag == "p" and len(parent) == 1 and not (parent.text or "").strip() \
            and not (img.tail or "").strip()
        new = picture_element(pic, alt or title, first)
        if title and not alone:
            (new.find("img") if new.tag == "picture" else new).set("title", title)  # type: ignore[union-attr]
        index = list(parent).index(img)
        new.tail = img.tail
        parent.remove(img)
        parent.insert(index, new)
        if alone:
            parent.tag, parent.text = "figure", None
            parent.attrib.clear()
            if title:
                etree.SubElement(parent, "figcaption").text = title
        return False

    def _link(self, a: etree.Element, parent: etree.Element, refs: PageRefs) -> None:
        href = a.get("href", "")
        target = refs.targets.get(href)
        if target is None:
            if _LOCAL.match(href):
                refs.unknown.append(href)
            return
        if target.kind == "image":
            a.set("href", refs.pictures[target.source].largest)
        elif target.kind == "file":
            a.set("href", target.href)
            label = etree.Element("span", {"class": "file-meta"})
            label.text = refs.labels.get(target.source, "")
            label.tail, a.tail = a.tail, None
            parent.insert(list(parent).index(a) + 1, label)
        else:
            a.set("href", target.href)


class ReferencesExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # Last of all (heading ids run at 5): every link and image is final by then.
        md.treeprocessors.register(_References(md), "references", 2)
