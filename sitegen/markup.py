"""Markdown to HTML, with the fixes Chinese text needs.

One engine per process, reset between articles: building a Markdown instance
costs far more than converting a typical article.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree

import markdown
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.inlinepatterns import InlineProcessor, SubstituteTagInlineProcessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from sitegen.controls import clean_body
from sitegen.mdrefs import ReferencesExtension

# Scripts written without spaces: Han (and the planes rare names use), kana, bopomofo, CJK punctuation
# and full-width forms. Not U+3000, which is a space.
_CJK = ("\u2e80-\u2fdf\u3001-\u30ff\u3100-\u312f\u31a0-\u9fff\uf900-\ufaff\ufe10-\ufe1f\ufe30-\ufe4f"
        "\uff00-\uffef\U00020000-\U0003134f")
_CJK_CHAR = re.compile(f"[{_CJK}]")
# Both scripts use these: they take the side of the nearest other character (“中”\n“文” joins, “a”\nb not).
_SHARED = frozenset("“”‘’…—")
_UNSURE = _SHARED | {"", "\x02", "\x03"}  # for a quick decision: shared, string's end, placeholder
_NONE, _LATIN, _HAN, _SHARED_ONLY = 0, 1, 2, 3  # the nearest visible character on one side of a break
_BREAK = re.compile(r"([ \t]*\n[ \t]*)")  # a soft line break, as Markdown leaves it, with the blanks around it
_PLACEHOLDER = re.compile("\x02(wzxhzdk:)?([0-9]+)\x03")  # an escaped character, or stashed raw HTML
# Never entered: code blocks, and things that are not text (an image is no character).
_OPAQUE = frozenset({"pre", "img", "picture", "br", "hr", "video", "audio", "iframe", "script", "style", "math"})


def _side(text: str, last: bool) -> int:
    """The nearest character of `text` from its end (`last`) or start, as _NONE/_LATIN/_HAN/_SHARED_ONLY."""
    shared = False
    for ch in reversed(text) if last else text:
        if ch in _SHARED:
            shared = True
        elif not ch.isspace():
            return _HAN if _CJK_CHAR.match(ch) else _LATIN
    return _SHARED_ONLY if shared else _NONE


def cjk_edge(text: str, last: bool) -> bool | None:
    """Whether `text` ends (`last`) or starts in CJK, for the no-space rule; None if it is blank."""
    return None if (side := _side(text, last)) == _NONE else side != _LATIN


def _set(el: etree.Element, attr: str, text: str) -> None:
    setattr(el, attr, AtomicString(text) if isinstance(getattr(el, attr), AtomicString) else text)


class _AsteriskRun(InlineProcessor):
    """`*********` in Chinese prose is a censor mark, not emphasis: keep it as text."""

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[str, int, int]:  # type: ignore[override]
        return AtomicString(m.group(0)), m.start(0), m.end(0)


class _JoinCjkLines(Treeprocessor):
    """Drop soft line breaks next to CJK text, which browsers would show as a space.

    After inline parsing, so a break's neighbours are known even inside a link, emphasis, code
    or footnote mark: the text between block starts and ends (and <br>, images) is one flow.
    """

    blocks: frozenset[str] = frozenset()

    def run(self, root: etree.Element) -> None:
        self.blocks = self.blocks or frozenset(self.md.block_level_elements)  # complete by the first run
        if not self._any_break(root):  # as most articles: a flat loop costs a fifth of the walk
            return
        self.slots: list[tuple[etree.Element, str, bool] | None] = []  # (el, "text"/"tail", writable); None: flow ends
        if self._walk(root):
            self._join()

    def _any_break(self, root: etree.Element) -> bool:
        for el in root.iter():
            text, tail = el.text, el.tail
            if el.tag in self.blocks:  # its tail, or blank text, is the indentation prettify adds
                if text and "\n" in text and not text.isspace():
                    return True
            elif (text and "\n" in text and el.tag != "code") or (tail and "\n" in tail):
                return True
        return False

    def _walk(self, parent: etree.Element) -> bool:
        found = False
        for el in parent:
            tag = el.tag
            block = tag in self.blocks
            if tag in _OPAQUE:
                self.slots.append(None)
            else:
                if block:
                    self.slots.append(None)
                # A block's blank text is the indentation prettify adds; inline code stays as written.
                if el.text and not (block and el.text.isspace()):
                    found = self._take(el, "text", tag != "code") or found
                found = self._walk(el) or found
                if block:
                    self.slots.append(None)
            if el.tail:  # after a block a flow starts: a break there has nothing before it
                found = self._take(el, "tail", not block) or found
        return found

    def _take(self, el: etree.Element, attr: str, writable: bool) -> bool:
        """Add a string to the flow; join its breaks between Han and a plain character. Any left for `_join`?"""
        self.slots.append((el, attr, writable))
        text = getattr(el, attr)
        if not writable or "\n" not in text:
            return False
        parts = _BREAK.split(text)  # segment, break, segment, ..., segment
        left = False
        for k in range(1, len(parts), 2):
            a, b = parts[k - 1][-1:], parts[k + 1][:1]
            if a in _UNSURE or b in _UNSURE or a.isspace() or b.isspace():
                left = True
            elif _CJK_CHAR.match(a) or _CJK_CHAR.match(b):
                parts[k] = ""
        if (joined := "".join(parts)) != text:
            _set(el, attr, joined)
        return left

    def _join(self) -> None:
        """The breaks `_take` left, each decided by the nearest visible characters, in one pass."""
        before = _NONE  # the nearest visible character so far in this flow
        # Breaks (parts of a split string, index, before) followed by nothing visible yet, or by shared punctuation.
        waiting: list[tuple[list[str], int, int]] = []
        shared: list[tuple[list[str], int, int]] = []
        edits: list[tuple[etree.Element, str, list[str]]] = []

        def settle(breaks: list[tuple[list[str], int, int]], after: int) -> None:
            for parts, k, at in breaks:  # no space if either side is CJK; Latin on both keeps its space
                if at != _NONE and after != _NONE and not at == after == _LATIN:
                    parts[k] = ""

        def visible(segment: str) -> None:
            nonlocal before, waiting, shared
            if "\x02" in segment:
                segment = _PLACEHOLDER.sub(self._decode, segment)
            if not segment or segment.isspace():
                return
            if waiting or shared:
                after = _side(segment, last=False)
                if after == _SHARED_ONLY:
                    shared += waiting  # in place: a copy here made long runs quadratic
                    waiting = []
                elif after != _NONE:
                    settle(waiting + shared, after)
                    waiting, shared = [], []
            end = _side(segment, last=True)
            if end in (_LATIN, _HAN) or (end == _SHARED_ONLY and before == _NONE):
                before = end

        for slot in [*self.slots, None]:
            if slot is None:  # the flow ends: breaks followed by nothing stay
                settle(shared, _SHARED_ONLY)
                before, waiting, shared = _NONE, [], []
                continue
            el, attr, writable = slot
            text = getattr(el, attr)
            if not writable or "\n" not in text:
                visible(text)
                continue
            parts = _BREAK.split(text)  # segment, break, segment, ..., segment
            visible(parts[0])
            for k in range(1, len(parts), 2):
                waiting.append((parts, k, before))
                visible(parts[k + 1])
            edits.append((el, attr, parts))
        for el, attr, parts in edits:
            _set(el, attr, "".join(parts))

    def _decode(self, m: re.Match[str]) -> str:
        """What a placeholder shows: an escaped character, an entity's character, or nothing (a tag)."""
        if not m.group(1):
            return chr(int(m.group(2)))
        stash, n = self.md.htmlStash.rawHtmlBlocks, int(m.group(2))
        raw = stash[n] if n < len(stash) else ""
        return html.unescape(raw) if isinstance(raw, str) and raw.startswith("&") else ""


class _HeadingIds(Treeprocessor):
    """Anchor ids for headings, as the toc extension would give them, at a tenth of its cost.

    toc also builds a table of contents nobody here uses; it was 18% of the
    Markdown time on the benchmark corpus.
    """

    def run(self, root: etree.Element) -> None:
        used: set[str] = set()
        next_n: dict[str, int] = {}  # per base, where to try next: linear in equal headings, not quadratic
        for el in root.iter():
            if el.tag in _HEADINGS:
                ident = el.get("id") or slugify_unicode("".join(el.itertext()).strip(), "-") or "section"
                base, n = ident, next_n.get(ident, 1)
                while ident in used:
                    ident = f"{base}_{n}"
                    n += 1
                next_n[base] = n
                used.add(ident)
                el.set("id", ident)


_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


class ChineseExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # Above em_strong (60) and not_strong (70), so the run is claimed first.
        md.inlinePatterns.register(_AsteriskRun(r"(\*{4,}|_{4,})", md), "asterisk_run", 80)
        # A backslash ending a line is a hard break, as in CommonMark, beside two trailing blanks.
        md.inlinePatterns.register(SubstituteTagInlineProcessor(r"\\\n", "br"), "backslash_break", 99)
        # After inline (20): the text is final, each break's neighbours known. After attr_list
        # (8), whose `{: .x}` on a paragraph's last line needs the break before it.
        md.treeprocessors.register(_JoinCjkLines(md), "join_cjk_lines", 6)
        # After inline (20) and attr_list (8), so `{#id}` wins and the text is final.
        md.treeprocessors.register(_HeadingIds(md), "heading_ids", 5)


def make_engine() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=[
            "tables", "footnotes", "attr_list", "fenced_code", "sane_lists", ChineseExtension(),
            ReferencesExtension(),
        ],
        extension_configs={"footnotes": {"BACKLINK_TITLE": "返回正文第 %d 处"}},
        output_format="html",
    )


_engine: markdown.Markdown | None = None


def to_html(text: str) -> str:
    global _engine
    if _engine is None:
        _engine = make_engine()
    try:
        return _engine.reset().convert(clean_body(text))
    except BaseException:
        _engine = None  # a conversion that failed half-way leaves the engine's state broken
        raise
