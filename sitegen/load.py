"""Stage 1, load: find the Markdown files under content/ (the input end of the I/O).

Only names and stamps are gathered here; files are read by whoever needs their
bytes, so a rebuild with nothing changed reads none of them.
"""

from __future__ import annotations

import os
from pathlib import Path

MARKDOWN_SUFFIXES = (".md", ".markdown")


def is_editor_junk(name: str) -> bool:
    """Backup, swap and lock files that editors leave beside real articles."""
    return (
        name.startswith((".", "~", "#"))
        or name.endswith(("~", ".swp", ".swo", ".tmp", ".bak"))
    )


def scan_sources(site_dir: Path, folder: str = "content") -> dict[str, tuple[int, int]]:
    """Every article file, as a site-relative posix path -> (mtime_ns, size), in sorted order."""
    found: dict[str, tuple[int, int]] = {}
    try:
        entries = sorted(os.scandir(site_dir / folder), key=lambda e: e.name)
    except FileNotFoundError:
        return found
    for entry in entries:
        if is_editor_junk(entry.name):
            continue
        rel = f"{folder}/{entry.name}"
        if entry.is_dir():
            found.update(scan_sources(site_dir, rel))
        elif entry.name.lower().endswith(MARKDOWN_SUFFIXES) and entry.is_file():
            st = entry.stat()
            found[rel] = (st.st_mtime_ns, st.st_size)
    return found
