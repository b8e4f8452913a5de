"""YAML mappings with the line number of every key.

Shared by site.yaml and article front matter, so both report errors at the
editor's line. Timestamps are not resolved by YAML: sitegen parses dates itself,
so an impossible date is an error at its line, not a constructor crash.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from sitegen.errors import Problem

try:  # libyaml is several times faster on large sites
    _Base: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Base = yaml.SafeLoader


class _Loader(_Base):  # type: ignore[misc,valid-type]
    pass


_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != _TIMESTAMP]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class Field:
    key: str
    value: Any
    line: int  # 1-based line in the file
    item_lines: tuple[int, ...] = ()  # when the value is a list: the line of each item


def _yaml_error(exc: yaml.YAMLError, path: str, line_offset: int, text: str) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 + line_offset if mark is not None else None
    detail = getattr(exc, "problem", None) or str(exc)
    lines = text.splitlines()
    if mark is not None and mark.line < len(lines) and "\t" in lines[mark.line]:
        return Problem(
            path, line,
            "这一行用了 Tab 缩进，YAML 只允许空格缩进。请把 Tab 换成空格。",
            "tab character used for indentation; YAML allows spaces only",
        )
    if detail == "mapping values are not allowed in this context":
        return Problem(
            path, line,
            "这一行多了一个冒号。内容本身含冒号时，请用引号把整段括起来，例如 title: '天津: 吹响督战号角'。",
            "a second `: ` on this line; quote the value if it contains a colon",
        )
    column = f"，第 {mark.column + 1} 列" if mark is not None else ""
    return Problem(
        path, line,
        f"YAML 格式错误{column}：{detail}。常见原因：冒号后缺空格、引号不成对、缩进不齐。",
        f"YAML syntax error: {detail}",
    )


def parse_mapping(
    text: str, path: str, line_offset: int = 0
) -> tuple[list[Field], list[Problem]]:
    """Parse `text` as a YAML mapping; `line_offset` maps its lines to the file's."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return [], []
        if not isinstance(node, yaml.MappingNode):
            return [], [Problem(
                path, node.start_mark.line + 1 + line_offset,
                "这里应是“字段: 值”形式的多行设置，而不是单个值或列表。",
                "expected a mapping of `key: value` lines",
            )]
        fields: list[Field] = []
        problems: list[Problem] = []
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1 + line_offset
            key = str(key)
            if key in seen:
                problems.append(Problem(
                    path, line,
                    f"字段“{key}”重复出现（第一次在第 {seen[key]} 行）。请删除其中一个。",
                    f"duplicate key {key!r} (first at line {seen[key]})",
                ))
                continue
            seen[key] = line
            items = value_node.value if isinstance(value_node, yaml.SequenceNode) else []
            item_lines = tuple(n.start_mark.line + 1 + line_offset for n in items)
            fields.append(Field(key, loader.construct_object(value_node, deep=True), line, item_lines))
        return fields, problems
    except yaml.YAMLError as exc:
        return [], [_yaml_error(exc, path, line_offset, text)]
    finally:
        loader.dispose()
