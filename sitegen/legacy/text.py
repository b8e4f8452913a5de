"""Plain-text exports of the old CMS (the seed, legacy-article-2020-02-22.txt) into a `Page`.

The export is the article page copied as text: a breadcrumb line (… 当前位置: 首页 > 医院概况 > 党建园地),
the title, a meta line (时间:2020.02.22 18:23:45 [字体: ] 阅读:1), the body one paragraph a line,
and a closing 来源: line. Pure apart from reading the file's bytes.
"""

from __future__ import annotations

import re
from pathlib import Path

from sitegen.legacy.model import Page, Skipped

RULE = "text-export"
_CRUMBS = re.compile(r"当前位置\s*[:：]\s*(?P<crumbs>.+)$")
_CRUMB_SEP = re.compile(r"\s*(?:>|＞|›|»|&gt;|→)\s*")
# The meta line's fields; the value of each runs to the next label (or the end).
_LABEL = re.compile(r"(?P<label>发布时间|发布日期|时间|日期|来源|作者|责任编辑|阅读|点击|浏览)\s*[:：]\s*")
_FONT = re.compile(r"\[\s*字体\s*[:：][^\]]*\]|【\s*字体\s*[:：][^】]*】")
_CLOSING = re.compile(r"^(?P<label>来源|作者|责任编辑|编辑)\s*[:：]\s*(?P<value>.*)$")
_WEEKDAY = re.compile(r"[(（]?(?:星期|周)[一二三四五六日天][)）]?")  # 2020-02-22 星期六: the date says it already
_DATE_LABELS = ("发布时间", "发布日期", "时间", "日期")
_VIEW_LABELS = ("阅读", "点击", "浏览")
# A subheading line: short, and no sentence punctuation (a sentence always has some).
_HEADING_MAX = 30
_SENTENCE = re.compile(r"[。！？!?；;，,：:、…“”\"'（）()《》]")
# Markdown that plain text must not turn into: emphasis from a stray `*` or `_`, links, code, HTML.
_ASTERISKS = re.compile(r"\*+")
_LINE_START = re.compile(r"^(?P<mark>#|>|[-+](?= )|\d+(?=[.)] ))")


def read_text_export(path: Path, root: Path) -> Page | Skipped:
    """The page at `path`; `root` is the SOURCE it was found under (unused: a text export has no URL)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return Skipped(path, f"无法读取文件（{exc.strerror}）(cannot read the file)")
    text, warning = decode(raw)
    if text is None:
        return Skipped(path, warning)
    page = parse_text(text, path)
    if isinstance(page, Page) and warning:
        return Page(**{**page.__dict__, "warnings": (warning, *page.warnings)})
    return page


def decode(raw: bytes) -> tuple[str | None, str]:
    """The text and a warning, or None and why not. Old Chinese Windows tools save GB18030/GBK."""
    if b"\x00" in raw:
        return None, "编码无法识别：这不是文本文件 (unreadable encoding: not a text file)"
    try:
        return raw.decode("utf-8-sig"), ""
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030"), "文件不是 UTF-8，已按 GBK/GB18030 读取，请核对文字 (read as GB18030, not UTF-8)"
    except UnicodeDecodeError:
        return None, "编码无法识别：既不是 UTF-8 也不是 GBK (unreadable encoding: neither UTF-8 nor GBK)"


def parse_text(text: str, source: Path) -> Page | Skipped:
    lines = [" ".join(line.replace("\u3000", " ").split()) for line in text.replace("\r\n", "\n").split("\n")]
    lines = [line for line in lines if line]
    category = None
    for at, line in enumerate(lines[:3]):  # the breadcrumb heads the page, if it is there at all
        found = _CRUMBS.search(line)
        if found:
            crumbs = [c for c in _CRUMB_SEP.split(found["crumbs"]) if c]
            category = crumbs[-1] if crumbs else None
            lines = lines[at + 1:]
            break
    meta_at = next((i for i, line in enumerate(lines[:4]) if _meta(line).keys() & set(_DATE_LABELS)), None)
    title_at = 0 if meta_at != 0 else None
    if title_at is None or not lines:
        return Skipped(source, "没有找到标题 (no title found)")
    title = re.sub(r"^(?:文章)?标题\s*[:：]\s*", "", lines[title_at])
    meta = _meta(lines[meta_at]) if meta_at is not None else {}
    body_lines = lines[(meta_at if meta_at is not None else title_at) + 1:]
    closing: dict[str, str] = {}
    while body_lines and (end := _CLOSING.match(body_lines[-1])) and end["label"] not in closing:
        closing[end["label"]] = end["value"].strip()
        body_lines.pop()
    if not body_lines:
        return Skipped(source, "没有找到正文 (no body found)")
    date = next((_WEEKDAY.sub("", meta[k]).strip() for k in _DATE_LABELS if meta.get(k)), None)
    views = next((int(m[0]) for k in _VIEW_LABELS if (m := re.match(r"\d+", meta.get(k, "")))), None)
    return Page(source=source, legacy_url=None, title=title, date=date, category=category,
                source_name=closing.get("来源") or meta.get("来源") or None,
                author=next((d[k] for k in ("作者", "责任编辑") for d in (closing, meta) if d.get(k)), None),
                body=to_markdown(body_lines), views=views, rule=RULE)


def _meta(line: str) -> dict[str, str]:
    """The labelled fields of a meta line, `[字体: ]` dropped; {} for a line that does not start with one."""
    line = _FONT.sub(" ", line).strip()
    labels = list(_LABEL.finditer(line))
    if not labels or labels[0].start() != 0:
        return {}
    ends = [m.start() for m in labels[1:]] + [len(line)]
    return {m["label"]: line[m.end():end].strip() for m, end in zip(labels, ends, strict=True)}


def to_markdown(paragraphs: list[str]) -> str:
    """One Markdown paragraph per line; two short lines alone in a row are a ## and ### subheading pair."""
    short = [_is_heading(p) for p in paragraphs]
    out: list[str] = []
    i = 0
    while i < len(paragraphs):
        alone = (i == 0 or not short[i - 1]) and (i + 2 >= len(paragraphs) or not short[i + 2])
        if short[i] and i + 1 < len(paragraphs) and short[i + 1] and alone and i > 0:
            out += [f"## {_escape(paragraphs[i])}", f"### {_escape(paragraphs[i + 1])}"]
            i += 2
            continue
        out.append(_escape(paragraphs[i]))
        i += 1
    return "\n\n".join(out) + "\n"


def _is_heading(line: str) -> bool:
    return len(line) <= _HEADING_MAX and not _SENTENCE.search(line) and not line.isdigit()


def _escape(text: str) -> str:
    """The text as typed, never as Markdown: `*` runs under four are escaped (sitegen keeps longer ones as text)."""
    text = text.replace("\\", "\\\\").replace("`", "\\`").replace("_", "\\_")
    text = text.replace("[", "\\[").replace("]", "\\]").replace("<", "&lt;")
    text = _ASTERISKS.sub(lambda m: m[0] if len(m[0]) >= 4 else "\\*" * len(m[0]), text)
    return _LINE_START.sub(lambda m: "\\" + m["mark"] if not m["mark"][0].isdigit() else m["mark"] + "\\", text, 1)
