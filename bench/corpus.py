"""Corpora and site directories for the benchmark, all under the work dir (bench/.work).

The shared inputs (gen_corpus.py, the peers' configs) are used in place and
only ever symlinked, never copied.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

EDIT_SENTENCE = "\n\n基准测试:本段为单篇文章修改后追加的一句话。\n"
GEN_TIMEOUT_S = 3600
# The corpus's categories under a sub-path with a site_url: a site with search, feeds and share links,
# as the hospital's is (the search and live-preview benches).
SUBPATH_SITE_YAML = """title: 党建园地
site_url: https://www.example-hospital.cn
base_path: /dangjian/
page_size: 20
categories:
  - name: 廉洁微课堂
  - name: 支部风采
  - name: 学习园地
  - name: 医院新闻
  - name: 通知公告
"""


def ensure_corpus(shared: Path, work: Path, n: int, flavor: str) -> Path:
    """Generate the corpus once per (n, flavor); reuse it while its file count matches."""
    dest = work / "corpus" / f"{flavor}-{n}"
    _restore_interrupted_edits(dest)
    if dest.is_dir() and _count_md(dest) == n:
        return dest
    # Generate beside the target and rename, so a killed run never leaves a corpus
    # that passes the count check with a half-written last file.
    partial = dest.with_name(dest.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    shutil.rmtree(dest, ignore_errors=True)
    print(f"[bench] generating {flavor} corpus, N={n}", file=sys.stderr)
    cmd = [sys.executable, str(shared / "gen_corpus.py"), "--n", str(n), "--out", str(partial), "--flavor", flavor]
    subprocess.run(cmd, check=True, timeout=GEN_TIMEOUT_S)
    partial.rename(dest)
    return dest


def _count_md(folder: Path) -> int:
    return sum(1 for entry in os.scandir(folder) if entry.name.endswith(".md"))


def corpus_categories(shared: Path) -> list[str]:
    """The corpus's categories, read from gen_corpus.py so the two cannot drift apart."""
    spec = importlib.util.spec_from_file_location("gen_corpus", shared / "gen_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.CATEGORIES)


def site_yaml(categories: list[str]) -> str:
    # The first category is the section root and doubles as the site title.
    root, children = categories[0], categories[1:]
    lines = [
        f"title: {root}",
        "base_path: /",
        "timezone: Asia/Shanghai",
        "page_size: 20",
        "ancestors:",
        "  - name: 首页",
        "    url: https://www.example-hospital.cn/",
        "  - name: 医院概况",
        "    url: https://www.example-hospital.cn/yygk/",
        "categories:",
        *[f"  - name: {name}" for name in children],
    ]
    return "\n".join(lines) + "\n"


def make_sitegen_site(work: Path, repo: Path, corpus: Path, categories: list[str]) -> Path:
    """SITE_DIR for `sitegen build`: site.yaml and a symlink to the corpus; the theme is sitegen's own."""
    site = work / f"site-{corpus.name}"
    site.mkdir(parents=True, exist_ok=True)
    _symlink(site / "content", corpus)
    (site / "site.yaml").write_text(site_yaml(categories), encoding="utf-8")
    return site


def make_hugo_site(work: Path, shared: Path) -> Path:
    """A Hugo --source dir holding symlinks to the shared hugo.toml and layouts/."""
    site = work / "hugo-site"
    site.mkdir(parents=True, exist_ok=True)
    peer = shared / "peers" / "hugo"
    _symlink(site / "hugo.toml", peer / "hugo.toml")
    _symlink(site / "layouts", peer / "layouts")
    return site


def _symlink(link: Path, target: Path) -> None:
    if link.is_symlink() and Path(os.readlink(link)) == target:
        return
    if link.is_symlink() or link.is_file():
        link.unlink()
    link.symlink_to(target)


def edited_path(corpus: Path) -> Path:
    """The article the one-edit rebuild touches: a fixed one in the middle of the corpus."""
    n = _count_md(corpus)
    return corpus / f"a-{n // 2:06d}.md"


def _backup_path(article: Path) -> Path:
    # Kept outside the content dir so no tool ever reads it as an article.
    return article.parent.parent / f"{article.parent.name}--{article.name}.orig"


@contextmanager
def edited_article(corpus: Path, times: int = 1) -> Iterator[Path]:
    """Append a sentence (`times` times) to one article's body; restore the file (and mtime) afterwards."""
    article = edited_path(corpus)
    backup = _backup_path(article)
    shutil.copy2(article, backup)  # survives a killed harness; see _restore_interrupted_edits
    try:
        with open(article, "a", encoding="utf-8") as fh:
            fh.write(EDIT_SENTENCE * times)
        yield article
    finally:
        _restore(backup, article)


def _restore(backup: Path, article: Path) -> None:
    # copy2 restores content and mtime, so size+mtime based caches see the original again.
    shutil.copy2(backup, article)
    backup.unlink()


def _restore_interrupted_edits(corpus: Path) -> None:
    for backup in corpus.parent.glob(f"{corpus.name}--*.orig"):
        _restore(backup, corpus / backup.name.split("--", 1)[1].removesuffix(".orig"))


def count_html(folder: Path) -> int:
    total = 0
    for _root, _dirs, files in os.walk(folder):
        total += sum(1 for name in files if name.endswith(".html"))
    return total
