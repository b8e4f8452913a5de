"""The wheel users install carries the theme, the skeleton `init` copies, and serve's script.

Package data is easy to lose: a glob that misses a dotfile or a nested folder still builds, and
only a site built from an installed sitegen (not this editable checkout) would notice.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from sitegen.themefiles import THEME_DIR
from tests.conftest import ROOT


def _source_tree(dest: Path) -> Path:
    """The project's files as a clean clone has them: a checkout's sitegen.egg-info would feed setuptools
    its old file list, and the wheel would hold what an earlier install saw, not what pyproject says."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, capture_output=True,
                            check=True).stdout.decode().split("\0")
    for rel in filter(None, listed):
        if (ROOT / rel).is_file() and not rel.startswith(("content/", "node_modules/")):
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, dest / rel)
    return dest


def test_the_wheel_holds_every_theme_and_skeleton_file(tmp_path: Path) -> None:
    source = _source_tree(tmp_path / "src")
    # With build isolation pip fetches setuptools from PyPI (reachable from CI); it takes ~10 s.
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(source)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    [wheel] = tmp_path.glob("sitegen-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    package = THEME_DIR.parent
    wanted = {p.relative_to(package.parent).as_posix() for folder in ("theme", "skeleton")
              for p in (package / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    assert {"sitegen/theme/templates/base.html", "sitegen/skeleton/gitignore", "sitegen/skeleton/ci.yml"} <= wanted
    assert wanted - names == set(), "package data missing from the wheel"
    code = {p.relative_to(package.parent).as_posix() for p in package.rglob("*.py") if "__pycache__" not in p.parts}
    assert "sitegen/legacy/html/__init__.py" in code
    assert code - names == set(), "modules missing from the wheel (a subpackage not found by setuptools)"
    assert "sitegen/serve.js" in names
