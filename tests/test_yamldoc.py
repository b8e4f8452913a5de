"""YAML that is valid but hostile: aliases, huge numbers, deep nesting. Each is a Problem at its line."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from sitegen.yamldoc import compose, parse_mapping


def laughs(levels: int, key_alias: bool = False) -> str:
    """The 'billion laughs': each level is a list of ten aliases to the level before."""
    lines = ['a0: &a0 ["lol"]']
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]")
    lines.append(f"? *a{levels}\n: x" if key_alias else f"title: *a{levels}")
    return "\n".join(lines) + "\n"


def problems(text: str) -> list[tuple[int | None, str]]:
    fields, found = parse_mapping(text, "x.md", line_offset=1)
    assert not (fields and found) or all(p.line for p in found)
    return [(p.line, p.en) for p in found]


def test_alias_as_key_is_refused_at_its_line() -> None:
    start = time.perf_counter()
    found = problems(laughs(3, key_alias=True))
    assert time.perf_counter() - start < 1
    assert found == [(6, "an alias cannot be used as a key")]


def test_scalar_alias_as_key_is_refused() -> None:
    [(line, en)] = problems("a: &k title\n*k : x\n")
    assert line == 3 and "alias" in en


@pytest.mark.parametrize("text", ["[a, b]: x\n", "? [a, b]\n: x\n", "{a: 1}: x\n"])
def test_non_scalar_key_is_refused(text: str) -> None:
    [(line, en)] = problems(text)
    assert line == 2 and "key" in en


def test_alias_expansion_is_bounded() -> None:
    start = time.perf_counter()
    found = problems(laughs(4))  # a4, on line 6, is 10^4 strings: more than an article ever has
    assert time.perf_counter() - start < 1
    assert found == [(6, "value too large: more than 10000 items once its aliases are expanded")]


def test_self_referencing_alias_is_refused() -> None:
    [(line, en)] = problems("extra: &a [1, *a]\n")
    assert line == 2 and "refers to itself" in en


def test_small_aliases_still_work() -> None:
    fields, found = parse_mapping("base: &b {x: 1}\nextra: {y: *b}\n", "x.md")
    assert not found and fields[1].value == {"y": {"x": 1}}


def test_aliases_that_only_deepen_are_bounded() -> None:
    lines = ["a0: &a0 [x]"] + [f"a{i}: &a{i} [*a{i - 1}]" for i in range(1, 400)]
    found = problems("\n".join(lines) + "\n")
    assert found and "deep" in found[-1][1]


@pytest.mark.parametrize("text, line", ids=["digits", "nested-digits", "deep"], argvalues=[
    ("draft: " + "9" * 5000 + "\n", 2),  # int() refuses more than 4300 digits
    ("title: x\nextra:\n  n: " + "1" * 5000 + "\n", 4),
    ("extra: " + "[" * 1000 + "]" * 1000 + "\n", 2),  # RecursionError while constructing
])
def test_construction_errors_are_problems(text: str, line: int) -> None:
    found = problems(text)
    assert found and found[0][0] == line


def test_deep_nesting_does_not_crash_the_process() -> None:
    """libyaml's composer recurses in C: 100,000 levels used to kill the interpreter (SIGSEGV)."""
    code = ("from sitegen.yamldoc import parse_mapping\n"
            "f, p = parse_mapping('extra: ' + '[' * 100000 + ']' * 100000, 'x.md')\n"
            "print(p[0].line, p[0].en)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("1 ") and "deep" in done.stdout


def test_raw_text_of_plain_scalars() -> None:
    fields, found = parse_mapping("title: 2024.10\nsource: 0701\nauthor: true\nsummary: '0701'\n"
                                  "slug: ~\ndraft: true\n", "x.md", text_keys={"title", "source", "author",
                                                                               "summary", "slug"})
    assert not found
    assert {f.key: f.value for f in fields} == {  # `~` is what was typed: only an empty value is nothing
        "title": "2024.10", "source": "0701", "author": "true", "summary": "0701", "slug": "~", "draft": True}
    assert [f.raw for f in fields] == ["2024.10", "0701", "true", "0701", "~", "true"]


def test_long_number_as_text_is_not_constructed() -> None:
    fields, found = parse_mapping("title: " + "7" * 5000 + "\n", "x.md", text_keys={"title"})
    assert not found and fields[0].value == "7" * 5000


def test_control_character_error_has_a_line() -> None:
    """The YAML reader refuses control characters; its error carries a position, not a mark."""
    [(line, _)] = problems("title: 标题\nsource: 人民\x01网\n")
    assert line == 3


TEXT = {"title", "extra"}


def test_text_keys_keep_every_scalar_inside_as_typed() -> None:
    fields, found = parse_mapping("extra:\n  a: 0701\n  b: [yes, ~, 1e3]\n  c: {d: 12:30:00}\n  e:\n  1: x\n",
                                  "x.md", text_keys=TEXT)
    assert not found
    assert fields[0].value == {"a": "0701", "b": ["yes", "~", "1e3"], "c": {"d": "12:30:00"}, "e": "", "1": "x"}
    assert fields[0].raw is None  # a mapping has no text of its own


def test_other_keys_are_typed_by_yaml() -> None:
    fields, found = parse_mapping("extra: {a: 0701}\ndraft: yes\n", "x.md")
    assert not found and [f.value for f in fields] == [{"a": 449}, True]


def test_duplicate_key_inside_a_text_value() -> None:
    """YAML keeps the last silently: one of the two values the editor typed would vanish."""
    found = parse_mapping("extra:\n  a: 1\n  b:\n    c: 2\n    c: 3\n", "x.md", line_offset=1, text_keys=TEXT)[1]
    assert [(p.line, p.en) for p in found] == [(6, "duplicate key 'c' (first at line 5)")]


def test_merge_keys_and_aliases_inside_a_text_value() -> None:
    text = "base: &b {x: 1, y: 2}\nextra:\n  <<: *b\n  y: 3\n  z: *b\n"
    fields, found = parse_mapping(text, "x.md", text_keys=TEXT)
    assert not found and fields[1].value == {"x": "1", "y": "3", "z": {"x": "1", "y": "2"}}
    [problem] = parse_mapping("extra:\n  <<: 5\n", "x.md", text_keys=TEXT)[1]
    assert problem.line == 2 and "merges a mapping" in problem.en


def test_a_list_as_a_key_inside_a_text_value() -> None:
    [problem] = parse_mapping("extra:\n  ? [a, b]\n  : c\n", "x.md", text_keys=TEXT)[1]
    assert problem.line == 2 and "key" in problem.en


def test_hostile_text_values_are_still_refused() -> None:
    [problem] = parse_mapping(laughs(4).replace("title:", "extra:"), "x.md", text_keys=TEXT)[1]
    assert "too large" in problem.en
    found = parse_mapping("extra: " + "[" * 60 + "]" * 60 + "\n", "x.md", text_keys=TEXT)[1]
    assert found and "deep" in found[0].en


def test_compose_is_a_quiet_second_reading() -> None:
    assert compose("a: [\n") is None
    assert compose("extra: " + "[" * 100000 + "]" * 100000) is None
    assert compose(laughs(5)) is None
    node = compose("a: b\n")
    assert node is not None and node.value[0][0].value == "a"


@pytest.mark.parametrize("text, value, en", [
    ("title: 学习 #二十大# 精神\n", "学习 #二十大# 精神", None),
    ("title: 学习 # 备注\n", "学习", "' #' starts a YAML comment, so '# 备注' would be dropped"),
    ("title: '学习' # 备注\n", "学习", None),
    ("title: 学习#二十大\n", "学习#二十大", None),
])
def test_hash_after_a_plain_text_value(text: str, value: str, en: str | None) -> None:
    fields, found = parse_mapping(text, "x.md", text_keys=TEXT)
    assert fields[0].value == fields[0].raw == value
    assert [p.en.split(";")[0] for p in found] == ([en] if en else [])
