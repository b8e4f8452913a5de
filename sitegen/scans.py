"""What Python-Markdown's slow paths cost on a body, estimated in linear time for sitegen.limits.

Each function mirrors one scan Python-Markdown (or the html.parser under it) makes, and
returns where its running cost passes a limit, or None. They run only on bodies whose
markup characters are already bounded (limits.MAX_UNITS counts `[`, `]`, `(`, `)`, `<`
and `{`), so their loops are short; every `find` moves forward, so no text is read twice.
"""

from __future__ import annotations

import re

_MARKER = re.compile(r"[ \t]*(?:>|[*+-](?=[ \t])|\d{1,9}[.)](?=[ \t]))")
_OPENER = r"[ \t]*(?:>|[*+-][ \t]|\d{1,9}[.)][ \t])"  # a line opening a list item or quote
_NESTED_FIRST = re.compile(_OPENER)
_NESTED = re.compile("\n" + _OPENER)  # a literal first character: several times faster than ^ with re.M
_BRACKETS = re.compile(r"[\[\]()\n]")
_BLANK_REST = re.compile(r"[ \t]*\n")
_QUOTE_CLOSE = re.compile(r"""["'][ \t]*\)""")
_TAG_OPEN = re.compile(r"<[A-Za-z]")
_ATTR_LIST = re.compile(r"\{:?[ ]*[#.\w]")


def nested_lines(body: str) -> list[int]:
    """Where each line that opens a list item or quote starts."""
    first = [0] if _NESTED_FIRST.match(body) else []
    return first + [m.start() + 1 for m in _NESTED.finditer(body)]


def depth(body: str, start: int) -> int:
    """How deep the line at `start` nests: its list markers and `>`, plus its indentation in steps of 4.

    The one space that separates two markers (`- - x`, `> > x`) is not indentation.
    """
    level = width = 0
    pos = start
    while (m := _MARKER.match(body, pos)) is not None:
        lead = m.group()
        run = 0
        for ch in lead[: len(lead) - len(lead.lstrip(" \t"))]:
            run += 4 if ch == "\t" else 1
        width += run if level == 0 else max(run - 1, 0)
        level += 1
        pos = m.end()
    return level + width // 4


def bracket_scan(body: str, limit: int) -> int | None:
    """Characters scanned for the ends of links.

    Each link pattern scans from a `[` to its matching `]`, or to the end of the paragraph
    when there is none, and from a `](` to its matching `)`. A quote inside the parentheses
    starts a link title, and then only a quote followed by `)` ends the scan: `[a](b "c)`
    repeated is scanned to the end of the paragraph each time.
    """
    if "[" not in body:  # no link, nothing scanned: most articles
        return None
    total = 0
    squares: list[int] = []  # open [
    parens: list[tuple[int, int]] = []  # open ]( : (position, paren depth inside it)
    titled: list[tuple[int, int]] = []  # closed ]( with a quote inside: (position, its `)`)
    level = 0
    quotes = _QuoteCloses(body)

    def spent(start: int, end: int) -> bool:
        nonlocal total
        total += max(end - start, 0)
        return total > limit

    def paragraph_end(end: int) -> int | None:
        """What is still open was scanned to the paragraph's end; a title to its quote and `)`."""
        for start in [*squares, *(p for p, _ in parens)]:
            if spent(start, end):
                return start
        for start, close in titled:
            if spent(close, quotes.after(start, end)):
                return start
        return None

    for m in _BRACKETS.finditer(body):
        c, pos = m.group(), m.start()
        if c == "[":
            squares.append(pos)
        elif c == "]":
            if squares and spent(start := squares.pop(), pos):
                return start
        elif c == "(":
            if pos and body[pos - 1] == "]":
                level += 1
                parens.append((pos, level))
            elif parens:
                level += 1
        elif c == ")":
            if parens:
                level -= 1
                while parens and parens[-1][1] > level:
                    start = parens.pop()[0]
                    if spent(start, pos):
                        return start
                    if body.find('"', start, pos) >= 0 or body.find("'", start, pos) >= 0:
                        titled.append((start, pos))
        elif _BLANK_REST.match(body, pos + 1):  # a line break, then a blank line
            crossed = paragraph_end(pos)
            if crossed is not None:
                return crossed
            squares, parens, titled, level = [], [], [], 0
    return paragraph_end(len(body))


class _QuoteCloses:
    """Where a link title's scan ends: the first quote and `)` after its first quote."""

    def __init__(self, body: str) -> None:
        self.body = body
        self.searched = self.found = self.found_end = -1  # the last search, remembered

    def after(self, start: int, end: int) -> int:
        found = [i for i in (self.body.find('"', start, end), self.body.find("'", start, end)) if i >= 0]
        if not found:
            return start
        quote = min(found) + 1
        if not self.searched <= quote <= self.found:
            m = _QUOTE_CLOSE.search(self.body, quote)
            self.searched = quote
            self.found, self.found_end = (m.start(), m.end()) if m else (len(self.body), len(self.body))
        return min(self.found_end, end)


def tag_scan(body: str, limit: int, attributes: int) -> int | None:
    """Characters the HTML parser scans for the ends of tags, and the attributes it splits.

    A `<` and a letter starts a tag that runs to the next `>`; with no `>` left in the body,
    each such `<` is scanned to the end. Each space, tab or newline in a tag may start an
    attribute, which costs about as much as 30 characters scanned.
    """
    total = 0
    resume = 0  # a `<` inside a tag already scanned is part of that tag
    end = len(body)
    closed = True  # whether any `>` is left
    spaces = 0
    for m in _TAG_OPEN.finditer(body):
        start = m.start()
        if start < resume:
            continue
        close = body.find(">", start) if closed else -1
        if close < 0:
            closed = False
            total += end - start
        else:
            total += close - start
            spaces += sum(body.count(c, start, close) for c in " \t\n")
            resume = close + 1
        if total > limit or spaces > attributes:
            return start
    return None


def attr_list_words(body: str, limit: int) -> int | None:
    """Words in `{: .class #id key=value}` attribute lists, which attr_list tokenises at ~9 us each."""
    words = 0
    resume = line_end = 0
    for m in _ATTR_LIST.finditer(body):
        start = m.start()
        if start < resume:
            continue
        if start >= line_end:
            line_end = body.find("\n", start)
            line_end = len(body) if line_end < 0 else line_end
        close = body.find("}", start, line_end)
        resume = line_end if close < 0 else close
        words += body.count(" ", start, resume) + 1
        if words > limit:
            return start
    return None
