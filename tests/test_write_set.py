"""An edit rewrites exactly the files whose bytes change: no page is written again unchanged.

Issue 10 reported that editing any of the 20 newest articles (the ones in the feeds)
rewrote every page. Here each of those positions is edited in turn and the files the
build rewrote (a new inode or mtime: carried-over files are hard links of the live ones)
must be exactly the files whose content differs, with the search index's own files
(a delta bundle per edit, see sitegen/search.py) and the output marker aside.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sitegen.build import build
from sitegen.publish import MARKER
from tests.conftest import MINI_CONFIG, article_text
from tests.searchview import is_index_file

CATEGORIES = ["党建园地", "廉洁微课堂", "案例警示", "支部风采"]
N = 30  # more than feed_size (20), so the feeds hold some articles and not others


def _articles() -> dict[str, str]:
    # a{i}: i = 0 is the oldest; dates strictly increase with i
    return {f"a{i:02d}.md": article_text(f"文章{i}", date=f"2024-{1 + i // 28:02d}-{1 + i % 28:02d} 09:00",
                                         category=CATEGORIES[i % 4], body=f"第{i}篇正文。")
            for i in range(N)}


def _snapshot(out: Path) -> dict[str, tuple[int, int, bytes]]:
    return {rel: (st.st_ino, st.st_mtime_ns, p.read_bytes()) for p in out.rglob("*")
            if p.is_file() and (rel := p.relative_to(out).as_posix()) != MARKER and not is_index_file(rel)
            and (st := p.stat())}


@pytest.mark.parametrize("what", ["body", "title"])
@pytest.mark.parametrize("newest", [1, 2, 10, 20, 21])  # 1 = the newest article; 21 is in no feed
def test_an_edit_writes_only_the_files_that_differ(make_site: Callable[..., Path], newest: int, what: str) -> None:
    site = make_site(_articles(), MINI_CONFIG)
    out = site / "build"
    build(site, out)
    build(site, out)  # settles the racy stamps of the cold build
    before = _snapshot(out)
    i = N - newest
    path = site / "content" / f"a{i:02d}.md"
    old, new = (f"第{i}篇正文。", f"第{i}篇正文，补充一句。") if what == "body" else (f"文章{i}\n", f"文章{i}修订\n")
    path.write_text(path.read_text("utf-8").replace(old, new), "utf-8")
    result = build(site, out)
    after = _snapshot(out)
    rewritten = {rel for rel, (ino, mtime, _) in after.items() if rel not in before or before[rel][:2] != (ino, mtime)}
    differ = {rel for rel, (_, _, data) in after.items() if rel not in before or before[rel][2] != data}
    assert differ, "the edit changed nothing"
    assert any(rel.endswith(f"a{i:02d}/index.html") for rel in differ)
    assert rewritten == differ, f"rewritten but unchanged: {sorted(rewritten - differ)}"
    # The page, its neighbours (for a title), the listings it is on, the feeds that show it: never the site.
    assert len(differ) <= 10 and result.written < len(after) // 4
