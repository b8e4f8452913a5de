"""site.yaml: read, check every setting, and build the category tree.

Like MkDocs' config validation, every problem in the file is collected and the
build aborts once, with all of them listed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sitegen.errors import Problem, SiteError, did_you_mean
from sitegen.imageconfig import parse_images
from sitegen.model import Category, Link, SiteConfig
from sitegen.publisher import parse_publisher, with_logo
from sitegen.slugs import make_slug
from sitegen.urls import relative_url, web_url
from sitegen.winnames import name_problem
from sitegen.yamldoc import Field, parse_mapping

CONFIG_NAME = "site.yaml"
PERMALINK_KEYS = {"year", "month", "day", "slug", "category"}
_RESERVED_SLUGS = {"page", "static", "category"}
# Names the build writes or keeps at the output root; a permalink may not start with one.
ROOT_NAMES = frozenset({"feed.xml", "404.html", ".sitegen-output", "static", "category", "page", "sitemap.xml",
                        "robots.txt", "search"})
_ROOT_LIST = " ".join(sorted(ROOT_NAMES))
_PERMALINK = re.compile(rf"(?:\{{(?:{'|'.join(sorted(PERMALINK_KEYS))})\}}|[A-Za-z0-9_.~/-])+")
_SAFE_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


class _Checker:
    """Turns site.yaml fields into SiteConfig arguments, noting every problem."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def fail(self, line: int | None, zh: str, en: str) -> None:
        self.problems.append(Problem(self.path, line, zh, en))

    def string(self, f: Field) -> str | None:
        if isinstance(f.value, (str, int, float)) and not isinstance(f.value, bool):
            return str(f.value).strip()
        self.fail(f.line, f"“{f.key}”应是一段文字。", f"{f.key!r} must be text")
        return None

    def integer(self, f: Field) -> int | None:
        if isinstance(f.value, int) and not isinstance(f.value, bool) and f.value > 0:
            return f.value
        self.fail(f.line, f"“{f.key}”应是正整数，例如 15。", f"{f.key!r} must be a positive whole number")
        return None

    def boolean(self, f: Field) -> bool | None:
        if isinstance(f.value, bool):
            return f.value
        self.fail(f.line, f"“{f.key}”应是 true 或 false。", f"{f.key!r} must be true or false")
        return None

    def timezone(self, f: Field) -> str | None:
        name = self.string(f)
        try:
            ZoneInfo(name or "")
            return name
        except (ZoneInfoNotFoundError, ValueError):
            self.fail(f.line, f"未知时区“{f.value}”，例如应写 Asia/Shanghai。", f"unknown time zone {f.value!r}")
            return None

    def base_path(self, f: Field) -> str | None:
        value = self.string(f)
        if value is None:
            return None
        return "/" + value.strip("/") + "/" if value.strip("/") else "/"

    def permalink(self, f: Field) -> str | None:
        value = self.string(f)
        if value is None:
            return None
        segments = value.removesuffix("/").split("/")
        if not _PERMALINK.fullmatch(value) or "{slug}" not in value:
            self.fail(f.line, f"permalink“{value}”不可用：只能由字母、数字、- _ . ~、/ 和 {{year}} {{month}} "
                              "{day} {category} {slug} 组成，且必须包含 {slug}，例如 {year}/{month}/{slug}/。",
                      f"permalink {value!r} may contain only letters, digits, - _ . ~ / and {{year}} {{month}} "
                      "{day} {category} {slug}, and must contain {slug}")
        elif any(s in ("", ".", "..") for s in segments):
            self.fail(f.line, f"permalink“{value}”不能以 / 开头，不能有连续的 //，也不能有 . 或 .. 这样的一段。",
                      f"permalink {value!r} must not start with /, contain //, or have . or .. segments")
        elif segments[0].lower() in ROOT_NAMES:
            self.fail(f.line, f"permalink 不能以“{segments[0]}”开头，这个名称留给本站自己的文件：{_ROOT_LIST}。",
                      f"permalink must not start with {segments[0]!r}, a name the site uses itself ({_ROOT_LIST})")
        else:
            return value.removesuffix("/") + "/"
        return None

    def site_url(self, f: Field) -> str | None:
        value = self.string(f)
        if not value or (web_url(value) and not {"?", "#"} & set(value)):
            return value
        self.fail(f.line, f"site_url“{value}”不可用：应是以 http:// 或 https:// 开头的完整网址，不含 ? 和 #，"
                          "例如 https://www.example.cn。",
                  f"site_url {value!r} must be an absolute http(s) URL without ? or #, e.g. https://www.example.cn")
        return None

    def counter_url(self, f: Field) -> str | None:
        value = self.string(f)
        if not value or web_url(value) or relative_url(value):
            return value
        self.fail(f.line, f"counter_url“{value}”不可用：应是以 http:// 或 https:// 开头的网址，或本站的路径，"
                          "例如 /api/count。",
                  f"counter_url {value!r} must be an http(s) URL or a path on this site, e.g. /api/count")
        return None

    def string_list(self, f: Field) -> tuple[str, ...] | None:
        if isinstance(f.value, list) and all(isinstance(v, str) for v in f.value):
            return tuple(v.strip() for v in f.value)
        self.fail(f.line, f"“{f.key}”应是文字列表。", f"{f.key!r} must be a list of text")
        return None

    def images(self, f: Field) -> Any:
        settings, problems = parse_images(f.value, self.path, f.line)
        self.problems += problems
        return settings

    def ancestors(self, f: Field) -> tuple[Link, ...] | None:
        items = f.value if isinstance(f.value, list) else None
        links = []
        for i, item in enumerate(items or [None]):
            name = _text(item.get("name")) if isinstance(item, dict) else None
            url = _text(item.get("url")) if isinstance(item, dict) else None
            if not (name and url) or set(item) - {"name", "url"}:
                self.fail(f.line, "ancestors 的每一项都要有 name 和 url，例如 - {name: 首页, url: /}",
                          "each ancestors entry needs exactly `name` and `url`")
                return None
            if not (web_url(url) or relative_url(url)):
                line = f.item_lines[i] if i < len(f.item_lines) else f.line
                self.fail(line, f"“{name}”的网址“{url}”不可用：只能是以 http:// 或 https:// 开头的网址，"
                                "或本站内的路径，例如 / 或 yygk/。",
                          f"ancestors url {url!r} must be an http(s) URL or a relative path such as / or yygk/")
                return None
            links.append(Link(name, url, external=True))
        return tuple(links)


def _walk_categories(
    items: Any, parents: tuple[str, ...], line: int, check: _Checker, out: dict[str, Category]
) -> None:
    if not isinstance(items, list):
        check.fail(line, "categories 应是栏目列表，每项有 name（可选 slug、children）。",
                   "categories must be a list of {name, slug, children}")
        return
    for item in items:
        name = _text(item.get("name")) if isinstance(item, dict) else None
        if not name or set(item) - {"name", "slug", "children"}:
            check.fail(line, f"栏目项 {item!r} 有误：需要 name，只能另有 slug 和 children。",
                       f"bad category entry {item!r}: needs `name`, may have `slug`, `children`")
            continue
        slug = make_slug(str(item.get("slug") or name))
        if name in out:
            check.fail(line, f"栏目“{name}”重复声明。", f"category {name!r} declared twice")
            continue
        if not _SAFE_SLUG.match(slug) or slug in _RESERVED_SLUGS or slug.isdigit():
            check.fail(line, f"栏目“{name}”的 slug “{slug}”不可用，请在 slug 中写字母和数字。",
                       f"category {name!r} has an unusable slug {slug!r}")
            continue
        if (device := name_problem(slug)) is not None:  # category/con/ cannot be made on Windows
            check.fail(line, f"栏目“{name}”的网址名{device[0]}。请为它指定别的 slug，例如 slug: {slug}-1。",
                       f"category {name!r}: {device[1]}; set another `slug`")
            continue
        if any(c.slug == slug for c in out.values()):
            check.fail(line, f"栏目“{name}”的网址名“{slug}”与其他栏目重复，请为它指定不同的 slug。",
                       f"category {name!r}: slug {slug!r} is taken; set a different `slug`")
            continue
        out[name] = Category(name, slug, f"category/{slug}/", parents)
        if "children" in item:
            _walk_categories(item["children"], (*parents, name), line, check, out)


_KINDS: dict[str, Callable[[_Checker, Field], Any]] = {
    "title": _Checker.string, "description": _Checker.string, "base_path": _Checker.base_path,
    "site_url": _Checker.site_url, "timezone": _Checker.timezone, "page_size": _Checker.integer,
    "permalink": _Checker.permalink, "date_format": _Checker.string,
    "list_date_format": _Checker.string, "counter_url": _Checker.counter_url,
    "feed_size": _Checker.integer, "sanitize": _Checker.boolean,
    "iframe_hosts": _Checker.string_list, "ancestors": _Checker.ancestors, "images": _Checker.images,
}
assert set(_KINDS) | {"categories", "publisher", "assets"} == {f.name for f in fields(SiteConfig)}


def parse_config(text: str, path: str = CONFIG_NAME) -> SiteConfig:
    """Pure: site.yaml text to SiteConfig, or SiteError listing every problem."""
    check = _Checker(path)
    parsed, check.problems = parse_mapping(text, path)
    values: dict[str, Any] = {}
    category_field = None
    for f in parsed:
        if f.key == "categories":
            category_field = f
        elif f.key == "publisher":  # its own module: every key under it is checked at its own line
            publisher, found = parse_publisher(text, path, f.line)
            check.problems += found
            if publisher is not None:
                values["publisher"] = publisher
        elif f.key in _KINDS:
            value = _KINDS[f.key](check, f)
            if value is not None:
                values[f.key] = value
        else:
            hint = did_you_mean(f.key, [*_KINDS, "categories", "publisher"])
            check.fail(f.line, f"未知设置“{f.key}”" + (f"，是否想写“{hint[0]}”？" if hint else "。"),
                       f"unknown setting {f.key!r}" + (f"; did you mean {hint[0]!r}?" if hint else ""))
    title = values.get("title")
    if not title and not check.problems:
        check.fail(1, "缺少 title（栏目名称，例如 title: 党建园地）。", "missing `title`, e.g. title: 党建园地")
    tree: dict[str, Category] = {}
    if title:
        tree[title] = Category(title, make_slug(title) or "section", "", ())
        if category_field is not None:
            _walk_categories(category_field.value, (title,), category_field.line, check, tree)
    if check.problems:
        raise SiteError(check.problems)
    return SiteConfig(**values, categories=tree)


def load_config(site_dir: Path) -> SiteConfig:
    path = site_dir / CONFIG_NAME
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SiteError([Problem(CONFIG_NAME, None, f"在 {site_dir} 中找不到 site.yaml。",
                                 f"no site.yaml in {site_dir}")]) from None
    try:
        text = raw.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError:
        raise SiteError([Problem(CONFIG_NAME, None, "site.yaml 不是 UTF-8 编码，请用 UTF-8 重新保存。",
                                 "site.yaml is not UTF-8; re-save it as UTF-8")]) from None
    return with_logo(parse_config(text), site_dir, text)
