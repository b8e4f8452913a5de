"""Finding the article in a saved page: its title, labelled fields, breadcrumb and body container.

Each old CMS's default template puts the body in a known container; other templates are read by
the labels every Chinese CMS prints (时间、来源、作者、点击) and by where the paragraphs are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

# (rule, body container, title element), most specific first. The names are recorded in Page.rule.
RULES: tuple[tuple[str, str, str | None], ...] = (
    ("dedecms", ".viewbox .content", ".viewbox .title h2, .viewbox h2"),
    ("phpcms", "#Article .content", "#Article h1"),
    ("empirecms", "td#text, div#text", ".title_info h1"),
    ("pbootcms", ".pages .content", ".pages h2, .pages h1"),
    # TRS, Founder and the like, and hand-made themes: the usual names for the body.
    ("generic", "#zoom, .TRS_Editor, #vsb_content, .v_news_content, .article-content, .article_content, "
                ".arti_content, .news_content, .newscontent, #newscontent, .con_txt, article, #content", None),
)
_DATE = (r"\d{4}\s*[-./年]\s*\d{1,2}\s*[-./月]\s*\d{1,2}\s*日?"
         r"(?:\s*\d{1,2}\s*[:：时]\s*\d{2}(?:\s*[:：分]\s*\d{2})?秒?)?")
_LABELS = (r"发布时间|发布日期|更新时间|发表时间|时间|日期|信息来源|稿件来源|文章来源|来源|出处|作者|撰稿|"
           r"责任编辑|编辑|点击数|点击|浏览次数|浏览|阅读|访问量|评论")
_DATE_LABELLED = re.compile(rf"(?:发布时间|发布日期|发表时间|更新时间|时间|日期)\s*[:：]?\s*({_DATE})")
_DATE_ANY = re.compile(_DATE)
_LABELLED = re.compile(rf"(?:{_LABELS})\s*[:：]")
_VIEWS = re.compile(r"(?:点击数|点击|浏览次数|浏览|阅读|访问量)\s*[:：]?\s*(\d+)")
# A value runs to the next blank or the next label ("来源：本院作者：张三" has no blank between).
_VALUE = rf"\s*[:：]\s*([^\s:：|()（）]+?)(?=\s|\||(?:{_LABELS})\s*[:：]|$)"
_SOURCE = re.compile(rf"(?:信息来源|稿件来源|文章来源|来源|出处){_VALUE}")
_AUTHOR = re.compile(rf"(?:作者|撰稿){_VALUE}")
_EDITOR = re.compile(rf"(?:责任编辑|编辑){_VALUE}")
# What a CMS prints when the field was left empty.
_EMPTY = frozenset({"未知", "佚名", "不详", "无", "admin", "-", "none", "null"})
_CRUMB_CLASS = re.compile(r"place|crumb|position|location|weizhi|dqwz|path", re.IGNORECASE)
_CRUMB_TEXT = re.compile(r"当前位置|您的位置|所在位置|现在的位置|当前的位置")
_HOME = frozenset({"首页", "网站首页", "主页", "返回首页", "home", "Home"})
_FILE_LINK = re.compile(r"\.(?:pdf|docx?|xlsx?|pptx?|wps|et|dps|ofd|zip|rar|7z|txt|jpe?g|png|gif)(?:$|\?)",
                        re.IGNORECASE)
_TITLE_SPLIT = re.compile(r"\s*(?:_|\||-{1,2}|—+|－)\s*")


@dataclass(frozen=True)
class Found:
    """Where the article is in the page, and the fields read around it."""

    rule: str
    title: str
    body: Tag
    date: str | None
    source_name: str | None
    author: str | None
    category: str | None
    views: int | None
    header: tuple[Tag, ...] = ()  # the heading and date line, when the template put them inside the body




def _text(el: Tag) -> str:
    return re.sub(r"\s+", " ", el.get_text(" ").replace("\u3000", " ")).strip()


def heading_text(el: Tag) -> str:
    """A heading's own words: PHPCMS puts the date line in the <h1> after a <br>, inside a <span>."""
    parts: list[str] = []
    for child in el.children:
        if isinstance(child, Tag) and child.name == "br":
            break
        if isinstance(child, Tag) and child.name in {"span", "small", "script", "em"}:
            continue
        parts.append(child.get_text(" ") if isinstance(child, Tag) else str(child))
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def _page_title(soup: BeautifulSoup) -> str:
    return _text(soup.title) if soup.title else ""


def _title(soup: BeautifulSoup, selector: str | None) -> tuple[str, Tag | None]:
    """The article's heading: the rule's element, else the heading the <title> starts with."""
    page_title = _page_title(soup)
    if selector:
        for el in soup.select(selector):
            if text := heading_text(el):
                return text, el
    for el in soup.find_all(["h1", "h2", "h3"]):
        text = heading_text(el)
        if len(text) >= 4 and text in page_title:
            return text, el
    return (_TITLE_SPLIT.split(page_title)[0] if page_title else ""), None


def _best_block(soup: BeautifulSoup) -> Tag | None:
    """The element holding the most paragraph text: for templates no rule names."""
    scores: dict[int, tuple[int, Tag]] = {}
    for p in soup.find_all(["p", "br"]):
        block = p.parent
        if not isinstance(block, Tag) or block.name in {"body", "html", "a", "li"}:
            continue
        text = len(_text(p)) if p.name == "p" else len(str(p.next_sibling or "").strip())
        links = sum(len(_text(a)) for a in p.find_all("a")) if p.name == "p" else 0
        prev = scores.get(id(block), (0, block))[0]
        scores[id(block)] = (prev + text - 2 * links, block)
    best = max(scores.values(), key=lambda s: s[0], default=None)
    return best[1] if best and best[0] >= 60 else None


def _between(start: Tag, stop: Tag) -> str:
    """The page's words from `start` to `stop`: where templates print 时间、来源、作者."""
    parts: list[str] = []
    for el in start.next_elements:
        if el is stop or sum(map(len, parts)) > 2000:
            break
        if isinstance(el, NavigableString) and not isinstance(el, Comment) \
                and el.parent is not None and el.parent.name not in {"script", "style"}:
            parts.append(str(el))
    return re.sub(r"\s+", " ", " ".join(parts).replace("\xa0", " ").replace("\u3000", " ")).strip()


def _field(pattern: re.Pattern[str], text: str) -> str | None:
    match = pattern.search(text)
    value = match.group(1).strip() if match else None
    return value if value and value.lower() not in _EMPTY else None


def _date(text: str) -> str | None:
    match = _DATE_LABELLED.search(text) or _DATE_ANY.search(text)
    if not match:
        return None
    value = re.sub(r"\s+", " ", match.group(1) if match.re is _DATE_LABELLED else match.group(0))
    # sitegen.dates wants ASCII colons and a blank between 日 and the time.
    return re.sub(r"日(?=\d)", "日 ", value.replace("：", ":")).strip()


def _category(soup: BeautifulSoup, body: Tag) -> str | None:
    """The last link of the breadcrumb (当前位置：首页 > 医院概况 > 党建园地 > 正文)."""
    crumbs = [el for el in soup.find_all(class_=_CRUMB_CLASS) if isinstance(el, Tag)]
    crumbs += [el for el in soup.find_all(id=_CRUMB_CLASS) if isinstance(el, Tag)]
    for string in soup.find_all(string=_CRUMB_TEXT):
        el = string.parent
        while isinstance(el, Tag) and len(el.find_all("a")) < 2 and el.parent is not None and el.name != "body":
            el = el.parent
        if isinstance(el, Tag):
            crumbs.append(el)
    for crumb in crumbs:
        if crumb is body or body in crumb.parents or crumb in body.parents:
            continue
        names = [_text(a) for a in crumb.find_all("a") if _text(a) and _text(a) not in _HOME]
        if names:
            return names[-1]
    return None


def _listing(el: Tag) -> bool:
    """Mostly links to pages: a column's list of articles or a home page, not an article.

    Links to files do not count: a notice may be little more than its five attachments.
    """
    links = [a for a in el.find_all("a") if _text(a) and not _FILE_LINK.search(str(a.get("href") or ""))]
    words = len(_text(el)) or 1
    return len(links) >= 5 and sum(len(_text(a)) for a in links) / words > 0.3


def find(soup: BeautifulSoup) -> Found | None:
    """The article, or None when the page has none (a list or index page)."""
    for rule, body_selector, title_selector in RULES:
        bodies = [el for el in soup.select(body_selector) if (_text(el) or el.find("img")) and not _listing(el)]
        if bodies:
            return _found(soup, rule, bodies[0], title_selector)
    block = _best_block(soup)
    if block is None or _listing(block):
        return None
    return _found(soup, "paragraphs", block, None)


def _inner_header(heading: Tag) -> tuple[str, tuple[Tag, ...]]:
    """The heading and the short lines after it holding a date or labels (<article><h1><p class=meta>…)."""
    if heading.parent is not None and heading.parent.name == "header":
        return _text(heading.parent), (heading.parent,)
    parts: list[Tag] = [heading]
    sib = heading.find_next_sibling()
    while sib is not None and len(_text(sib)) < 150 and (_DATE_ANY.search(_text(sib)) or _LABELLED.search(_text(sib))):
        parts.append(sib)
        sib = sib.find_next_sibling()
    return " ".join(_text(el) for el in parts[1:]), tuple(parts)


def _found(soup: BeautifulSoup, rule: str, body: Tag, title_selector: str | None) -> Found | None:
    title, heading = _title(soup, title_selector)
    if not title:
        return None
    header: tuple[Tag, ...] = ()
    if heading is not None and body in heading.parents:
        info, header = _inner_header(heading)
    else:
        info = _between(heading, body) if heading is not None else ""
    tail = _text(body)[-200:]  # DedeCMS prints (责任编辑：…) after the body, inside its container
    views = _VIEWS.search(info)
    return Found(
        rule=rule, title=title, body=body, date=_date(info),
        source_name=_field(_SOURCE, info),
        author=_field(_AUTHOR, info) or _field(_EDITOR, info) or _field(_EDITOR, tail),
        category=_category(soup, body), views=int(views.group(1)) if views else None, header=header,
    )
