"""Worst cases just under sitegen.limits: how long Markdown plus the sanitiser take on each.

    python bench/limits.py [FILTER]     # one line per case; FILTER picks cases by name

For every pathological family, the largest size that sitegen.limits still accepts is
found by bisection, and that body is converted (sitegen.markup.to_html) and sanitised
(sitegen.sanitize.make_sanitizer(())) as a build would. No case should take much more
than a second. A run takes a few minutes.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from sitegen.limits import check_body
from sitegen.markup import to_html
from sitegen.sanitize import make_sanitizer

Case = Callable[[int], str]
CASES: dict[str, Case] = {
    "unmatched [": lambda n: "[" * n,
    "unmatched [ in prose": lambda n: "[文字" * n,
    "[a]( repeated": lambda n: "[a](" * n,
    "nested [[[x]]]": lambda n: "[" * n + "x" + "]" * n,
    "one [ per paragraph end": lambda n: ("[" + "文" * n + "\n\n") * 50,
    "<a unclosed": lambda n: "<a " * n,
    "x <a b= unclosed": lambda n: "x <a b=" * n,
    "<a in long prose": lambda n: ("<a" + "文" * 2000) * n,
    "nested list, 4 spaces": lambda n: "".join(" " * (4 * (i % 12)) + "- x\n" for i in range(n)),
    "nested ol, 4 spaces": lambda n: "".join(" " * (4 * (i % 12)) + "1. x\n" for i in range(n)),
    "- - - chains": lambda n: ("- " * 12 + "x\n") * n,
    "- - - chains, blank lines": lambda n: ("- " * 12 + "x\n\n") * n,
    "> > > quotes": lambda n: "".join("> " * (1 + i % 12) + "x\n" for i in range(n)),
    "> and - mixed": lambda n: "".join("> - " * (1 + i % 6) + "x\n" for i in range(n)),
    "deep list, same depth": lambda n: "".join(" " * (4 * i) + "- x\n" for i in range(12)) + (" " * 44 + "- x\n") * n,
    "<div> nesting": lambda n: "<div>" * n + "x" + "</div>" * n,
    "<div> lines": lambda n: "<div>\n" * n + "x\n" + "</div>\n" * n,
    "* emphasis nesting": lambda n: "*a " * n + "x" + " a*" * n,
    "_ emphasis nesting": lambda n: "_a " * n + "x" + " a_" * n,
    "** nesting": lambda n: "**a " * n + "x" + " a**" * n,
    "backtick runs": lambda n: "".join("`" * i + "a" for i in range(1, n)),
    "one backtick run": lambda n: "`" * n,
    "tiny paragraphs": lambda n: "a\n\n" * n,
    "lines in one paragraph": lambda n: "中文\n" * n,
    "list items": lambda n: "- a\n" * n,
    "quote paragraphs": lambda n: "> a\n>\n" * n,
    "table rows": lambda n: "|a|b|\n|-|-|\n" + "|x|y|\n" * n,
    "table cells": lambda n: "|" + "a|" * n + "\n|" + "-|" * n + "\n|" + "b|" * n + "\n",
    "links": lambda n: "[a](b) " * n,
    "CJK links": lambda n: "[文](b) " * n,
    "images": lambda n: "![a](b) " * n,
    "emphasis": lambda n: "*a* " * n,
    "underscores": lambda n: "_a_ " * n,
    "code spans": lambda n: "`a` " * n,
    "<b> tags": lambda n: "<b>a</b>" * n,
    "<span> tags": lambda n: "<span>a</span>" * n,
    "entities": lambda n: "&amp;" * n,
    "escapes \\*": lambda n: "\\*" * n,
    "same footnote": lambda n: "[^1]" * n + "\n\n[^1]: note\n",
    "distinct footnotes": lambda n: "".join(f"x[^{i}]" for i in range(n)) + "\n\n"
    + "".join(f"[^{i}]: y\n" for i in range(n)),
    "equal headings": lambda n: "# x\n\n" * n,
    "headings": lambda n: "".join(f"# h{i}\n\n" for i in range(n)),
    "hard breaks": lambda n: "a  \n" * n,
    "attribute lists": lambda n: "a\n{: .c}\n\n" * n,
    "fenced code": lambda n: "```\na\n```\n\n" * n,
    "link references": lambda n: "x\n\n" + "".join(f"[r{i}]: http://a/{i}\n" for i in range(n)),
    "CJK prose": lambda n: "中文段落，测试。" * n,
    "CJK prose lines": lambda n: ("中文段落，测试。" * 40 + "\n\n") * n,
    "link titles never closed": lambda n: '[a](b "c) ' * n,
    "link titles closed": lambda n: '[a](b "c") ' * n,
    "quote in link, no )": lambda n: '[a](b"' + "c) " * n,
    "tag with many attributes": lambda n: "<div " + "a " * n + ">x</div>",
    "tags with attributes": lambda n: '<span a="1" b="2" c="3">x</span>' * n,
    "comment never closed": lambda n: "<!--" + "a " * n,
    "processing instruction never closed": lambda n: "<?php " + "a " * n,
    "autolink never closed": lambda n: "<http://" + "a" * n,
    "attribute list words": lambda n: "# x {: " + " ".join(f"#i{i}" for i in range(n)) + " }",
    "attribute lists with classes": lambda n: "x\n{: " + " ".join(f".c{i}" for i in range(n)) + " }",
    "long link text": lambda n: "[" + "文" * n + "](x)",
    "long URL": lambda n: "[a](" + "x" * n + ")",
    "[ ( ] ) interleaved": lambda n: "[" * n + "(" * n + "]" * n + ")" * n,
    "tab-indented lists": lambda n: "".join("\t" * (i % 12) + "- x\n" for i in range(n)),
    "quotes of lists": lambda n: "".join("> " * 6 + "- " * 6 + "x\n" for _ in range(n)),
    "mixed: budget, brackets and tags": lambda n: "- a\n" * n + "\n\n" + "[文字" * 500 + "\n\n" + "<a " * 1100,
    "mixed: footnotes and lines": lambda n: "".join(f"x[^{i}]" for i in range(1000)) + "\n\n"
    + "".join(f"[^{i}]: y\n" for i in range(1000)) + "a\n\n" * n,
}


def largest(case: Case) -> int:
    """The largest n whose body passes the limits (0 if none): doubling, then bisection."""
    if check_body(case(1), "x.md", 1):
        return 0
    lo, hi = 1, 2
    while not check_body(case(hi), "x.md", 1):  # every case fails by 1 MB, so this ends
        lo, hi = hi, hi * 2
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if not check_body(case(mid), "x.md", 1) else (lo, mid)
    return lo


def main() -> None:
    clean = make_sanitizer(())
    wanted = sys.argv[1] if len(sys.argv) > 1 else ""
    worst = 0.0
    for name, case in CASES.items():
        if wanted not in name:
            continue
        n = largest(case)
        body = case(n)
        start = time.perf_counter()
        clean(to_html(body))
        took = time.perf_counter() - start
        worst = max(worst, took)
        print(f"{name:34s} n={n:>7d} {len(body.encode()):>9d} B {took:6.2f} s", flush=True)
    print(f"worst: {worst:.2f} s")


if __name__ == "__main__":
    main()
