"""One import: every page found under the SOURCEs read, composed and written (or, dry, only planned).

Re-running updates the same articles: an article already imported from a page (by its old URL,
else its source path) is found anywhere under content/ and rewritten where it is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sitegen import interrupt
from sitegen.fileio import copy_file, write_atomic
from sitegen.legacy.model import Page, Skipped
from sitegen.legacy.report import NOT_ARTICLE, Outcome
from sitegen.legacy.sources import pages, read_page
from sitegen.legacy.write import Article, compose, edited_by_hand, imported_articles
from sitegen.model import SiteConfig
from sitegen.slugs import slug_from_filename


@dataclass(frozen=True)
class Settings:
    site_dir: Path
    into: Path  # where new articles go, inside site_dir/content
    config: SiteConfig
    category: str | None = None  # --category: every page's, else its breadcrumb's
    force: bool = False
    dry_run: bool = False


def import_all(sources: list[Path], settings: Settings, shown: Callable[[Path], str] = str) -> list[Outcome]:
    known: dict[str, Path] = {}
    for extra, path in imported_articles(settings.site_dir / "content"):
        for key in ("legacy_url", "legacy_source"):
            if isinstance(extra.get(key), str):
                known.setdefault(f"{key}:{extra[key]}", path)
    taken: set[Path] = set()
    # Names of the articles already there: a new one named alike would get the same URL (a clash).
    names = {_url_key(p.parent.name if p.name == "index.md" else p.stem)
             for p in (settings.site_dir / "content").rglob("*.md")}
    outcomes = []
    for path, root in pages(sources):
        interrupt.checkpoint()  # Ctrl-C stops between pages: each article is written whole or not at all
        try:
            page = read_page(path, root)
        except Exception as exc:  # one unreadable page must not stop the other thousand
            page = Skipped(path, f"读取时出错：{exc!r}，请报告此问题 (the reader failed: a bug)")
        outcomes.append(_one(page, _legacy_source(path, root), known, (taken, names), settings, shown(path)))
    return outcomes


def _legacy_source(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else path.name


def _category(page: Page, settings: Settings) -> tuple[str, tuple[str, ...]]:
    if settings.category:
        return settings.category, ()
    if page.category in settings.config.categories:
        return page.category, ()
    # Kept, not skipped: the old CMS's columns were often merged; extra.legacy_category keeps the old name.
    fallback = settings.config.title
    if page.category is None:
        return fallback, ()
    return fallback, (f"原栏目“{page.category}”不在 site.yaml 中，已归入“{fallback}” "
                      f"(category not in site.yaml; filed under {fallback})",)


def _one(page: Page | Skipped, legacy_source: str, known: dict[str, Path], used: tuple[set[Path], set[str]],
         settings: Settings, source: str) -> Outcome:
    taken, names = used
    if isinstance(page, Skipped):
        status = "ignored" if page.reason.startswith(NOT_ARTICLE) else "skipped"
        return Outcome(source, status, notes=(page.reason,))
    category, notes = _category(page, settings)
    article = compose(page, category, legacy_source, settings.config)
    if isinstance(article, str):
        return Outcome(source, "skipped", notes=(article,))
    keys = ([f"legacy_url:{page.legacy_url}"] if page.legacy_url else []) + [f"legacy_source:{legacy_source}"]
    target = next((known[k] for k in keys if k in known), None)
    if target is not None and target in taken:  # a mirror's second copy of a page this run already wrote
        return Outcome(source, "skipped", _shown(target, settings),
                       ("与本次导入的另一页是同一篇文章（旧网址相同） (the same article as another page imported)",))
    if target is None:
        target = _free(settings.into / article.year, article.folder_name, names)
        names.add(_url_key(target.parent.name))
    taken.add(target)
    known.update(dict.fromkeys(keys, target))
    rel = _shown(target, settings)
    notes = (*notes, *article.warnings)
    status = "warned" if notes else "imported"
    if target.is_file():
        try:
            old = target.read_text("utf-8-sig")
        except (OSError, UnicodeDecodeError):  # re-saved as GBK, say: edited by hand all the same
            old = ""
        if old == article.text:
            missing = [name for _, name in article.copies if not (target.parent / name).exists()]
            if not missing:
                return Outcome(source, "unchanged", rel, notes)
        elif edited_by_hand(old) and not settings.force:
            return Outcome(source, "kept", rel, ("加 --force 可覆盖 (--force overwrites it)",))
        status = status if notes else "updated"
    if not settings.dry_run:
        try:
            _write(target, article)
        except OSError as exc:  # a full disk or a read-only folder: this page is not imported, say why
            why = f"写入失败（{exc.strerror}）：{exc.filename or rel} (cannot write)"
            return Outcome(source, "skipped", rel, (why,))
    return Outcome(source, status, rel, notes)


def _shown(target: Path, settings: Settings) -> str:
    return target.relative_to(settings.site_dir).as_posix() if target.is_relative_to(settings.site_dir) else str(target)


def _url_key(name: str) -> str:
    """What of a file or folder name ends up in its URL (the date, the slug as sitegen derives it)."""
    return f"{name[:10]}/{slug_from_filename(name)}"


def _free(parent: Path, name: str, names: set[str]) -> Path:
    """<parent>/<name>/index.md, or <name>-2, -3 … when an article of that name is there or imported before it."""
    n = 1
    while True:
        folder = parent / (name if n == 1 else f"{name}-{n}")
        if _url_key(folder.name) not in names and not folder.exists():
            return folder / "index.md"
        n += 1


def _write(target: Path, article: Article) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    for source, name in article.copies:
        copy = target.parent / name
        if copy.exists() and copy.read_bytes() == source.read_bytes():
            continue
        if copy.exists():
            copy.unlink()
        copy_file(source, copy)
    write_atomic(target, article.text)
