"""The benchmark harness still runs (sitegen only, a tiny corpus): it must not rot between uses."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, missing

SHARED = ROOT.parent / "shared" / "bench"


def test_bench_smoke(tmp_path: Path) -> None:
    # missing(): a skip on a developer's machine, a failure under CI=true, where a skip would hide a rotten harness.
    if not (SHARED / "gen_corpus.py").is_file():
        missing(f"{SHARED} is not beside the repo (the benchmark's corpus generator lives there)")
    out = tmp_path / "RESULTS.md"
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--sizes", "40", "--runs", "1", "--only", "sitegen",
         "--out", str(out), "--work", str(tmp_path / "work"), "--venv", str(tmp_path / "venv")],
        capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    table = out.read_text(encoding="utf-8")
    for scenario in ("cold", "no-change", "one-edit"):
        assert scenario in table
    assert "rc=0" in done.stderr + done.stdout
