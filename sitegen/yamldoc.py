"""YAML mappings with the line number of every key.

Shared by site.yaml and article front matter, so both report errors at the
editor's line. Timestamps are not resolved by YAML: sitegen parses dates itself,
so an impossible date is an error at its line, not a constructor crash. Keys are
their text as written; values that are text to sitegen are kept as written too
(`text_keys`, see sitegen.yamltext), so `title: 2024.10` stays "2024.10", and a
scalar the caller parses itself (`raw_keys`: dates) is handed over untyped. Hostile
YAML (alias bombs, deep nesting) is refused by sitegen.yamlsafe before any value is built.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import yaml

from sitegen import yamlsafe, yamltext
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
    raw: str | None = None  # a scalar's text as written (None when empty, and for lists and mappings)


_NULL = "tag:yaml.org,2002:null"


def _yaml_error(exc: yaml.YAMLError, path: str, line_offset: int, text: str) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 + line_offset if mark is not None else None
    detail = getattr(exc, "problem", None) or str(exc)
    if isinstance(exc, yaml.reader.ReaderError):  # a character YAML refuses: a position, no mark
        return _reader_error(exc, path, line_offset, text)
    if "maximum nesting depth" in detail:  # PyYAML 6.0.4 and later stop deep nesting themselves
        return Problem(path, line, *yamlsafe.TOO_DEEP)
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


def _reader_error(exc: yaml.reader.ReaderError, path: str, line_offset: int, text: str) -> Problem:
    # libyaml counts bytes of UTF-8; the pure-Python reader counts characters
    before = text.encode("utf-8")[: exc.position].count(b"\n") if _Base is not yaml.SafeLoader \
        else text[: exc.position].count("\n")
    char = exc.character if isinstance(exc.character, int) else ord(exc.character or "\0")
    return Problem(
        path, before + 1 + line_offset,
        f"这一行有 YAML 不允许的不可见字符 U+{char:04X}（常见于从网页或 Word 复制的文字）。请删除它后重新输入。",
        f"unacceptable character U+{char:04X} (a control character)",
    )


def _construct_problem(exc: Exception, path: str, line: int) -> Problem:
    detail = f"{type(exc).__name__}: {str(exc)[:120]}"
    return Problem(
        path, line,
        "这个值无法读取（数字过长或写法有误）。如果它是一段文字，请用引号括起来。",
        f"cannot read this value ({detail})",
    )


def _refused(text: str, path: str, line_offset: int) -> Problem | None:
    """Hostile nesting or aliases, found from the parser's events before anything is composed."""
    if "*" not in text and not yamlsafe.may_nest_deeply(text):
        return None
    walker = _Loader(text)
    try:
        return yamlsafe.check_events(walker, path, line_offset)
    except yaml.YAMLError as exc:
        return _yaml_error(exc, path, line_offset, text)
    finally:
        walker.dispose()


def compose(text: str) -> yaml.Node | None:
    """The node graph of `text`, or None when YAML refuses it: a second reading, to explain an error."""
    if _refused(text, "", 0):
        return None
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is not None and "*" in text and isinstance(node, yaml.MappingNode) \
                and yamlsafe.check_sizes(node.value, "", 0):
            return None
        return node  # type: ignore[no-any-return]
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()


def parse_mapping(
    text: str, path: str, line_offset: int = 0, text_keys: Collection[str] = (), raw_keys: Collection[str] = ()
) -> tuple[list[Field], list[Problem]]:
    """Parse `text` as a YAML mapping; `line_offset` maps its lines to the file's.

    Every scalar in the values of `text_keys` is the text typed (sitegen.yamltext);
    scalar values of `raw_keys` are handed over as typed, for the caller to parse.
    """
    aliases = "*" in text
    refused = _refused(text, path, line_offset)
    if refused:
        return [], [refused]
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
        refused = yamlsafe.check_sizes(node.value, path, line_offset) if aliases else None
        if refused:
            return [], [refused]
        fields: list[Field] = []
        problems: list[Problem] = []
        seen: dict[str, int] = {}
        lines = text.split("\n")
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1 + line_offset
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(yamlsafe.key_problem(path, line, alias=False))
                continue
            key = key_node.value
            if key in seen:
                problems.append(Problem(
                    path, line,
                    f"字段“{key}”重复出现（第一次在第 {seen[key]} 行）。请删除其中一个。",
                    f"duplicate key {key!r} (first at line {seen[key]})",
                ))
                continue
            seen[key] = line
            scalar = isinstance(value_node, yaml.ScalarNode)
            # `null` and `~` are what was typed; only an empty value is nothing
            raw = value_node.value if scalar and (value_node.tag != _NULL or value_node.value) else None
            if key in text_keys:
                value, found = yamltext.text_value(value_node, lines, path, line_offset)
                problems.extend(found)
                raw = value if isinstance(value, str) and value else None
            elif scalar and key in raw_keys:
                value = raw
            else:
                try:
                    value = loader.construct_object(value_node, deep=True)
                except yaml.YAMLError:
                    raise
                except Exception as exc:  # int() of 5,000 digits, an overflow: the value's fault
                    problems.append(_construct_problem(exc, path, value_node.start_mark.line + 1 + line_offset))
                    continue
            items = value_node.value if isinstance(value_node, yaml.SequenceNode) else []
            item_lines = tuple(n.start_mark.line + 1 + line_offset for n in items)
            fields.append(Field(key, value, line, item_lines, raw))
        return fields, problems
    except yaml.YAMLError as exc:
        return [], [_yaml_error(exc, path, line_offset, text)]
    finally:
        loader.dispose()
