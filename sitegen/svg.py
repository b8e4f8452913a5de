"""SVG, made safe to publish: an allowlist of drawing elements and attributes, nothing that runs or fetches.

An SVG shown through <img> is inert, but a reader who opens the file itself (long-press,
"open image in new tab") gets a live document: <script>, onload=, javascript: links and
<foreignObject> HTML would run on the hospital's domain. Only drawing survives here.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from xml.parsers import expat

from sitegen.imagemodel import ImageError

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
MAX_SVG_BYTES = 5 * 1024 * 1024


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


ELEMENTS = _words("""
svg g defs symbol use title desc switch path rect circle ellipse line polyline polygon text tspan textPath
linearGradient radialGradient stop clipPath mask pattern marker filter style view
feBlend feColorMatrix feComponentTransfer feComposite feConvolveMatrix feDiffuseLighting feDisplacementMap
feDistantLight feDropShadow feFlood feFuncA feFuncB feFuncG feFuncR feGaussianBlur feMerge feMergeNode
feMorphology feOffset fePointLight feSpecularLighting feSpotLight feTile feTurbulence
animate animateMotion animateTransform set mpath
""")
UNWRAP = frozenset({"a"})  # a link's drawing stays, the link goes
ATTRIBUTES = _words("""
id class style transform lang x y x1 y1 x2 y2 cx cy r rx ry fx fy fr width height d points pathLength viewBox
preserveAspectRatio version fill fill-opacity fill-rule stroke stroke-width stroke-linecap stroke-linejoin
stroke-miterlimit stroke-dasharray stroke-dashoffset stroke-opacity opacity color display visibility clip-path
clip-rule mask filter font-family font-size font-weight font-style font-variant font-stretch text-anchor
dominant-baseline alignment-baseline baseline-shift letter-spacing word-spacing text-decoration writing-mode
direction unicode-bidi stop-color stop-opacity marker-start marker-mid marker-end markerWidth markerHeight
markerUnits refX refY orient gradientUnits gradientTransform spreadMethod offset patternUnits
patternContentUnits patternTransform clipPathUnits maskUnits maskContentUnits filterUnits primitiveUnits in in2
result stdDeviation dx dy rotate textLength lengthAdjust startOffset method spacing side mode operator k1 k2 k3
k4 values type tableValues slope intercept amplitude exponent offset baseFrequency numOctaves seed stitchTiles
scale xChannelSelector yChannelSelector radius flood-color flood-opacity lighting-color color-interpolation
color-interpolation-filters shape-rendering text-rendering image-rendering vector-effect paint-order overflow
kernelMatrix order divisor bias targetX targetY edgeMode preserveAlpha surfaceScale diffuseConstant
specularConstant specularExponent kernelUnitLength azimuth elevation z pointsAtX pointsAtY pointsAtZ
limitingConeAngle attributeName attributeType from to by begin dur end repeatCount repeatDur calcMode keyTimes
keySplines keyPoints additive accumulate path restart min max requiredFeatures systemLanguage media
""")
XML_ATTRIBUTES = {f"{{{XML_NS}}}space", f"{{{XML_NS}}}lang"}
HREFS = {"href", f"{{{XLINK_NS}}}href"}
_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.I | re.S)
# @import and CSS escapes (u\72l() can fetch; image-set()/src() take bare strings as URLs.
_CSS_BAD = re.compile(r"@import|\\|expression|javascript:|behavior|-moz-binding|image-set|image\(|src\(|@font-face",
                      re.I)
_CONTROL = re.compile(r"[\x00-\x20]+")
_LENGTH = re.compile(r"\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*(px|pt|pc|mm|cm|in)?\s*")
_UNITS = {None: 1.0, "px": 1.0, "pt": 4 / 3, "pc": 16.0, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96.0}


def _bad(en: str) -> ImageError:
    return ImageError("SVG 文件无法解析或不是有效的 SVG 图片，请用绘图软件重新导出为“纯 SVG”后再上传。",
                      f"the SVG file cannot be parsed or is not a valid SVG image ({en}); export it again as plain SVG")


def safe_css(text: str) -> bool:
    """No fetch, no script: url() may only point inside the document (#id)."""
    if _CSS_BAD.search(text):
        return False
    return all(m.group(2).strip().startswith("#") for m in _URL.finditer(text))


def _refuse_doctype(data: bytes) -> None:
    """DOCTYPE and ENTITY open the door to entity bombs and external files: refuse them outright."""
    def refuse(*_: object) -> None:
        raise _bad("DOCTYPE or ENTITY declarations are not allowed")

    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.Parse(data, True)


def _local(tag: object) -> str | None:
    """The SVG element name, or None for comments, processing instructions and foreign namespaces."""
    if not isinstance(tag, str):
        return None
    if tag.startswith(f"{{{SVG_NS}}}"):
        return tag[len(SVG_NS) + 2:]
    return None if tag.startswith("{") else tag  # an svg without xmlns: treat as SVG


def _clean_attributes(el: ET.Element, name: str) -> bool:
    """Strip everything not allowed; False when the whole element must go (an animation aimed at href/on*)."""
    if name in ("animate", "set", "animateTransform", "animateMotion"):
        target = el.get("attributeName", "").strip().lower()
        if target.endswith("href") or target.startswith("on") or target == "style":
            return False
    for attr, value in list(el.attrib.items()):
        squashed = _CONTROL.sub("", value).lower()  # "java&#9;script:" parses to a tab inside the word
        if attr in HREFS:
            ok = squashed.startswith("#")
        elif attr in ATTRIBUTES or attr in XML_ATTRIBUTES:
            ok = "javascript:" not in squashed and (
                safe_css(value) if attr == "style" or "url(" in squashed else True)
        else:
            ok = False  # on* handlers, foreign namespaces, anything we do not know
        if not ok or attr == f"{{{XLINK_NS}}}href":
            del el.attrib[attr]
        if ok and attr == f"{{{XLINK_NS}}}href":
            el.set("xlink:href", value)  # kept for old iOS Safari, which ignores plain href
    return True


def _add_text(el: ET.Element, kept: list[ET.Element], text: str | None) -> None:
    if not text:
        return
    if kept:
        kept[-1].tail = (kept[-1].tail or "") + text
    else:
        el.text = (el.text or "") + text


def _clean_children(el: ET.Element, children: list[ET.Element], kept: list[ET.Element]) -> None:
    for child in children:
        if _local(child.tag) in UNWRAP:  # <a>: its drawing and text stay, the link goes
            _add_text(el, kept, child.text)
            _clean_children(el, list(child), kept)
        elif _clean(child):
            kept.append(child)
            continue  # its tail travels with it
        _add_text(el, kept, child.tail)  # text after a removed element is still the parent's text


def _clean(el: ET.Element) -> bool:
    """Clean `el` in place; False when it must be removed with everything inside it."""
    name = _local(el.tag)
    if name is None or name not in ELEMENTS:
        return False
    el.tag = name  # serialised plainly under the xmlns the root declares
    if not _clean_attributes(el, name):
        return False
    if name == "style" and (len(el) or not safe_css(el.text or "")):
        return False
    children = list(el)
    kept: list[ET.Element] = []
    el[:] = []
    _clean_children(el, children, kept)
    el[:] = kept
    return True


def clean_svg(data: bytes) -> bytes:
    """The SVG with only drawing left, serialised with SVG as the default namespace."""
    if len(data) > MAX_SVG_BYTES:
        raise _bad(f"larger than {MAX_SVG_BYTES // (1024 * 1024)} MB")
    try:
        _refuse_doctype(data)
        root = ET.fromstring(data)
        if _local(root.tag) != "svg":
            raise _bad("the root element is not <svg>")
        _clean(root)
        # Declared by hand: ElementTree's default_namespace refuses plain attribute names.
        root.set("xmlns", SVG_NS)
        if any("xlink:href" in el.attrib for el in root.iter()):
            root.set("xmlns:xlink", XLINK_NS)
        return ET.tostring(root, encoding="utf-8")
    except ImageError:
        raise
    except (ET.ParseError, expat.ExpatError, ValueError, RecursionError) as exc:
        raise _bad(str(exc)[:80]) from exc


def _length(value: str | None) -> float | None:
    m = _LENGTH.fullmatch(value or "")
    if not m:
        return None  # percentages, em and nonsense: the viewBox decides
    size = float(m.group(1)) * _UNITS[m.group(2)]
    return size if size > 0 else None


def svg_size(data: bytes) -> tuple[int, int]:
    """The size a browser gives the SVG as an <img>: width/height, else the viewBox, else 300x150."""
    root = ET.fromstring(data)
    w, h = _length(root.get("width")), _length(root.get("height"))
    box = None
    try:
        parts = [float(v) for v in re.split(r"[\s,]+", (root.get("viewBox") or "").strip())]
        if len(parts) == 4 and parts[2] > 0 and parts[3] > 0:
            box = parts[2], parts[3]
    except ValueError:
        pass
    if box:
        w, h = (w or (h * box[0] / box[1] if h else box[0])), (h or (w * box[1] / box[0] if w else box[1]))
    return max(1, round(w or 300)), max(1, round(h or 150))
