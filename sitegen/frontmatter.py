"""Split a Markdown file into its YAML front matter and body, with line numbers."""

from __future__ import annotations

import bisect
from collections.abc import Collection
from dataclasses import dataclass

from sitegen import slips
from sitegen.controls import clean_front_matter, removed_warning
from sitegen.errors import Problem
from sitegen.yamldoc import Field, parse_mapping

_GBK_HINT = (
    "文件不是 UTF-8 编码（可能是 Windows 记事本保存的 GBK/ANSI）。"
    "请用“另存为”选择 UTF-8 编码后重新保存。"
)


@dataclass(frozen=True)
class Keys:
    """What the caller knows of the front matter's keys."""

    text: Collection[str] = ()  # every scalar in the value is the text typed (title, extra)
    raw: Collection[str] = ()  # a scalar value is handed over as typed, for the caller to parse (date)
    known: Collection[str] = ()  # every key: a slip's suggested line also corrects a misspelt key
    mappings: Collection[str] = ()  # keys whose value is a mapping (extra): `key：value` under one is a slip


@dataclass(frozen=True)
class Document:
    fields: tuple[Field, ...]
    body: str
    body_line: int  # file line where the body starts


def decode(raw: bytes, path: str) -> tuple[str | None, Problem | None]:
    if not raw.strip():
        return None, Problem(path, None, "文件是空的。请写入 --- 包围的文章信息和正文，或删除此文件。",
                             "the file is empty")
    if b"\x00" in raw:
        return None, Problem(path, None, "这不是文本文件（可能是图片或 Word 文档被改成了 .md）。",
                             "binary file with a Markdown name")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, Problem(path, line, _GBK_HINT, "file is not UTF-8 (GBK?); re-save it as UTF-8")
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


def split(text: str, path: str, keys: Keys = Keys()) -> tuple[Document | None, list[Problem]]:
    """The front matter's fields and the body; values are read as `keys` says."""
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        slip = slips.fence_slip(lines[0], path, 1)
        return None, [slip or Problem(
            path, 1,
            "文件开头缺少文章信息。第一行应是 ---，接着写 title、date、category 等，再以 --- 结束。",
            "no front matter: the first line must be `---`",
        )]
    for end in range(1, len(lines)):
        if lines[end].rstrip() in ("---", "..."):
            break
        slip = slips.fence_slip(lines[end], path, end + 1)
        if slip:  # before any `---` further down, such as a rule in the body
            return None, [slip]
    else:
        return None, [Problem(
            path, 1,
            "文章信息没有结束：第 1 行的 --- 之后找不到结束的 ---。请在文章信息后单独一行写 ---。",
            "front matter opened with `---` on line 1 is never closed",
        )]
    yaml_text, removed = clean_front_matter("\n".join(lines[1:end]))
    problems = slips.find(yaml_text, path, 1, keys.known, keys.mappings)
    fields: list[Field] = []
    if not problems:  # a slip makes YAML read something else than meant: nothing to build from
        fields, problems = parse_mapping(yaml_text, path, line_offset=1, text_keys=keys.text, raw_keys=keys.raw)
    if removed:  # warned at the line of the field the character was in
        starts = sorted(f.line for f in fields)
        problems = [*(removed_warning(path, _field_line(starts, i + 2), char) for i, char in removed), *problems]
    body = "\n".join(lines[end + 1:])
    return Document(tuple(fields), body, end + 2), problems


def _field_line(starts: list[int], line: int) -> int:
    """The line of the field that `line` belongs to: the last one starting at or before it."""
    at = bisect.bisect_right(starts, line)
    return starts[at - 1] if at else line


def body_of(text: str) -> str:
    """The body of a file that already passed `split`, without parsing its YAML again."""
    lines = text.split("\n")
    for end in range(1, len(lines)):
        if lines[end].rstrip() in ("---", "..."):
            return "\n".join(lines[end + 1:])
    return ""
