"""Find the legacy pages under the SOURCEs given, in a fixed order, and hand each to its reader."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from sitegen.legacy.model import Page, Skipped
from sitegen.legacy.text import read_text_export

TEXT = {".txt"}
HTML = {".html", ".htm", ".shtml", ".php", ".asp", ".aspx", ".jsp"}
_NOT_PAGES = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".svg", ".ico", ".heic", ".tif", ".tiff",
              ".css", ".js", ".json", ".xml", ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx",
              ".wps", ".et", ".dps", ".ofd", ".zip", ".rar", ".7z", ".gz", ".mp4", ".mp3", ".swf", ".flv",
              ".woff", ".woff2", ".ttf", ".eot", ".md", ".yaml", ".yml"}
_HTML_START = (b"<!doctype html", b"<html", b"<head", b"<meta", b"<body", b"<!--")


def pages(sources: list[Path]) -> Iterator[tuple[Path, Path]]:
    """(page file, the SOURCE root it was found under), each SOURCE's pages sorted by path."""
    seen: set[Path] = set()
    for source in sources:
        found = [(source, source.parent)] if source.is_file() else [(path, source) for path in _walk(source)]
        for path, root in found:
            if path.resolve() not in seen:  # a file under two SOURCEs is one page
                seen.add(path.resolve())
                yield path, root


def _walk(folder: Path) -> list[Path]:
    found = []
    for here, dirs, files in os.walk(folder):
        # A saved page's `<name>_files/` holds its images and scripts; hidden folders are tools' own.
        dirs[:] = [d for d in dirs if not d.startswith(".") and not d.endswith(("_files", "_文件"))]
        found += [Path(here) / f for f in files if not f.startswith(".") and is_page(Path(here) / f)]
    return sorted(found, key=lambda p: p.relative_to(folder).as_posix())


def is_page(path: Path) -> bool:
    """A text export or an HTML page; images, attachments and scripts are only ever assets."""
    suffix = path.suffix.lower()
    if suffix in TEXT or suffix in HTML:
        return True
    if suffix in _NOT_PAGES:
        return False
    # Extension-less, or wget's `show.php?id=3` (suffix ".php?id=3"): a page if it starts as one.
    return looks_like_html(path)


def looks_like_html(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            start = fh.read(1024).lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    except OSError:
        return False
    return start.startswith(_HTML_START)


def read_page(path: Path, root: Path) -> Page | Skipped:
    if path.suffix.lower() in TEXT:
        return read_text_export(path, root)
    if not is_page(path):  # named on the command line: a photo, a PDF
        return Skipped(path, "不是网页或文本导出，没有导入 (neither a web page nor a text export)")
    try:
        # Imported lazily: the HTML reader (sitegen/legacy/html/) brings a parser a text import never needs.
        from sitegen.legacy.html import read_html
    except ImportError:
        return Skipped(path, "暂不支持导入 HTML 页面（sitegen.legacy.html 尚未安装） "
                             "(HTML pages cannot be imported yet: no HTML reader)")
    return read_html(path, root)
