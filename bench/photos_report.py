"""Result records of bench/photos.py and the "Photos" section of bench/RESULTS.md.

Each part owns one block between HTML comment markers, so re-running one part
replaces its block and leaves the other parts, any hand-written text in the
section and every other section of RESULTS.md alone.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from measure import RunResult

SECTION = "## Photos"
SECTION_INTRO = (
    "Made by `bench/photos.py` (see its docstring for the commands). Photos are `gen_photos.py --seed 1`: "
    "12 MP (4032x3024) JPEGs at q92, about 3.7 MB each, EXIF orientation 1/6/3/8 in turn and GPS. "
    "Load is the 1-minute load average just before the row's runs (2 cores; other engineers' tests share "
    "the machine). CPU is user+sys; peak RSS is the summed RSS of the whole process tree, sampled every 20 ms."
)


@dataclass
class Row:
    """All runs of one measured configuration, with what its first run's outputs looked like."""

    label: dict[str, str]  # the row's identifying columns, in order
    photos: int
    original_bytes: int
    runs: list[RunResult] = field(default_factory=list)
    extra: list[dict[str, Any]] = field(default_factory=list)  # per run: what the tool itself reported
    load: float = 0.0
    checks: dict[str, str] = field(default_factory=dict)
    error: str = ""

    def ok_runs(self) -> list[RunResult]:
        return [r for r in self.runs if r.ok]

    def median(self, values: list[float]) -> float | None:
        return statistics.median(values) if values else None

    def wall(self) -> float | None:
        return self.median([r.wall_s for r in self.ok_runs()])

    def cpu(self) -> float | None:
        return self.median([r.cpu_s for r in self.ok_runs()])

    def other(self) -> float | None:
        return self.median([r.other_cpu_s for r in self.ok_runs()])

    def rss(self) -> float | None:
        return max((r.peak_rss_mib for r in self.runs), default=None)

    def extra_median(self, key: str) -> float | None:
        return self.median([e[key] for e in self.extra if e.get(key) is not None])


def row_from_dict(raw: dict[str, Any]) -> Row:
    """A Row back from its asdict() form in bench/.work/photos-part<N>.json."""
    return Row(**{**raw, "runs": [RunResult(**r) for r in raw["runs"]]})


def num(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def per(value: float | None, n: int, digits: int = 3) -> str:
    return "–" if value is None or not n else f"{value / n:.{digits}f}"


def share(part: float | None, whole: int) -> str:
    return "–" if part is None or not whole else f"{100 * part / whole:.1f}%"


def table(header: list[str], align: str, rows: list[list[str]]) -> list[str]:
    """align: one of 'l'/'r' per column."""
    marks = ["--:" if a == "r" else "---" for a in align]
    return [f"| {' | '.join(header)} |", f"|{'|'.join(marks)}|", *[f"| {' | '.join(r)} |" for r in rows]]


def status(row: Row) -> str:
    if row.error:
        return row.error
    failed = len(row.runs) - len(row.ok_runs())
    if failed:
        tail = next((r.stderr_tail for r in row.runs if not r.ok), "").strip().splitlines()[-1:] or ["?"]
        return f"{failed} of {len(row.runs)} runs failed: {tail[0][:150]}"
    # Part 3: a build that exits 0 but publishes pages whose images are not there, or fewer renditions.
    broken = [e for e in row.extra if e.get("missing") or e.get("short")]
    if broken:
        missing, short = (max(e.get(k, 0) for e in broken) for k in ("missing", "short"))
        what = [f"{missing} image references to no file"] * bool(missing)
        what += [f"{short} renditions fewer than the clean build"] * bool(short)
        return f"BROKEN SITE in {len(broken)} of {len(row.extra)} runs: {', '.join(what)}"
    return "ok"


def library_block(rows: list[Row], runs: int, command: str) -> str:
    lines = [
        "### Part 1: Pillow or pyvips, the same rendition job",
        "",
        f"Command: `{command}`; median of {runs} run(s). Job per photo (`bench/photos_render.py`): decode, "
        "make upright, strip all metadata, 480/960/1600 px wide WebP q80, 960 px JPEG q82, 360x270 centre-cropped "
        "JPEG q82. Pillow decodes each JPEG once in draft mode at the smallest 1/2^k scale covering 1600 px "
        "(1/2 here) and derives each smaller size from the next larger. *pyvips* calls `thumbnail(path, width)` "
        "per size, so each of its 4 decodes uses shrink-on-load (1/2, 1/4, 1/8, 1/8); *pyvips-once* does what "
        "Pillow does: one `thumbnail(path, 1600)`, then `thumbnail_image()` from memory. Both autorotate and save "
        "with `keep=NONE`. `VIPS_CONCURRENCY=1` everywhere: parallelism comes from processes, as in sitegen's pool.",
        "",
        "- *CPU s/photo*: in-process CPU per photo, process pinned to one core (imports and start-up excluded);",
        "  *tree CPU s/photo* adds the interpreter start and imports of the whole run.",
        "- *wall s/photo*: the batch's wall time ÷ photos (with 2 processes: sharing the photos, pool started);",
        "  *tree wall s/photo* is the whole command (interpreter and pool start-up included) ÷ photos.",
        "- *other CPU s*: CPU the rest of the machine used during the whole command; with 2 cores, anything near",
        "  the command's wall time means another engineer's job took a core and the wall columns are pessimistic.",
        "- *renditions ÷ originals*: bytes of the 5 outputs ÷ bytes of the source photo, summed over photos.",
        "",
    ]
    header = ["library", "WebP effort", "input", "processes", "CPU s/photo", "tree CPU s/photo", "wall s/photo"]
    header += ["tree wall s/photo", "other CPU s", "peak RSS MiB", "renditions ÷ originals", "upright"]
    header += ["metadata left", "load"]
    header += ["status"]
    body = []
    for row in rows:
        n = row.photos
        body.append([
            *row.label.values(),
            per(row.extra_median("cpu_per_photo"), 1),
            per(row.cpu(), n),
            per(row.extra_median("batch_wall_s"), n),
            per(row.wall(), n),
            num(row.other(), 1),
            num(row.rss(), 0),
            share(row.extra_median("out_bytes"), row.original_bytes),
            row.checks.get("upright", "–"),
            row.checks.get("metadata", "–"),
            f"{row.load:.2f}",
            status(row),
        ])
    return "\n".join([*lines, *table(header, "lrlrrrrrrrrllrl", body)])


def hugo_block(rows: list[Row], runs: int, command: str, version: str) -> str:
    lines = [
        "### Part 2: the Hugo anchor",
        "",
        f"Command: `{command}`; median of {runs} run(s); {version}. Page bundles `content/posts/p-NNN/index.md` "
        "with 3 photos each; `bench/photo_peers/hugo/layouts/single.html` resizes every bundle image with "
        '`.Resize "480x webp q80"`, `"960x webp q80"`, `"1600x webp q80"` and `"960x jpg q82"` (no crop thumbnail). '
        "*clean*: no public/, resources/_gen or cache dir; *again*: the same command with resources/_gen kept.",
        "",
    ]
    header = ["filter", "photos", "build", "wall s", "wall s/photo", "CPU s", "CPU s/photo", "peak RSS MiB",
              "renditions ÷ originals", "upright renditions", "rendition metadata", "originals published",
              "load", "status"]
    body = []
    for row in rows:
        n = row.photos
        body.append([
            *row.label.values(),
            num(row.wall()),
            per(row.wall(), n),
            num(row.cpu()),
            per(row.cpu(), n),
            num(row.rss(), 0),
            share(row.extra_median("rendition_bytes"), row.original_bytes),
            row.checks.get("upright", "–"),
            row.checks.get("metadata", "–"),
            row.checks.get("originals", "–"),
            f"{row.load:.2f}",
            status(row),
        ])
    return "\n".join([*lines, *table(header, "lrlrrrrrrlllrl", body)])


def site_block(rows: list[Row], runs: int, command: str, notes: list[str]) -> str:
    lines = [
        "### Part 3: the whole site with photos",
        "",
        f"Command: `{command}`; median of {runs} run(s).",
        "",
        *[f"- {note}" for note in notes],
        "",
    ]
    header = ["tool", "scenario", "wall s", "CPU s", "other CPU s", "peak RSS MiB", "photos processed"]
    header += ["rendition files in output", "missing images referenced", "renditions ÷ originals"]
    header += ["originals published", "upright", "metadata left", "load", "status"]
    body = []
    for row in rows:
        body.append([
            *row.label.values(),
            num(row.wall()),
            num(row.cpu()),
            num(row.other()),
            num(row.rss(), 0),
            row.checks.get("processed", "–"),
            num(row.extra_median("renditions"), 0),
            num(row.extra_median("missing"), 0),
            share(row.extra_median("rendition_bytes"), row.original_bytes),
            f"{num(row.extra_median('originals'), 0)} of {row.photos}",
            row.checks.get("upright", "–"),
            row.checks.get("metadata", "–"),
            f"{row.load:.2f}",
            status(row),
        ])
    return "\n".join([*lines, *table(header, "llrrrrrrrrrllrl", body)])


def update_results(path: Path, part: str, block: str) -> None:
    """Put `block` between part's markers in the Photos section, appending the section if needed."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    begin, end = f"<!-- photos:{part} -->", f"<!-- /photos:{part} -->"
    wrapped = f"{begin}\n{block.rstrip()}\n{end}"
    if begin in text and end in text:
        pattern = re.compile(re.escape(begin) + ".*?" + re.escape(end), re.S)
        text = pattern.sub(lambda _: wrapped, text, count=1)
    else:
        if SECTION not in text:
            text = text.rstrip("\n") + f"\n\n{SECTION}\n\n{SECTION_INTRO}\n"
        # The end of the Photos section: the next level-2 heading after it, or the end of the file.
        start = text.index(SECTION) + len(SECTION)
        nxt = re.search(r"^## ", text[start:], re.M)
        at = start + nxt.start() if nxt else len(text)
        text = text[:at].rstrip("\n") + f"\n\n{wrapped}\n" + ("\n" + text[at:] if nxt else "")
    path.write_text(text, encoding="utf-8")
