"""Result records and the Markdown report built from them."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from measure import RunResult

SITEGEN_COLD, SITEGEN_NOCHANGE, SITEGEN_EDIT = "sitegen cold", "sitegen no-change", "sitegen one-edit"
SITEGEN_EDIT_AGAIN = "sitegen next edit"  # the spare copy of the site exists by then
PELICAN_CLEAN, PELICAN_AGAIN = "pelican clean", "pelican again"
HUGO_CLEAN, HUGO_AGAIN = "hugo clean", "hugo again"
MAX_WARNINGS_SHOWN = 5
TIMINGS_NOTE = " ".join(
    [
        "Peak RSS is the maximum over runs of the summed RSS of the whole process tree (sampled every 20 ms).",
        "Pages shared between processes (copy-on-write after fork) count once in every process,",
        "so forked pools are over-stated. CPU is user+sys of the tree.",
        "Other CPU is what the rest of the machine used meanwhile (this harness's sampler included,",
        "about 1 ms per 20 ms): a large value means the run was disturbed by other work.",
    ]
)


@dataclass
class ScenarioResult:
    """All runs of one scenario (e.g. "pelican clean") at one corpus size."""

    n: int
    name: str
    runs: list[RunResult] = field(default_factory=list)
    html_files: int | None = None
    skipped: str = ""
    note: str = ""
    command: str = ""

    @property
    def ok(self) -> bool:
        return bool(self.runs) and all(r.ok for r in self.runs)

    def median_wall(self) -> float | None:
        return statistics.median(r.wall_s for r in self.runs) if self.ok else None

    def median_cpu(self) -> float | None:
        return statistics.median(r.cpu_s for r in self.runs) if self.ok else None

    def median_other_cpu(self) -> float | None:
        return statistics.median(r.other_cpu_s for r in self.runs) if self.runs else None

    def peak_rss(self) -> float | None:
        return max(r.peak_rss_mib for r in self.runs) if self.runs else None

    def status(self) -> str:
        return f"{self._outcome()}; {self.note}" if self.note else self._outcome()

    def _outcome(self) -> str:
        if self.skipped:
            return f"skipped: {self.skipped}"
        failed = [r for r in self.runs if not r.ok]
        if not failed:
            leftovers = sum(r.leftovers for r in self.runs)
            return f"ok, killed {leftovers} leftover procs" if leftovers else "ok"
        first = failed[0]
        why = "timeout" if first.rc is None else f"rc={first.rc}"
        return f"FAIL {why} ({len(failed)}/{len(self.runs)} runs): {_cell(_last_line(first))}"


@dataclass
class SizeResult:
    """Everything measured at one corpus size N."""

    n: int
    md_floor_cpu_s: float | None = None
    md_floor_error: str = ""
    scenarios: list[ScenarioResult] = field(default_factory=list)
    note: str = ""

    def wall(self, name: str) -> float | None:
        found = [s for s in self.scenarios if s.name == name]
        return found[0].median_wall() if found else None


def render(header: dict[str, dict[str, str]], sizes: list[SizeResult], runs: int, cores: int, command: str) -> str:
    out = ["# sitegen benchmark results", "", f"Command: `{command}`", ""]
    for title, table in header.items():
        out += [f"## {title}", "", "| | |", "|---|---|"]
        out += [f"| {k} | {_cell(v or 'n/a')} |" for k, v in table.items()] + [""]
    out += _timings(sizes, runs) + _ratios(sizes, cores) + _failures(sizes) + _warnings(sizes)
    out += _commands(sizes)
    return "\n".join(out) + "\n"


def _timings(sizes: list[SizeResult], runs: int) -> list[str]:
    out = [
        f"## Timings (median of {runs} run(s))",
        "",
        TIMINGS_NOTE,
        "",
        "| N | scenario | status | wall s | ms/article | CPU s | other CPU s | peak RSS MiB | HTML files | warnings |",
        "|--:|---|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for size in sizes:
        for s in size.scenarios:
            wall = s.median_wall()
            per_article = None if wall is None else wall / size.n * 1000
            warn = max((len(r.warnings) for r in s.runs), default=0)
            out.append(
                f"| {size.n} | {s.name} | {s.status()} | {_num(wall, 2)} | "
                f"{_num(per_article, 3)} | {_num(s.median_cpu(), 2)} | {_num(s.median_other_cpu(), 2)} | "
                f"{_num(s.peak_rss(), 0)} | {_num(s.html_files, 0)} | {warn} |"
            )
    notes = [f"- N={s.n}: {s.note}" for s in sizes if s.note]
    return [*out, *(["", *notes] if notes else []), ""]


def _ratios(sizes: list[SizeResult], cores: int) -> list[str]:
    out = [
        "## Ratios",
        "",
        f"Markdown CPU floor = CPU seconds Python-Markdown alone needs for every article "
        f"body (one process); cores = {cores}.",
        "",
        "| N | Markdown CPU floor s | sitegen cold ÷ (floor ÷ cores) | pelican clean ÷ sitegen cold"
        " | sitegen cold ÷ hugo clean | hugo clean ÷ sitegen no-change |",
        "|--:|--:|--:|--:|--:|--:|",
    ]
    for size in sizes:
        floor = size.md_floor_cpu_s
        floor_cell = _num(floor, 2) if floor is not None else _cell(f"error: {size.md_floor_error}")
        cold = size.wall(SITEGEN_COLD)
        ideal = None if floor is None else floor / cores
        out.append(
            f"| {size.n} | {floor_cell} | {_ratio(cold, ideal)} | "
            f"{_ratio(size.wall(PELICAN_CLEAN), cold)} | {_ratio(cold, size.wall(HUGO_CLEAN))} | "
            f"{_ratio(size.wall(HUGO_CLEAN), size.wall(SITEGEN_NOCHANGE))} |"
        )
    return [*out, ""]


def _failures(sizes: list[SizeResult]) -> list[str]:
    out: list[str] = []
    for size in sizes:
        for s in size.scenarios:
            for i, r in enumerate(s.runs):
                if not r.ok:
                    why = "timeout" if r.rc is None else f"exit code {r.rc}"
                    out += [
                        f"### N={size.n} {s.name}, run {i + 1}: {why}",
                        "",
                        "stderr tail:",
                        "",
                        "```text",
                        r.stderr_tail or "(empty)",
                        "```",
                        "",
                    ]
                    break  # one tail per scenario is enough; the rest are alike
    return ["## Failures", "", *out] if out else []


def _warnings(sizes: list[SizeResult]) -> list[str]:
    out: list[str] = []
    for size in sizes:
        for s in size.scenarios:
            lines = next((r.warnings for r in s.runs if r.warnings), [])
            if lines:
                shown = lines[:MAX_WARNINGS_SHOWN]
                more = len(lines) - len(shown)
                out += [f"- N={size.n} {s.name}:"] + [f"  - `{_cell(w)}`" for w in shown]
                out += [f"  - … and {more} more"] if more else []
    return ["## Warnings (unique lines, first run that had any)", "", *out, ""] if out else []


def _last_line(run: RunResult) -> str:
    lines = [ln for ln in run.stderr_tail.splitlines() if ln.strip()]
    return lines[-1][:160] if lines else "(no stderr)"


def _cell(text: str) -> str:
    # Markdown table cells cannot hold '|' or newlines.
    return text.replace("|", "\\|").replace("\n", " ")


def _num(value: float | int | None, digits: int) -> str:
    return "n/a" if value is None else f"{value:,.{digits}f}"


def _ratio(a: float | None, b: float | None) -> str:
    return "n/a" if a is None or b is None or b == 0 else f"{a / b:.2f}×"


def _commands(sizes: list[SizeResult]) -> list[str]:
    # Only the first size: the others differ in the corpus path alone.
    shown = [s for s in sizes[0].scenarios if s.command] if sizes else []
    if not shown:
        return []
    out = [f"## Commands (N={sizes[0].n})", ""]
    for s in shown:
        out += [f"- {s.name}: `{s.command}`"]
    return [*out, ""]
