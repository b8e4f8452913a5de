"""The text of a saved page: its declared charset, else detection."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

# <meta charset="gbk"> or <meta http-equiv="Content-Type" content="text/html; charset=gb2312">, in the head:
# browsers look at the first 1024 bytes; old CMS heads with long keyword lists push it further.
_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HEAD_BYTES = 4096
# GB2312 and GBK pages often hold characters outside their table (a name's rare character, a
# Windows "smart" quote) that the CMS wrote anyway; GB18030 is a superset that decodes all of them.
_CHINESE = frozenset({"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "ms936", "euc-cn", "hz-gb-2312", "csgb2312"})
# What a Chinese CMS page can be in; detection left to choose among all code pages mistakes short
# GBK pages for Korean or Cyrillic ones.
_CANDIDATES = ["utf_8", "gb18030", "big5", "utf_16"]


def declared(raw: bytes) -> str | None:
    """The charset a BOM or <meta> declares, normalised to a Python codec name; None if none or unknown."""
    if raw.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    match = _META.search(raw[:_HEAD_BYTES])
    if not match:
        return None
    name = match.group(1).decode("ascii", "replace").lower()
    if name in _CHINESE:
        return "gb18030"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode(raw: bytes) -> tuple[str, str] | None:
    """(text, codec used), or None when no candidate reads the bytes.

    A declared charset that the bytes contradict (a page re-saved as UTF-8 by an editor, its
    meta still saying gb2312) is not trusted: detection decides instead.
    """
    name = declared(raw)
    if name == "gb18030" and not raw.isascii():
        # GB18030 accepts almost any bytes, so a page re-saved as UTF-8 under its old gb2312 meta would
        # decode without an error, as mojibake; a whole page of Chinese that is valid UTF-8 is UTF-8
        # (GBK's byte pairs almost never form UTF-8's lead-and-continuation sequences).
        try:
            return raw.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    if name:
        try:
            return raw.decode(name), name
        except (UnicodeDecodeError, LookupError):
            pass
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in raw and not raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None  # binary, not a page
    best = from_bytes(raw, cp_isolation=_CANDIDATES).best()
    if best is None:
        return None
    codec = "gb18030" if best.encoding.replace("_", "") in {"gb2312", "gbk", "gb18030"} else best.encoding
    try:
        return raw.decode(codec), codec
    except (UnicodeDecodeError, LookupError):
        return None
