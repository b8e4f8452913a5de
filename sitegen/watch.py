"""What `sitegen serve` watches: content/, templates/, static/ and site.yaml, through watchdog.

watchdog rather than watchfiles (bench/watchers.py, 1k articles): an event reaches
us in 0.3 ms and an idle watcher costs no CPU; watchfiles groups events for its
`step` (20 ms at the lowest sensible setting) and its Rust thread wakes to check
for a stop, 2.6 ms of CPU a second. watchdog also watches one folder without its
subfolders, which site.yaml needs: a watch on the file itself is lost when an
editor saves by renaming a new file over it.
"""

from __future__ import annotations

import os
import queue
import time
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from sitegen.config import CONFIG_NAME

WATCHED = ("content", "templates", "static")
# Reading a file (as every build does) is an event too in watchdog ≥ 5: only these mean a change.
_CHANGES = frozenset({"created", "deleted", "modified", "moved", "closed"})
_QUIET_S = 0.03  # an editor's save is a burst of events (truncate, write, close) a few ms long
_MAX_WAIT_S = 0.3  # a stream of changes (a folder being copied in) still rebuilds this often


def _ignored(name: str) -> bool:
    """Editors' swap, backup and temporary files: the build skips them, so they need no build."""
    return name.startswith((".", "#")) or name.endswith(("~", ".swp", ".swx", ".tmp")) or name == "4913"


class _Handler(FileSystemEventHandler):
    def __init__(self, site: Path, changes: queue.SimpleQueue[str], top: bool) -> None:
        self.site, self.changes, self.top = site, changes, top

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in _CHANGES or (event.is_directory and event.event_type == "modified"):
            return
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            path = os.fsdecode(raw)
            if not path or _ignored(os.path.basename(path)):
                continue
            rel = os.path.relpath(path, self.site)
            if self.top and rel not in (CONFIG_NAME, *WATCHED):
                continue  # the site folder is watched for site.yaml (and a new content/) only
            self.changes.put(rel.replace(os.sep, "/"))


class Watcher:
    """Collects changed paths (relative to the site folder) on watchdog's thread; wait() hands them over."""

    def __init__(self, site_dir: Path) -> None:
        self.site = Path(os.path.realpath(site_dir))
        self.changes: queue.SimpleQueue[str] = queue.SimpleQueue()
        self.observer = Observer()
        self.watched: set[str] = set()
        self.observer.schedule(_Handler(self.site, self.changes, True), str(self.site), recursive=False)
        self._watch_folders()

    def _watch_folders(self) -> None:
        # A folder made after serve started (a first static/) is watched from then on.
        for name in WATCHED:
            if name not in self.watched and (self.site / name).is_dir():
                self.observer.schedule(_Handler(self.site, self.changes, False), str(self.site / name),
                                       recursive=True)
                self.watched.add(name)

    def __enter__(self) -> Watcher:
        self.observer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.observer.stop()
        self.observer.join(timeout=2)

    def wait(self, timeout: float) -> list[str]:
        """The paths changed, sorted, once a burst of changes is over; [] if none came within timeout."""
        try:
            first = self.changes.get(timeout=timeout)
        except queue.Empty:
            return []
        found, until = {first}, time.monotonic() + _MAX_WAIT_S
        while (left := until - time.monotonic()) > 0:
            try:
                found.add(self.changes.get(timeout=min(_QUIET_S, left)))
            except queue.Empty:
                break
        if any(path in WATCHED for path in found):
            self._watch_folders()
        return sorted(found)

    def pending(self) -> bool:
        return not self.changes.empty()
