"""Which files an article may publish for download, and how a link to one is labelled.

Attachments are published as they are, under the article's folder, with the
editor's file name. Only document and archive types are allowed: a web page or
script published beside our pages would run with the site's origin.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from urllib.parse import quote

# Extension -> what the label calls it. WPS Office (wps/et/dps) and OFD (the Chinese
# national e-document format) are what government and hospital notices come in.
TYPES = {
    "pdf": "PDF", "doc": "DOC", "docx": "DOCX", "xls": "XLS", "xlsx": "XLSX", "ppt": "PPT",
    "pptx": "PPTX", "wps": "WPS", "et": "ET", "dps": "DPS", "ofd": "OFD", "zip": "ZIP",
    "rar": "RAR", "7z": "7Z", "txt": "TXT",
}
IMAGES = ("jpg", "jpeg", "png", "webp", "gif", "heic", "heif", "avif", "svg")
REFUSED = {
    "exe", "msi", "bat", "cmd", "com", "scr", "ps1", "vbs", "vbe", "wsf", "js", "mjs", "jar", "apk",
    "sh", "py", "php", "asp", "aspx", "jsp", "html", "htm", "xhtml", "shtml", "hta", "lnk", "dll",
}


def suffix(path: str) -> str:
    return PurePosixPath(path).suffix.lower().lstrip(".")


def is_image(path: str) -> bool:
    return suffix(path) in IMAGES


def refusal(path: str) -> tuple[str, str] | None:
    """Why this file may not be published as an attachment, or None if it may."""
    ext = suffix(path)
    if ext in TYPES:
        return None
    allowed = "、".join(sorted(TYPES))
    if ext in REFUSED:
        return (f"不能发布 .{ext} 文件：网页、程序和脚本文件可能被用来攻击读者。"
                f"请改为 PDF，或压缩成 ZIP 后再作为附件。可用的附件类型：{allowed}。",
                f".{ext} files are refused (pages, programs and scripts); convert to PDF or zip it")
    return (f"不支持 .{ext or '（无扩展名）'} 类型的附件。可用的附件类型：{allowed}。"
            "如确需发布，请压缩成 ZIP。",
            f"attachments of type .{ext} are not supported; allowed: {', '.join(sorted(TYPES))}")


def size_text(size: int) -> str:
    """1.2 MB, 356 KB, 820 字节: one decimal only where it matters to a reader."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size} 字节"


def label(path: str, size: int) -> str:
    return f"（{TYPES.get(suffix(path), suffix(path).upper())}，{size_text(size)}）"


def href(name: str) -> str:
    """A file name as a relative URL: Chinese kept readable by servers, spaces and #? escaped."""
    return quote(name, safe="()!*'~-._")
