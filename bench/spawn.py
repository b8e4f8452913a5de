"""What the spawn start method (macOS, Windows) costs against fork (Linux), and where a pool pays.

    python bench/spawn.py [--sizes 100 200 400 1000] [--runs 3]

Each clean build runs in a fresh interpreter, as `sitegen build --clean` would, in one of
three modes: `serial` (no pool, PARALLEL_FROM out of reach), `fork` and `spawn` (a pool
from the first article, PARALLEL_FROM = 0), reported as wall seconds and CPU seconds (the
process and its workers: on a busy machine the steadier number). `pool` times starting a
pool and running one empty task in it. Corpora come from ../shared/bench/gen_corpus.py
(see corpus.py). POSIX only (resource); the modes it compares are what matters on Linux.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import textwrap
from pathlib import Path

import corpus as cp

BENCH = Path(__file__).resolve().parent
MODES = ("serial", "fork", "spawn")

BUILD = textwrap.dedent("""
    import resource, sys, time
    from pathlib import Path
    from sitegen import workers
    from sitegen.build import build
    workers.PARALLEL_FROM = 10**9 if sys.argv[3] == "serial" else 0
    started = time.perf_counter()
    build(Path(sys.argv[1]), Path(sys.argv[2]), clean=True)
    cpu = sum(resource.getrusage(who).ru_utime + resource.getrusage(who).ru_stime
              for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    print(time.perf_counter() - started, cpu)
""")

POOL = textwrap.dedent("""
    import time
    from pathlib import Path
    from sitegen import workers
    started = time.perf_counter()
    with workers.Pool(Path("."), lambda *a: None, eager=True):
        ready = time.perf_counter() - started
    print(ready, time.perf_counter() - started)
""")


def _run(code: str, mode: str, *args: str) -> list[float]:
    env = {**os.environ, "SITEGEN_START_METHOD": "spawn" if mode == "spawn" else "fork"}
    done = subprocess.run([sys.executable, "-c", code, *args, mode], env=env, check=True,
                          capture_output=True, text=True)
    return [float(x) for x in done.stdout.split()]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 200, 400, 1000])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", type=Path, default=BENCH / ".work")
    ap.add_argument("--shared", type=Path, default=BENCH.parent.parent / "shared" / "bench")
    args = ap.parse_args()
    work, shared = args.work.resolve(), args.shared.resolve()
    categories = cp.corpus_categories(shared)
    print(f"cores: {os.cpu_count()}; median of {args.runs} runs, seconds\n")
    for mode in ("fork", "spawn"):
        starts = [_run(POOL, mode) for _ in range(args.runs)]
        print(f"pool {mode}: ready {statistics.median(s[0] for s in starts):.2f}, "
              f"started and stopped {statistics.median(s[1] for s in starts):.2f}")
    print("\n| articles | " + " | ".join(f"{m} wall / CPU" for m in MODES) + " |\n|---|" + "---|" * len(MODES))
    for n in args.sizes:
        site = cp.make_sitegen_site(work, BENCH.parent, cp.ensure_corpus(shared, work, n, "yaml"), categories)
        out = work / "out" / f"spawn-{n}"
        runs: dict[str, list[list[float]]] = {mode: [] for mode in MODES}
        for _ in range(args.runs):  # modes interleaved: a burst of load elsewhere hits all three
            for mode in MODES:
                shutil.rmtree(out, ignore_errors=True)
                runs[mode].append(_run(BUILD, mode, str(site), str(out)))
        cells = [f"{statistics.median(r[0] for r in runs[m]):.2f} / {statistics.median(r[1] for r in runs[m]):.2f}"
                 for m in MODES]
        print(f"| {n} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
