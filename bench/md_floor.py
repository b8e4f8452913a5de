"""Markdown CPU floor: CPU seconds Python-Markdown alone needs for every article body.

    python bench/md_floor.py CORPUS_DIR      # prints one JSON object

Any generator that renders the corpus with Python-Markdown must spend at least
this much CPU, so `sitegen cold wall / (floor / cores)` says how close sitegen
gets to the best a perfectly parallel Python-Markdown pipeline could do.  It
runs as its own process so the harness's memory and threads do not disturb it.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import markdown

EXTENSIONS = ["tables", "footnotes", "attr_list", "fenced_code", "toc"]


def body_of(text: str) -> str:
    """The text after the closing '---' of the YAML front matter (all of it if none)."""
    if not text.startswith("---"):
        return text
    end = text.find("\n---\n", 3)
    return text if end < 0 else text[end + len("\n---\n") :]


def markdown_cpu_seconds(bodies: list[str]) -> float:
    # One converter reused with reset(), as a real pipeline would, so the
    # extension set-up cost is paid once rather than per article.
    converter = markdown.Markdown(extensions=EXTENSIONS)
    start = time.process_time()
    for body in bodies:
        converter.reset()
        converter.convert(body)
    return time.process_time() - start


def main(argv: list[str]) -> None:
    corpus = Path(argv[1])
    # Reading files is excluded from the timed part: the floor is Markdown's work only.
    bodies = [body_of(p.read_text(encoding="utf-8")) for p in sorted(corpus.glob("*.md"))]
    cpu = markdown_cpu_seconds(bodies)
    print(json.dumps({"cpu_s": cpu, "articles": len(bodies), "markdown": markdown.__version__}))


if __name__ == "__main__":
    main(sys.argv)
