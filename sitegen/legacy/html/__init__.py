"""Saved HTML pages of the old Chinese CMSs (DedeCMS, PHPCMS v9, EmpireCMS, PbootCMS and similar).

read_html reads one page, saved "complete" with its <name>_files/ folder, found in a wget -m
mirror, or alone, into a Page: fields found by rule and label, the body as Markdown, and the
photos and attachments it references resolved on disk.
"""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup

from sitegen.legacy.html import assets, body, encoding, origin, pages, rules
from sitegen.legacy.html.markdown import to_markdown
from sitegen.legacy.model import Page, Skipped

__all__ = ["read_html"]

# DedeCMS, PHPCMS and EmpireCMS file articles under the day they were published: /2020/0222/123.html
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-]?(\d{2})[/-]?(\d{2})/")


def read_html(path: Path, root: Path, *, converter: str = "markdownify") -> Page | Skipped:
    """One saved page as a Page, or Skipped with the reason (非文章页… for list and index pages).

    `converter="html2text"` is only for measuring the alternative (tests/legacy/html/measure_converters.py).
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return Skipped(path, f"无法读取文件：{exc.strerror}（cannot read the file: {exc.strerror}）")
    decoded = encoding.decode(raw)
    if decoded is None:
        return Skipped(path, "无法识别的编码（cannot tell the page's encoding）")
    text, _codec = decoded
    soup = BeautifulSoup(text, "html.parser")
    found = rules.find(soup)
    if found is None:
        return Skipped(path, "非文章页：没有找到标题和正文（not an article page: no title and body found）")
    first = pages.first_page(path)
    if first is not None:
        return Skipped(path, f"非文章页：分页文章的续页，已并入 {first.name}"
                             f"（a later page of {first.name}, merged into it）")
    merged = pages.merge(found.body, found.rule, pages.continuations(path, soup))
    mirror = origin.host_dir(path, root)
    url = origin.legacy_url(path, mirror, soup, text)
    for el in found.header:
        el.decompose()
    cleaned = body.clean(found.body)
    place = assets.Place(page=path, root=mirror.parent if mirror else root, host_dir=mirror,
                         host=origin.host_of(mirror, url))
    refs = [(el.name, str(el.get("src" if el.name == "img" else "href") or "").strip(), el.get_text(" ").strip())
            for el in found.body.find_all(["img", "a"])]
    found_assets, warnings = assets.resolve([r for r in refs if r[1]], place)
    names = {a.ref: a.name for a in found_assets}
    for el in found.body.find_all(["img", "a"]):
        attr = "src" if el.name == "img" else "href"
        ref = str(el.get(attr) or "").strip()
        if ref in names:
            el[attr] = names[ref]
    markdown = to_markdown(found.body, converter)
    notes = merged + list(warnings) + [f"视频或嵌入内容未导入：{src}（video or embedded frame not imported: {src}）"
                              for src in cleaned.dropped]
    date = found.date
    url_date = _URL_DATE.search(url or "")
    if date is None and url_date:
        date = "-".join(url_date.groups())
        notes.insert(0, f"页面上没有发布时间，取自旧网址：{date}（no date on the page; taken from the old URL）")
    elif date is None:
        notes.insert(0, "未找到发布时间（no publish date found）")
    if not markdown.strip():
        notes.insert(0, "正文为空（the body is empty）")
    return Page(
        source=path, legacy_url=url, title=found.title, date=date, category=found.category,
        source_name=found.source_name, author=found.author or cleaned.editor, body=markdown, assets=found_assets,
        views=found.views, rule=found.rule, warnings=tuple(notes),
    )
