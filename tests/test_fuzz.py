"""Seeded random edits: after every one, an incremental build equals a clean build, byte for byte.

SITEGEN_FUZZ_STEPS (default 50) and SITEGEN_FUZZ_SEED (default 7) widen or vary the run.
"""

from __future__ import annotations

import os
import random
import shutil
from collections.abc import Callable
from pathlib import Path

from sitegen.build import build
from tests.conftest import MINI_CONFIG, article_text, override
from tests.test_incremental import CATEGORIES, articles
from tests.test_write import tree

STEPS = int(os.environ.get("SITEGEN_FUZZ_STEPS", "50"))
SEED = int(os.environ.get("SITEGEN_FUZZ_SEED", "7"))


class Fuzzer:
    def __init__(self, site: Path, rng: random.Random) -> None:
        self.site, self.rng, self.made = site, rng, 0

    def pick(self, folder: str, suffix: str = "") -> Path | None:
        found = sorted(p for p in (self.site / folder).rglob(f"*{suffix}") if p.is_file())
        return self.rng.choice(found) if found else None

    def body(self) -> None:
        if path := self.pick("content", ".md"):
            path.write_text(path.read_text("utf-8") + f"\n新增段落{self.rng.random()}。\n", "utf-8")

    def same_size_same_mtime(self) -> None:
        """One Chinese character for another, mtime restored: what cp -p, rsync -t and unzip do."""
        if path := self.pick("content", ".md"):
            st, text = path.stat(), path.read_text("utf-8")
            swapped = text.replace("篇", "章", 1) if "篇" in text else text.replace("章", "篇", 1)
            path.write_text(swapped, "utf-8")
            os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))

    def front_matter(self) -> None:
        if not (path := self.pick("content", ".md")):
            return
        text = path.read_text("utf-8").split("\n")
        field = self.rng.choice(["title", "date", "category", "draft", "summary"])
        rng = self.rng
        values = {"title": f"title: 标题{rng.randrange(99)}",
                  "date": f"date: {rng.randrange(2010, 2030)}-0{rng.randrange(1, 10)}-1{rng.randrange(9)}",
                  "category": f"category: {self.rng.choice(CATEGORIES)}",
                  "draft": f"draft: {self.rng.choice(['true', 'false'])}",
                  "summary": f"summary: 摘要{self.rng.randrange(9)}"}
        lines = [ln for ln in text if not ln.startswith(f"{field}:")]
        lines.insert(1, values[field])
        path.write_text("\n".join(lines), "utf-8")

    def add(self) -> None:
        self.made += 1
        path = self.site / "content" / f"new/n{self.made}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(article_text(f"新文章{self.made}", date=f"20{10 + self.made % 20}-05-0{1 + self.made % 9}",
                                     category=self.rng.choice(CATEGORIES)), "utf-8")

    def delete(self) -> None:
        if (path := self.pick("content", ".md")) and len(list((self.site / "content").rglob("*.md"))) > 3:
            path.unlink()

    def rename(self) -> None:
        if path := self.pick("content", ".md"):
            self.made += 1
            path.rename(path.with_name(f"r{self.made}.md"))

    def static_swap(self) -> None:
        """A static path turns from a file into a folder, or back."""
        path = self.site / "static/report"
        if path.is_dir():
            shutil.rmtree(path)
            path.write_text(f"v{self.rng.random()}")
        else:
            path.unlink(missing_ok=True)
            (path / "2021").mkdir(parents=True)
            (path / "2021/a.txt").write_text("v2")

    def static_edit(self) -> None:
        path = self.site / "static" / f"s{self.rng.randrange(4)}.txt"
        if path.exists() and self.rng.random() < 0.3:
            path.unlink()
        else:
            path.write_text(f"{self.rng.randrange(10)}" * self.rng.randrange(1, 5))

    def template(self) -> None:
        """The site's override of a theme template is made, edited, or removed (the theme's is used again)."""
        if (self.site / "templates/article.html").exists() and self.rng.random() < 0.3:
            (self.site / "templates/article.html").unlink()
            return
        path = override(self.site, "templates/article.html")
        text = path.read_text("utf-8")
        path.write_text(text.replace("上一篇", "前一篇") if "上一篇" in text else text.replace("前一篇", "上一篇"),
                        "utf-8")

    def config(self) -> None:
        path = self.site / "site.yaml"
        text = path.read_text("utf-8")
        path.write_text(text.replace("page_size: 2", "page_size: 3") if "page_size: 2" in text
                        else text.replace("page_size: 3", "page_size: 2"), "utf-8")

    def output(self) -> None:
        """Someone edits the live output by hand: sitegen must notice and repair it."""
        if path := self.pick("build"):
            if path.name != ".sitegen-output":
                self.rng.choice([path.unlink, lambda: path.write_text("defaced")])()
        else:
            (self.site / "build/hand.txt").write_text("x")


def test_incremental_builds_equal_clean_builds(make_site: Callable[..., Path], tmp_path: Path) -> None:
    site = make_site(articles(20), MINI_CONFIG)
    fuzz = Fuzzer(site, random.Random(SEED))
    moves = [fuzz.body, fuzz.same_size_same_mtime, fuzz.front_matter, fuzz.front_matter, fuzz.add, fuzz.delete,
             fuzz.rename, fuzz.static_swap, fuzz.static_edit, fuzz.template, fuzz.config, fuzz.output]
    build(site, site / "build")
    for step in range(STEPS):
        moves_now = fuzz.rng.sample(moves, fuzz.rng.randrange(1, 4))
        for move in moves_now:
            move()
        build(site, site / "build")
        build(site, tmp_path / "clean", clean=True)
        names = [m.__name__ for m in moves_now]
        assert tree(site / "build") == tree(tmp_path / "clean"), f"step {step} (seed {SEED}): {names}"
