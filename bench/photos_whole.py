"""Part 3 of bench/photos.py: a whole site with folder articles and photos, sitegen and Hugo."""

from __future__ import annotations

import filecmp
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import corpus as cp
import photos_check as pc
import photos_report as pr
import photos_sites as ps
from photos_parts import Env, hugo_clean, hugo_command, hugo_site, load, say

SITEGEN_IMAGES = Path(".sitegen-cache") / "images"
HUGO_IMAGES = Path("resources") / "_gen" / "images"
HUGO_RENDITIONS = 4  # per photo: three WebP sizes and a JPEG
IMAGE_REF = re.compile(r'(?:src|srcset)="([^"]+)"')
PHOTO_NAME = re.compile(r"(photo\d+)(?:[._-].*)?", re.I)  # photo1_hu_….webp (Hugo), photo1.<hash>.960.webp (sitegen)


@dataclass
class Step:
    tool: str
    scenario: str
    cmd: list[str]
    cwd: Path
    cache: Path  # the tool's image cache folder: files written there = photos processed
    out: Path
    reset: Callable[[], None] = lambda: None
    wrap: Callable[[], AbstractContextManager[object]] = nullcontext
    check: bool = False  # look at every output image after the first run (slow: decodes them)


def sitegen_cmd(site: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "sitegen", "build", str(site), "-o", str(out), *extra]


def probe(env: Env) -> str:
    """Does `sitegen build` turn a folder article's photo into .webp files?  'yes: …' or 'no: …'."""
    photo = env.photos(2).jpegs[1]  # orientation 6: a sideways photo, the interesting case
    site = ps.probe_site(env.work, env.repo, cp.corpus_categories(env.args.shared), photo)
    out = env.work / "out" / "probe"
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(site / ".sitegen-cache", ignore_errors=True)
    done = subprocess.run(sitegen_cmd(site, out), cwd=env.repo, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        return f"no: sitegen build failed (rc={done.returncode}): {(done.stderr.strip().splitlines() or ['?'])[-1]}"
    webp = sorted(str(p.relative_to(out)) for p in out.rglob("*.webp"))
    images = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.suffix.lower() in pc.IMAGE_SUFFIXES)
    if not webp:
        return f"no: the build succeeds but writes no .webp (images in the output: {images or 'none'})"
    return f"yes: {len(webp)} .webp among {len(images)} images, e.g. {webp[0]}"


def cache_files(root: Path) -> dict[str, int]:
    """Every file under root with its mtime in ns."""
    found = {}
    for folder, _dirs, files in os.walk(root):
        for name in files:
            path = Path(folder) / name
            found[str(path.relative_to(root))] = path.stat().st_mtime_ns
    return found


class Outputs:
    """Finds the images a build wrote and tells renditions from published originals."""

    def __init__(self, corpus: Path, folders: list[Path]) -> None:
        self.slugs = {f.name: f for f in folders}
        self.by_size: dict[int, list[Path]] = {}
        for folder in folders:
            for photo in folder.glob("photo*.jpg"):
                self.by_size.setdefault(photo.stat().st_size, []).append(photo)
        self.total = sum(p.stat().st_size for group in self.by_size.values() for p in group)
        self.count = sum(len(v) for v in self.by_size.values())

    def is_original(self, path: Path) -> bool:
        same = self.by_size.get(path.stat().st_size, [])
        return any(filecmp.cmp(path, s, shallow=False) for s in same)

    def original_for(self, path: Path) -> Path | None:
        """The source photo: named photoN in the output folder of its article (sitegen and Hugo alike)."""
        m = PHOTO_NAME.fullmatch(path.name)
        folder = next((self.slugs[p.name] for p in path.parents if p.name in self.slugs), None)
        return folder / f"{m[1]}.jpg" if m and folder else None

    def scan(self, out: Path, row: pr.Row, check: bool) -> dict[str, Any]:
        """What the output holds; "missing" > 0 marks the run broken in the table (see pr.status)."""
        images = [p for p in out.rglob("*") if p.suffix.lower() in pc.IMAGE_SUFFIXES and p.is_file()]
        originals = [p for p in images if self.is_original(p)]
        renditions = [p for p in images if p not in set(originals)]
        if check:
            checked = pc.Checked()
            for path in renditions:
                source = self.original_for(path)
                if source is not None:
                    checked.add(path, source)
            unmapped = len(renditions) - checked.files
            note = f" ({unmapped} renditions not traced to a photo)" if unmapped else ""
            row.checks["upright"] = checked.upright() + note
            row.checks["metadata"] = checked.metadata_text()
        return {
            "missing": missing_images(out),
            "rendition_bytes": sum(p.stat().st_size for p in renditions),
            "renditions": len(renditions),
            "originals": len(originals),
        }


def missing_images(out: Path) -> int:
    """Image references (src, srcset) in the output's HTML that point to no file: a page without its photo."""
    missing = 0
    for page in out.rglob("*.html"):
        html = page.read_text(encoding="utf-8", errors="replace")
        for attr in IMAGE_REF.findall(html):
            for url in (part.split()[0] for part in attr.split(",") if part.strip()):
                if "://" in url or url.startswith("data:") or not url.lower().endswith(pc.IMAGE_SUFFIXES):
                    continue
                # Both tools are built with base path "/": a rooted URL is a path in the output.
                target = out / url.lstrip("/") if url.startswith("/") else page.parent / url
                missing += not target.is_file()
    return missing


def site_rows(env: Env) -> tuple[list[pr.Row], list[str]]:
    a = env.args
    flat = cp.ensure_corpus(a.shared, env.work, a.articles, "yaml")
    need = (a.articles + a.every - 1) // a.every * a.photos
    corpus, folders = ps.photo_corpus(env.work, flat, env.photos(need).jpegs, a.every, a.photos)
    outputs = Outputs(corpus, folders)
    site = cp.make_sitegen_site(env.work, env.repo, corpus, cp.corpus_categories(a.shared))
    out = env.work / "out" / f"sitegen-{corpus.name}"
    edited, retouched = folders[len(folders) // 2], folders[len(folders) // 2 + 1]
    base = sitegen_cmd(site, out)

    def settle() -> None:
        # An untimed build first, so each edit starts from a finished site and its count of
        # photos processed is its own, whatever the scenario before it left behind.
        subprocess.run(base, cwd=env.repo, capture_output=True, timeout=a.timeout, check=False)

    sg = dict(tool="sitegen", cwd=env.repo, cache=site / SITEGEN_IMAGES, out=out)
    steps = [
        Step(scenario="cold", cmd=[*base, "--clean"], reset=rm(site / ".sitegen-cache", out), check=True, **sg),
        Step(scenario="no-change", cmd=base, **sg),
        Step(scenario=f"text edit of {edited.name}/index.md", cmd=base, reset=settle,
             wrap=lambda: ps.text_edit(edited), **sg),
        Step(scenario=f"changed {retouched.name}/photo2.jpg", cmd=base, reset=settle,
             wrap=lambda: ps.photo_change(retouched), **sg),
    ]
    if not a.keep_hugo:
        hsite = hugo_site(env, "hugo-photo-site")
        hout, hcache = env.work / "out" / f"hugo-{corpus.name}", env.work / "hugo-photo-site-cache"
        hcmd = hugo_command(env, hsite, corpus, hout, hcache, lanczos=False)
        hg = dict(tool="hugo", cmd=hcmd, cwd=hsite, cache=hsite / HUGO_IMAGES, out=hout)
        steps += [
            Step(scenario="clean", reset=lambda: hugo_clean(hsite, hout, hcache), check=True, **hg),
            Step(scenario="again (resources/_gen kept)", **hg),
        ]
    rows = [pr.Row({"tool": s.tool, "scenario": s.scenario}, outputs.count, outputs.total) for s in steps]
    per_photo: dict[str, float] = {"hugo": HUGO_RENDITIONS}
    full: dict[str, int] = {}  # per tool: rendition files in the output of its first (clean) scenario
    for run in range(1, max(a.runs, a.hugo_runs) + 1):
        for step, row in zip(steps, rows, strict=True):
            if run > (a.hugo_runs if step.tool == "hugo" else a.runs):
                continue
            if run == 1:
                row.load = load()
            step.reset()
            before = cache_files(step.cache)
            with step.wrap():
                stem = env.log(f"part3-{step.tool}-{step.scenario.split()[0]}-{run}")
                rr = env.measure(step.cmd, cwd=step.cwd, log_stem=stem, timeout_s=a.timeout)
            row.runs.append(rr)
            say(row, run, rr)
            if not rr.ok:
                continue
            after = cache_files(step.cache)
            written = sum(1 for k, t in after.items() if before.get(k) != t)
            if step.check and step.tool == "sitegen" and after:
                per_photo["sitegen"] = len(after) / outputs.count  # cold build: every photo, once
            extra = outputs.scan(step.out, row, check=step.check and run == 1)
            # Every build must publish the whole site: as many renditions as the clean build, and no
            # page referring to an image that is not there (the text edit once published none of them).
            full.setdefault(step.tool, extra["renditions"])
            extra["short"] = max(0, full[step.tool] - extra["renditions"])
            if extra["missing"] or extra["short"]:
                print(f"[photos] {step.tool} {step.scenario} run {run}: {extra['short']} renditions fewer than "
                      f"the clean build, {extra['missing']} image references to no file", file=sys.stderr)
            row.extra.append({**extra, "cache_written": written})
            if run == 1:
                files = per_photo.get(step.tool)
                photos = f"{written / files:.0f}" if files else "?"
                row.checks["processed"] = f"{photos} ({written} cache files written)"
    notes = [
        f"Runs: sitegen {a.runs}, Hugo {a.hugo_runs} (`--hugo-runs`: a clean Hugo build is long and CPU-bound); "
        "the table shows medians, and the checks of the first run.",
        "Each run's output is checked whole: every `src`/`srcset` image in its pages must be a file, and it must "
        "hold as many renditions as the tool's clean build, else the status says the run published a broken site.",
        f"Corpus: `gen_corpus.py --n {a.articles}` (YAML); every {a.every}th article (a-000000, a-{a.every:06d}, …) "
        f"is a folder `<slug>/index.md` with {a.photos} photos, {len(folders)} folders and {outputs.count} distinct "
        f"12 MP photos, {outputs.total / 2**20:,.0f} MiB in all; the same folder given to Hugo as its content dir "
        "(leaf bundles), with `bench/photo_peers/hugo/layouts/single.html`.",
        "sitegen's edits each follow an untimed build, so each starts from a finished site.",
        "Photos processed: files created or rewritten in the tool's image cache during the run "
        f"(sitegen `{SITEGEN_IMAGES}/`, Hugo `{HUGO_IMAGES}/`), divided by the files one photo leaves there "
        "(sitegen: counted after the cold build; Hugo: 4 renditions).",
        "Renditions ÷ originals: bytes of every image in the output that is not a byte-identical copy of a "
        "source photo, ÷ the source photos' bytes. *Originals published*: such copies in the output.",
    ]
    return rows, notes


def rm(*paths: Path) -> Callable[[], None]:
    def reset() -> None:
        for path in paths:
            shutil.rmtree(path, ignore_errors=True)

    return reset


def keep_hugo(saved: Path, rows: list[pr.Row], notes: list[str]) -> tuple[list[pr.Row], list[str], str]:
    """`--keep-hugo`: the sitegen rows just measured, and the Hugo rows of the last part-3 JSON as they were.

    A clean Hugo build of the site takes ~14 minutes and Hugo did not change, so a fix in sitegen
    re-measures sitegen only.  The saved rows must be of the same site (photos and their bytes).
    Returns the rows, the notes and the command that measured the Hugo rows.
    """
    last = json.loads(saved.read_text(encoding="utf-8"))
    kept = [pr.row_from_dict(r) for r in last["rows"] if r["label"]["tool"] == "hugo"]
    if not kept:
        raise SystemExit(f"--keep-hugo: no Hugo rows in {saved}")
    if any((r.photos, r.original_bytes) != (rows[0].photos, rows[0].original_bytes) for r in kept):
        raise SystemExit(f"--keep-hugo: the Hugo rows in {saved} are of another site (photos or their bytes differ)")
    command = last["context"].get("hugo_command", last["context"]["command"])
    runs = max(len(r.runs) for r in kept)
    notes = [n for n in notes if not n.startswith("Runs:")]
    notes.insert(0, f"Runs: sitegen {len(rows[0].runs)}, Hugo {runs}. The Hugo rows (numbers, checks, load) are kept "
                    f"from an earlier run, `{command}`, by `--keep-hugo` (Hugo is unchanged and a clean Hugo build "
                    "takes ~14 min); the table shows medians, and the checks of the first run.")
    return rows + kept, notes, command
