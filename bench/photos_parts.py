"""Parts 1 and 2 of bench/photos.py: the library comparison and the Hugo anchor."""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import photos_check as pc
import photos_report as pr
import photos_sites as ps
from measure import RunResult

PER_BUNDLE = 3
LIBS = ("pillow", "pyvips", "pyvips-once")
LIB_OUTPUT = re.compile(r"(.+)-(?:\d+|thumb)\.(?:webp|jpg)")
HUGO_OUTPUT = re.compile(r"(photo\d+)_hu_[0-9a-f]+\.\w+")


@dataclass
class Env:
    args: argparse.Namespace
    bench: Path
    repo: Path
    measure: Callable[..., RunResult]
    hugo: Path | None = None
    vips_env: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # One libvips worker thread per process: the 2-process runs are then really
        # 2 threads on 2 cores, as sitegen's process pool would use them.
        self.vips_env = dict(os.environ, VIPS_CONCURRENCY="1")

    @property
    def work(self) -> Path:
        return self.args.work

    def log(self, name: str) -> Path:
        return self.work / "logs" / "photos" / name.replace(" ", "_")

    def photos(self, n: int, heic: int = 0) -> ps.PhotoSet:
        return ps.ensure_photos(self.args.shared, self.work / "photos-cache", n, heic)


def load() -> float:
    return os.getloadavg()[0]


def say(row: pr.Row, run: int, rr: RunResult) -> None:
    label = " ".join(row.label.values())
    print(f"[photos] {label} run {run}: {rr.wall_s:.2f} s wall, {rr.cpu_s:.2f} s CPU, "
          f"{rr.peak_rss_mib:.0f} MiB, rc={rr.rc}, load {load():.2f}", file=sys.stderr)


# Part 1 ---------------------------------------------------------------------------------------


def library_rows(env: Env) -> list[pr.Row]:
    photos = env.photos(env.args.lib_photos, env.args.heic)
    inputs = {}
    if "jpeg" in env.args.inputs:
        inputs[f"12 MP JPEG ×{len(photos.jpegs)}"] = photos.jpegs
    if photos.heics and "heic" in env.args.inputs:
        inputs[f"12 MP HEIC ×{len(photos.heics)}"] = photos.heics
    rows = []
    for effort in env.args.efforts:
        for what, files in inputs.items():
            heic = files is photos.heics
            for lib in env.args.libs:
                for jobs in (1, 2):
                    if heic and effort != env.args.efforts[0]:
                        continue  # the WebP effort is not what HEIC is about: one effort is enough
                    rows.append(library_row(env, lib, jobs, effort, what, files))
    return rows


def library_row(env: Env, lib: str, jobs: int, effort: int, what: str, files: list[Path]) -> pr.Row:
    mode = "1 (pinned to 1 core)" if jobs == 1 else f"{jobs}"
    label = {"library": lib, "effort": str(effort), "input": what, "processes": mode}
    row = pr.Row(label, len(files), sum(f.stat().st_size for f in files), load=load())
    out = env.work / "photos-part1" / f"{lib}-e{effort}-{files[0].suffix[1:]}-j{jobs}"
    cmd = [sys.executable, str(env.bench / "photos_render.py"), "--lib", lib, "--jobs", str(jobs)]
    cmd += [*(["--one-core"] if jobs == 1 else []), "--webp-effort", str(effort), "--out", str(out)]
    cmd += [str(f) for f in files]
    for run in range(1, env.args.runs + 1):
        shutil.rmtree(out, ignore_errors=True)
        stem = env.log(f"part1-{out.name}-{run}")
        rr = env.measure(cmd, cwd=env.repo, log_stem=stem, timeout_s=env.args.timeout, env=env.vips_env)
        row.runs.append(rr)
        say(row, run, rr)
        if not rr.ok:
            # A library that cannot do the job (pyvips without an HEVC decoder) fails every run alike.
            row.error = "failed: " + (rr.stderr_tail.strip().splitlines() or ["?"])[-1].strip()[:120]
            break
        report = json.loads(stem.with_suffix(".out").read_text(encoding="utf-8"))
        cpu = [p["cpu_s"] for p in report["photos"]]
        row.extra.append({
            "batch_wall_s": report["batch_wall_s"],
            "cpu_per_photo": sum(cpu) / len(cpu),
            "cpu_max": max(cpu),
            "out_bytes": sum(p["out_bytes"] for p in report["photos"]),
        })
        if run == 1:
            checked = pc.check_folder(out, source_finder(files))
            row.checks = {"upright": checked.upright(), "metadata": checked.metadata_text()}
    return row


def merge_rows(saved: Path, fresh: list[pr.Row], context: dict[str, Any]) -> tuple[list[pr.Row], dict[str, Any]]:
    """The last run's rows with those measured again replaced, in the last run's order."""
    if not saved.exists():
        return fresh, context
    last = json.loads(saved.read_text(encoding="utf-8"))
    by_label = {tuple(r.label.values()): r for r in fresh}
    rows = [by_label.pop(tuple(raw["label"].values()), None) or pr.row_from_dict(raw) for raw in last["rows"]]
    merged = {**context, "command": f"{last['context']['command']}; then {context['command']}"}
    return rows + list(by_label.values()), merged


def source_finder(files: list[Path]) -> Callable[[Path], Path | None]:
    """Maps photo-001-960.webp to photo-001.jpg (or .heic) among files."""
    by_stem = {f.stem: f for f in files}

    def find(output: Path) -> Path | None:
        m = LIB_OUTPUT.fullmatch(output.name)
        return by_stem.get(m[1]) if m else None

    return find


# Part 2 ---------------------------------------------------------------------------------------


def hugo_command(env: Env, site: Path, content: Path, out: Path, cache: Path, lanczos: bool) -> list[str]:
    assert env.hugo is not None
    configs = [env.args.shared / "peers" / "hugo" / "hugo.toml"]
    if lanczos:
        configs.append(env.bench / "photo_peers" / "hugo" / "lanczos.toml")
    # The shared peer site is the theme (baseof, list, single); our layouts/ overrides single.html only.
    cmd = [str(env.hugo), "--source", str(site), "--config", ",".join(str(c) for c in configs)]
    cmd += ["--themesDir", str(env.args.shared / "peers"), "--theme", "hugo", "--contentDir", str(content)]
    return [*cmd, "--destination", str(out), "--cacheDir", str(cache)]


def hugo_site(env: Env, name: str) -> Path:
    return ps.hugo_site(env.work, name, env.bench / "photo_peers" / "hugo" / "layouts")


def hugo_clean(site: Path, out: Path, cache: Path) -> None:
    for path in (out, cache, site / "resources"):
        shutil.rmtree(path, ignore_errors=True)


def hugo_rows(env: Env) -> list[pr.Row]:
    photos = env.photos(env.args.hugo_photos).jpegs
    content = ps.photo_bundles(env.work, photos, PER_BUNDLE)
    site = hugo_site(env, "hugo-photo-bundles")
    originals = sum(p.stat().st_size for p in photos)
    rows = []
    for lanczos in (False, True):
        out, cache = env.work / "out" / f"hugo-photo-bundles-{len(photos)}", env.work / "hugo-photo-cache"
        cmd = hugo_command(env, site, content, out, cache, lanczos)
        kinds = {"clean": True, "again": False}
        group = {k: pr.Row({"filter": "lanczos" if lanczos else "box (default)", "photos": str(len(photos)),
                            "build": k}, len(photos), originals) for k in kinds}
        for run in range(1, env.args.runs + 1):
            for kind, clean in kinds.items():
                row = group[kind]
                if run == 1:
                    row.load = load()
                if clean:
                    hugo_clean(site, out, cache)
                stem = env.log(f"part2-{'lanczos' if lanczos else 'box'}-{kind}-{run}")
                rr = env.measure(cmd, cwd=site, log_stem=stem, timeout_s=env.args.timeout)
                row.runs.append(rr)
                say(row, run, rr)
                if rr.ok:
                    row.extra.append(hugo_outputs(out, content, row, check=run == 1))
        rows += group.values()
    return rows


def hugo_outputs(out: Path, content: Path, row: pr.Row, check: bool) -> dict[str, Any]:
    """Rendition bytes of a Hugo build; on the first run, also what the outputs look like."""
    def original_for(path: Path) -> Path | None:
        m = HUGO_OUTPUT.fullmatch(path.name)
        return content / path.parent.relative_to(out) / f"{m[1]}.jpg" if m else None

    renditions = sum(p.stat().st_size for p in out.rglob("*_hu_*") if original_for(p))
    if check:
        checked = pc.check_folder(out, original_for)
        published = [p for p in out.rglob("photo*.jpg") if "_hu_" not in p.name]
        with_gps = sum("GPS" in pc.metadata(p) for p in published)
        row.checks = {"upright": checked.upright(), "metadata": checked.metadata_text(),
                      "originals": f"{len(published)} of {row.photos} ({with_gps} with GPS)"}
    return {"rendition_bytes": renditions}
