"""URL slugs: pinyin for Chinese, python-slugify for everything else."""

from __future__ import annotations

import re
from functools import lru_cache

from slugify import slugify

MAX_LENGTH = 60
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}-(?=.)")


@lru_cache(maxsize=1)
def _pinyin():  # type: ignore[no-untyped-def]
    # Imported lazily: its phrase dictionary costs ~0.3 s and tens of MB, and
    # most slugs (file names, explicit slugs) never need it.
    from pypinyin import lazy_pinyin

    return lazy_pinyin


# Pinyin slugs already worked out, kept in the build cache between runs so that a
# rebuild need not load pypinyin's dictionaries at all.
_known: dict[str, str] = {}
_used: set[str] = set()


def remember(known: dict[str, str], used: bool = False) -> None:
    _known.update(known)
    if used:  # worked out by a pool worker for this build
        _used.update(known)


def known() -> dict[str, str]:
    """Every slug this process knows: a spawned worker starts with none of the parent's."""
    return dict(_known)


def remembered() -> dict[str, str]:
    """The slugs this process has used, so the saved table does not grow forever."""
    return {text: _known[text] for text in _used}


def make_slug(text: str) -> str:
    """A lowercase ASCII slug of at most ~60 characters, cut at a word boundary.

    pypinyin reads phrases (廉洁 is lian-jie, 重庆 is chong-qing), where
    python-slugify's per-character transliteration would read lian-ji.
    """
    if not _CJK.search(text):
        return slugify(text, max_length=MAX_LENGTH, word_boundary=True)
    if text not in _known:
        _known[text] = slugify(" ".join(_pinyin()(text)), max_length=MAX_LENGTH, word_boundary=True)
    _used.add(text)
    return _known[text]


def slug_from_filename(stem: str) -> str:
    """Jekyll-style: a leading date in the file name is already in the permalink."""
    return make_slug(_DATE_PREFIX.sub("", stem))
