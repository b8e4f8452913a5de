"""The redirect map: every article's old CMS URL (extra.legacy_url) to its page on this site.

Written into the site folder as `legacy-redirects.map` (entries for the `map $request_uri
$dangjian_legacy { … }` block deploy/nginx.conf already has, so that IT copies one file and edits no
config) and `legacy-redirects.csv` (the same, for people and other servers). New URLs come from
sitegen's own loading and validation, as a build makes them; nothing is built.

A draft or an article dated in the future gets no redirect: its page does not exist yet, and its URL
may still change (a new slug, a corrected date), while browsers keep a 301 for good. Such articles are
listed in the CSV, and as comments in the map, with the reason, and told to `warn`; once they are
published the map is to be made again (`sitegen import` writes it at every run). Two articles claiming
one old URL, an old URL that is one of the site's new pages (a redirect loop), or an unusable
legacy_url are errors, and then nothing is written.

The new URL is a path on this host (`/dangjian/2020/02/22/tianjin-du-zhan/`): the common case, where
the old CMS and the column share the hospital's host, and a relative Location survives a proxy. An old
URL on another host (http://dj.old-hospital.cn/…) redirects to site_url + path, as the map is then
included in that host's server too.
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sitegen.config import load_config
from sitegen.errors import Problem, SiteError
from sitegen.fileio import write_atomic
from sitegen.load import scan_sources
from sitegen.model import Article, SiteConfig, SourceFile
from sitegen.schedule import is_due
from sitegen.urls import web_url
from sitegen.validate import collect, parse_source

from .oldurls import OldUrl, OldUrlError, nginx_string, parse_old, target

MAP_NAME = "legacy-redirects.map"
CSV_NAME = "legacy-redirects.csv"
FIELD = "legacy_url"
# deploy/nginx.conf sets map_hash_bucket_size 512: a key longer than about 494 bytes would make
# `nginx -t` fail for the whole server, so such a key is left out (a Chinese character is 9 bytes).
MAX_KEY_BYTES = 480

MAP_HEADER = """\
# 旧网站网址跳转表，由 sitegen 根据文章的 extra.legacy_url 生成，请勿手工修改（改文章后重新生成）。
# 用法：复制到 nginx 服务器的 /etc/nginx/dangjian/ 文件夹，deploy/nginx.conf 中的
# map $request_uri $dangjian_legacy { … } 会读入它；然后 nginx -t && systemctl reload nginx。
# 左边是浏览器发来的旧网址（中文已转成 %XX；只看路径和 ? 后的参数，不区分旧网站的域名和大小写），右边是新网址。
# (Old CMS URLs to new pages: entries for the map block in deploy/nginx.conf, not a config file of
# their own. Keys are $request_uri as browsers send it, matched by path and query whatever the old
# host, ignoring case; generated from the articles' extra.legacy_url, so do not edit by hand.)
"""


@dataclass(frozen=True)
class Redirect:
    old: OldUrl
    new: str  # the map's value: a path on this host, or an absolute URL; "" when not redirected
    article: str  # the article's file, site-relative
    why: tuple[str, str] | None = None  # why there is no redirect (Chinese, English); None when there is one

    @property
    def note(self) -> str:
        return f"{self.why[0]} ({self.why[1]})" if self.why else ""


def _articles(site_dir: Path) -> tuple[SiteConfig, list[Article]]:
    """Every article, drafts and future ones too, as the build validates them; raises SiteError."""
    config = load_config(site_dir)
    found, _ = scan_sources(site_dir)
    parsed: list[tuple[Article | None, list[Problem]]] = [(None, list(found.problems))]
    for path in found.files:
        try:
            raw = (site_dir / path).read_bytes()
        except OSError as exc:
            parsed.append((None, [Problem(path, None, f"无法读取这个文件（{exc.strerror}）。",
                                          f"cannot read this file: {exc.strerror}")]))
            continue
        parsed.append(parse_source(SourceFile(path, raw), config))
    return config, collect(parsed, drafts=True, future=True)


def _held(article: Article, key: str, now_ns: int) -> tuple[str, str] | None:
    """Why an article gets no redirect (Chinese, English); None when it gets one."""
    if article.draft:
        return "草稿（draft: true），发布后重新生成跳转表", "a draft: no page yet"
    if not is_due(article, now_ns):
        return "日期在将来，到时发布后重新生成跳转表", "dated in the future: no page yet"
    if len(key.encode()) > MAX_KEY_BYTES:
        return f"旧网址超过 {MAX_KEY_BYTES} 字节，nginx 无法收入", f"old URL longer than {MAX_KEY_BYTES} bytes"
    return None


def plan_redirects(site_dir: Path, now_ns: int | None = None) -> list[Redirect]:
    """Every article with an old URL, sorted by it; raises SiteError with every problem found."""
    config, articles = _articles(site_dir)
    now_ns = time.time_ns() if now_ns is None else now_ns
    base = config.base_path
    own = web_url(config.site_url)
    origin = config.site_url.rstrip("/") if own else ""
    pages = {(base + a.url).lower(): a for a in articles if not a.draft and is_due(a, now_ns)}
    problems: list[Problem] = []
    claimed: dict[str, Redirect] = {}
    for article in sorted(articles, key=lambda a: a.path):
        value = article.extra.get(FIELD)
        if value is None or value == "":
            continue
        if not isinstance(value, str):
            problems.append(Problem(article.path, None, f"extra.{FIELD} 应是一个网址（一行文字）。",
                                    f"extra.{FIELD} must be a URL (text)"))
            continue
        try:
            old = parse_old(value)
        except OldUrlError as exc:
            problems.append(Problem(article.path, None, exc.zh, exc.en))
            continue
        why = _held(article, old.key, now_ns)
        foreign = bool(old.host) and (own is None or old.host != own[1])
        new = "" if why else target(base + article.url, origin if foreign else "")
        here = Redirect(old, new, article.path, why)
        first = claimed.setdefault(old.folded, here)
        if first is not here:
            problems.append(Problem(
                article.path, None,
                f"旧网址“{value}”与 {first.article} 的旧网址“{first.old.written}”相同（nginx 比较网址时"
                f"不区分大小写和域名），一个旧网址只能跳转到一篇文章。请删去其中一篇的 extra.{FIELD}。",
                f"old URL {value!r} is also {first.article}'s ({first.old.written!r}; nginx ignores case and "
                f"host); remove extra.{FIELD} from one of them"))
        if (page := pages.get(old.folded)) is not None:
            problems.append(Problem(
                article.path, None,
                f"旧网址“{value}”就是本站 {page.path} 的新网址，跳转会使这个页面再也打不开。"
                f"请改正 extra.{FIELD}。",
                f"old URL {value!r} is the new URL of {page.path}: redirecting it would loop"))
    if base.lower() in claimed:
        problems.append(Problem(claimed[base.lower()].article, None, f"旧网址是本栏目的首页 {base}。",
                                f"the old URL is the column's home page {base}"))
    if problems:
        raise SiteError(problems)
    return sorted(claimed.values(), key=lambda r: (r.old.folded, r.old.key))


def map_text(redirects: list[Redirect]) -> str:
    """The map's entries, one a line; those left out as comments saying why."""
    lines = [MAP_HEADER]
    lines += [f"{nginx_string(r.old.key)} {nginx_string(r.new)};\n" for r in redirects if r.new]
    held = [r for r in redirects if not r.new]
    if held:
        lines.append("\n# 没有跳转的旧网址 (old URLs not redirected):\n")
        lines += [f"# {r.old.key}  {r.article}：{r.note}\n" for r in held]
    return "".join(lines)


def csv_text(redirects: list[Redirect]) -> str:
    """UTF-8 with a BOM: without one, Excel on a Chinese Windows reads a CSV as GBK and garbles it."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180's line ends, as Excel writes them
    writer.writerow(["old_url", "new_url", "article", "note"])
    writer.writerows([r.old.written, r.new, r.article, r.note] for r in redirects)
    return "\ufeff" + out.getvalue()


def write_redirects(site_dir: Path, warn: Callable[[Problem], None] | None = None,
                    now_ns: int | None = None) -> list[Path]:
    """Write both files into the site folder and return them; on SiteError nothing is written.

    `warn` hears of each article left out of the map (a draft, a future date, an over-long URL).
    """
    redirects = plan_redirects(site_dir, now_ns)
    for r in redirects:
        if r.why and warn is not None:
            warn(Problem(r.article, None, f"旧网址 {r.old.written} 没有加入跳转表：{r.why[0]}。",
                         f"old URL {r.old.written} is not redirected: {r.why[1]}", warning=True))
    paths = [site_dir / MAP_NAME, site_dir / CSV_NAME]
    for path, text in zip(paths, (map_text(redirects), csv_text(redirects)), strict=True):
        write_atomic(path, text)
    return paths


def stale(site_dir: Path, now_ns: int | None = None) -> Problem | None:
    """A warning when the map IT installed no longer says what the articles say (a slug changed, a draft went
    out, a scheduled date passed); None when it is current, or when there is no map (no import was made)."""
    try:
        written = (site_dir / MAP_NAME).read_text("utf-8")
    except OSError:
        return None
    try:
        current = map_text(plan_redirects(site_dir, now_ns))
    except SiteError:  # the content's own errors are reported by the check itself
        return None
    if written == current:
        return None
    return Problem(MAP_NAME, None, "旧网址跳转表已过时（有文章的网址、草稿状态或日期变了）。请运行 sitegen import "
                   "（不带文件）重写它，再交给信息科更新服务器上的副本。",
                   "the redirect map is out of date; run `sitegen import` with no SOURCE to rewrite it",
                   warning=True)
