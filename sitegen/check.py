"""`sitegen check`: what a reader would trip over in the built pages.

Every internal link and image must resolve to a file (and #anchor) in the
output, every image needs alt text, and no page may have an empty title.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from sitegen.errors import Problem

_GLUED = re.compile(r"^/[^?#]*?[a-zA-Z][a-zA-Z0-9+.-]*://")  # /dangjian/https://… (a base path before a URL)


class PageScan(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.images_without_alt: list[str] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.links.extend(v for k, v in attrs if k in ("href", "src") and v is not None)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        # alt="" marks a decorative image (a listing's thumbnail beside its linked title); a missing
        # alt is an oversight. The build itself warns about editors' images with no description.
        if tag == "img" and values.get("alt") is None:
            self.images_without_alt.append(values.get("src") or "")
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False if tag == "title" else self._in_title

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def scan(path: Path) -> PageScan:
    parser = PageScan()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def check_output(output: Path, prefix: str = "/site/", sources: dict[str, str] | None = None) -> list[Problem]:
    """Problems in the built site at `output`, as served under `prefix`.

    `sources` maps output pages to the article files they came from, so that
    problems name the file an editor can fix.
    """
    sources = sources or {}
    problems = []
    scans: dict[Path, PageScan] = {}

    def scanned(path: Path) -> PageScan:
        if path not in scans:
            scans[path] = scan(path)
        return scans[path]

    for page in sorted(output.rglob("*.html")):
        rel = page.relative_to(output).as_posix()
        where = sources.get(rel, rel)
        found = scanned(page)
        if not found.title.strip():
            problems.append(Problem(where, None, "页面标题为空。", "the page has an empty <title>"))
        for src in found.images_without_alt:
            problems.append(Problem(where, None, f"图片 {src} 缺少替代文字，请写成 ![图片说明]({src})。",
                                    f"image {src} has no alt text"))
        if page.name == "404.html":  # its links are absolute from base_path, for any depth
            problems += [Problem(where, None, f"链接 {link} 把网站路径接在了完整网址前面，请检查模板中的 rel()。",
                                 f"broken link {link}: a path prefix glued onto an absolute URL")
                         for link in found.links if _GLUED.match(link)]
            continue
        page_url = f"http://site.invalid{prefix}{rel}"
        for link in found.links:
            url = urlsplit(urljoin(page_url, link))
            if url.netloc != "site.invalid":
                continue
            path = unquote(url.path)
            target = output / path[len(prefix):] if path.startswith(prefix) else None
            if target is not None and path.endswith("/"):
                target = target / "index.html"
            if target is None or not target.is_file():
                problems.append(Problem(where, None, f"链接 {link} 指向的页面或文件不存在。",
                                        f"broken link {link}"))
            elif url.fragment and target.suffix == ".html" and unquote(url.fragment) not in scanned(target).ids:
                problems.append(Problem(where, None, f"链接 {link} 指向的锚点不存在。", f"broken anchor {link}"))
    return problems
