"""The preview's web server: the built site under its base_path, plus the reload script and its event stream.

The build runs in the main thread (where Ctrl-C is handled); this server answers on
daemon threads and only reads. It serves the live output folder by path, so each
request sees the old site or the new one, whole: a build swaps the folder atomically.
"""

from __future__ import annotations

import errno
import mimetypes
import os
import shutil
import socket
import sys
import threading
from dataclasses import dataclass, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from sitegen import overlay
from sitegen.errors import Problem

PORT_TRIES = 20
_PING_S = 15.0  # a comment on an idle event stream finds a closed tab, so its thread ends
_TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".xml": "application/xml",
          ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
          ".json": "application/json", ".svg": "image/svg+xml", ".wasm": "application/wasm",
          ".webp": "image/webp", ".avif": "image/avif", ".txt": "text/plain; charset=utf-8"}


@dataclass(frozen=True)
class Snapshot:
    root: Path | None  # the output folder; None until a build has succeeded
    base_path: str
    generation: str  # changes whenever the site does: a page of an older one reloads
    problems: tuple[Problem, ...] = ()
    closing: bool = False


class State:
    """What the server shows, replaced whole by the build thread; event streams wait on it."""

    def __init__(self, snapshot: Snapshot) -> None:
        self._snapshot = snapshot
        self._changed = threading.Condition()

    @property
    def now(self) -> Snapshot:
        with self._changed:
            return self._snapshot

    def update(self, **changes: object) -> None:
        with self._changed:
            self._snapshot = replace(self._snapshot, **changes)  # type: ignore[arg-type]
            self._changed.notify_all()

    def wait(self, seen: Snapshot, timeout: float) -> Snapshot:
        with self._changed:
            self._changed.wait_for(lambda: self._snapshot is not seen, timeout)
            return self._snapshot


class Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "sitegen-serve"

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def do_GET(self) -> None:
        self._answer(head=False)

    def _answer(self, head: bool) -> None:
        state = self.server.state.now
        path = urlsplit(self.path).path
        if path == overlay.SCRIPT_URL:
            return self._send(200, overlay.script(), ".js", head)
        if path == overlay.EVENTS_URL and not head:
            return self._stream()
        if state.root is None:  # nothing built yet: the first build is running or failed
            return self._send(503, overlay.standin(state.generation, state.problems), ".html", head)
        base = state.base_path
        if not path.startswith(base):
            return self._outside(path, state, head)
        rel = unquote(path[len(base):])
        file = _inside(state.root, rel)
        if file is not None and file.is_dir():
            if not path.endswith("/"):
                return self._redirect(path + "/", 301)
            file = file / "index.html"
        if file is None or not file.is_file():
            return self._not_found(state, head)
        self._send_file(200, file, state, head)

    def _outside(self, path: str, state: Snapshot, head: bool) -> None:
        """A URL without the base_path: / and any page of the site go to it, as a hand-typed URL means."""
        assert state.root is not None
        if path in ("/", state.base_path.rstrip("/")):
            return self._redirect(state.base_path, 302)
        file = _inside(state.root, unquote(path.lstrip("/")))
        if file is not None and file.exists():
            return self._redirect(state.base_path + path.lstrip("/"), 302)
        self._not_found(state, head)

    def _not_found(self, state: Snapshot, head: bool) -> None:
        assert state.root is not None
        page = state.root / "404.html"
        if page.is_file():
            return self._send_file(404, page, state, head)
        self._send(404, overlay.inject(b"<!DOCTYPE html><title>404</title><h1>404</h1>\n", state.generation),
                   ".html", head)

    def _send_file(self, status: int, file: Path, state: Snapshot, head: bool) -> None:
        try:
            fh = file.open("rb")
        except OSError:  # swapped away between the check and the open: the next request sees the new site
            return self._send(503, b"", ".txt", head)
        with fh:
            if file.suffix != ".html":  # a photo or a 50 MB attachment: streamed, not read whole
                self._headers(status, os.fstat(fh.fileno()).st_size, file.suffix)
                if not head:
                    shutil.copyfileobj(fh, self.wfile)
                return
            data = fh.read()
        self._send(status, overlay.inject(data, state.generation), file.suffix, head)

    def _send(self, status: int, data: bytes, suffix: str, head: bool) -> None:
        self._headers(status, len(data), suffix)
        if not head:
            self.wfile.write(data)

    def _headers(self, status: int, length: int, suffix: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", _TYPES.get(suffix) or mimetypes.guess_type("x" + suffix)[0]
                         or "application/octet-stream")
        self.send_header("Content-Length", str(length))
        self.send_header("Cache-Control", "no-store")  # a reload must show the rebuilt page
        self.end_headers()

    def _redirect(self, location: str, status: int) -> None:
        query = urlsplit(self.path).query
        self.send_response(status)
        self.send_header("Location", quote(location, safe="/%") + (f"?{query}" if query else ""))
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _stream(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        state = self.server.state
        seen = state.now
        try:
            self.wfile.write(overlay.state_event(seen.generation, seen.problems, seen.root is not None))
            self.wfile.flush()
            while not seen.closing:
                now = state.wait(seen, _PING_S)
                if now is seen:
                    self.wfile.write(b": ping\n\n")
                elif not now.closing:
                    self.wfile.write(overlay.state_event(now.generation, now.problems, now.root is not None))
                self.wfile.flush()
                seen = now
        except OSError:  # the tab was closed or reloaded
            pass
        self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:  # "format": the base class's name
        pass  # the terminal is for the build's messages


def _inside(root: Path, rel: str) -> Path | None:
    """root/rel, or None for a path that could leave root."""
    parts = [p for p in rel.split("/") if p]
    if any(p in (".", "..") or "\\" in p or "\x00" in p for p in parts):
        return None
    return root.joinpath(*parts)


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    # Linux: rebinding right after a restart works, a port another server listens on still fails.
    # Windows: SO_REUSEADDR would let us share a busy port, so it is left off there.
    allow_reuse_address = os.name != "nt"

    def __init__(self, address: tuple[str, int], state: State) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.state = state
        super().__init__(address, Handler)

    def handle_error(self, request: object, client_address: object) -> None:
        if isinstance(sys.exc_info()[1], OSError):
            return  # a tab reloaded or closed in mid-answer: no traceback in the editor's terminal
        super().handle_error(request, client_address)  # type: ignore[arg-type]


# Windows reports a busy port as WSAEADDRINUSE (10048), not as POSIX's EADDRINUSE.
_IN_USE = {errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", 10048)}


def in_use(exc: OSError) -> bool:
    return exc.errno in _IN_USE or getattr(exc, "winerror", None) in _IN_USE


def bind(host: str, port: int, state: State) -> tuple[PreviewServer, int | None]:
    """A server on `port` or the next free one; the port asked for, if it was busy."""
    for tried in range(port, port + PORT_TRIES) if port else [0]:
        try:
            return PreviewServer((host, tried), state), (port if tried != port else None)
        except OSError as exc:
            if not in_use(exc) or tried == port + PORT_TRIES - 1:
                raise
    raise AssertionError("unreachable")


def start(server: PreviewServer) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                              name="sitegen-serve", daemon=True)
    thread.start()
    return thread


def stop(server: PreviewServer, thread: threading.Thread) -> None:
    server.state.update(closing=True)  # event streams end, so their threads do
    server.shutdown()
    server.server_close()
    thread.join(timeout=2)


def is_local(host: str) -> bool:
    return host in ("localhost", "::1") or host.startswith("127.")
