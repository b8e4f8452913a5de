"""A throwaway real nginx (Debian's package) serving a build under /dangjian/ with deploy/nginx.conf.

The deployment example is run as it is written: only its ``listen`` and ``root`` lines are replaced, and
the folder its old-URL redirect maps are read from (a tmp folder, empty unless a test passes a map).
nginx gets its own port on 127.0.0.1, and its pid, logs and temp folders live in a tmp dir; it is
stopped when the context ends. Used by tests/test_nginx.py (headers, 404s, listings) and
tests/test_nginx_browser.py (Chromium through nginx).
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import PREFIX, ROOT, missing

EXAMPLE_CONF = ROOT / "deploy" / "nginx.conf"
LISTEN, DOCROOT = "listen 80;", "root /var/www/hospital;"  # the two lines a deployment (and a test) changes
LEGACY_MAPS = "include /etc/nginx/dangjian/*.map;"  # legacy-redirects.map goes there (deploy/README.md)
TIMEOUT_S = 10


def nginx_binary() -> str:
    path = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).is_file()), None)
    if path is None:
        missing("nginx not found (apt-get install -y nginx)")
    return path


def _mime_types(nginx: str) -> Path:
    """mime.types beside the nginx.conf the binary was built to read (/etc/nginx on Debian)."""
    info = subprocess.run([nginx, "-V"], capture_output=True, text=True, check=True).stderr
    match = re.search(r"--conf-path=(\S+)", info)
    conf_dir = Path(match[1]).parent if match else Path("/etc/nginx")
    return conf_dir / "mime.types"


def main_conf(tmp: Path, server_conf: Path, nginx: str) -> Path:
    """The part of nginx.conf a distribution provides; the column's own config is included as written."""
    for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp / name).mkdir(exist_ok=True)
    # Workers run as the user starting the test: as root nginx would switch to nobody, who can't read
    # pytest's private tmp folders.
    user = f"user {pwd.getpwuid(os.geteuid()).pw_name};" if os.geteuid() == 0 else ""
    conf = tmp / "nginx.conf"
    conf.write_text(f"""\
{user}
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 64; }}
http {{
    include {_mime_types(nginx)};
    default_type application/octet-stream;
    access_log {tmp}/access.log;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {server_conf};
}}
""", encoding="utf-8")
    return conf


def nginx_cmd(nginx: str, tmp: Path, conf: Path, *args: str) -> list[str]:
    # -e: nginx opens its built-in error log (/var/log/nginx/error.log) before it reads the config.
    return [nginx, "-p", str(tmp), "-e", str(tmp / "error.log"), "-c", str(conf), *args]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def deployed(example: str, port: int, docroot: Path, maps: Path) -> str:
    """deploy/nginx.conf with only its listen and root lines and its redirect maps' folder changed."""
    for line in (LISTEN, DOCROOT, LEGACY_MAPS):
        assert example.count(line) == 1, f"deploy/nginx.conf should have exactly one '{line}'"
    return example.replace(LISTEN, f"listen 127.0.0.1:{port};").replace(DOCROOT, f"root {docroot};") \
        .replace(LEGACY_MAPS, f"include {maps}/*.map;")


def _answers(proc: subprocess.Popen[bytes], port: int) -> bool:
    """Wait until nginx accepts connections on port; False if it exits or takes too long."""
    deadline = time.monotonic() + TIMEOUT_S
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return True
        except OSError:
            time.sleep(0.05)
    return False


@contextmanager
def running_nginx(build: Path, tmp: Path, legacy_map: Path | None = None) -> Iterator[str]:
    """A real nginx serving `build` at /dangjian/ on a free port; yields http://127.0.0.1:<port>.

    `legacy_map`: a legacy-redirects.map to install where deploy/nginx.conf reads it.
    """
    nginx = nginx_binary()
    docroot, maps = tmp / "www", tmp / "legacy-maps"
    docroot.mkdir()
    maps.mkdir()
    if legacy_map is not None:
        shutil.copyfile(legacy_map, maps / legacy_map.name)
    (docroot / PREFIX.strip("/")).symlink_to(build, target_is_directory=True)
    server_conf = tmp / "dangjian.conf"
    example = EXAMPLE_CONF.read_text(encoding="utf-8")
    for _attempt in range(3):  # another process may take the free port between the probe and nginx's bind
        port = _free_port()
        server_conf.write_text(deployed(example, port, docroot, maps), encoding="utf-8")
        conf = main_conf(tmp, server_conf, nginx)
        stderr_log = tmp / f"stderr-{port}.log"  # a file, not a pipe nobody reads, which could fill up and block
        with stderr_log.open("wb") as err:
            proc = subprocess.Popen(nginx_cmd(nginx, tmp, conf), stdout=subprocess.DEVNULL, stderr=err)
        if _answers(proc, port):
            break
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        stderr = stderr_log.read_text(errors="replace")
        if "Address already in use" not in stderr:
            pytest.fail(f"nginx did not start:\n{stderr}")
    else:
        pytest.fail("nginx found no free port in 3 tries")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()  # SIGTERM: fast shutdown of the master and its worker
        try:
            proc.wait(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
