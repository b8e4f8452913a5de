"""Bounds for YAML that is valid but hostile: deep nesting and alias bombs.

An alias is a reference, so ~1 KB of YAML can stand for a billion strings ("billion
laughs"). Loading it is cheap, because the loader shares the objects, but anything
that walks the value later (str() of a key, repr, json, a template) expands it. And
libyaml's composer recurses in C, so 100,000 nested `[` crash the interpreter before
Python's recursion limit is reached. These checks run before anything is built from
the text; no real article or site.yaml comes near their limits.
"""

from __future__ import annotations

from typing import Any

import yaml

from sitegen.errors import Problem

MAX_DEPTH = 50  # nested lists and mappings; front matter uses 3, site.yaml about 10
MAX_NODES = 10_000  # values in the whole document, counting each use of an alias in full


class _Refused(Exception):
    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en


TOO_DEEP = (
    f"这里的列表或设置嵌套超过 {MAX_DEPTH} 层。文章信息用不到这么深的嵌套，请检查缩进和括号。",
    f"lists and mappings nested more than {MAX_DEPTH} levels deep",
)
_TOO_LARGE = (
    f"这里的值展开后超过 {MAX_NODES} 项（YAML 别名 *名称 会把引用的内容整段复制）。请删去别名，直接写出内容。",
    f"value too large: more than {MAX_NODES} items once its aliases are expanded",
)
_CYCLE = (
    "这里的值通过 YAML 别名（*名称）引用了自身，无法展开。请删去这个别名。",
    "value refers to itself through an alias",
)


def may_nest_deeply(text: str) -> bool:
    """False when `text` cannot nest MAX_DEPTH levels: every level needs a bracket, an indicator or a line."""
    bound = text.count("\n") + sum(text.count(c) for c in "[{-?:") + 1
    return bound >= MAX_DEPTH


def check_events(loader: Any, path: str, line_offset: int) -> Problem | None:
    """Nesting depth, and aliases or collections used as keys, from the parser's events.

    Events carry the alias's own position; the composed graph only has the anchor's.
    Reading events does not recurse, so this is safe on any nesting.
    """
    stack: list[list[int]] = []  # per open collection: [is a mapping, children so far]
    while not loader.check_event(yaml.StreamEndEvent):
        event = loader.get_event()
        if isinstance(event, yaml.CollectionEndEvent):
            stack.pop()
        elif isinstance(event, yaml.NodeEvent):  # scalars, aliases, collection starts
            line = event.start_mark.line + 1 + line_offset
            if stack and stack[-1][0] and stack[-1][1] % 2 == 0 and not isinstance(event, yaml.ScalarEvent):
                return key_problem(path, line, isinstance(event, yaml.AliasEvent))
            if isinstance(event, yaml.CollectionStartEvent):
                if len(stack) >= MAX_DEPTH:
                    return Problem(path, line, *TOO_DEEP)
                stack.append([isinstance(event, yaml.MappingStartEvent), 0])
                continue
        else:
            continue
        if stack:
            stack[-1][1] += 1
    return None


def key_problem(path: str, line: int, alias: bool) -> Problem:
    if alias:
        return Problem(path, line, "字段名不能是 YAML 别名（*名称）。请直接写出字段名。",
                       "an alias cannot be used as a key")
    return Problem(path, line, "字段名应是一个词，例如 title，而不是列表或多项设置。",
                   "a key must be plain text, not a list or mapping")


def check_sizes(pairs: list[tuple[yaml.Node, yaml.Node]], path: str, line_offset: int) -> Problem | None:
    """Every value's size with its aliases expanded, over the composed graph, memoised per node."""
    memo: dict[int, tuple[int, int]] = {}
    total = 0
    for key_node, value_node in pairs:
        try:
            total += _measure(value_node, 1, memo, set())[0]
            if total > MAX_NODES:
                raise _Refused(*_TOO_LARGE)
        except _Refused as exc:
            return Problem(path, key_node.start_mark.line + 1 + line_offset, exc.zh, exc.en)
    return None


def _measure(node: yaml.Node, depth: int, memo: dict[int, tuple[int, int]], active: set[int]) -> tuple[int, int]:
    """(nodes, height) of `node` expanded; raises _Refused past the limits or on a cycle."""
    known = memo.get(id(node))
    if known is None:
        if isinstance(node, yaml.ScalarNode):
            return 1, 1
        if id(node) in active:
            raise _Refused(*_CYCLE)
        if depth >= MAX_DEPTH:
            raise _Refused(*TOO_DEEP)
        active.add(id(node))
        size, height = 1, 0
        children = node.value if isinstance(node, yaml.SequenceNode) else [n for pair in node.value for n in pair]
        for child in children:
            child_size, child_height = _measure(child, depth + 1, memo, active)
            size += child_size
            height = max(height, child_height)
            if size > MAX_NODES:
                raise _Refused(*_TOO_LARGE)
        active.discard(id(node))
        known = memo[id(node)] = (size, height + 1)
    if depth + known[1] > MAX_DEPTH + 1:
        raise _Refused(*TOO_DEEP)
    return known
