"""Benchmark sitegen against Pelican and Hugo on the synthetic Chinese corpus.

    python bench/run.py --sizes 1000 10000 --runs 3 [--only sitegen pelican hugo]
                        [--out bench/RESULTS.md] [--timeout 1800]

Corpora, outputs and logs go to bench/.work/; Pelican and Hugo are installed
into bench/.venv/.  sitegen runs from the current interpreter.  Sizes of
50000 and more run sitegen only, to measure its growth per article.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path

import corpus as cp
import peers
import report as rp
from measure import run_measured

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
TOOLS = ("sitegen", "pelican", "hugo")
PEER_MAX_N = 50000  # Pelican and Hugo are skipped from this size on


@dataclass
class Context:
    args: argparse.Namespace
    work: Path
    env: dict[str, str]
    hugo: Path | None
    categories: list[str]
    peer_error: str = ""  # why Pelican/Hugo could not be installed, if they could not


@dataclass
class Step:
    """One timed command of a tool; reset() runs untimed before it, wrap() around it."""

    name: str
    cmd: list[str]
    cwd: Path
    output: Path
    reset: Callable[[], None] = lambda: None
    wrap: Callable[[], AbstractContextManager[object]] = nullcontext
    note: str = ""  # carried into the report's status column


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--only", nargs="+", choices=TOOLS, default=list(TOOLS))
    ap.add_argument("--out", type=Path, default=BENCH / "RESULTS.md")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds per timed command")
    ap.add_argument("--work", type=Path, default=BENCH / ".work")
    ap.add_argument("--venv", type=Path, default=BENCH / ".venv")
    # CI lays shared/ beside the clone, so default to the repo's sibling folder.
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "bench")
    args = ap.parse_args(argv)
    # Absolute paths: the tools run with other working directories (Hugo needs it too).
    for name in ("out", "work", "venv", "shared"):
        setattr(args, name, getattr(args, name).resolve())
    return args


def _rm(*paths: Path) -> Callable[[], None]:
    """A reset action that deletes outputs/caches so the next build starts clean."""

    def reset() -> None:
        for path in paths:
            shutil.rmtree(path, ignore_errors=True)

    return reset


def sitegen_steps(ctx: Context, corpus: Path) -> list[Step]:
    site = cp.make_sitegen_site(ctx.work, REPO, corpus, ctx.categories)
    out = ctx.work / "out" / f"sitegen-{corpus.name}"
    base = [sys.executable, "-m", "sitegen", "build", str(site), "-o", str(out)]
    cold = Step(rp.SITEGEN_COLD, [*base, "--clean"], REPO, out, _rm(site / ".sitegen-cache", out))
    return [
        cold,
        Step(rp.SITEGEN_NOCHANGE, base, REPO, out),
        Step(rp.SITEGEN_EDIT, base, REPO, out, wrap=lambda: cp.edited_article(corpus)),
        # Right after the first edit, another one: the steady state of an editor's session.
        Step(rp.SITEGEN_EDIT_AGAIN, base, REPO, out, wrap=lambda: cp.edited_article(corpus, times=2)),
    ]


def pelican_steps(ctx: Context, corpus: Path) -> list[Step]:
    out = ctx.work / "out" / f"pelican-{corpus.name}"
    conf = ctx.args.shared / "peers" / "pelican" / "pelicanconf.py"
    # A private cwd so anything Pelican writes relative to it stays in .work.
    cwd = ctx.work / "pelican-cwd"
    cwd.mkdir(parents=True, exist_ok=True)
    cmd = [str(peers.pelican_command(ctx.args.venv)), str(corpus), "-s", str(conf), "-o", str(out)]
    return [Step(rp.PELICAN_CLEAN, cmd, cwd, out, _rm(out)), Step(rp.PELICAN_AGAIN, cmd, cwd, out)]


def hugo_steps(ctx: Context, corpus: Path) -> list[Step]:
    assert ctx.hugo is not None
    site = cp.make_hugo_site(ctx.work, ctx.args.shared)
    out = ctx.work / "out" / f"hugo-{corpus.name}"
    cache = ctx.work / "hugo-cache"  # private, so a clean build really starts cold
    # The flat corpus works as --contentDir: its articles become root-level pages.
    cmd = [str(ctx.hugo), "--source", str(site), "--contentDir", str(corpus)]
    cmd += ["--destination", str(out), "--cacheDir", str(cache)]
    return [Step(rp.HUGO_CLEAN, cmd, site, out, _rm(out, cache)), Step(rp.HUGO_AGAIN, cmd, site, out)]


def run_steps(ctx: Context, n: int, steps: list[Step]) -> list[rp.ScenarioResult]:
    results = [rp.ScenarioResult(n, step.name, note=step.note, command=shlex.join(step.cmd)) for step in steps]
    for run in range(ctx.args.runs):
        for step, result in zip(steps, results, strict=True):
            step.reset()
            with step.wrap():
                stem = ctx.work / "logs" / f"{n}-{step.name.replace(' ', '_')}-{run + 1}"
                rr = run_measured(step.cmd, cwd=step.cwd, log_stem=stem, timeout_s=ctx.args.timeout, env=ctx.env)
            result.runs.append(rr)
            print(
                f"[bench] N={n} {step.name} run {run + 1}/{ctx.args.runs}: {rr.wall_s:.2f} s, "
                f"{rr.peak_rss_mib:.0f} MiB, rc={rr.rc}",
                file=sys.stderr,
            )
            if rr.ok and result.html_files is None:
                result.html_files = cp.count_html(step.output)
            if not rr.ok and step is steps[0]:
                # Rebuilds after a failed clean build would measure nothing meaningful.
                for later in results[1:]:
                    later.skipped = "" if later.runs else "clean build failed"
                return results
    return results


def markdown_floor(ctx: Context, corpus: Path, size: rp.SizeResult) -> None:
    cmd = [sys.executable, str(BENCH / "md_floor.py"), str(corpus)]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=ctx.args.timeout)
    except subprocess.TimeoutExpired:
        size.md_floor_error = "timeout"
        return
    if done.returncode != 0:
        size.md_floor_error = (done.stderr.strip().splitlines() or ["failed"])[-1]
        return
    size.md_floor_cpu_s = json.loads(done.stdout)["cpu_s"]


def bench_size(ctx: Context, n: int) -> rp.SizeResult:
    size = rp.SizeResult(n)
    tools = list(ctx.args.only)
    if n >= PEER_MAX_N and set(tools) - {"sitegen"}:
        tools = [t for t in tools if t == "sitegen"]
        size.note = f"Pelican/Hugo skipped (N ≥ {PEER_MAX_N}: sitegen only)"
    yaml_corpus = cp.ensure_corpus(ctx.args.shared, ctx.work, n, "yaml")
    markdown_floor(ctx, yaml_corpus, size)
    if "sitegen" in tools:
        size.scenarios += run_steps(ctx, n, sitegen_steps(ctx, yaml_corpus))
    if ctx.peer_error:
        for tool in {"pelican", "hugo"} & set(tools):
            size.scenarios.append(rp.ScenarioResult(n, tool, skipped=ctx.peer_error))
        tools = [t for t in tools if t == "sitegen"]
    if "pelican" in tools:
        pelican_corpus = cp.ensure_corpus(ctx.args.shared, ctx.work, n, "pelican")
        size.scenarios += run_steps(ctx, n, pelican_steps(ctx, pelican_corpus))
    if "hugo" in tools:
        size.scenarios += run_steps(ctx, n, hugo_steps(ctx, yaml_corpus))
    return size


def setup_peers(args: argparse.Namespace) -> str:
    """Install the peers when a size needs them; return an error text instead of crashing."""
    wanted = any(n < PEER_MAX_N for n in args.sizes) and bool(set(args.only) - {"sitegen"})
    if not wanted and not args.venv.exists():
        return "peers not requested"
    try:
        peers.ensure_venv(args.venv)
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"[bench] peer setup failed: {exc}", file=sys.stderr)
        return f"peer venv setup failed: {exc}"
    return ""


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    peer_error = setup_peers(args)
    hugo = None if peer_error else peers.hugo_binary(args.venv)
    # Wide COLUMNS stop Pelican's rich logger from wrapping warning lines mid-sentence.
    env = dict(os.environ, COLUMNS="250")
    ctx = Context(args, args.work, env, hugo, cp.corpus_categories(args.shared), peer_error)
    machine = peers.machine_info()  # before the runs, so the load average is the idle one
    sizes = [bench_size(ctx, n) for n in args.sizes]
    header = {"Machine": machine, "Versions": peers.tool_versions(args.venv, hugo or Path("hugo"), REPO)}
    command = shlex.join(["python", *sys.argv]) if argv is None else shlex.join(argv)
    text = rp.render(header, sizes, args.runs, os.cpu_count() or 1, command)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    raw = {"header": header, "sizes": [dataclasses.asdict(s) for s in sizes]}
    (args.work / "last-results.json").write_text(json.dumps(raw, ensure_ascii=False, indent=1))
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
