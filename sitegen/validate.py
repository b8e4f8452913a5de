"""Stage 2, validate: front matter to typed Articles, or every problem found.

Pure: bytes in, Articles out. Nothing here touches the file system.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo

from sitegen.controls import clean_body, first_control, removed_warning, strip_controls
from sitegen.dates import DateError, parse_date
from sitegen.errors import Problem, SiteError, did_you_mean, split_warnings
from sitegen.frontmatter import Document, Keys, decode, split
from sitegen.limits import check_body
from sitegen.model import Article, SiteConfig, SourceFile
from sitegen.schedule import is_due
from sitegen.slugs import make_slug, slug_from_filename
from sitegen.winnames import fold, name_problem

REQUIRED = ("title", "date", "category")
TEXT_FIELDS = ("title", "category", "source", "author", "summary", "slug", "cover")
# Read as the editor wrote them, not as YAML types them: `title: 2024.10` is not a float,
# `source: 0701` not octal 449, `author: yes` not True, and a 5,000-digit date is not an
# int() too long to make (sitegen.dates reads the date's text). Everything inside `extra`
# is text too: templates print it, and "0701" printed as 449 is not what was typed.
KNOWN = (*REQUIRED, "source", "slug", "author", "summary", "cover", "draft", "extra")
KEYS = Keys(text=(*TEXT_FIELDS, "extra"), raw=("date",), known=KNOWN, mappings=("extra",))
# Folders that listing pages own; an article there would overwrite one.
RESERVED_PREFIXES = ("category/", "page/", "static/")

_LABELS = {"title": "标题", "date": "日期", "category": "栏目", "source": "来源",
           "author": "作者", "summary": "摘要", "slug": "网址名", "cover": "封面", "draft": "草稿", "extra": "extra"}


def _field_value(key: str, value: Any, path: str, line: int) -> tuple[Any, Problem | None]:
    label = f"{_LABELS[key]}（{key}）"
    if key in TEXT_FIELDS:
        if value is None:  # `title:` with nothing after it
            value = ""
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            text = " ".join(str(value).split())
            if text or key not in REQUIRED:
                return text, None
            return None, Problem(path, line, f"{label}不能为空。", f"{key!r} is empty")
        return None, Problem(
            path, line, f"{label}应是一段文字，这里却是{_kind(value)}。如含冒号等符号，请用引号括起来。",
            f"{key!r} must be text, not {type(value).__name__}",
        )
    if key == "draft":
        if isinstance(value, bool):
            return value, None
        return None, Problem(path, line, "草稿（draft）只能写 true 或 false。", "'draft' must be true or false")
    if key == "extra":
        if isinstance(value, dict):
            return value, None
        return None, Problem(path, line, "extra 应是“字段: 值”形式的多行设置。", "'extra' must be a mapping")
    return value, None


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "多项设置"
    return "空值" if value is None else type(value).__name__


def article_from(doc: Document, path: str, config: SiteConfig) -> tuple[Article | None, list[Problem]]:
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    for f in doc.fields:
        if f.key not in KNOWN:
            hint = did_you_mean(f.key, KNOWN)
            problems.append(Problem(
                path, f.line,
                f"未知字段“{f.key}”" + (f"，是否想写“{hint[0]}”？" if hint else f"。可用字段：{'、'.join(KNOWN)}。"),
                f"unknown field {f.key!r}" + (f"; did you mean {hint[0]!r}?" if hint else ""),
            ))
            continue
        value, problem = _field_value(f.key, f.value, path, f.line)
        lines[f.key] = f.line
        if problem:
            problems.append(problem)
            continue
        if f.key in TEXT_FIELDS:  # a control character written as an escape: "\x01"
            value, char = strip_controls(value)
            if char is not None:
                problems.append(removed_warning(path, f.line, char, f"{_LABELS[f.key]}（{f.key}）中"))
        values[f.key] = value
    for key in REQUIRED:
        if key not in lines:
            problems.append(Problem(path, 1, f"缺少{_LABELS[key]}（{key}）。请在文章信息中加一行 {key}: …",
                                    f"missing required field {key!r}"))
    tz = ZoneInfo(config.timezone)
    if "date" in values:
        try:
            values["date"] = parse_date(values["date"], tz).astimezone(tz)
        except DateError as exc:
            problems.append(Problem(path, lines["date"], exc.zh, exc.en))
            del values["date"]
    category = values.get("category")
    if category is not None and category not in config.categories:
        names = list(config.categories)
        hint = did_you_mean(category, names)
        problems.append(Problem(
            path, lines["category"],
            f"栏目“{category}”不在 site.yaml 中。" + (f"是否想写“{'”或“'.join(hint)}”？" if hint
                                                     else f"可用栏目：{'、'.join(names)}。"),
            f"unknown category {category!r}" + (f"; did you mean {hint[0]!r}?" if hint else ""),
        ))
    file = PurePosixPath(path)
    # A folder article (content/…/name/index.md, with its photos beside it) is named by its folder.
    named = file.parent.name if file.stem.lower() == "index" and file.parent.name != "content" else file.stem
    slug = make_slug(values["slug"]) if values.get("slug") else slug_from_filename(named)
    if not slug and values.get("slug"):  # `slug: ~` is the text "~" now, not "no slug"
        problems.append(Problem(
            path, lines["slug"], f"网址名（slug）“{values['slug']}”里没有可用的字母、数字或汉字。"
            "请写成 slug: dang-ri-huo-dong 这样的英文字母、数字和减号，或删去这一行（改用文件名）。",
            f"slug {values['slug']!r} has no letters or digits for a URL; write e.g. slug: dang-ri-huo-dong",
        ))
    elif not slug:
        problems.append(Problem(
            path, lines.get("slug", 1), "无法从文件名得到网址名，请添加一行 slug，例如 slug: dang-ri-huo-dong",
            "cannot derive a URL slug; add `slug:`",
        ))
    elif (device := name_problem(slug)) is not None:
        problems.append(_device_slug(path, lines.get("slug") if values.get("slug") else None, slug, device))
    errors, warnings = split_warnings(problems)
    if errors:
        return None, problems
    date = values["date"]
    url = config.permalink.format(
        year=f"{date.year:04d}", month=f"{date.month:02d}", day=f"{date.day:02d}",
        slug=slug, category=config.categories[category].slug,
    )
    values.pop("slug", None)
    return Article(path=path, slug=slug, url=url, body=doc.body, **values), warnings


def _device_slug(path: str, line: int | None, slug: str, why: tuple[str, str]) -> Problem:
    """CON, AUX, NUL…: a folder of that name cannot be made on a Windows server, nor copied to one."""
    fix = "请换一个 slug" if line else "请给文章加一行 slug（或给文件改名）"
    en_fix = "change the slug" if line else "add a `slug:` line or rename the file"
    return Problem(path, line, f"网址名（slug）{why[0]}。{fix}，例如 slug: {slug}-1。",
                   f"slug {slug!r}: {why[1]}; {en_fix}")


def parse_source(source: SourceFile, config: SiteConfig) -> tuple[Article | None, list[Problem]]:
    """One file to an Article, or its problems. The body is kept; callers may drop it.

    Warnings (a control character removed) come with the Article; any error means no Article.
    """
    article, problems, _ = parse_document(source, config)
    return article, problems


def parse_document(source: SourceFile, config: SiteConfig) -> tuple[Article | None, list[Problem], Document | None]:
    """As parse_source, with the split document: its fields' lines and where the body starts."""
    text, problem = decode(source.raw, source.path)
    if problem:
        return None, [problem], None
    assert text is not None
    doc, found = split(text, source.path, KEYS)
    if doc is None or any(not p.warning for p in found):
        return None, found, None
    control = first_control(doc.body)
    if control is not None:
        line = doc.body_line + doc.body.count("\n", 0, control[0])
        found.append(removed_warning(source.path, line, control[1], "正文这一行"))
        doc = replace(doc, body=clean_body(doc.body))
    too_big = check_body(doc.body, source.path, doc.body_line)  # before anything converts the body
    article, problems = article_from(doc, source.path, config)
    return None if too_big else article, [*found, *too_big, *problems], doc


def collect(parsed: Iterable[tuple[Article | None, list[Problem]]], drafts: bool = False, future: bool = True,
            now_ns: int = 0) -> list[Article]:
    """Every article to publish, newest first; raises SiteError with all problems in all files.

    Drafts are left out unless `drafts`; so are articles dated after `now_ns` unless `future`.
    """
    problems: list[Problem] = []
    articles: list[Article] = []
    for article, found in parsed:
        problems.extend(found)
        if article is not None and (drafts or not article.draft) and (future or is_due(article, now_ns)):
            articles.append(article)
    problems.extend(url_clashes(articles))
    errors, _ = split_warnings(problems)  # the build reports warnings from the parsed sources itself
    if errors:
        raise SiteError(errors)
    return sorted(articles, key=lambda a: (a.date, a.path), reverse=True)


def validate(sources: Iterable[SourceFile], config: SiteConfig, drafts: bool = False) -> list[Article]:
    return collect((parse_source(s, config) for s in sources), drafts)


def url_clashes(articles: list[Article]) -> list[Problem]:
    """Two articles on one URL; on Windows and macOS, which ignore case, also two whose URLs differ in case only."""
    owners: dict[str, Article] = {}
    problems = []
    for article in sorted(articles, key=lambda a: a.path):
        first = owners.get(fold(article.url))
        if article.url.startswith(RESERVED_PREFIXES):
            problems.append(Problem(article.path, None, f"文章网址 {article.url} 与栏目页冲突，请修改 slug。",
                                    f"URL {article.url} is reserved for listing pages; change the slug"))
        elif first is not None and first.url == article.url:
            problems.append(Problem(
                article.path, None,
                f"与 {first.path} 的网址相同（{article.url}）。请给其中一篇设置不同的 slug。",
                f"same URL {article.url} as {first.path}; give one of them a different `slug`",
            ))
        elif first is not None:
            problems.append(Problem(
                article.path, None,
                f"与 {first.path} 的网址只有大小写不同（{first.url} 和 {article.url}），"
                "在 Windows 和 macOS 服务器上是同一个文件夹。请给其中一篇设置不同的 slug。",
                f"URL {article.url} differs from {first.path}'s {first.url} only in case, which Windows and macOS "
                "ignore; give one of them a different `slug`",
            ))
        else:
            owners[fold(article.url)] = article
    return problems
