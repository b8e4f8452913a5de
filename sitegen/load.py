"""Stage 1, load: read every Markdown file under content/ (the only input I/O)."""

from __future__ import annotations

import os
from pathlib import Path

from sitegen.model import SourceFile

MARKDOWN_SUFFIXES = (".md", ".markdown")


def is_editor_junk(name: str) -> bool:
    """Backup, swap and lock files that editors leave beside real articles."""
    return (
        name.startswith((".", "~", "#"))
        or name.endswith(("~", ".swp", ".swo", ".tmp", ".bak"))
    )


def find_sources(content_dir: Path) -> list[Path]:
    found = []
    for folder, dirs, files in os.walk(content_dir):
        dirs[:] = sorted(d for d in dirs if not is_editor_junk(d))
        found.extend(
            Path(folder, name) for name in sorted(files)
            if name.lower().endswith(MARKDOWN_SUFFIXES) and not is_editor_junk(name)
        )
    return found


def load_sources(site_dir: Path, content_dir: Path | None = None) -> list[SourceFile]:
    content_dir = content_dir or site_dir / "content"
    return [
        SourceFile(path.relative_to(site_dir).as_posix(), path.read_bytes())
        for path in find_sources(content_dir)
    ]
