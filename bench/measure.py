"""Run one command and measure wall time, CPU time and peak RSS of its whole process tree.

sitegen renders with a process pool, so the peak RSS of the root process alone
would under-report its memory.  A background thread samples /proc every ~20 ms
and sums the RSS of every process that belongs to the tree.  No third-party
dependency (psutil) is needed, so the harness runs on a bare interpreter.
"""

from __future__ import annotations

import contextlib
import os
import re
import resource
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")
SAMPLE_INTERVAL_S = 0.02
TAIL_LINES = 15
# Substrings that mark a warning line in Hugo ("WARN") and Pelican ("WARNING") logs.
WARNING_MARKERS = ("WARN", "warning:")


@dataclass
class RunResult:
    """Outcome of one timed command."""

    wall_s: float
    cpu_s: float
    peak_rss_mib: float
    rc: int | None  # None means the command hit the timeout and was killed
    stderr_tail: str = ""
    warnings: list[str] = field(default_factory=list)
    leftovers: int = 0  # processes still alive after the root exited (killed by us)
    # CPU the whole machine spent outside the tree meanwhile (incl. this sampler):
    # flags runs disturbed by other work on a shared machine.
    other_cpu_s: float = 0.0

    @property
    def ok(self) -> bool:
        return self.rc == 0


def scan_proc() -> dict[int, tuple[int, int, int]]:
    """Map pid -> (ppid, session id, rss pages) for every live (non-zombie) process."""
    table: dict[int, tuple[int, int, int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as fh:
                raw = fh.read()
        except OSError:  # the process exited between listdir() and open()
            continue
        # The command name (field 2) may contain spaces or ')': split after the last ')'.
        fields = raw[raw.rindex(b")") + 2 :].split()
        if fields[0] == b"Z":  # zombies hold no memory and cannot be killed: just exited
            continue
        table[int(name)] = (int(fields[1]), int(fields[3]), int(fields[21]))
    return table


def tree_pids(root: int, table: dict[int, tuple[int, int, int]]) -> set[int]:
    """Pids in root's session (catches orphans re-parented to init) or below root.

    A descendant that calls setsid() is still found through its parent while
    the root lives, but escapes once the root has exited; no benchmarked tool
    daemonizes, so that case is accepted rather than handled with cgroups.
    """
    children: dict[int, list[int]] = {}
    for pid, (ppid, _sid, _rss) in table.items():
        children.setdefault(ppid, []).append(pid)
    found = {pid for pid, (_ppid, sid, _rss) in table.items() if sid == root}
    stack = [root]
    while stack:
        pid = stack.pop()
        if pid in table:
            found.add(pid)
        stack.extend(children.get(pid, []))
    return found


class TreeSampler(threading.Thread):
    """Polls /proc and keeps the maximum summed RSS of the process tree."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.peak_bytes = 0
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            self.sample()
            self._halt.wait(SAMPLE_INTERVAL_S)

    def sample(self) -> None:
        table = scan_proc()
        pages = sum(table[pid][2] for pid in tree_pids(self.root, table))
        self.peak_bytes = max(self.peak_bytes, pages * PAGE_BYTES)

    def stop(self) -> None:
        self._halt.set()
        self.join()


def kill_tree(root: int, grace_s: float = 3.0) -> int:
    """Terminate everything left in root's session; return how many processes there were."""
    victims = tree_pids(root, scan_proc())
    if not victims:
        return 0
    _signal_all(root, victims, signal.SIGTERM)
    deadline = time.monotonic() + grace_s
    while time.monotonic() < deadline and tree_pids(root, scan_proc()):
        time.sleep(0.05)
    _signal_all(root, tree_pids(root, scan_proc()), signal.SIGKILL)
    return len(victims)


def _signal_all(root: int, pids: set[int], sig: signal.Signals) -> None:
    # The group first (the root is its leader), then stragglers that left the group.
    # -root addresses the process group, as in kill(2).
    for target in (-root, *sorted(pids)):
        with contextlib.suppress(ProcessLookupError, PermissionError):  # gone, or not ours
            os.kill(target, sig)


def run_measured(
    cmd: list[str], *, cwd: Path, log_stem: Path, timeout_s: float, env: dict[str, str] | None = None
) -> RunResult:
    """Run cmd to completion (or timeout) and measure it; output goes to log_stem.{out,err}."""
    log_stem.parent.mkdir(parents=True, exist_ok=True)
    out_path, err_path = log_stem.with_suffix(".out"), log_stem.with_suffix(".err")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    busy_before = machine_busy_s()
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        start = time.perf_counter()
        try:
            # A new session lets us find and kill the whole tree, and keeps Ctrl-C ours.
            proc = subprocess.Popen(
                cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err, start_new_session=True
            )
        except OSError as exc:
            return RunResult(0.0, 0.0, 0.0, rc=127, stderr_tail=f"cannot start: {exc}")
        sampler = TreeSampler(proc.pid)
        sampler.start()
        try:
            rc = _wait(proc, timeout_s)
            wall = time.perf_counter() - start
        finally:
            sampler.stop()
    leftovers = kill_tree(proc.pid)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    other = max(0.0, machine_busy_s() - busy_before - cpu)
    peak = sampler.peak_bytes / 2**20
    return RunResult(wall, cpu, peak, rc, _tail(err_path), _warnings(out_path, err_path), leftovers, other)


def machine_busy_s() -> float:
    """Non-idle CPU seconds of all cores since boot, from the first line of /proc/stat."""
    with open("/proc/stat", encoding="ascii") as fh:
        ticks = [int(v) for v in fh.readline().split()[1:]]
    # Fields: user nice system idle iowait irq softirq steal [guest guest_nice]; guest
    # time is already part of user, so only the first eight count.
    busy = sum(ticks[:8]) - ticks[3] - ticks[4]
    return busy / os.sysconf("SC_CLK_TCK")


def _wait(proc: subprocess.Popen[bytes], timeout_s: float) -> int | None:
    try:
        return proc.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        kill_tree(proc.pid)
        proc.wait()
        return None
    except BaseException:  # Ctrl-C or any harness error: never leave the tree running
        kill_tree(proc.pid)
        proc.wait()
        raise


def _tail(path: Path) -> str:
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return "\n".join(lines[-TAIL_LINES:])


def _warnings(*paths: Path) -> list[str]:
    seen: list[str] = []
    for path in paths:
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            # Collapse rich's column padding and drop its "[hh:mm:ss]" prefix so the
            # same warning from different runs compares equal.
            line = re.sub(r"^\[\d\d:\d\d:\d\d\]\s*", "", " ".join(line.split()))
            if any(m in line for m in WARNING_MARKERS) and line not in seen:
                seen.append(line)
    return seen
