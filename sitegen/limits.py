"""Limits on a Markdown body, checked before it is converted.

Python-Markdown has inputs that take minutes or crash: an unmatched `[` is scanned to
the end of its paragraph by each link pattern (quadratic), so is a `<tag` never closed
by the HTML parser, a 3,000-level nested list takes 100 s and 3.7 GB and then raises
RecursionError, and even ordinary markup costs 20-100 us per element, so 200 KB of
tiny table rows take seconds. Each limit here is far above what a real Chinese news
article reaches (tests/test_limits.py builds a 200 KB one with 300 links, footnotes,
tables and lists 6 deep) and low enough that no body under them takes more than about
a second to convert and sanitise (bench/limits.py measures the worst cases).
"""

from __future__ import annotations

import re
from collections import Counter

from sitegen import scans
from sitegen.errors import Problem

MAX_BYTES = 1_000_000  # UTF-8 bytes of the body: 330,000 Chinese characters
MAX_DEPTH = 12  # nested lists and block quotes at one line
MAX_UNITS = 20_000  # lines, nesting and markup characters (below), weighted by their cost
MAX_BRACKET_SCAN = 500_000  # characters scanned for the ends of links: see scans.bracket_scan
MAX_TAG_SCAN = 2_000_000  # characters scanned for the ends of HTML tags: see scans.tag_scan
MAX_TAG_ATTRIBUTES = 50_000  # spaces inside HTML tags, each may start an attribute
MAX_ATTR_LIST_WORDS = 10_000  # words in `{: .class #id}` attribute lists
MAX_FOOTNOTES = 1_000  # references to footnotes (Python-Markdown looks each up in a list)
MAX_FOOTNOTE_REPEATS = 100  # references to one footnote (it numbers them by counting up)

# Markup characters, weighted by what the elements they start cost to convert.
_WEIGHTS = {"[": 2, "<": 2, "\\": 2, "*": 2, "_": 2, "&": 2, "]": 1, "(": 1, ")": 1, "`": 1, "|": 1, "{": 1}
_FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\](?!:)")


def check_body(body: str, path: str, first_line: int) -> list[Problem]:
    """Problems for a body past any limit, at the line where it is passed; [] for every real article."""

    def at(index: int) -> int:
        return first_line + body.count("\n", 0, index)

    size = len(body.encode("utf-8"))
    if size > MAX_BYTES:
        cut = len(body.encode("utf-8")[:MAX_BYTES].decode("utf-8", "ignore"))
        return [Problem(
            path, at(cut),
            f"正文太长：约 {size // 1000} KB，上限 {MAX_BYTES // 1000} KB（从这一行起超出）。请把文章拆成几篇。",
            f"body too large: {size // 1000} KB, the limit is {MAX_BYTES // 1000} KB; split the article",
        )]
    units = body.count("\n") + 1 + sum(w * body.count(c) for c, w in _WEIGHTS.items())
    if units <= MAX_UNITS:  # then there are few enough lines to look at one by one
        depths = {start: scans.depth(body, start) for start in scans.nested_lines(body)}
        deep = next((i for i, d in depths.items() if d > MAX_DEPTH), None)
        if deep is not None:
            return [Problem(
                path, at(deep),
                f"列表或引用嵌套太深：这一行是第 {depths[deep]} 层，最多 {MAX_DEPTH} 层。请减少缩进或嵌套层数。",
                f"lists and quotes nested {depths[deep]} levels deep (limit {MAX_DEPTH}); "
                "reduce the indentation or nesting",
            )]
        units += 2 * sum(depths.values())
    if units > MAX_UNITS:
        return [Problem(
            path, at(_units_index(body)),
            f"正文格式太复杂：行数、链接、表格单元格、加粗等格式标记合计超过 {MAX_UNITS} 项（到这一行为止）。"
            "请把文章拆成几篇，或去掉不必要的格式。",
            f"body too complex: lines, nesting, links, table cells and formatting marks add up to more than "
            f"{MAX_UNITS} by this line; split the article or remove formatting",
        )]
    return [Problem(path, at(index), zh, en) for index, zh, en in _scans(body)]


def _scans(body: str) -> list[tuple[int, str, str]]:
    """(where, zh, en) for each slow path of Python-Markdown the body would take too far."""
    found = []
    crossed = scans.bracket_scan(body, MAX_BRACKET_SCAN)
    if crossed is not None:
        found.append((
            crossed,
            "从这里起有大量没有配对的方括号“[”或链接圆括号“(”，生成网页会极慢。请删去多余的括号，或改用全角的【】（）。",
            f"too many unmatched [ or ( from here: finding their ends scans more than {MAX_BRACKET_SCAN} "
            "characters; remove them or use full-width 【】（）",
        ))
    crossed = scans.tag_scan(body, MAX_TAG_SCAN, MAX_TAG_ATTRIBUTES)
    if crossed is not None:
        found.append((
            crossed,
            "从这里起有大量没有闭合的 HTML 标签开头（“<”后跟字母，却没有“>”）或属性过多的标签，生成网页会极慢。"
            "请删去多余的“<”（或改用全角的“＜”）和多余的属性。",
            f"too many HTML tags never closed (< and a letter, no >) or too many attributes from here: more than "
            f"{MAX_TAG_SCAN} characters or {MAX_TAG_ATTRIBUTES} attributes to scan; remove them or use ＜",
        ))
    crossed = scans.attr_list_words(body, MAX_ATTR_LIST_WORDS)
    if crossed is not None:
        found.append((
            crossed,
            f"属性列表（{{: .类名 #编号}}）中的词合计超过 {MAX_ATTR_LIST_WORDS} 个（到这里为止）。请删去多余的属性。",
            f"more than {MAX_ATTR_LIST_WORDS} words in {{: ...}} attribute lists by here; remove some",
        ))
    refs = Counter(m.group(1) for m in _FOOTNOTE_REF.finditer(body))
    if refs.total() > MAX_FOOTNOTES:
        found.append((
            next(_FOOTNOTE_REF.finditer(body)).start(),
            f"脚注引用太多：共 {refs.total()} 处，最多 {MAX_FOOTNOTES} 处。请把文章拆成几篇。",
            f"{refs.total()} footnote references (limit {MAX_FOOTNOTES}); split the article",
        ))
    for label, n in refs.items():
        if n > MAX_FOOTNOTE_REPEATS:
            found.append((
                body.index(f"[^{label}]"),
                f"脚注 [^{label}] 被引用了 {n} 次，最多 {MAX_FOOTNOTE_REPEATS} 次。请合并重复的引用。",
                f"footnote [^{label}] is referenced {n} times (limit {MAX_FOOTNOTE_REPEATS}); merge the references",
            ))
    return found


def _units_index(body: str) -> int:
    """Where the running count of units passes MAX_UNITS (only called when it does)."""
    units = 0
    pos = 0
    for line in body.split("\n"):
        units += 1 + sum(w * line.count(c) for c, w in _WEIGHTS.items())
        units += 2 * scans.depth(line, 0)
        if units > MAX_UNITS:
            return pos
        pos += len(line) + 1
    return 0
