"""Chinese-keyboard slips in front matter: an error at their line, with the line to type instead.

Editors type front matter with a Chinese input method on, which turns `:` into `：`,
`---` into `———`, a space into U+3000 and "…" into “…”. YAML then reads something else
than was meant (`title：学习` is one long text, U+3000 is no indentation to it, “学习”
keeps its curly quotes and publishes them) and its own error, if it has one, names the
wrong line or the wrong cause. So each suspect line is repaired and the front matter
read again: a slip is reported only when the repaired line reads as meant (a key where
a key was meant), and a `：` inside a summary or a block of text is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

import yaml

from sitegen.errors import Problem, did_you_mean
from sitegen.yamldoc import compose
from sitegen.yamltext import quoted, shown

_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2500\u2501\ufe58\ufe63\uff0d"
_FENCE = re.compile(f"[{re.escape(_DASHES)}]{{2,}}")
_KEY = r"[^\s:：#'\"“”‘’\[\]{},&*!|>%@`?-][^\s:：]*"
_WIDE_COLON = re.compile(rf"(?P<key>{_KEY})[ \t]*：[ \t\u3000]*(?P<rest>.*)")
_NO_SPACE = re.compile(rf"(?P<key>{_KEY}):(?P<rest>[^\s:].*)")
_CURLY = re.compile(r"(?P<lead>(?:- +)*(?:[^\s#'\"“”‘’\[\]{}&*!|>%@`-][^:]*?: +|- +))"
                    r"(?P<open>[“‘])(?P<inner>.*)(?P<close>[”’])[ \t]*")
_PAIRS = {"“": "“”", "‘": "‘’"}
_TRIES = 10  # suspect lines tried one by one, each a full reading; a real file has one or two
# Front matter people write is a few KB. A larger one is left to YAML's own errors:
# reading a hostile 1 MB one a dozen times more to explain a slip would take seconds.
_MAX_CHARS = 20_000

_ZH = {
    "indent": "行首用了全角空格（中文输入法的空格），YAML 不把它当作缩进",
    "colon": "字段名后面用了中文冒号“：”，YAML 只认英文冒号",
    "space": "英文冒号后面缺少空格，YAML 会把整行当作一段文字",
    "curly": "值用中文引号括了起来，YAML 会把中文引号当作文字发布到网页上",
}
_EN = {
    "indent": "full-width space (U+3000) used as indentation",
    "colon": "full-width colon '：' after the key",
    "space": "no space after ':'",
    "curly": "value wrapped in curly quotes",
}


def fence_slip(line: str, path: str, number: int) -> Problem | None:
    """A `---` fence typed with a Chinese input method: dashes or full-width hyphens."""
    text = line.strip() if number == 1 else line.rstrip()  # a closing fence starts its line
    if text.isascii() or not _FENCE.fullmatch(text):
        return None
    where = "开头" if number == 1 else "结尾"
    return Problem(
        path, number,
        f"第 {number} 行的“{shown(text)}”不是文章信息{where}的分隔线：分隔线必须是三个英文减号 ---，"
        "中文输入法打出的是破折号或全角减号。请切换到英文输入法，把这一行改成 ---",
        f"{text!r} is not a front matter fence: type three ASCII hyphens --- (a Chinese input method typed dashes)",
    )


@dataclass(frozen=True)
class _Slip:
    index: int  # 0-based line of the YAML text
    kinds: tuple[str, ...]
    column: int  # where YAML starts reading the line as it is
    quote: int  # column of an opening curly quote after the indentation, or -1
    typed_quote: int  # its column in the line as typed, or -1 when a repair before it moved it
    pair: str  # the curly quotes typed, open and close
    fixes: tuple[str, ...]  # repaired lines, best first
    shown: str  # the repaired line as the editor should type it


def _candidate(index: int, line: str) -> _Slip | None:
    body = line.lstrip(" \u3000")
    lead = line[: len(line) - len(body)]
    kinds: list[str] = []
    indents = [lead]
    if "\u3000" in lead:  # as wide as two spaces on screen; else one; else not there
        kinds.append("indent")
        indents = [lead.replace("\u3000", n) for n in ("  ", " ", "")]
        indents = list(dict.fromkeys(indents))
    for kind, pattern in (("colon", _WIDE_COLON), ("space", _NO_SPACE)):
        match = pattern.fullmatch(body)
        if match:
            kinds.append(kind)
            body = f"{match['key']}: {match['rest']}".rstrip()
            break
    shown_body = body
    quote, pair = -1, ""
    match = _CURLY.fullmatch(body)
    if match and match["close"] in _PAIRS[match["open"]] and not set(_PAIRS[match["open"]]) & set(match["inner"]):
        kinds.append("curly")
        quote, pair = len(match["lead"]), match["open"] + match["close"]
        body = match["lead"] + "'" + match["inner"].replace("'", "''") + "'"
        shown_body = match["lead"] + quoted(match["inner"])
    if not kinds:
        return None
    if not body:  # a line of nothing but full-width spaces: it can only go
        indents = [""]
    column = len(line) - len(line.lstrip(" "))
    moved = "colon" in kinds or "space" in kinds
    typed_quote = len(lead) + quote if quote >= 0 and not moved else -1  # YAML counts U+3000 as a column
    fixes = tuple(indent + body for indent in indents)
    return _Slip(index, tuple(kinds), column, quote, typed_quote, pair, fixes, shown_body)


@dataclass(frozen=True)
class _Shape:
    """Where a reading of the YAML put its keys and values: (line, column) pairs."""

    root_scalar: bool
    keys: frozenset[tuple[int, int]]
    plain: frozenset[tuple[int, int]]  # values typed without quotes
    quoted: frozenset[tuple[int, int]]
    own_line: frozenset[tuple[int, int]]  # values, on a line of their own, of keys that take a mapping

    @classmethod
    def of(cls, root: yaml.Node | None, mappings: Collection[str] = ()) -> _Shape | None:
        if root is None:
            return None
        keys: set[tuple[int, int]] = set()
        plain: set[tuple[int, int]] = set()
        quotes: set[tuple[int, int]] = set()
        own_line: set[tuple[int, int]] = set()
        stack: list[tuple[yaml.Node, bool]] = [(root, False)]
        seen: set[int] = set()
        while stack:  # nodes shared through aliases are visited once
            node, is_key = stack.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            at = (node.start_mark.line, node.start_mark.column)
            if isinstance(node, yaml.ScalarNode):
                if is_key or not node.style or node.style in ("'", '"'):  # not a block (| >)
                    (keys if is_key else plain if not node.style else quotes).add(at)
            elif isinstance(node, yaml.MappingNode):
                stack.extend(item for pair in node.value for item in ((pair[0], True), (pair[1], False)))
            else:
                stack.extend((item, False) for item in node.value)
        if isinstance(root, yaml.MappingNode):
            for key, value in root.value:
                if key.value in mappings and isinstance(value, yaml.ScalarNode) \
                        and value.start_mark.line > key.start_mark.line:
                    own_line.add((value.start_mark.line, value.start_mark.column))
        return cls(isinstance(root, yaml.ScalarNode), frozenset(keys), frozenset(plain), frozenset(quotes),
                   frozenset(own_line))

    def misread(self, slip: _Slip) -> bool:
        """Whether this reading of the line as typed is one no editor means."""
        at = (slip.index, slip.column)
        if "curly" in slip.kinds and (slip.index, slip.typed_quote) in self.plain:
            return True
        if "indent" in slip.kinds and at in self.keys:
            return True
        return bool({"colon", "space"} & set(slip.kinds)) and (
            self.root_scalar or at in self.keys or at in self.own_line)

    def fits(self, slip: _Slip, fix: str, broken: bool) -> bool:
        """Whether the repaired line reads as meant; `broken`: the line as typed was a YAML error."""
        indent = len(fix) - len(fix.lstrip(" "))
        if "curly" in slip.kinds and (slip.index, indent + slip.quote) not in self.quoted:
            return False
        if {"colon", "space"} & set(slip.kinds):
            return (slip.index, indent) in self.keys
        # a continuation line or a blank one holds no key; it was wrong only if YAML refused it
        return (slip.index, indent) in self.keys or "curly" in slip.kinds or (broken and slip.column == 0)


def _read(lines: list[str], fixed: dict[int, str], mappings: Collection[str]) -> _Shape | None:
    return _Shape.of(compose("\n".join(fixed.get(i, line) for i, line in enumerate(lines))), mappings)


def find(text: str, path: str, line_offset: int, known: Collection[str] = (),
         mappings: Collection[str] = ()) -> list[Problem]:
    """Slips in front matter `text`, each at its line; [] when there are none."""
    if len(text) > _MAX_CHARS:
        return []
    lines = text.split("\n")
    slips = [slip for i, line in enumerate(lines) if (slip := _candidate(i, line))]
    if not slips:
        return []
    typed = _read(lines, {}, mappings)
    if typed is not None:
        slips = [slip for slip in slips if typed.misread(slip)]
        if not slips:
            return []
    fixed: dict[int, str] = {}
    at_once = _read(lines, {slip.index: slip.fixes[0] for slip in slips}, mappings)
    if at_once is not None:
        fixed = {s.index: s.fixes[0] for s in slips if at_once.fits(s, s.fixes[0], typed is None)}
    for slip in [s for s in slips if s.index not in fixed][:_TRIES]:
        for fix in slip.fixes:
            shape = _read(lines, {**fixed, slip.index: fix}, mappings)
            if shape is not None and shape.fits(slip, fix, typed is None):
                fixed[slip.index] = fix
                break
        else:
            if typed is not None and "indent" in slip.kinds:  # a key beginning with U+3000 is never meant
                fixed[slip.index] = slip.fixes[-1]
    return [_problem(slip, fixed[slip.index], path, line_offset, known) for slip in slips if slip.index in fixed]


def _problem(slip: _Slip, fix: str, path: str, line_offset: int, known: Collection[str]) -> Problem:
    indent = len(fix) - len(fix.lstrip(" "))
    line = slip.shown
    zh_hint = en_hint = ""
    key = line.split(":", 1)[0]
    if indent == 0 and known and re.fullmatch(_KEY, key) and key not in known \
            and (hint := did_you_mean(key, list(known))):
        line = hint[0] + line[len(key):]
        zh_hint, en_hint = f"；字段名应是 {hint[0]}", f"; the key is {hint[0]!r}"
    where = ""
    if "indent" in slip.kinds:
        where = f"（行首用 {indent} 个英文空格缩进）" if indent else "（顶格写，行首不留空格）"
    zh = "，并且".join(_ZH[kind] for kind in slip.kinds)
    en = "; ".join(_EN[kind] for kind in slip.kinds)
    also = ""
    if "curly" in slip.kinds:
        inner = fix.lstrip(" ")
        also = f"；如果中文引号本来就是内容的一部分，请在外面再加英文引号：{_keep_curly(inner, slip)}"
    if not line:
        return Problem(path, slip.index + 1 + line_offset,
                       "这一行只有全角空格（中文输入法的空格），YAML 读不懂它。请删去这些空格，让它成为空行。",
                       "a line of nothing but full-width spaces (U+3000); delete them")
    return Problem(
        path, slip.index + 1 + line_offset,
        f"{zh}{zh_hint}。请改用英文输入法，这一行应写成：{line}{where}{also}",
        f"{en}{en_hint}; type: {line}",
    )


def _keep_curly(fix: str, slip: _Slip) -> str:
    """The repaired line with the curly quotes kept inside straight ones."""
    lead, value = fix[: slip.quote], fix[slip.quote:]
    inner = value[1:-1].replace("''", "'")
    return lead + quoted(slip.pair[0] + inner + slip.pair[1])
