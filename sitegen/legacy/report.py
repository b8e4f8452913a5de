"""The import report: one line per page found, printed and written as import-report.md."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

# status: (the report's word, whether it makes the exit code 1)
STATUSES = {
    "imported": ("已导入 (imported)", False),
    "updated": ("已更新 (updated)", False),
    "warned": ("已导入，有提醒 (imported with warnings)", False),
    "unchanged": ("无变化 (unchanged)", False),
    "kept": ("未覆盖：已手工修改 (kept: edited by hand)", False),
    "skipped": ("已跳过 (skipped)", True),
    "ignored": ("已忽略：非文章页 (ignored: not an article)", False),
}
NOT_ARTICLE = "非文章页"

LEGEND = """\
说明 (legend)：
- 已导入 / 已更新：写成了文章；已导入，有提醒：写成了文章，但请按“说明”核对（如缺少的图片已从正文中去掉）。
  (imported or updated; with warnings: written, but check the notes, e.g. a missing image was left out)
- 无变化：与上次导入的内容相同，没有改写。(unchanged since the last import; nothing written)
- 未覆盖：这篇文章导入后被手工修改过，为保留修改没有覆盖；确需覆盖时加 --force。
  (edited by hand since it was imported: kept; --force overwrites it)
- 已跳过：没有导入，原因见“说明”；有跳过的页面时退出码为 1。(skipped, with the reason; any skip makes the exit code 1)
- 已忽略：镜像网站中的列表页、栏目首页等非文章页，不导入，也不影响退出码。
  (list and index pages of a mirror: not articles, not imported, and they do not make the exit code 1)
"""


@dataclass(frozen=True)
class Outcome:
    source: str  # the file read, as given on the command line
    status: str  # a key of STATUSES
    target: str = ""  # the article written (or that would be), relative to the site
    notes: tuple[str, ...] = ()  # the reason for a skip, the warnings of an import


def exit_code(outcomes: list[Outcome]) -> int:
    return 1 if any(STATUSES[o.status][1] for o in outcomes) else 0


def summary(outcomes: list[Outcome], dry_run: bool) -> str:
    counts = Counter(o.status for o in outcomes)
    parts = [f"{STATUSES[s][0].split(' (')[0]} {counts[s]}" for s in STATUSES if counts[s]]
    head = "试运行，没有写入任何文件。" if dry_run else ""
    english = ", ".join(f"{counts[s]} {STATUSES[s][0].split('(')[1].rstrip(')')}" for s in STATUSES if counts[s])
    return (f"{head}共 {len(outcomes)} 个页面：{'，'.join(parts) or '没有找到页面'}。"
            f"({'dry run, nothing written; ' if dry_run else ''}{len(outcomes)} page(s): {english or 'none found'})")


def terminal_lines(outcomes: list[Outcome], dry_run: bool) -> list[str]:
    lines = []
    for o in outcomes:
        word = STATUSES[o.status][0]
        if dry_run and o.status in ("imported", "updated", "warned"):
            word = "将写入 (would write)"
        target = f" → {o.target}" if o.target else ""
        lines.append(f"{word}：{o.source}{target}")
        lines += [f"    {note}" for note in o.notes]
    return lines


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(outcomes: list[Outcome]) -> str:
    """import-report.md: a Chinese table, the legend and the totals."""
    rows = ["# 导入报告 (import report)", "", "| 源文件 (source) | 结果 (result) | 文章 (article) | 说明 (notes) |",
            "|---|---|---|---|"]
    for o in outcomes:
        target = f"`{_cell(o.target)}`" if o.target else ""
        rows.append(f"| `{_cell(o.source)}` | {STATUSES[o.status][0]} | {target} | {_cell('；'.join(o.notes))} |")
    return "\n".join(rows) + "\n\n" + summary(outcomes, False) + "\n\n" + LEGEND
