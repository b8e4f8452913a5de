"""markdownify against html2text on the fixtures: the body lines each gets as expected.

Run: `python tests/legacy/html/measure_converters.py` (html2text is not a dependency: pip install it).
Both get the same cleaned body and the same tidying; only the HTML-to-Markdown step differs.
"""

from __future__ import annotations

import json
from pathlib import Path

from sitegen.legacy.html import read_html
from sitegen.legacy.model import Page

HERE = Path(__file__).parent


def main() -> None:
    totals = {"markdownify": [0, 0, 0], "html2text": [0, 0, 0]}  # lines matched, lines expected, bodies exact
    print(f"{'fixture':40} {'markdownify':>12} {'html2text':>12}")
    for expected in sorted(HERE.glob("*/expected.json")):
        data = json.loads(expected.read_text(encoding="utf-8"))
        for case in data["pages"]:
            if "body" not in case:
                continue
            want = [line for line in case["body"] if line.strip()]
            row = []
            for name, total in totals.items():
                page = read_html(expected.parent / case["page"], expected.parent / data["root"], converter=name)
                assert isinstance(page, Page)
                got = set(page.body.split("\n"))
                hits = sum(line in got for line in want)
                total[0] += hits
                total[1] += len(want)
                total[2] += page.body.split("\n") == case["body"]
                row.append(f"{hits}/{len(want)}")
            print(f"{expected.parent.name + '/' + case['page']:40} {row[0]:>12} {row[1]:>12}")
    for name, (hits, lines, exact) in totals.items():
        print(f"{name}: {hits}/{lines} lines as expected, {exact} bodies exact")


if __name__ == "__main__":
    main()
