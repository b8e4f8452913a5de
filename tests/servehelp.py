"""`sitegen serve` run as a user runs it (the real CLI in a subprocess), for test_serve*.py and the benchmark."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).parent / "sites" / "serve"
URL_LINE = re.compile(r"预览地址：(\S+)")


def copy_site(dest: Path, source: Path = FIXTURE) -> Path:
    """A writable copy of a fixture site; with the repo's theme folders while the theme still lives there."""
    shutil.copytree(source, dest)
    if (ROOT / "templates" / "base.html").is_file():  # before the theme moved into the package
        for name in ("templates", "static"):
            shutil.copytree(ROOT / name, dest / name, dirs_exist_ok=True)
    return dest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Served:
    """One `sitegen serve` process: its terminal output, collected as it comes, and its URL."""

    def __init__(self, site: Path, *args: str, python: str = sys.executable, env: dict[str, str] | None = None,
                 cmd: list[str] | None = None, url_line: re.Pattern[str] = URL_LINE):
        # cmd and url_line let the benchmark run a peer's server (hugo server) through the same harness.
        self.site = site
        self.proc = subprocess.Popen(cmd or [python, "-m", "sitegen", "serve", str(site), *args],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env or os.environ.copy(),
                                     text=True, encoding="utf-8")
        self.out: list[str] = []
        self.err: list[str] = []
        self._readers = [threading.Thread(target=self._read, args=(stream, lines), daemon=True)
                         for stream, lines in ((self.proc.stdout, self.out), (self.proc.stderr, self.err))]
        for reader in self._readers:
            reader.start()
        try:
            self.url = url_line.search(self.wait_for(url_line.pattern)).group(1)  # type: ignore[union-attr]
        except BaseException:
            self.proc.kill()
            raise

    @staticmethod
    def _read(stream: object, lines: list[str]) -> None:
        for line in stream:  # type: ignore[attr-defined]
            lines.append(line)

    @property
    def stdout(self) -> str:
        return "".join(self.out)

    @property
    def stderr(self) -> str:
        return "".join(self.err)

    def wait_for(self, pattern: str, timeout: float = 60, after: int = 0, stream: str = "out") -> str:
        """The first line (from line `after` on) matching pattern; fails with what serve printed."""
        lines = self.out if stream == "out" else self.err
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in lines[after:]:
                if re.search(pattern, line):
                    return line
            if self.proc.poll() is not None and not any(r.is_alive() for r in self._readers):
                break
            time.sleep(0.02)
        raise AssertionError(f"serve never printed /{pattern}/ (exit {self.proc.poll()}):\n"
                             f"--- stdout\n{self.stdout}--- stderr\n{self.stderr}")

    def stop(self, sig: int = signal.SIGINT, timeout: float = 30) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError(f"serve did not stop on signal {sig}:\n{self.stdout}{self.stderr}") from None
        for reader in self._readers:
            reader.join(5)
        return code

    def __enter__(self) -> Served:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
