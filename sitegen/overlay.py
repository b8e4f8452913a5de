"""What `sitegen serve` adds to the pages it serves: the reload script, and the pages it answers itself.

Nothing here is ever written to the output: the server adds the script to each
HTML page as it sends it. The script (serve.js) reloads the page after a
rebuild and shows a build's errors over the last good page.
"""

from __future__ import annotations

import html
import json
import re
from importlib import resources

from sitegen.errors import Problem

PREFIX = "/__sitegen__/"  # outside any base_path a site can have: no page of the site is ever here
SCRIPT_URL = PREFIX + "serve.js"
EVENTS_URL = PREFIX + "events"
_BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)


def script() -> bytes:
    return resources.files("sitegen").joinpath("serve.js").read_bytes()


def tag(generation: str) -> bytes:
    return f'<script src="{SCRIPT_URL}" data-generation="{html.escape(generation)}" defer></script>'.encode()


def inject(page: bytes, generation: str) -> bytes:
    """The page with the script before its last </body> (or at its end, for a page without one)."""
    ends = list(_BODY_END.finditer(page))
    at = ends[-1].start() if ends else len(page)
    return page[:at] + tag(generation) + page[at:]


def problems_json(problems: tuple[Problem, ...]) -> list[dict[str, object]]:
    return [{"where": f"{p.path}:{p.line}" if p.line else p.path, "zh": p.zh, "en": p.en} for p in problems]


def state_event(generation: str, problems: tuple[Problem, ...], built: bool) -> bytes:
    """What serve.js is told: the site's generation, the last build's problems, whether any build succeeded."""
    data = json.dumps({"generation": generation, "problems": problems_json(problems), "built": built},
                      ensure_ascii=False)
    return f"data: {data}\n\n".encode()


def standin(generation: str, problems: tuple[Problem, ...]) -> bytes:
    """The page served while there is no site to show: the first build is running, or it failed."""
    if problems:
        heading = ("网站生成失败，请修改下面的错误（改好后本页自动刷新） "
                   "(the build failed; this page reloads once it is fixed)")
        items = "".join(f"<li><code>{html.escape(str(item['where']))}</code>：{html.escape(str(item['zh']))}"
                        f"<br>({html.escape(str(item['en']))})</li>" for item in problems_json(problems))
    else:
        heading, items = "正在生成网站，请稍候…… (building the site…)", ""
    page = (f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>sitegen serve</title></head>'
            f"<body><h1>{heading}</h1><ul>{items}</ul></body></html>\n")
    return inject(page.encode(), generation)
