"""What the search index reads for one article: its text with every Chinese character a word of its own.

Pagefind's extended build segments Chinese with jieba when it indexes and with the
browser's ICU segmenter when it searches; the two disagree, and a query can only
find the start of an indexed word. Measured on 880 articles, that found 29% of the
pages that contain a random two-to-four-character phrase. Indexing each Han character
as a word and searching a phrase as Pagefind's exact (position-checked) phrase makes
search a literal substring match, as readers expect of Ctrl+F: 100% in the same test.
"""

from __future__ import annotations

import html
import re

from sitegen.model import Article

# Han ideographs (BMP, extension A, compatibility, and the supplementary planes' extensions).
_HAN_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# A space before every Han character (and between one and a following letter or digit), never before
# punctuation: 廉洁“微课堂” -> 廉 洁“ 微 课 堂”. Each word is then one character with the punctuation after
# it, which Pagefind trims; punctuation takes no position of its own, so 廉洁微课堂 finds 廉洁“微课堂”.
_BEFORE_HAN = re.compile(f"(?<=[^\\s【（《“‘「『〔［〈(\\[{{])(?=[{_HAN_CLASS}])")
_OPENING = re.compile("(?<=\\S)(?=[【（《“‘「『〔［〈(\\[{]+[" + _HAN_CLASS + "])")  # 洁“微 -> 洁 “微
_HAN_THEN_ALNUM = re.compile(f"(?<=[{_HAN_CLASS}])(?=[A-Za-z0-9])")
_BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|td|th|figcaption|blockquote|pre|div|tr)>|<br\s*/?>", re.I)
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"[ \t\u3000]+")
_LINES = re.compile(r"\s*\n\s*")


def plain_text(body_html: str) -> str:
    """Visible text of a rendered body, a line per block, without tags or entities."""
    text = _TAG.sub("", _BLOCK_END.sub("\n", body_html))
    return _LINES.sub("\n", _SPACE.sub(" ", html.unescape(text))).strip()


def spaced(text: str) -> str:
    """Each Han character a separate word; Latin words and numbers stay whole."""
    return _HAN_THEN_ALNUM.sub(" ", _BEFORE_HAN.sub(" ", _OPENING.sub(" ", text)))


# The records' language is "und" (undetermined), not zh: for zh, Pagefind's extended build runs
# jieba over each word we made, which cuts punctuation off into words of its own, and a phrase
# across 廉洁“微课堂” would no longer be contiguous. The text is already cut into words here.
def record(article: Article, category: str, body_html: str, rev: str) -> str:
    """The HTML Pagefind indexes for one article: never published, only indexed.

    `rev`, the record's key, makes its Pagefind id new whenever the key is: the search page
    drops a replaced entry of the base bundle by id, and must not drop its replacement too.
    """
    esc = html.escape
    day = article.date.strftime("%Y-%m-%d")
    sort_key = article.date.strftime("%Y%m%d%H%M%S")
    paragraphs = "\n".join(f"<p>{esc(spaced(line))}</p>" for line in plain_text(body_html).split("\n") if line)
    return (
        '<!DOCTYPE html>\n<html lang="und"><head><meta charset="utf-8"><title></title></head><body>\n'
        f'<main data-pagefind-body data-pagefind-meta="title:{esc(article.title)}"'
        f' data-pagefind-sort="date:{sort_key}">\n'
        f'<span data-pagefind-meta="date:{day}" data-pagefind-ignore></span>'
        f'<span data-pagefind-meta="category:{esc(category)}" data-pagefind-ignore></span>'
        f'<span data-pagefind-meta="rev:{esc(rev)}" data-pagefind-ignore></span>\n'
        f"<h1>{esc(spaced(article.title))}</h1>\n{paragraphs}\n</main>\n</body></html>\n"
    )
