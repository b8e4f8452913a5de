"""Cleaning the body container: the page's chrome out, the article's own markup kept."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bs4 import Comment, NavigableString, Tag

_DROP = ("script", "style", "noscript", "iframe", "form", "input", "button", "select", "textarea",
         "object", "embed", "video", "audio", "ins", "link", "meta", "map")
# Share widgets (JiaThis, bShare, Baidu share) and 顶/踩 boxes, icons and all; 上一篇/下一篇 and print boxes
# only when they hold no photo. By class or id.
_SHARE_NAME = re.compile(r"share|jiathis|bdshare|digg|fenxiang|Article-Tool", re.IGNORECASE)
_CHROME_NAME = re.compile(r"prenext|pre_next|page_?next|dayin|print|articlebook|context|handle", re.IGNORECASE)
_CHROME_TEXT = re.compile(
    r"^(?:[【\[(（]?\s*(?:打印本页|打印此页|打印文章|打印|关闭窗口|关闭本页|关闭|返回顶部|返回列表|返回|收藏本页|"
    r"加入收藏|收藏|推荐给朋友|分享到[:：]?|字体[:：]?\s*大\s*中\s*小|[大中小])\s*[】\])）]?\s*[|/]?\s*)+$")
_PRENEXT = re.compile(r"^\s*(?:上一篇|下一篇|上一条|下一条|上篇|下篇)\s*[:：]?")
_COUNTER = re.compile(r"^(?:点击|浏览|阅读|浏览次数|访问量|点击数)\s*[:：]?\s*\d*\s*次?$")
_EDITOR = re.compile(r"[(（]\s*责任编辑\s*[:：]\s*([^)）]*?)\s*[)）]")
_EDITOR_LINE = re.compile(r"^[(（【\[]?\s*责任编辑\s*[:：]\s*([^\s)）】\]]+)\s*[)）】\]]?$")
_CAPTION = re.compile(r"^[（(]?\s*(?:图为|图片为|图[:：]|上图[:：]?|下图[:：]?|▲)")
_EDITOR_ICON = re.compile(r"fileTypeImages/icon_|/images/fileicon/|/e/data/images/ico/", re.IGNORECASE)
_LAZY = ("data-original", "data-src", "data-lazy-src", "data-echo", "original")
_UNWRAP = ("font", "span", "o:p", "u", "small", "big", "label", "section", "abbr", "nobr")
_BLOCKS = frozenset({"p", "div", "center", "td", "th", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"})
_KEEP_ATTRS = {"img": ("src", "alt", "title"), "a": ("href",), "td": ("colspan", "rowspan"),
               "th": ("colspan", "rowspan")}


def _words(el: Tag | NavigableString) -> str:
    text = el.get_text("") if isinstance(el, Tag) else str(el)
    return re.sub(r"[\s\xa0\u3000]+", " ", text).strip()


def _media(body: Tag) -> list[str]:
    """Videos and embedded frames: not carried over, so named in a warning."""
    out = []
    for el in body.find_all(["video", "iframe", "embed", "object"]):
        src = el.get("src") or el.get("data") or (el.find("source") or {}).get("src") or el.name
        out.append(str(src))
    return out


def _drop_chrome(body: Tag) -> None:
    for comment in body.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for el in body.find_all(_DROP):
        el.decompose()
    for el in body.find_all("img", src=_EDITOR_ICON):  # UEditor's file-type icon before an attachment link
        el.decompose()
    for el in body.find_all(True):
        if el.decomposed:
            continue
        name = " ".join([*el.get("class", []), el.get("id") or ""])
        words = _words(el)
        # By name only when small: a theme's <div id="printContent"> may wrap the whole article.
        named = name.strip() and len(words) < 200 and (_SHARE_NAME.search(name)
                                                       or (_CHROME_NAME.search(name) and not el.find("img")))
        if named \
                or (words and _CHROME_TEXT.match(words)) \
                or (words and len(words) < 80 and (_PRENEXT.match(words) or _COUNTER.match(words))
                    and not el.find("img")):
            el.decompose()


def _take_editor(body: Tag) -> str | None:
    """Removes DedeCMS's trailing (责任编辑：…) and returns the name."""
    found: str | None = None
    for el in body.find_all(["p", "div"]):
        match = _EDITOR_LINE.match(_words(el))
        if match and not el.find("img"):  # a paragraph of its own: 责任编辑：周敏
            found = found or match.group(1)
            el.decompose()
    for string in body.find_all(string=_EDITOR):
        match = _EDITOR.search(str(string))
        if match:
            found = found or match.group(1).strip() or None
            string.replace_with(_EDITOR.sub("", str(string)))
    return found


def _unwrap_layout_tables(body: Tag) -> None:
    """A table of one cell only lays the page out (DedeCMS wraps every body in one): keep its content."""
    changed = True
    while changed:
        changed = False
        for table in body.find_all("table"):
            cells = table.find_all(["td", "th"])
            rows = table.find_all("tr")
            if len(cells) == 1 and len(rows) == 1:
                cells[0].name = "div"
                cells[0].attrs = {}
                table.replace_with(cells[0])
                changed = True
                break


def _block_of(img: Tag, body: Tag) -> Tag:
    el = img
    while el.parent is not None and el.parent is not body and el.parent.name not in _BLOCKS:
        el = el.parent
    return el.parent if el.parent is not None and el.parent is not body else el


def _next_block(block: Tag) -> Tag | NavigableString | None:
    sib = block.next_sibling
    while sib is not None and ((isinstance(sib, NavigableString) and not _words(sib))
                               or (isinstance(sib, Tag) and sib.name == "br")):
        sib = sib.next_sibling
    return sib


def _captions(body: Tag) -> None:
    """A centred 图为…… line right after a photo is the photo's caption: its Markdown title."""
    for img in body.find_all("img"):
        block = _block_of(img, body)
        after = [s for s in img.next_siblings if _words(s)] if block is not img else []
        if after and _CAPTION.match(_words(after[0])) and len(_words(after[0])) < 200:
            caption = " ".join(_words(s) for s in after)
            for s in after:
                s.extract()
        else:
            nxt = _next_block(block)
            text = _words(nxt) if nxt is not None else ""
            if not (text and _CAPTION.match(text) and len(text) < 200) or (isinstance(nxt, Tag) and nxt.find("img")):
                continue
            caption = text
            nxt.extract()
        img["title"] = caption.strip("（）() ")


def _simplify(body: Tag) -> None:
    for img in body.find_all("img"):
        lazy = next((img[k] for k in _LAZY if img.get(k)), None)
        if lazy:  # lazy-loading themes put a spinner in src and the photo in data-original
            img["src"] = lazy
    for el in body.find_all("a"):
        imgs = el.find_all("img")
        if imgs and not _words(el):  # a photo linked to itself (or to a bigger copy): the photo alone
            el.unwrap()
    for el in body.find_all(_UNWRAP):
        el.unwrap()
    for el in body.find_all("center"):
        el.name = "p"
    for el in body.find_all(True):
        keep = _KEEP_ATTRS.get(el.name, ())
        el.attrs = {k: v for k, v in el.attrs.items() if k in keep}


@dataclass(frozen=True)
class Cleaned:
    editor: str | None  # the 责任编辑 the body named
    dropped: tuple[str, ...]  # videos and frames left out, by their src


def clean(body: Tag) -> Cleaned:
    """Cleans `body` in place."""
    dropped = tuple(_media(body))
    _drop_chrome(body)
    editor = _take_editor(body)
    _unwrap_layout_tables(body)
    _captions(body)
    _simplify(body)
    return Cleaned(editor, dropped)
