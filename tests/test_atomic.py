"""Atomic publishing under fire: kill -9 and Ctrl-C at random moments of an incremental build.

Whatever moment a build dies at, the live output must be the old site or the new
one, file for file, never a mix; and the next build must still equal a clean one.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import random
import re
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from sitegen import publish
from sitegen.cache import CACHE_DIR
from sitegen.cli import main
from sitegen.publish import MARKER, Output, read_marker
from tests.conftest import MINI_CONFIG, ROOT, article_text
from tests.searchview import is_index_file, search_view

N_ARTICLES = 1000
BODY = "坚决保障打赢疫情防控阻击战，是纪检监察机关当前的头等大事。" * 10
SEED = 20240229
KILL_RUNS = 30
SIGINT_RUNS = 10
RETITLED, REDATED = 100, 200  # version Y: one article retitled, another moved past its neighbour
Z_FROM = 800  # version Z: the bodies of the 200 newest articles edited (20%: still incremental)

Tree = dict[str, str]  # relative path -> blake2b of the bytes


def digests(root: Path, skip: frozenset[str] = frozenset({MARKER})) -> Tree:
    """Every file under root (symlinks and special files noted, never followed), top-level `skip` left out."""
    found: Tree = {}
    for folder, dirs, files in os.walk(root):
        rel = os.path.relpath(folder, root)
        prefix = "" if rel == "." else rel.replace(os.sep, "/") + "/"
        if not prefix:
            dirs[:] = [d for d in dirs if d not in skip]
        for name in files + [d for d in dirs if os.path.islink(os.path.join(folder, d))]:
            if not prefix and name in skip:
                continue
            path = os.path.join(folder, name)
            if os.path.islink(path) or not os.path.isfile(path):
                found[prefix + name] = "<not a regular file>"
            else:
                with open(path, "rb") as fh:
                    found[prefix + name] = hashlib.file_digest(fh, "blake2b").hexdigest()
    # The search index by what it finds: an incremental build splits it into base and delta bundles
    # where a clean build makes one (tests/searchview.py).
    index = [p for p in found if is_index_file(p)]
    if index:
        for p in index:
            del found[p]
        try:
            view = json.dumps(search_view(root), ensure_ascii=False).encode()
            found["<search index>"] = hashlib.blake2b(view).hexdigest()
        except (OSError, ValueError, KeyError) as exc:
            found["<search index>"] = f"<unreadable: {exc}>"
    return found


def mix_report(live: Tree, old: Tree, new: Tree) -> str:
    """Which files make `live` neither the old tree nor the new one."""
    paths = sorted(set(live) | set(old) | set(new))
    odd = [p for p in paths if live.get(p) != old.get(p) and live.get(p) != new.get(p)]
    from_old = [p for p in paths if old.get(p) != new.get(p) and live.get(p) == old.get(p)]
    from_new = [p for p in paths if old.get(p) != new.get(p) and live.get(p) == new.get(p)]
    return (f"the live output is a mix: {len(from_old)} file(s) as in the old site ({from_old[:5]}), "
            f"{len(from_new)} as in the new one ({from_new[:5]}), {len(odd)} in neither ({odd[:5]})")


def _date(i: int) -> str:
    return (datetime(2015, 1, 1) + timedelta(hours=7 * i)).strftime("%Y-%m-%d %H:%M:%S")


def _article(i: int, version: str) -> str:
    title, date, body = f"文章{i}", _date(i), BODY
    if version == "Y" and i == RETITLED:
        title = f"改过的标题{i}"
    if version == "Y" and i == REDATED:  # 7 h apart: +8 h puts it between its two newer neighbours
        date = (datetime.strptime(date, "%Y-%m-%d %H:%M:%S") + timedelta(hours=8)).strftime("%Y-%m-%d %H:%M:%S")
    if version == "Z" and i >= Z_FROM:
        body = BODY + "\n\nZ版本的补充说明。"
    return article_text(title, date=date, slug=f"a{i:04d}", body=body)


def _differs(i: int) -> bool:
    return i in (RETITLED, REDATED) or i >= Z_FROM


def survivors(pgid: int, site: Path) -> list[int]:
    """Live processes of a build's process group, or running on its site (orphaned pool workers)."""
    deadline = time.monotonic() + 5
    needle = str(site).encode()
    while True:
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit() or int(entry.name) == os.getpid():
                continue
            try:
                fields = (entry / "stat").read_bytes().rsplit(b")", 1)[-1].split()
                in_group = int(fields[2]) == pgid
                on_site = needle in (entry / "cmdline").read_bytes()
            except (OSError, IndexError, ValueError):
                continue
            if (in_group or on_site) and fields[0] not in (b"Z", b"X"):
                found.append(int(entry.name))
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def handler_installed(pid: int, sig: int = signal.SIGTERM) -> bool:
    """sitegen's main() catches SIGTERM: once it does, the interpreter is up and sitegen has started."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("SigCgt:"):
                return bool(int(line.split()[1], 16) >> (sig - 1) & 1)
    except OSError:
        pass
    return False


def wait_for_main(proc: subprocess.Popen[bytes], timeout: float = 30) -> bool:
    """Wait until sitegen's main() runs in `proc`; False if it ended (or never got there) first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if handler_installed(proc.pid):
            return True
        time.sleep(0.0005)
    return False


@dataclass
class KillSite:
    site: Path
    trees: dict[str, Tree] = field(default_factory=dict)
    content: str = "X"
    t_total: float = 0.0  # wall time of one incremental build, spawn to exit
    t_main: float = 0.0  # the same from the moment sitegen's main() runs

    @property
    def out(self) -> Path:
        return self.site / "build"

    @property
    def work(self) -> Path:
        return Output(self.out, self.site / CACHE_DIR).work

    def set_content(self, version: str) -> None:
        for i in range(N_ARTICLES):
            if _differs(i):
                path = self.site / "content" / f"a{i:04d}.md"
                text = _article(i, version)
                if path.read_text("utf-8") != text:
                    path.write_text(text, "utf-8")
        self.content = version

    def spawn(self, *args: str) -> subprocess.Popen[bytes]:
        return subprocess.Popen([sys.executable, "-m", "sitegen", "build", str(self.site), *args], cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        proc = self.spawn(*args)
        out, err = proc.communicate(timeout=120)
        return subprocess.CompletedProcess(proc.args, proc.returncode, out.decode(), err.decode())

    def live(self) -> Tree:
        return digests(self.out)

    def live_or_aside(self) -> Tree:
        """The live site; killed between the two renames of a swap without renameat2 (SITEGEN_EXCHANGE=portable),
        the old one, set aside whole for the next build to put back (tests/test_portable.py)."""
        if not self.out.exists() and (self.work / publish.ASIDE).is_dir():
            return digests(self.work / publish.ASIDE)
        return self.live()

    def settle(self) -> str:
        """A normal build of the current content, which must succeed and equal its clean build."""
        done = self.run()
        assert done.returncode == 0, done.stderr
        assert self.live() == self.trees[self.content], mix_report(self.live(), self.trees["X"], self.trees["Y"])
        return self.content

    def converge(self) -> str:
        """Make the live site the current content's, building only if it is not already."""
        if self.live() != self.trees[self.content]:
            self.settle()
        return self.content

    def timed_build(self) -> tuple[float, float]:
        """One normal build: (seconds from spawn to exit, seconds from sitegen's main() to exit)."""
        started = time.monotonic()
        proc = self.spawn()
        main_at = time.monotonic() if wait_for_main(proc) else started
        out, err = proc.communicate(timeout=120)
        ended = time.monotonic()
        assert proc.returncode == 0, err.decode()
        assert 0 < changed_count(out.decode()) < 40, out.decode()
        assert self.live() == self.trees[self.content]
        return ended - started, ended - main_at

    def kill_while_spare_updates(self, proc: subprocess.Popen[bytes], probe: str | None = None,
                                 text: bytes = b"") -> bool:
        """kill -9 the build once `probe` in the spare holds `text` (without a probe: once its marker is gone)."""
        spare = self.work / "spare"
        while proc.poll() is None:
            with contextlib.suppress(OSError):
                if text in (spare / probe).read_bytes() if probe is not None \
                        else spare.is_dir() and not (spare / MARKER).exists():
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.communicate(timeout=60)
                    return True
        proc.communicate(timeout=60)
        return False

    def leftovers(self) -> list[str]:
        return sorted(p.name for p in self.work.iterdir() if p.name.startswith(("staging-", "trash-")))


def changed_count(stdout: str) -> int:
    found = re.search(r"\((\d+) changed\)", stdout)
    assert found, stdout
    return int(found.group(1))


@pytest.fixture(scope="module")
def kill_site(tmp_path_factory: pytest.TempPathFactory) -> KillSite:
    root = tmp_path_factory.mktemp("atomic")
    site = root / "site"
    site.mkdir()
    (site / "site.yaml").write_text(textwrap.dedent(MINI_CONFIG), encoding="utf-8")
    (site / "content").mkdir()
    for i in range(N_ARTICLES):
        (site / "content" / f"a{i:04d}.md").write_text(_article(i, "X"), "utf-8")
    ks = KillSite(site)
    # The expected trees: clean builds of each version into folders of their own.
    for name in ("X", "Y"):
        ks.set_content(name)
        done = ks.run("-o", str(root / f"ref-{name}"), "--clean")
        assert done.returncode == 0, done.stderr
        ks.trees[name] = digests(root / f"ref-{name}")
    differ = [p for p in ks.trees["X"] if ks.trees["X"][p] != ks.trees["Y"].get(p)]
    assert set(ks.trees["X"]) == set(ks.trees["Y"]) and 4 <= len(differ) < 40, differ
    ks.set_content("X")
    ks.settle()  # the live site: a full build
    ks.set_content("Y")
    done = ks.run()  # incremental; makes the spare
    assert done.returncode == 0, done.stderr
    assert 0 < changed_count(done.stdout) < 40, done.stdout
    ks.set_content("X")
    t_total, t_main = ks.timed_build()
    # Most builds below follow a killed one, which left a spare to rebuild: they take longer. Measure one.
    ks.set_content("Y")
    ks.kill_while_spare_updates(ks.spawn())  # for the timing only: whether it was caught does not matter
    if ks.live() == ks.trees["Y"]:
        ks.set_content("X")
    after_kill = ks.timed_build()
    ks.t_total, ks.t_main = max(t_total, after_kill[0]), max(t_main, after_kill[1])
    print(f"\nincremental build: {t_total:.2f}s wall ({t_main:.2f}s from sitegen's main()); after a kill -9: "
          f"{after_kill[0]:.2f}s ({after_kill[1]:.2f}s)")
    return ks


def test_kill_9_at_random_moments_leaves_old_or_new_site(kill_site: KillSite) -> None:
    """kill -9 (the whole process group) at a random moment: the old site or the new one, never a mix."""
    ks = kill_site
    rng = random.Random(SEED)
    current = ks.converge()
    outcomes = {"old": 0, "new": 0, "finished": 0}
    for run in range(KILL_RUNS):
        new = "Y" if current == "X" else "X"  # always a real change: the other version than the live one
        ks.set_content(new)
        proc = ks.spawn()
        time.sleep(rng.uniform(0, ks.t_total))
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # the whole group: pool workers too
        _, err = proc.communicate(timeout=60)
        assert proc.returncode in (0, -signal.SIGKILL), err.decode()
        live = ks.live_or_aside()
        assert live in (ks.trees[current], ks.trees[new]), f"run {run}: " + mix_report(
            live, ks.trees[current], ks.trees[new])
        assert survivors(proc.pid, ks.site) == [], f"run {run}: workers outlived the build"
        if proc.returncode == 0:
            outcomes["finished"] += 1
        current = new if live == ks.trees[new] else current
        outcomes["new" if current == new else "old"] += 1
    print(f"\nkill -9 x{KILL_RUNS} (seed {SEED}, window {ks.t_total:.2f}s): {outcomes['old']} old site, "
          f"{outcomes['new']} new site ({outcomes['finished']} of them had finished)")
    assert ks.settle() == ks.content
    assert ks.leftovers() == []


def test_ctrl_c_at_random_moments_is_told_truthfully(kill_site: KillSite) -> None:
    """Ctrl-C at a random moment: exit 130 with the old site and 网站未更新, or exit 0 with the new site."""
    ks = kill_site
    rng = random.Random(SEED + 1)
    current = ks.converge()
    outcomes = {130: 0, 0: 0}
    for run in range(SIGINT_RUNS):
        new = "Y" if current == "X" else "X"
        ks.set_content(new)
        proc = ks.spawn()
        started = wait_for_main(proc)  # Ctrl-C before Python is up is Python's business, not sitegen's
        time.sleep(rng.uniform(0, ks.t_main if started else ks.t_total))
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGINT)  # as a terminal does: the whole foreground group
        out, err = (b.decode() for b in proc.communicate(timeout=60))
        live = ks.live()
        assert "Traceback" not in err and "internal error" not in err, err
        assert proc.returncode in (0, 130), (
            f"run {run}: exit {proc.returncode}; the live site is "
            f"{'the new one' if live == ks.trees[new] else 'the old one' if live == ks.trees[current] else 'a mix'}"
            f"\nstdout: {out!r}\nstderr: {err!r}")
        if proc.returncode == 130:
            assert "网站未更新" in err, err
            assert live == ks.trees[current], (f"run {run}: interrupted and told the site was not updated, "
                                               "but " + mix_report(live, ks.trees[current], ks.trees[new]))
        else:
            assert live == ks.trees[new], f"run {run}: exit 0 but " + mix_report(
                live, ks.trees[current], ks.trees[new])
            current = new
        outcomes[proc.returncode] += 1
        assert not [p.name for p in ks.work.iterdir() if p.name.startswith("staging-")], f"run {run}"
        assert survivors(proc.pid, ks.site) == [], f"run {run}: workers outlived the build"
    print(f"\nCtrl-C x{SIGINT_RUNS} (seed {SEED + 1}): {outcomes[130]} interrupted (old site), "
          f"{outcomes[0]} completed (new site)")
    assert ks.settle() == ks.content


def test_spare_killed_half_updated_is_not_trusted(kill_site: KillSite) -> None:
    """kill -9 while the spare is being brought up to date: the next build must not swap that half-tree in."""
    ks = kill_site
    ks.set_content("Y")
    ks.converge()
    ks.set_content("X")
    ks.converge()
    spare = ks.work / "spare"
    assert read_marker(spare), "precondition: a trusted spare (the Y site) beside the live X site"
    probe = next(p for p in ks.trees["X"] if p.endswith(f"/a{N_ARTICLES - 1:04d}/index.html"))
    ks.set_content("Z")  # the spare goes from Y to Z; killed once the first Z page is in
    proc = ks.spawn()
    caught = ks.kill_while_spare_updates(proc, probe, "Z版本".encode())
    assert caught, f"the build ended (exit {proc.returncode}) before it was caught updating the spare"
    assert ks.live() == ks.trees["X"], "killed before the swap: the old site stays"
    assert survivors(proc.pid, ks.site) == []
    assert digests(spare) != ks.trees["Y"], "the killed build had started turning the spare into Z"
    ks.set_content("Y")  # what the spare's old marker named: a build trusting the spare would swap in Z pages
    done = ks.run()
    assert done.returncode == 0, done.stderr
    assert ks.live() == ks.trees["Y"], mix_report(ks.live(), ks.trees["X"], ks.trees["Y"])
    assert ks.leftovers() == []


def test_ctrl_c_during_the_swap_is_not_reported_as_unchanged(
        make_site: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """A Ctrl-C held back during the swap must not then say 网站未更新 about a site it just replaced."""
    site = make_site({f"a{i}.md": article_text(f"文章{i}", slug=f"a{i}") for i in range(6)})
    assert main(["build", str(site)]) == 0
    before = digests(site / "build")
    (site / "content" / "a0.md").write_text(article_text("新标题", slug="a0"), "utf-8")
    capsys.readouterr()
    real = publish.exchange

    def exchange_with_ctrl_c(a: Path, b: Path) -> bool:
        os.kill(os.getpid(), signal.SIGINT)  # the editor presses Ctrl-C just as the new site goes live
        return real(a, b)

    monkeypatch.setattr(publish, "exchange", exchange_with_ctrl_c)
    code = main(["build", str(site)])
    err = capsys.readouterr().err
    after = digests(site / "build")
    assert code in (0, 130), err
    if code == 130 or "网站未更新" in err or "unchanged" in err:
        assert after == before, f"exit {code}, told {err.strip()!r}, but the new site is live"
    else:
        assert "新标题" in (site / "build" / "2020/02/22/a0/index.html").read_text("utf-8")


def test_ctrl_c_after_the_build_finished_changes_nothing(
        make_site: Callable[..., Path], tmp_path: Path) -> None:
    """Ctrl-C once sitegen has said "built …": the new site is live, so the build succeeded (exit 0)."""
    site = make_site({f"a{i:02d}.md": article_text(f"文章{i}", date=f"2020-03-{1 + i:02d} 10:00", slug=f"a{i:02d}")
                      for i in range(30)})
    assert main(["build", str(site)]) == 0
    outcomes = []
    for run in range(3):
        (site / "content" / "a00.md").write_text(article_text(f"第{run}次修改", date="2020-03-01 10:00", slug="a00"),
                                                 "utf-8")
        proc = subprocess.Popen([sys.executable, "-m", "sitegen", "build", str(site)], cwd=ROOT,
                                env={**os.environ, "PYTHONUNBUFFERED": "1"}, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, start_new_session=True)
        assert proc.stdout is not None
        line = proc.stdout.readline().decode()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGINT)  # the editor presses Ctrl-C just after "built …" appears
        err = proc.communicate(timeout=60)[1].decode()
        assert line.startswith("已生成 "), (line, err)
        assert f"第{run}次修改" in (site / "build/2020/03/01/a00/index.html").read_text("utf-8")
        outcomes.append((proc.returncode, err.strip()))
    assert outcomes == [(0, "")] * 3, f"(exit status, stderr) of each run: {outcomes}"
