"""Nothing lost: killed builds, concurrent builds and hostile paths leave the live site intact."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from sitegen.cache import CACHE_DIR
from sitegen.cli import main
from sitegen.publish import Output
from tests.conftest import article_text
from tests.test_bad_input import snapshot

BODY = "坚决保障打赢疫情防控阻击战，是纪检监察机关当前的头等大事。" * 60


@pytest.fixture
def big_site(make_site: Callable[..., Path]) -> Path:
    """Large enough that a build takes a while, so it can be caught midway."""
    articles = {f"a{i:04d}.md": article_text(f"文章{i}", date=f"20{10 + i % 15}-0{1 + i % 9}-1{i % 9} 10:00",
                                             slug=f"a{i:04d}", body=BODY) for i in range(1500)}
    site = make_site(articles)
    assert main(["build", str(site)]) == 0
    return site


def _start_build(site: Path) -> subprocess.Popen[bytes]:
    # --clean: a full build, whose whole output is swapped in at the end
    return subprocess.Popen([sys.executable, "-m", "sitegen", "build", str(site), "--clean"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _staging(site: Path) -> list[Path]:
    return list(site.glob(".sitegen-cache/outputs/*/staging-*"))


def _wait_for_staging(site: Path, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        staging = _staging(site)
        if staging and any(staging[0].rglob("index.html")):
            return
        time.sleep(0.005)
    pytest.fail("the build finished before it could be interrupted")


def _wait_until_it_reads(proc: subprocess.Popen[bytes], site: Path) -> None:
    """Until the build holds a file of the site open (site.yaml is its first)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            for fd in Path(f"/proc/{proc.pid}/fd").iterdir():
                if os.readlink(fd).startswith(str(site)):
                    return
        except OSError:
            pass
        time.sleep(0.001)


def _survivors(site: Path) -> list[int]:
    """Processes still running a build of `site` (e.g. orphaned pool workers), after a grace period."""
    deadline = time.monotonic() + 5
    while True:
        found = []
        for proc in Path("/proc").iterdir():
            try:
                if proc.name.isdigit() and str(site).encode() in (proc / "cmdline").read_bytes() \
                        and b"Z" not in (proc / "stat").read_bytes().split(b")")[-1][:3]:
                    found.append(int(proc.name))
            except OSError:
                continue
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT, signal.SIGTERM])
def test_interrupted_build_leaves_previous_output(big_site: Path, sig: signal.Signals) -> None:
    before = snapshot(big_site / "build")
    (big_site / "content" / "a0000.md").write_text(article_text("改过的标题", slug="a0000", body=BODY), "utf-8")
    proc = _start_build(big_site)
    _wait_for_staging(big_site, proc)
    proc.send_signal(sig)
    proc.wait(timeout=60)
    # README's exit codes: 130 for Ctrl-C, 143 (128 + 15) for SIGTERM, as shells report a killed command
    assert proc.returncode == {signal.SIGKILL: -signal.SIGKILL, signal.SIGINT: 130, signal.SIGTERM: 143}[sig]
    if sig == signal.SIGTERM:
        assert proc.stderr is not None and "收到终止信号" in proc.stderr.read().decode()
    assert _survivors(big_site) == [], "workers must die with the build"
    assert snapshot(big_site / "build") == before
    if sig != signal.SIGKILL:  # a dying build cleans up after itself; after kill -9 the next build does
        assert not _staging(big_site)
    assert main(["build", str(big_site)]) == 0
    assert not _staging(big_site)
    assert "改过的标题" in next((big_site / "build").rglob("a0000/index.html")).read_text("utf-8")


def test_second_concurrent_build_is_refused(make_site: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({"a.md": article_text()})
    with Output(site / "build", site / CACHE_DIR).locked():
        assert main(["build", str(site)]) == 1
    assert "another sitegen build is writing this output" in capsys.readouterr().err
    assert not (site / "build").exists()
    assert main(["build", str(site)]) == 0


@pytest.mark.parametrize("field", [
    "slug: ../../../escaped", "slug: /etc/escaped", "slug: '..'", "slug: a/../../escaped", "slug: 'C:\\\\escaped'",
])
def test_hostile_slugs_stay_inside_the_output(make_site: Callable[..., Path], tmp_path: Path, field: str) -> None:
    site = make_site({"a.md": article_text().replace("category:", field + "\ncategory:")})
    code = main(["build", str(site)])
    # The output, and the spare copy of it that sitegen keeps in its cache, may hold such pages.
    outside = [p for p in tmp_path.rglob("*") if "escaped" in p.name
               and "build" not in p.parts and ".sitegen-cache" not in p.parts]
    assert outside == []
    if code == 0:
        assert all(p.resolve().is_relative_to((site / "build").resolve()) for p in (site / "build").rglob("*"))


def test_hostile_category_slug_rejected(make_site: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({"a.md": article_text()}, config="title: 党建园地\ncategories:\n  - {name: 甲, slug: '../..'}\n")
    assert main(["build", str(site)]) == 1
    assert "category '甲' has an unusable slug" in capsys.readouterr().err
    assert not (site / "build").exists()


def test_hostile_permalink_rejected(make_site: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({"a.md": article_text()}, config="title: 党建园地\npermalink: '../{slug}/'\n")
    assert main(["build", str(site)]) == 1
    assert "site.yaml:2: 错误：" in capsys.readouterr().err
    assert not (site / "build").exists()


def test_early_ctrl_c_prints_no_traceback(big_site: Path) -> None:
    """Ctrl-C while sitegen imports, forks workers or lists: a message, never a traceback.

    Before the interpreter has started running sitegen (Python's own `site` import, 30 ms
    or more), Python itself reports a Ctrl-C; the clock starts once the build has begun reading
    the site, and the delays then cover scanning, forking, parsing, rendering and listing.
    """
    before = snapshot(big_site / "build")
    for delay in (0.0, 0.005, 0.01, 0.02, 0.04, 0.08, 0.15, 0.3, 0.6, 1.0):
        proc = _start_build(big_site)
        _wait_until_it_reads(proc, big_site)
        time.sleep(delay)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        assert b"Traceback" not in err, (delay, err.decode())
        assert proc.returncode in (0, 130), (delay, err.decode())
        if proc.returncode == 130:
            assert "网站未更新" in err.decode() or "已中断" in err.decode()
            assert snapshot(big_site / "build") == before
        assert not _staging(big_site)


def _slow_big_result(_: object) -> bytes:
    time.sleep(0.3)
    return b"x" * 50_000_000


def test_stopping_the_pool_mid_result_never_hangs(tmp_path: Path) -> None:
    """A worker killed while it sends a result used to leave the pool's manager waiting forever."""
    import threading

    from sitegen.workers import Pool

    pool = Pool(tmp_path, lambda *a: None, eager=True)
    assert pool._executor is not None
    futures = [pool._executor.submit(_slow_big_result, None) for _ in range(3)]
    time.sleep(0.32)  # the first results are being sent now
    stopper = threading.Thread(target=pool.stop)
    stopper.start()
    stopper.join(30)
    assert not stopper.is_alive(), "Pool.stop() hung"
    assert all(f.done() for f in futures)
