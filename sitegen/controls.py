"""Characters that belong in no page: control characters pasted from Word, and what XML forbids.

A vertical tab or form feed copied from Word, or a stray U+0001, is invisible in an
editor, makes YAML refuse the front matter, and makes strict feed readers reject the
whole feed.xml. Front matter and bodies are cleaned when read (with a warning, so the
editor can fix the file); every XML output is cleaned when written.
"""

from __future__ import annotations

import re

from sitegen.errors import Problem

# XML 1.0 allows tab, newline and carriage return of the C0 controls, and no surrogates,
# U+FFFE or U+FFFF.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# What sitegen removes from articles: every C0 control but tab and newline, DEL, the C1
# controls and the two noncharacters. (\r is gone already: line ends are normalised.)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
# In front matter these act as white space (YAML even takes U+0085, U+2028 and U+2029 for
# line breaks, which would shift every line number after them): they become spaces.
_SPACES = re.compile("[\x0b\x0c\x85\u2028\u2029]")
# In a body a form feed or vertical tab was a line or page break: it becomes a line break.
_BREAKS = re.compile("[\x0b\x0c]")


def xml_safe(text: str) -> str:
    """`text` without the characters XML 1.0 forbids. For feed.xml and every XML output."""
    return _XML_FORBIDDEN.sub("", text)


def strip_controls(text: str) -> tuple[str, str | None]:
    """(`text` without control characters, the first one removed or None)."""
    found = _CONTROL.search(text)
    return (text, None) if found is None else (_CONTROL.sub("", text), found.group())


def clean_front_matter(text: str) -> tuple[str, list[tuple[int, str]]]:
    """(YAML text without control characters, [(0-based line, character)] for each line that had one)."""
    text = _SPACES.sub(" ", text)
    if _CONTROL.search(text) is None:
        return text, []
    removed = []
    lines = text.split("\n")
    for i, line in enumerate(lines):
        lines[i], char = strip_controls(line)
        if char is not None:
            removed.append((i, char))
    return "\n".join(lines), removed


def clean_body(text: str) -> str:
    """A Markdown body without control characters; form feeds and vertical tabs become line breaks."""
    if _CONTROL.search(text) is None:
        return text
    return _CONTROL.sub("", _BREAKS.sub("\n", text))


def first_control(text: str) -> tuple[int, str] | None:
    """(index, character) of the first control character in `text`."""
    found = _CONTROL.search(text)
    return None if found is None else (found.start(), found.group())


def removed_warning(path: str, line: int, char: str, where: str = "这一行") -> Problem:
    code = f"U+{ord(char):04X}"
    if _BREAKS.match(char):
        done_zh, done_en = "已换成换行", "replaced by a line break"
    else:
        done_zh, done_en = "已将它删除", "removed"
    return Problem(
        path, line,
        f"{where}有不可见的控制字符 {code}（常见于从 Word 或网页复制的文字），{done_zh}。",
        f"control character {code} {done_en}",
        warning=True,
    )
