"""Every reference an article makes, resolved against the site's files, or a problem at its line.

References are relative to the article's own file, as editors see them in their
folder: `photo1.jpg`, `附件1：报名表.docx`, `../2020/x.md#anchor`. `/static/…` is
site-rooted. A reference that resolves to nothing is an error naming the file,
the line, and the nearest existing name.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import unquote

from sitegen import attachments
from sitegen.errors import Problem, did_you_mean
from sitegen.model import Article
from sitegen.pages import relative
from sitegen.refs import Ref
from sitegen.winnames import fold, name_problem

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_DRIVE = re.compile(r"^[a-zA-Z]:[\\/]")


@dataclass(frozen=True)
class Target:
    kind: str  # page | static | anchor | external | file | image
    href: str  # the URL written into the page; for images, filled in from the renditions
    source: str = ""  # site-relative path of the file or image published with the article
    line: int = 0  # where the reference was written; for images, where their errors point


@dataclass(frozen=True)
class Catalog:
    """What references may point at."""

    articles: Mapping[str, Article]  # published, by source path
    held: Mapping[str, str]  # source path -> why it is not published (草稿, 定时发布)
    anchors: Callable[[str], tuple[str, ...]]  # source path -> ids on its page (read only when linked to)
    assets: Mapping[str, int]  # content file that is not an article -> size in bytes
    statics: frozenset[str]


@dataclass(frozen=True)
class Media:
    """One article's resolved references."""

    targets: Mapping[str, Target] = field(default_factory=dict)  # as written -> target
    files: tuple[str, ...] = ()  # attachments, in the order first referenced
    images: tuple[str, ...] = ()  # content images, in order; the first is the cover unless `cover` is set
    cover: str = ""


def _key(name: str) -> str:
    """Names an editor would take for the same: case, full/half width, spaces."""
    return "".join(unicodedata.normalize("NFKC", name).casefold().split())


def nearest(path: str, candidates: list[str]) -> str | None:
    """The existing name the editor most likely meant, or None."""
    key = _key(path)
    for candidate in candidates:
        if _key(candidate) == key:
            return candidate
    # By name, among the files in the same folder: full paths share a long prefix and all look alike.
    folder = posixpath.dirname(path)
    siblings = [c for c in candidates if posixpath.dirname(c) == folder] or candidates
    names = {posixpath.basename(c): c for c in reversed(siblings)}
    close = did_you_mean(posixpath.basename(path), list(names))
    return names[close[0]] if close else None


def split_target(raw: str) -> tuple[str, str]:
    """A written reference as (file path, #fragment), both unquoted; a ?query is dropped."""
    path, _, fragment = raw.partition("#")
    return unquote(path.split("?", 1)[0]), unquote(fragment)


def beside(article: str, path: str) -> str:
    """The site path of `path` written relative to the article's own file."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(article), path))


def _link_from(article: str, target: str) -> str:
    """A site path as the editor would write it from `article`'s folder."""
    return posixpath.relpath(target, posixpath.dirname(article))


class _Resolver:
    def __init__(self, article: Article, catalog: Catalog) -> None:
        self.article, self.catalog = article, catalog
        self.problems: list[Problem] = []

    def fail(self, ref: Ref, zh: str, en: str) -> None:
        self.problems.append(Problem(self.article.path, ref.line, zh, en))

    def missing(self, ref: Ref, path: str, candidates: list[str], what: str) -> None:
        hint = nearest(path, candidates)
        written = _link_from(self.article.path, hint) if hint else ""
        advice = f"是否想写“{written}”？（文件名须完全一致，包括大小写、空格和全角/半角）" if hint \
            else "请检查文件名，并把文件放在文章旁边。"
        self.fail(ref, f"找不到{what}“{ref.target}”。{advice}",
                  f"{ref.target!r} not found" + (f"; did you mean {written!r}?" if hint else ""))

    def resolve(self, ref: Ref) -> Target | None:
        raw = ref.target.strip()
        if not raw or raw.startswith(("mailto:", "tel:")):
            return Target("external", raw)
        if raw.lower().startswith("file:") or _DRIVE.match(raw) or raw.startswith("\\\\"):
            self.fail(ref, f"“{raw}”指向你电脑上的文件，读者打不开。"
                           "请把文件复制到文章旁边，再写文件名，例如 ![说明](照片.jpg)。",
                      "this points at a file on your own computer; copy the file next to the article")
            return None
        if _SCHEME.match(raw) or raw.startswith("//"):
            return Target("external", raw)
        if ref.raw_html and not raw.startswith("#"):
            self.fail(ref, "网页代码（HTML）里引用的本地文件不会被发布。请改用 Markdown 写法："
                           "图片写 ![说明](文件名)，附件写 [名称](文件名)。",
                      "local files referenced from raw HTML are not published; use Markdown image/link syntax")
            return None
        path, fragment = split_target(raw)
        if "\\" in path:
            self.fail(ref, f"路径“{raw}”中有反斜杠 \\，请改为 /，例如 {path.replace(chr(92), '/')}。",
                      "use / in paths, not \\")
            return None
        if not path:
            return self._anchor(ref, self.article.path, fragment, "#" + fragment)
        if path.startswith("/"):
            if not path.startswith("/static/"):
                return Target("external", raw)  # another part of the hospital's site, on the same host
            full = path[1:]
        else:
            full = beside(self.article.path, path)
            if full.startswith("../") or full == "..":
                self.fail(ref, f"“{raw}”指向网站文件夹之外。请把文件放进 content/ 中文章的旁边。",
                          "this points outside the site folder")
                return None
        return self._file(ref, full, fragment)

    def _file(self, ref: Ref, full: str, fragment: str) -> Target | None:
        catalog, page = self.catalog, self.article.url
        if full.startswith("static/"):
            if full not in catalog.statics:
                self.missing(ref, full, sorted(catalog.statics), "文件")
                return None
            return Target("static", relative(full, page) + (f"#{fragment}" if fragment else ""))
        folder_page = posixpath.join(full, "index.md")
        if full.lower().endswith((".md", ".markdown")) or folder_page in catalog.articles:
            target = full if full.lower().endswith((".md", ".markdown")) else folder_page
            if target in catalog.held:
                self.fail(ref, f"链接的文章“{ref.target}”{catalog.held[target]}，还不会发布，链接会打不开。",
                          "the linked article is not published (draft or scheduled)")
                return None
            other = catalog.articles.get(target)
            if other is None:
                self.missing(ref, target, sorted(catalog.articles), "文章")
                return None
            href = relative(other.url, page)
            return self._anchor(ref, target, fragment, href + (f"#{fragment}" if fragment else ""))
        if full not in catalog.assets:
            self.missing(ref, full, sorted(catalog.assets), "图片" if ref.image else "文件")
            return None
        if attachments.is_image(full) or ref.image:
            if ref.image and not attachments.is_image(full):
                self.fail(ref, f"“{ref.target}”不是图片，不能用 ![…](…) 插入。附件请写成 [名称]({ref.target})。",
                          "not an image; link attachments with [name](file)")
                return None
            return Target("image", "", full, ref.line)
        why = attachments.refusal(full)
        if why:
            self.fail(ref, *why)
            return None
        return Target("file", attachments.href(posixpath.basename(full)), full, ref.line)

    def _anchor(self, ref: Ref, target: str, fragment: str, href: str) -> Target | None:
        ids = self.catalog.anchors(target) if fragment else ()
        if fragment and fragment not in ids:
            hint = did_you_mean(fragment, list(ids))
            self.fail(ref, f"锚点“#{fragment}”在{'本文' if target == self.article.path else '链接的文章'}中不存在。"
                           + (f"是否想写“#{hint[0]}”？" if hint else "锚点是小标题文字去掉标点后的样子。"),
                      f"anchor #{fragment} not found" + (f"; did you mean #{hint[0]}?" if hint else ""))
            return None
        return Target("page" if target != self.article.path else "anchor", href)


def resolve(article: Article, refs: tuple[Ref, ...], cover: Ref | None,
            catalog: Catalog) -> tuple[Media, list[Problem]]:
    resolver = _Resolver(article, catalog)
    targets: dict[str, Target] = {}
    names: dict[str, str] = {}  # published file name -> source: two files may not share one
    for ref in refs:
        if ref.target in targets:
            continue
        target = resolver.resolve(ref)
        if target is None:
            continue
        if target.kind == "file":
            name = posixpath.basename(target.source)
            first = names.setdefault(fold(name), target.source)
            bad = name_problem(name)
            if first != target.source:
                # Windows and macOS ignore case: Report.pdf and report.pdf are one file there.
                same = "都叫" if posixpath.basename(first) == name else "只有大小写不同，在 Windows 和 macOS 上都叫"
                resolver.fail(ref, f"两个不同的附件{same}“{name}”（{first} 和 {target.source}），"
                                   "请给其中一个改名。",
                              f"two attachments are both named {name!r} (ignoring case); rename one")
                continue
            if bad is not None:
                resolver.fail(ref, f"附件名{bad[0]}。请给文件改名，再改这里的链接。",
                              f"attachment: {bad[1]}; rename the file and this link")
                continue
        targets[ref.target] = target
    cover_source = ""
    if cover is not None:
        target = resolver.resolve(cover)
        if target is not None and target.kind != "image":
            resolver.fail(cover, "封面（cover）应是文章旁边的一张图片，例如 cover: photo1.jpg。",
                          "cover must be an image file next to the article")
        elif target is not None:
            cover_source = target.source
            targets.setdefault(cover.target, target)
    values = list(targets.values())
    images = tuple(dict.fromkeys(t.source for t in values if t.kind == "image" and t.source))
    files = tuple(dict.fromkeys(t.source for t in values if t.kind == "file"))
    media = Media(targets, files, images, cover_source or (images[0] if images else ""))
    return media, resolver.problems


def unreferenced(assets: Mapping[str, int], used: set[str]) -> list[Problem]:
    """Files under content/ that no published article references: never published, always reported."""
    stray = sorted(p for p in assets if p not in used)
    if not stray:
        return []
    listed = "、".join(stray[:10]) + ("……" if len(stray) > 10 else "")
    return [Problem("content", None,
                    f"有 {len(stray)} 个文件没有被任何文章引用，不会发布：{listed}。"
                    "如需发布，请在文章中用 ![说明](文件名) 或 [名称](文件名) 引用它；不需要的文件请删除。",
                    f"{len(stray)} file(s) under content/ are referenced by no article and were not published",
                    warning=True)]
