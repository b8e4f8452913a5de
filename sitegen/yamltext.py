"""Values that are text to sitegen, built from YAML nodes exactly as the editor typed them.

YAML types a plain (unquoted) scalar by its look: `0701` is octal 449, `yes` and `on`
are booleans, `1e3` and `.inf` floats, `~` and `null` nothing, `12:30:00` an integer in
base 60. And ` #` starts a comment, so `title: 学习贯彻 #二十大# 精神专题` loses its end.
For the keys sitegen reads as text (title, source, ... and everything inside `extra`)
every scalar is kept as the characters typed instead, to any depth.

Inside `extra` that includes `3` and `true`: templates print these values, and what an
editor expects to see printed is what they typed ("0701", not "449"; "yes", not "True").
A template that wants a number or a flag converts it itself (`|int`, `== "true"`); note
that the text "false" is truthy in `{% if %}`.

A ` #` after a plain text value is never dropped silently: what follows is kept when it
is hashtags in the Chinese social-media form (`#二十大#`), which no one writes as a YAML
comment, and is an error otherwise, saying how to quote the value.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from sitegen import yamlsafe
from sitegen.errors import Problem

_MERGE = "tag:yaml.org,2002:merge"
# One or more `#话题#`, each opened by a `#` that is not followed by a space, and
# closed on the same line; words between them are allowed. `# 备注` never matches.
_HASHTAGS = re.compile(r"(?:#[^\s#][^#]*#[^#]*)+")


def quoted(text: str) -> str:
    """`text` as a YAML quoted scalar an editor can type: double quotes unless it needs escapes."""
    if '"' not in text and "\\" not in text:
        return f'"{text}"'
    return "'" + text.replace("'", "''") + "'"


def shown(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Builder:
    def __init__(self, lines: list[str], path: str, line_offset: int) -> None:
        self.lines = lines
        self.path = path
        self.offset = line_offset
        self.problems: list[Problem] = []

    def line(self, mark: Any) -> int:
        return int(mark.line) + 1 + self.offset

    def build(self, node: yaml.Node) -> Any:
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item) for item in node.value]
        return self.mapping(node)

    def mapping(self, node: yaml.MappingNode) -> dict[str, Any]:
        own: dict[str, Any] = {}
        merged: dict[str, Any] = {}  # `<<: *base`: keys of its own win, as in YAML
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            line = self.line(key_node.start_mark)
            if key_node.tag == _MERGE:
                sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                for source in sources:
                    if isinstance(source, yaml.MappingNode):
                        for key, value in self.mapping(source).items():
                            merged.setdefault(key, value)
                    else:
                        self.problems.append(Problem(
                            self.path, line, "<< 后面应是用 &名称 定义过的多项设置，例如 <<: *base。",
                            "`<<` merges a mapping (`<<: *base`), not a single value or list"))
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(yamlsafe.key_problem(self.path, line, alias=False))
                continue
            key = key_node.value
            if key in seen:
                self.problems.append(Problem(
                    self.path, line,
                    f"字段“{key}”重复出现（第一次在第 {seen[key]} 行）。请删除其中一个。",
                    f"duplicate key {key!r} (first at line {seen[key]})",
                ))
                continue
            seen[key] = line
            own[key] = self.build(value_node)
        return {**merged, **own}

    def scalar(self, node: yaml.ScalarNode) -> str:
        text = str(node.value)
        if node.style:  # quoted or a block (| >): the editor marked where the text ends
            return text
        end = node.end_mark
        rest = self.lines[end.line][end.column:] if end.line < len(self.lines) else ""
        comment = rest.lstrip(" \t")
        if not comment.startswith("#") or comment == rest:
            return text
        tail = comment.rstrip()
        typed = text + rest.rstrip() if text else tail
        if _HASHTAGS.fullmatch(tail):
            return typed
        start = node.start_mark
        lead = self.lines[start.line][: start.column].rstrip() if start.line < len(self.lines) else ""
        fix = f"{lead.strip()} {quoted(typed)}".strip()
        quote, drop = f"请把整个值用英文引号括起来：{fix}。", "如果 # 后面是备注，请删去它或把它移到单独一行。"
        if not text:  # nothing before the #: more likely a note than a title starting with #
            quote, drop = drop.replace("。", "；"), f"如果它是内容，请用英文引号括起来：{fix}。"
        self.problems.append(Problem(
            self.path, self.line(end),
            f"这一行的“ #”会被 YAML 当作注释的开始，它后面的“{shown(tail)}”会被丢掉，不出现在网页上。{quote}{drop}",
            f"' #' starts a YAML comment, so {shown(tail)!r} would be dropped; quote the whole value: {fix}"
            " (or delete the comment)",
        ))
        return text


def text_value(node: yaml.Node, lines: list[str], path: str, line_offset: int) -> tuple[Any, list[Problem]]:
    """`node` with every scalar in it as the text typed; an empty plain value is ""."""
    builder = _Builder(lines, path, line_offset)
    value = builder.build(node)
    unique = list(dict.fromkeys(builder.problems))  # a merged mapping is built once per use
    return value, unique
