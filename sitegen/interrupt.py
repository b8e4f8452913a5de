"""Ctrl-C and SIGTERM, acted on only where a build can stop cleanly.

A KeyboardInterrupt raised at an arbitrary bytecode can land inside the
process pool's own bookkeeping (between starting a worker, by fork or spawn,
and recording it, say) and leave the build waiting forever on a worker nobody will stop. So
while a build runs, the signals only set a flag, and the build checks it at
safe points: between stages, between chunks of work, and never after the
swap that makes the new site live.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

_pending: list[int] = []
_active = False


def _note(signum: int, frame: FrameType | None) -> None:
    _pending.append(signum)


def checkpoint() -> None:
    """Stop here if Ctrl-C or SIGTERM arrived since the build began."""
    if _pending:
        signum = _pending[0]
        _pending.clear()
        if signum == signal.SIGINT:
            raise KeyboardInterrupt
        raise SystemExit(128 + signum)


@contextmanager
def deferred() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM for checkpoint(); a no-op outside the main thread (signals go there)."""
    global _active
    if _active or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, _note) for s in (signal.SIGINT, signal.SIGTERM)}
    _pending.clear()
    _active = True
    try:
        yield
    finally:
        _active = False
        for s, handler in previous.items():
            signal.signal(s, handler)


def forget() -> bool:
    """Drop a signal that arrived after the point of no return; True if there was one."""
    had = bool(_pending)
    _pending.clear()
    return had
