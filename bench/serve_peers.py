"""Save to screen, `sitegen serve` and `hugo server` side by side, one after the other in one run.

    python bench/serve_peers.py [--n 1000] [--edits 15] [--rev HEAD | --live] [--out bench/.work/serve-peers.json]
                                [--work bench/.work] [--venv bench/.venv] [--jitter 0]

sitegen is measured exactly as bench/serve_reload.py does (its functions, not a copy).
Hugo then serves the same copy of the corpus (the site's content/, restored after
sitegen's saves) as its content dir, with the shared Hugo config and layouts
(bench/corpus.py's make_hugo_site), and goes through the same steps: a first start,
stopped once up, a second start, one article open in Chromium, `--edits` saves 1.5 s
apart, each timed from the end of the write to the page holding the new text, which
Hugo's livereload script reloads (the harness never does).

`hugo server` runs with its defaults but the address: bound to 127.0.0.1 on a free
port. Since Hugo 0.123 that means rendering to disk (public/ in its source dir; memory
only with --renderToMemory) and Fast Render Mode (--disableFastRender off: a change
re-renders the pages a browser has open first). The build's share is Hugo's own
"Total in N ms" for the save.

Hugo's watcher passes changes on at the ticks of a 500 ms clock (watcher.New(500*time.Millisecond,
...) in its commands). A fixed 1.5 s pause after the screen is a multiple of it, so every save after
the first lands the same time after a tick (the last save's build and reload plus the harness's own
time): each then waits ~0.5 s less that time, and save to screen comes out at ~0.5 s however fast the
build. --jitter adds a seeded random 0..JITTER s to each pause, so the saves meet the clock at random
points, as a person's would.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import peers
from bench.corpus import edited_path, make_hugo_site
from bench.serve_reload import ROOT, SHARED, arguments, measure, measure_server, prepare, write
from tests.servehelp import Served, free_port

HUGO_URL = re.compile(r"Web Server is available at (\S+)")
# "Built in" after a start, "Total in" after a rebuild; Hugo prints whole milliseconds.
HUGO_BUILT = re.compile(r"(?:Built|Total) in (\d+) ms")


def _hugo_built(served: Served, after: int) -> tuple[int | None, float]:
    """Seconds of Hugo's first build from line `after` on; Hugo does not say how many files it wrote."""
    found = HUGO_BUILT.search(served.wait_for(HUGO_BUILT.pattern, timeout=60, after=after))
    assert found is not None
    return None, int(found.group(1)) / 1000


def _version(hugo: Path) -> str:
    done = subprocess.run([str(hugo), "version"], capture_output=True, text=True, check=True)
    return done.stdout.split(" BuildDate")[0]


def measure_hugo(hugo: Path, work: Path, content: Path, edits: int, jitter: float = 0.0) -> dict[str, object]:
    site = work / "hugo-site"
    shutil.rmtree(site, ignore_errors=True)  # no public/ from an earlier run: the first start is a cold one
    make_hugo_site(work, SHARED)
    article = edited_path(content)

    def start() -> Served:
        cmd = [str(hugo), "server", "--source", str(site), "--contentDir", str(content),
               "--bind", "127.0.0.1", "--port", str(free_port())]
        return Served(site, cmd=cmd, url_line=HUGO_URL)

    def page_url(served: Served) -> str:
        # Hugo names the page after its slug, at the root; the address as sitegen's: 127.0.0.1, not localhost.
        return served.url.replace("//localhost:", "//127.0.0.1:") + article.stem + "/"

    result = measure_server(start, _hugo_built, article, page_url, edits, jitter)
    return {"articles": len(list(content.glob("*.md"))), "hugo": _version(hugo), **result}


def main() -> None:
    parser = arguments(__doc__ or "", 15, "serve-peers.json")
    parser.add_argument("--venv", type=Path, default=ROOT / "bench" / ".venv", help="the peers' venv, with hugo")
    parser.add_argument("--jitter", type=float, default=0.0,
                        help="add 0..JITTER s (seeded) to each 1.5 s pause between saves")
    args = parser.parse_args()
    peers.ensure_venv(args.venv)
    hugo = peers.hugo_binary(args.venv)
    code, site, header = prepare(args)
    sitegen = measure(site, code, args.edits, args.jitter)
    result = {**header, "jitter_s": args.jitter, "sitegen": sitegen,
              "hugo": measure_hugo(hugo, site.parent, site / "content", args.edits, args.jitter)}
    write(result, args.out)


if __name__ == "__main__":
    main()
