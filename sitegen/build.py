"""The pipeline: load → validate → render → write."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from sitegen.config import load_config
from sitegen.load import load_sources
from sitegen.markup import to_html
from sitegen.render import Body, excerpt, render_site
from sitegen.validate import validate
from sitegen.write import check_output, publish


@dataclass(frozen=True)
class BuildResult:
    articles: int
    files: int
    seconds: float


def build(site_dir: Path, output: Path, drafts: bool = False) -> BuildResult:
    started = time.perf_counter()
    config = load_config(site_dir)
    check_output(output, site_dir)
    articles = validate(load_sources(site_dir), config, drafts)
    bodies = {}
    for article in articles:
        html = to_html(article.body)
        bodies[article.path] = Body(html, excerpt(html))
    files = render_site(articles, bodies, config, site_dir / "templates")
    written = publish(output, files, site_dir / "static")
    return BuildResult(len(articles), written, time.perf_counter() - started)
