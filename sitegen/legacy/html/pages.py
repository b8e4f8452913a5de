"""Articles the CMS split over several pages (DedeCMS #p#, PHPCMS [page]): 123.html, 123_2.html, 123_3.html."""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup, Tag

from sitegen.legacy.html import encoding, rules

_MAX_PAGES = 50  # no real article has more; a loop of links cannot run on


def _numbered(path: Path) -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(path.stem)}_(\d+){re.escape(path.suffix)}$")


def continuations(path: Path, soup: BeautifulSoup) -> list[Path]:
    """The files of pages 2, 3, … that the first page links to and that were saved beside it."""
    pattern = _numbered(path)
    numbers: set[int] = set()
    for a in soup.find_all("a", href=True):
        name = str(a["href"]).split("?")[0].split("#")[0].rsplit("/", 1)[-1]
        match = pattern.match(name)
        if match and (path.parent / name).is_file():
            numbers.add(int(match.group(1)))
    return [path.parent / f"{path.stem}_{n}{path.suffix}" for n in sorted(numbers)[:_MAX_PAGES]]


def first_page(path: Path) -> Path | None:
    """For 123_2.html, the 123.html beside it that it continues; None for a page of its own."""
    match = re.match(r"^(.+)_(\d+)$", path.stem)
    first = path.with_name(match.group(1) + path.suffix) if match else None
    if first is None or not first.is_file():
        return None
    decoded = encoding.decode(first.read_bytes())
    return first if decoded and path in continuations(first, BeautifulSoup(decoded[0], "html.parser")) else None


def merge(body: Tag, rule: str, files: list[Path]) -> list[str]:
    """Appends the later pages' bodies to `body`; returns warnings for pages that could not be read."""
    warnings = []
    for file in files:
        decoded = encoding.decode(file.read_bytes())
        found = rules.find(BeautifulSoup(decoded[0], "html.parser")) if decoded else None
        if found is None or found.rule != rule:
            warnings.append(f"分页文章的续页 {file.name} 读不出正文，未并入（{file.name}, a later page, not merged）")
            continue
        body.append(found.body)
        found.body.name = "div"
    return warnings
