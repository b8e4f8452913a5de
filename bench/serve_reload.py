"""Save to screen with `sitegen serve`: how long after an article is saved the open browser shows the new text.

    python bench/serve_reload.py [--n 1000] [--edits 9] [--rev HEAD | --live] [--out bench/.work/serve-reload.json]
                                 [--work bench/.work]

Runs sitegen from a snapshot of a commit (`git archive`, default HEAD), so edits in
progress in the work tree do not disturb it; --live runs the work tree instead. On a
copy of the shared corpus (bench/corpus.py generates it once), served under /dangjian/:

1. a first `sitegen serve` (a cold build: the cache is empty), stopped once it is up;
2. a second one (the cache and the preview output are there: as an editor starts it
   any other day), with one article open in Chromium (Playwright, Debian's binary);
3. `--edits` saves of that article, 1.5 s apart, each replacing one sentence of its
   body. Each is timed from the end of the write to the browser holding the new text
   (polled every animation frame), with no reload by the harness: serve.js reloads.
   The build's share is the build time serve prints for that save.

Prints JSON: per save, and the median of all saves but the first (the first build
after startup re-reads sources saved within 2 s of the last build: the racy window).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import SUBPATH_SITE_YAML as SITE_YAML
from bench.corpus import edited_path, ensure_corpus
from tests.conftest import CHROMIUM_ARGS, chromium_path
from tests.servehelp import Served, free_port

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "bench"
BUILT = re.compile(r"(\d+) 个文件有改动，用时 ([0-9.]+) 秒")


def snapshot(rev: str, dest: Path) -> Path:
    """The committed code of `rev`, unpacked (the work tree is not touched)."""
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    data = subprocess.run(["git", "-C", str(ROOT), "archive", rev], check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(dest, filter="data")
    return dest


def make_site(work: Path, code: Path, corpus: Path) -> Path:
    site = work / "site"
    shutil.rmtree(site, ignore_errors=True)
    site.mkdir(parents=True)
    shutil.copytree(corpus, site / "content")  # a copy: the saves below must not touch the shared corpus
    if (code / "templates" / "base.html").is_file():  # a commit from before the theme moved into the package
        for name in ("templates", "static"):
            shutil.copytree(code / name, site / name)
    (site / "site.yaml").write_text(SITE_YAML, "utf-8")
    return site


def _env(code: Path | None) -> dict[str, str]:
    env = os.environ.copy()
    if code is not None:
        env["PYTHONPATH"] = str(code)
    return env


def _built(served: Served, after: int) -> tuple[int, float]:
    """Files written and seconds, as serve printed them for the first build from line `after` on."""
    found = BUILT.search(served.wait_for(BUILT.pattern, timeout=60, after=after))
    assert found is not None
    return int(found.group(1)), float(found.group(2))


def _rss_mib(pid: int) -> float | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:  # not Linux
        return None
    kib = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
    return round(kib / 1024, 1)


Built = Callable[[Served, int], tuple[int | None, float]]


def time_saves(served: Served, url: str, article: Path, edits: int, built: Built,
               jitter: float = 0.0) -> list[dict[str, object]]:
    """`edits` saves of `article`, open at `url` in Chromium, each timed from the end of the write to the new text."""
    from playwright.sync_api import sync_playwright

    original = article.read_text("utf-8")
    rows: list[dict[str, object]] = []
    # Seeded, so runs compare: a server that batches changes on a clock (hugo's 500 ms ticker) would
    # otherwise lock onto the fixed 1.5 s pause and meet every save at the same point of its cycle.
    pauses = random.Random(10)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(url)
        page.wait_for_timeout(3000)  # Chromium settles: its start-up competes for the 2 cores
        for i in range(edits):
            text = f"基准测试第{i + 1}次保存，编号{time.time_ns() % 10**9}。"
            lines = len(served.out)
            with open(article, "w", encoding="utf-8") as fh:  # in place, as most editors save
                fh.write(original + "\n" + text + "\n")
            saved = time.perf_counter()
            page.wait_for_function("t => document.body && document.body.innerText.includes(t)", arg=text,
                                   polling="raf", timeout=30_000)
            shown = time.perf_counter() - saved
            written, seconds = built(served, lines)
            rows.append({"save_to_screen_s": round(shown, 3), "build_s": seconds, "written": written,
                         "load_1min": round(os.getloadavg()[0], 2)})
            page.wait_for_timeout(1500 + pauses.uniform(0, jitter * 1000))
        browser.close()
    return rows


def measure_server(start: Callable[[], Served], built: Built, article: Path, page_url: Callable[[Served], str],
                   edits: int, jitter: float = 0.0) -> dict[str, object]:
    """A cold start (stopped once up), a warm one, then the timed saves; any server that Served can run."""
    began = time.perf_counter()
    with start() as cold:
        cold_s = time.perf_counter() - began
        cold_build = built(cold, 0)[1]
    original = article.read_text("utf-8")
    began = time.perf_counter()
    served = start()
    warm_s = time.perf_counter() - began
    try:
        rows = time_saves(served, page_url(served), article, edits, built, jitter)
        rss = _rss_mib(served.proc.pid)
    finally:
        article.write_text(original, "utf-8")
        code_ = served.stop()
    steady = rows[1:] or rows
    return {
        "load_before": os.getloadavg(),
        "cold_start_to_url_s": round(cold_s, 2), "cold_build_s": cold_build,
        "warm_start_to_url_s": round(warm_s, 2),
        "saves": rows,
        "median_save_to_screen_s": round(statistics.median(float(r["save_to_screen_s"]) for r in steady), 3),
        "max_save_to_screen_s": max(float(r["save_to_screen_s"]) for r in steady),
        "median_build_s": round(statistics.median(float(r["build_s"]) for r in steady), 3),
        "serve_rss_mib_after": rss,
        "exit_code": code_,
        "terminal": served.stdout.splitlines(),  # what the server printed: each save's build
    }


def measure(site: Path, code: Path | None, edits: int, jitter: float = 0.0) -> dict[str, object]:
    env = _env(code)
    preview = site / ".sitegen-cache" / "serve" / "site"
    article = edited_path(site / "content")

    def page_url(served: Served) -> str:
        page_file = next(preview.glob(f"*/*/*/{article.stem}/index.html"))
        return served.url + page_file.parent.relative_to(preview).as_posix() + "/"

    result = measure_server(lambda: Served(site, "--port", str(free_port()), env=env), _built, article, page_url,
                            edits, jitter)
    return {"articles": len(list((site / "content").rglob("*.md"))), **result}


def arguments(doc: str, edits: int, out: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=edits)
    parser.add_argument("--rev", default="HEAD")
    parser.add_argument("--live", action="store_true", help="run the work tree, not a snapshot")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / ".work" / out)
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / ".work", help="corpora and the site go here")
    return parser


def prepare(args: argparse.Namespace) -> tuple[Path | None, Path, dict[str, object]]:
    """The code to run (None: the work tree), the site with its copy of the corpus, and the run's header."""
    work = args.work / "serve-reload"
    load = os.getloadavg()
    code = None if args.live else snapshot(args.rev, work / "code")
    corpus = ensure_corpus(SHARED, args.work, args.n, "yaml")
    site = make_site(work, code or ROOT, corpus)
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", args.rev], check=True,
                            capture_output=True, text=True).stdout.strip()
    return code, site, {"rev": "work tree" if args.live else commit, "load_at_start": load}


def write(result: dict[str, object], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False), "utf-8")
    print(json.dumps(result, indent=1, ensure_ascii=False))


def main() -> None:
    args = arguments(__doc__ or "", 9, "serve-reload.json").parse_args()
    code, site, header = prepare(args)
    write({**header, **measure(site, code, args.edits)}, args.out)


if __name__ == "__main__":
    main()
