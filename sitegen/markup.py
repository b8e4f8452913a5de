"""Markdown to HTML, with the fixes Chinese text needs.

One engine per process, reset between articles: building a Markdown instance
costs far more than converting a typical article.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import markdown
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from sitegen.controls import clean_body

# Han, kana, CJK symbols and full-width punctuation: the scripts written without spaces.
_CJK = r"\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’…—"
# A line break between two CJK characters, allowing emphasis markers around it.
_CJK_BREAK = re.compile(rf"(?<=[{_CJK}])([*_~`]*)[ \t]*\n[ \t]*([*_~`]*)(?=[{_CJK}])")


class _AsteriskRun(InlineProcessor):
    """`*********` in Chinese prose is a censor mark, not emphasis: keep it as text."""

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[str, int, int]:  # type: ignore[override]
        return AtomicString(m.group(0)), m.start(0), m.end(0)


class _JoinCjkLines(Treeprocessor):
    """Drop soft line breaks between CJK characters.

    Browsers render a newline as a space, which Chinese text never has. Runs
    before inline parsing so a break next to `**` markers is seen too.
    """

    def run(self, root: etree.Element) -> None:
        for el in root.iter():
            if el.tag in ("pre", "code"):
                continue
            if el.text and "\n" in el.text and not isinstance(el.text, AtomicString):
                el.text = _CJK_BREAK.sub(r"\1\2", el.text)


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
        # The inline processor is registered at 20; this must see the raw text.
        md.treeprocessors.register(_JoinCjkLines(md), "join_cjk_lines", 25)
        # After inline (20) and attr_list (8), so `{#id}` wins and the text is final.
        md.treeprocessors.register(_HeadingIds(md), "heading_ids", 5)


def make_engine() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=[
            "tables", "footnotes", "attr_list", "fenced_code", "sane_lists", ChineseExtension(),
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
