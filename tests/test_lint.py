"""The code base stays ruff-clean: part of the suite so CI enforces it."""

import shutil
import subprocess
import sys

from tests.conftest import ROOT


def test_ruff_clean() -> None:
    ruff = shutil.which("ruff") or shutil.which("ruff", path=str(ROOT / ".venv" / "bin"))
    cmd = [ruff] if ruff else [sys.executable, "-m", "ruff"]
    targets = [d for d in ("sitegen", "tests", "bench") if (ROOT / d).is_dir()]
    done = subprocess.run([*cmd, "check", *targets], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_no_module_grows_past_250_lines() -> None:
    long = {p.name: n for p in (ROOT / "sitegen").glob("*.py") if (n := len(p.read_text().splitlines())) > 250}
    assert long == {}, "split these modules"
