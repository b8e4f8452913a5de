"""`sitegen new`: a new article's file, its front matter complete, never written over an existing one."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sitegen.config import load_config
from sitegen.errors import Problem, SiteError, did_you_mean
from sitegen.model import SiteConfig
from sitegen.slugs import make_slug

BODY = "在这里写正文。\n"


@dataclass(frozen=True)
class NewArticle:
    path: Path  # the file written
    category: str


def require_category(config: SiteConfig, category: str) -> None:
    """A category named on the command line (new --category, import --category) must be one of site.yaml's."""
    if category not in config.categories:
        hint = did_you_mean(category, list(config.categories))
        raise SiteError([Problem("site.yaml", None,
                                 f"栏目“{category}”不在 site.yaml 的 categories 中"
                                 + (f"，是否想写“{hint[0]}”？" if hint else "。")
                                 + "可用的栏目：" + "、".join(config.categories),
                                 f"no category {category!r} in site.yaml")])


def new_article(site_dir: Path, title: str, category: str | None = None, folder: bool = False,
                now: datetime | None = None) -> NewArticle:
    """Write content/<year>/<date>-<pinyin slug>.md (or …/index.md in a folder of its own)."""
    config = load_config(site_dir)
    title = " ".join(title.split())
    if not title:
        raise SiteError([Problem("sitegen new", None, "请写上文章标题，例如：sitegen new \"七一主题党日活动\"。",
                                 "give the article a title")])
    category = category or config.title
    require_category(config, category)
    when = (now or datetime.now(ZoneInfo(config.timezone))).astimezone(ZoneInfo(config.timezone))
    stem = f"{when:%Y-%m-%d}-{make_slug(title) or 'article'}"
    base = site_dir / "content" / f"{when:%Y}"
    path = base / stem / "index.md" if folder else base / f"{stem}.md"
    if path.exists() or (base / stem).exists() or (base / f"{stem}.md").exists():
        taken = path if path.exists() else (base / stem if (base / stem).exists() else base / f"{stem}.md")
        raise SiteError([Problem(str(taken.relative_to(site_dir)), None,
                                 "已有同名的文章，没有覆盖它。请换一个标题，或直接编辑这个文件。",
                                 "an article of that name exists; nothing was overwritten")])
    path.parent.mkdir(parents=True, exist_ok=True)
    # json.dumps gives a double-quoted string that YAML reads back as typed (colons, # and quotes too).
    text = (f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\ndate: {when:%Y-%m-%d %H:%M}\n"
            f"category: {category}\nsource: \"\"\n---\n\n{BODY}")
    with open(path, "x", encoding="utf-8", newline="\n") as fh:  # "x": never over a file made meanwhile
        fh.write(text)
    return NewArticle(path, category)
