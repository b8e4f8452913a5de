"""The deployment: the example CI workflow (deploy/ci.yml) and the atomic publish script (deploy/publish.sh).

The workflow can't run here as a CI service runs it, so it is tested as far as it can be: it parses,
runs nightly at 00:05 Beijing time, caches .sitegen-cache/, checks before it builds and publishes only
after both; its own check, build and rsync commands are run on a fixture site, the rsync one over a
stand-in for ssh that runs the "remote" side on this machine. publish.sh is run for real, to a local
folder and over the same stand-in: the `current` link switches with no moment without a site, unchanged
files are shared between releases, old releases are pruned.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from tests.conftest import ROOT, copy_fixture_site, missing

WORKFLOW = ROOT / "deploy" / "ci.yml"
SKELETON_WORKFLOW = ROOT / "sitegen" / "skeleton" / "ci.yml"
PUBLISH = ROOT / "deploy" / "publish.sh"
GOLDEN = ROOT / "tests" / "sites" / "golden"
# Stands in for ssh as rsync and publish.sh call it: options, the host, then the remote command, which
# ssh hands to the server's shell as one string.
FAKE_SSH = """#!/bin/sh
while [ $# -gt 0 ]; do
  case $1 in -l|-p|-i|-o|-F) shift 2 ;; -*) shift ;; *) break ;; esac
done
shift
exec sh -c "$*"
"""


def _steps() -> list[dict]:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]["site"]["steps"]


def _step(name: str) -> dict:
    return next(s for s in _steps() if s.get("name") == name)


def test_the_skeleton_carries_the_same_workflow() -> None:
    """`sitegen init` copies the package's copy: an installed sitegen can't read this repository's deploy/."""
    assert SKELETON_WORKFLOW.read_bytes() == WORKFLOW.read_bytes(), "cp deploy/ci.yml sitegen/skeleton/ci.yml"


def test_workflow_runs_on_push_and_nightly_at_0005_beijing_time() -> None:
    doc = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = doc.get("on", doc.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "push" in triggers
    (schedule,) = triggers["schedule"]
    minute, hour, *rest = schedule["cron"].split()
    assert rest == ["*", "*", "*"], schedule
    run_utc = datetime(2026, 7, 1, int(hour), int(minute), tzinfo=UTC)
    beijing = run_utc.astimezone(ZoneInfo("Asia/Shanghai"))
    assert (beijing.hour, beijing.minute) == (0, 5), f"{schedule['cron']} UTC is {beijing:%H:%M} in Beijing"
    assert beijing.date() == run_utc.date() + timedelta(days=1)


def test_workflow_caches_checks_builds_then_publishes_in_that_order() -> None:
    steps = _steps()
    names = [s.get("name") or s["uses"].split("@")[0] for s in steps]
    cache = next(s for s in steps if s.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"].rstrip("/") == ".sitegen-cache"
    order = ["actions/cache", "sitegen check", "sitegen build", "Publish (rsync)"]
    assert [n for n in names if n in order] == order, names
    publish = _step("Publish (rsync)")
    assert "--delay-updates" in publish["run"] and "--delete" in publish["run"]
    assert "pull_request" in publish["if"], "a pull request must never publish"
    assert "${{" not in "".join(s.get("run", "") for s in steps), "secrets reach scripts as env, not pasted in"


def test_workflow_installs_a_pinned_sitegen_and_its_conditions_name_defined_variables() -> None:
    job = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]["site"]
    spec = job["env"]["SITEGEN"]
    assert re.fullmatch(r"sitegen @ git\+https://\S+@v?[\w.]+", spec), f"unpinned: {spec}"
    assert '"$SITEGEN"' in _step("Install sitegen")["run"]
    # A step's `if` sees the job's env, not its own: a misspelt or step-level name is silently empty.
    for step in job["steps"]:
        for name in re.findall(r"env\.(\w+)", step.get("if", "")):
            assert name in job["env"], f"{step.get('name')}: `if` reads env.{name}, which the job does not set"


def _run_step(name: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-eo", "pipefail", "-c", _step(name)["run"]], cwd=cwd, text=True,
                          capture_output=True, env={**os.environ, **(env or {})}, timeout=300)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = copy_fixture_site(GOLDEN, tmp_path / "site")
    shutil.rmtree(site / "expected")  # the golden test's expected output, not part of the site
    return site


@pytest.fixture
def fake_ssh(tmp_path: Path) -> str:
    if shutil.which("rsync") is None:
        missing("rsync not found (apt-get install -y rsync)")
    path = tmp_path / "fake-ssh"
    path.write_text(FAKE_SSH, encoding="utf-8")
    path.chmod(0o755)
    return str(path)


def test_workflows_own_commands_check_build_and_publish_a_site(site: Path, fake_ssh: str, tmp_path: Path) -> None:
    for name in ("sitegen check", "sitegen build"):
        done = _run_step(name, site)
        assert done.returncode == 0, f"{name}:\n{done.stdout}\n{done.stderr}"
    assert (site / "build" / "index.html").is_file() and (site / ".sitegen-cache").is_dir()
    served = tmp_path / "www" / "dangjian"
    served.mkdir(parents=True)
    (served / "stale.html").write_text("removed by the next publish", encoding="utf-8")
    env = {"DEPLOY_USER": "deploy", "DEPLOY_HOST": "web", "DEPLOY_PATH": str(served), "RSYNC_RSH": fake_ssh}
    done = _run_step("Publish (rsync)", site, env)
    assert done.returncode == 0, done.stderr
    assert _tree(served) == _tree(site / "build")


def test_ssh_key_step_writes_a_private_key_known_hosts_and_config(tmp_path: Path) -> None:
    env = {"HOME": str(tmp_path), "DEPLOY_HOST": "www.example-hospital.cn", "DEPLOY_PORT": "2222",
           "DEPLOY_SSH_KEY": "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----",
           "DEPLOY_KNOWN_HOSTS": "[www.example-hospital.cn]:2222 ssh-ed25519 AAAA"}
    done = _run_step("SSH key", tmp_path, env)
    assert done.returncode == 0, done.stderr
    ssh = tmp_path / ".ssh"
    key = ssh / "sitegen_deploy"
    assert key.read_text() == env["DEPLOY_SSH_KEY"] + "\n" and key.stat().st_mode & 0o077 == 0
    assert (ssh / "known_hosts").read_text() == env["DEPLOY_KNOWN_HOSTS"] + "\n"
    config = (ssh / "config").read_text().split("\n")
    assert config[0] == "Host www.example-hospital.cn" and "  Port 2222" in config
    assert "  StrictHostKeyChecking yes" in config and "  IdentityFile ~/.ssh/sitegen_deploy" in config


def test_check_step_fails_the_run_on_a_broken_site(site: Path) -> None:
    article = next((site / "content").rglob("*.md"))
    article.write_text(article.read_text(encoding="utf-8").replace("title:", "titel:", 1), encoding="utf-8")
    done = _run_step("sitegen check", site)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "titel" in done.stdout + done.stderr


# ---------------------------------------------------------------------------------------------
# deploy/publish.sh


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _build(tmp_path: Path, version: str, extra: str = "") -> Path:
    build = tmp_path / f"build-{version}"
    (build / "static").mkdir(parents=True)
    (build / "index.html").write_text(f"<p>version {version}</p>" * 2000, encoding="utf-8")
    (build / "static" / "site.css").write_text("body { color: #222 }", encoding="utf-8")
    if extra:
        (build / extra).write_text(version, encoding="utf-8")
    return build


def _publish(build: Path, dest: str, **env: str) -> None:
    done = subprocess.run(["bash", str(PUBLISH), str(build), dest], capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("remote", [False, True], ids=["local", "over-ssh"])
def test_publish_switches_current_and_shares_unchanged_files(tmp_path: Path, fake_ssh: str, remote: bool) -> None:
    releases = tmp_path / "dangjian-releases"
    dest, env = (f"deploy@web:{releases}", {"RSYNC_RSH": fake_ssh}) if remote else (str(releases), {})
    first, second = _build(tmp_path, "1", "old-only.html"), _build(tmp_path, "2")
    _publish(first, dest, **env)
    current = releases / "current"
    assert current.is_symlink() and _tree(current) == _tree(first)
    first_release = current.resolve()
    _publish(second, dest, **env)
    assert _tree(current) == _tree(second), "the second publish is what current shows, old-only.html gone"
    assert current.resolve() != first_release and first_release.is_dir(), "the previous release is kept"
    css = "static/site.css"
    assert (current / css).stat().st_ino == (first_release / css).stat().st_ino, "an unchanged file is uploaded again"
    assert os.readlink(current).startswith("releases/"), "a relative link survives moving the folder"


def test_publish_keeps_only_the_newest_releases(tmp_path: Path) -> None:
    releases = tmp_path / "dangjian-releases"
    for n in range(4):
        _publish(_build(tmp_path, str(n)), str(releases), KEEP="2")
    kept = sorted(p.name for p in (releases / "releases").iterdir())
    assert len(kept) == 2, kept
    assert os.readlink(releases / "current") == f"releases/{kept[-1]}"
    assert (releases / "current" / "index.html").read_text(encoding="utf-8").startswith("<p>version 3</p>")
    assert [p.name for p in releases.iterdir() if p.name.startswith(".current")] == []


def test_a_reader_always_finds_a_whole_site_during_publishes(tmp_path: Path) -> None:
    """What nginx does on every request: open current/index.html. It never fails and is never a mix."""
    releases = tmp_path / "dangjian-releases"
    builds = [_build(tmp_path, str(n)) for n in range(2)]
    wanted = {(b / "index.html").read_bytes() for b in builds}
    _publish(builds[0], str(releases))
    stop, seen, problems = threading.Event(), [0], []

    def read() -> None:
        while not stop.is_set():
            try:
                body = (releases / "current" / "index.html").read_bytes()
            except OSError as err:
                problems.append(repr(err))
                continue
            if body not in wanted:
                problems.append(f"a mixed or partial page ({len(body)} bytes)")
            seen[0] += 1

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for n in range(6):
            _publish(builds[n % 2], str(releases))
    finally:
        stop.set()
        reader.join()
    assert seen[0] > 100, f"the reader read only {seen[0]} times"
    assert problems == [], problems[:5]


def test_publish_refuses_a_folder_that_is_not_a_build(tmp_path: Path) -> None:
    done = subprocess.run(["bash", str(PUBLISH), str(tmp_path), str(tmp_path / "dest")], capture_output=True,
                          text=True)
    assert done.returncode == 1 and "sitegen build" in done.stderr
    assert not (tmp_path / "dest").exists()
