"""Resolve every internal href/src of a built site as a browser would under a sub-path."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.links.append(value)
            elif name == "srcset" and value:  # "a.480.webp 480w, a.960.webp 960w": every candidate
                self.links.extend(part.split()[0] for part in value.split(",") if part.strip())
            if name == "id" and value:
                self.ids.add(value)


def parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def broken_links(output: Path, prefix: str = "/dangjian/") -> list[str]:
    """Every internal link that does not resolve to a file (or anchor) in `output`."""
    broken = []
    for page in sorted(output.rglob("*.html")):
        if page.name == "404.html":
            continue  # links are absolute from base_path there; checked separately
        rel = page.relative_to(output).as_posix()
        page_url = f"http://host{prefix}{rel}"
        links = parse(page)
        for link in links.links:
            url = urlsplit(urljoin(page_url, link))
            if url.netloc != "host":
                continue  # outside the site (ancestor crumbs)
            path = unquote(url.path)
            if not path.startswith(prefix):
                broken.append(f"{rel}: {link} escapes {prefix}")
                continue
            target = output / path[len(prefix):]
            if path.endswith("/"):
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{rel}: {link} -> missing {target.relative_to(output)}")
            elif url.fragment and target.suffix == ".html" and unquote(url.fragment) not in parse(target).ids:
                broken.append(f"{rel}: {link} -> no #{url.fragment}")
    return broken
