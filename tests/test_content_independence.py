"""Editors own the example content: editing, adding or deleting articles never breaks the tool's tests.

The repository is copied, its example articles are mostly deleted or edited the way an editor would
(the draft removed, the seed's title reworded, a new article added), and the tool's end-to-end tests
are run inside the copy. They build fixture sites under tests/sites, so they must all still pass.
The example content itself is checked by `sitegen check .` in .ci/run, not here.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from sitegen.config import load_config
from tests.conftest import ROOT, article_text

# The modules that once built the repo's own example site or copied its theme; none needs a browser or a
# server (the browser modules read the same column_build as test_e2e).
MODULES = ["tests/test_e2e.py", "tests/test_golden.py", "tests/test_seo.py"]
MIN_TESTS = 20  # a run that collected next to nothing would pass without proving anything


def _copy_repo(dest: Path) -> None:
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, listed.decode().split("\0")):
        source = ROOT / name
        if source.is_file():  # a file deleted in the working tree is still listed until committed
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)


def _edit_like_an_editor(repo: Path) -> list[str]:
    """What an editor might do in a week; returns the paths touched, for the failure message."""
    content = repo / "content"
    articles = sorted(content.rglob("*.md"))  # however many editors have left; none is fine too
    column = load_config(repo).title  # articles may be filed under the column itself
    drafts = [p for p in articles if re.search(r"^draft: *true", p.read_text("utf-8"), re.M)]
    seeds = [p for p in articles if "天津" in p.read_text("utf-8")[:300]]  # in the front matter
    kept = set(seeds) | set(articles[-1:])
    done = []
    for path in articles:
        if path in drafts or path not in kept:
            path.unlink()
            done.append(f"deleted {path.relative_to(repo)}")
    for path in seeds:  # the title loses its colon; the date moves
        text = path.read_text("utf-8")
        text = re.sub(r"^title: .*$", "title: 天津吹响督战号角", text, count=1, flags=re.M)
        text = re.sub(r"^date: .*$", "date: 2020-03-01 08:00", text, count=1, flags=re.M)
        path.write_text(text, "utf-8")
        done.append(f"retitled {path.relative_to(repo)}")
    if articles and articles[-1].exists():  # another article's front matter: filed under the column itself
        last = articles[-1]
        text = re.sub(r"^category: .*$", f"category: {column}", last.read_text("utf-8"), count=1, flags=re.M)
        last.write_text(text, "utf-8")
        done.append(f"edited {last.relative_to(repo)}")
    new = content / "2030" / "2030-01-01-xin-wen-zhang.md"
    new.parent.mkdir(parents=True, exist_ok=True)
    new.write_text(article_text("编辑新加的文章", date="2024-01-01 09:00", category=column), "utf-8")
    done.append(f"added {new.relative_to(repo)}")
    return done


def test_editing_the_example_content_never_breaks_the_tools_tests(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    _copy_repo(repo)
    done = _edit_like_an_editor(repo)
    env = {**os.environ, "PYTHONPATH": str(repo), "PYTHONDONTWRITEBYTECODE": "1"}
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *MODULES],
                         cwd=repo, env=env, capture_output=True, text=True, timeout=300)
    report = run.stdout[-4000:] + run.stderr[-2000:]
    assert run.returncode == 0, "after an editor's changes:\n  " + "\n  ".join(done) + "\n" + report
    passed = re.search(r"(\d+) passed", run.stdout)
    assert passed and int(passed[1]) >= MIN_TESTS, report
    # The copy's own sitegen ran, not the checkout's: otherwise a fixture missing from the copy could pass.
    assert str(repo) in subprocess.run([sys.executable, "-c", "import sitegen; print(sitegen.__file__)"],
                                       env=env, cwd=repo, capture_output=True, text=True).stdout


def test_ci_checks_the_example_content_with_the_editors_message(tmp_path: Path) -> None:
    """The example is checked by CI all the same: `sitegen check .` in .ci/run, whose error fails the run."""
    script = (ROOT / ".ci" / "run").read_text("utf-8")
    commands = [line.strip() for line in script.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    assert "set -euo pipefail" in commands and "sitegen check ." in commands
    assert commands.index("sitegen check .") > commands.index("set -euo pipefail")
    site = tmp_path / "site"
    site.mkdir()
    for name in ("site.yaml", "content", "templates", "static"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, site / name)
        elif source.is_file():
            shutil.copy2(source, site / name)
    # A new article with a typo, not an edit of one: the example may hold any articles, or none.
    article = site / "content" / "2024" / "2024-01-01-xin-wen-zhang.md"
    article.parent.mkdir(parents=True, exist_ok=True)
    text = article_text("新文章", date="2024-01-01 09:00", category=load_config(site).title)
    article.write_text(text.replace("---\n", "---\nsouce: 人民网\n", 1), "utf-8")
    done = subprocess.run([sys.executable, "-m", "sitegen", "check", str(site)], capture_output=True, text=True)
    rel = article.relative_to(site).as_posix()
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"{rel}:2: 错误：未知字段“souce”，是否想写“source”？" in done.stderr, done.stderr
