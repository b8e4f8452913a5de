"""Precision and recall of search on a query set, against Pagefind's stock Chinese search, in the real browser.

    python bench/search_precision.py SITE_DIR [--out bench/.work/search-precision.json]

SITE_DIR is built twice: with sitegen (its index: one word per Han character,
keywords as exact phrases, the search page's own client), and as stock Pagefind
would index the same pages (jieba words, `data-pagefind-body` on the article,
Pagefind's own query segmentation). A result is relevant when the article holds
every word listed for the query, literally (punctuation and spaces ignored).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright

from sitegen.build import build
from sitegen.searchindex import pagefind_binary
from tests.conftest import CHROMIUM_ARGS, serve

# (query as typed, the words a relevant article holds)
QUERIES: list[tuple[str, list[str]]] = [
    ("纪检监察", ["纪检监察"]), ("督战", ["督战"]), ("邓修明", ["邓修明"]), ("天津 督战", ["天津", "督战"]),
    ("天津督战", ["天津", "督战"]), ("廉洁微课堂", ["廉洁微课堂"]), ("党支部", ["党支部"]), ("主题党日", ["主题党日"]),
    ("疫情防控", ["疫情防控"]), ("志愿服务", ["志愿服务"]), ("党史学习教育", ["党史学习教育"]),
    ("医护人员", ["医护人员"]), ("党员 志愿", ["党员", "志愿"]), ("作风建设", ["作风建设"]), ("八项规定", ["八项规定"]),
    ("九项准则", ["九项准则"]), ("两优一先", ["两优一先"]), ("纪检", ["纪检"]), ("监察", ["监察"]), ("修明", ["修明"]),
    ("防控", ["防控"]), ("支部", ["支部"]), ("监督检查", ["监督检查"]), ("廉洁从医", ["廉洁从医"]),
    ("警示教育", ["警示教育"]), ("组织生活会", ["组织生活会"]), ("民主评议", ["民主评议"]), ("2024", ["2024"]),
    ("党纪学习", ["党纪学习"]), ("学习强国", ["学习强国"]),
]


def fold(text: str) -> str:
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text).lower())


class _Text(HTMLParser):
    """The text of the article's title (h1.article-title) and body (div.article-body), by element depth."""

    def __init__(self) -> None:
        super().__init__()
        self.depth, self.parts = 0, []  # depth > 0: inside the title or the body

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        cls = dict(attrs).get("class") or ""
        if self.depth or cls in ("article-title", "article-body"):
            self.depth += tag not in ("br", "img", "source", "hr", "wbr", "input")

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.parts.append(data)


def sources(out: Path) -> dict[str, str]:
    """url -> folded title and body text of each article page in a build."""
    docs = {}
    for page in out.glob("[0-9]*/**/index.html"):
        parser = _Text()
        parser.feed(page.read_text("utf-8"))
        docs["/" + page.parent.relative_to(out).as_posix() + "/"] = fold("".join(parser.parts))
    return docs


def run_ours(page, url: str, query: str) -> list[str]:
    page.goto(f"{url}search/?q={quote(query)}")
    page.wait_for_function("""() => { const s = document.getElementById('search-status').textContent;
        return s && !s.startsWith('正在') && (document.querySelector('.search-result') || s.startsWith('没有'));
        }""", timeout=60_000)
    while page.is_visible("#search-more"):
        n = page.locator(".search-result").count()
        page.click("#search-more")
        page.wait_for_function(f"document.querySelectorAll('.search-result').length > {n}", timeout=60_000)
    return page.eval_on_selector_all(".search-result h2 a", "els => els.map(a => new URL(a.href).pathname)")


STOCK = """async (q) => { const pf = await import('../pagefind/pagefind.js'); await pf.init();
  const s = await pf.search(q); return Promise.all(s.results.map(async r => (await r.data()).url)); }"""


def run_stock(page, url: str, query: str) -> list[str]:
    page.goto(f"{url}search/")
    return page.evaluate(STOCK, query)


def score(found: list[str], docs: dict[str, str], words: list[str], prefix: str) -> dict[str, float | int]:
    relevant = {u for u, text in docs.items() if all(fold(w) in text for w in words)}
    got = {u[len(prefix) - 1:] if u.startswith(prefix) else u for u in found}
    hits = len(got & relevant)
    return {"results": len(got), "relevant": len(relevant), "hits": hits}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--out", type=Path, default=Path("bench/.work/search-precision.json"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ours, stock = Path(tmp) / "ours", Path(tmp) / "stock"
        build(args.site, ours, clean=True)
        shutil.copytree(ours, stock, ignore=shutil.ignore_patterns("pagefind*"))
        for page in stock.glob("[0-9]*/**/index.html"):
            page.write_text(page.read_text("utf-8").replace('<article class="article">',
                                                            '<article class="article" data-pagefind-body>'), "utf-8")
        subprocess.run([pagefind_binary(), "--site", str(stock), "--silent"], check=True)
        docs = sources(ours)
        rows = []
        with serve(ours) as url_ours, serve(stock) as url_stock, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page()
            prefix = "/dangjian/"
            for query, words in QUERIES:
                rows.append({"query": query, "ours": score(run_ours(page, url_ours, query), docs, words, prefix),
                             "stock": score(run_stock(page, url_stock, query), docs, words, prefix)})
            browser.close()
    totals = {}
    for side in ("ours", "stock"):
        hits = sum(r[side]["hits"] for r in rows)
        totals[side] = {"precision": round(hits / max(1, sum(r[side]["results"] for r in rows)), 3),
                        "recall": round(hits / max(1, sum(r[side]["relevant"] for r in rows)), 3)}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"rows": rows, "totals": totals}, ensure_ascii=False, indent=1), "utf-8")
    for r in rows:
        print(f"{r['query']}\tours {r['ours']}\tstock {r['stock']}")
    print(json.dumps(totals))


if __name__ == "__main__":
    main()
