"""Scheduled publishing: an article dated in the future waits until its date.

A static site has no server to publish it on time, so the site is rebuilt daily
(CI on a timer); each build publishes what is due. `--future` shows them all,
to preview.
"""

from __future__ import annotations

from collections.abc import Mapping

from sitegen.errors import Problem
from sitegen.model import Article, Parsed


def is_due(article: Article, now_ns: int) -> bool:
    return article.date.timestamp() * 1e9 <= now_ns


def scheduled(parsed: Mapping[str, Parsed], held: Mapping[str, str]) -> list[Problem]:
    """A warning for each article held back for its date, so an editor never wonders where it went."""
    out = []
    for path in sorted(held):
        article = parsed[path].article
        if article is not None and not article.draft:
            when = article.date.strftime("%Y-%m-%d %H:%M")
            out.append(Problem(path, None, f"文章日期 {when} 还没到，暂不发布；到时间后的下一次构建会发布它。"
                                           "如需现在预览，请加 --future。",
                               f"dated {when}, in the future: not published until a build after that time "
                               "(--future includes it)", warning=True))
    return out


def next_release(parsed: Mapping[str, Parsed], held: Mapping[str, str]) -> int:
    """When the earliest held-back article falls due (ns since the epoch); 0 if none is waiting."""
    dates = [int(a.date.timestamp() * 1e9) for p in held
             if (a := parsed[p].article) is not None and not a.draft]
    return min(dates, default=0)
