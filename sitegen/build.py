"""The pipeline: load → validate → render → write."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2

from sitegen import check
from sitegen.config import load_config
from sitegen.errors import Problem, SiteError
from sitegen.load import load_sources
from sitegen.markup import to_html
from sitegen.model import Article, OutputFile, SiteConfig
from sitegen.render import Body, excerpt, render_site, template_problem
from sitegen.sanitize import make_sanitizer
from sitegen.validate import validate
from sitegen.write import build_lock, check_output, publish


@dataclass(frozen=True)
class BuildResult:
    articles: int
    files: int
    seconds: float


def render_bodies(articles: Sequence[Article], config: SiteConfig) -> dict[str, Body]:
    clean = make_sanitizer(config.iframe_hosts) if config.sanitize else None
    bodies = {}
    for article in articles:
        html = to_html(article.body)
        if clean is not None:
            html = clean(html)
        bodies[article.path] = Body(html, excerpt(html))
    return bodies


def _files(site_dir: Path, config: SiteConfig, drafts: bool) -> tuple[list[Article], Iterator[OutputFile]]:
    articles = validate(load_sources(site_dir), config, drafts)
    bodies = render_bodies(articles, config)
    return articles, render_site(articles, bodies, config, site_dir / "templates")


def _write(site_dir: Path, config: SiteConfig, output: Path, drafts: bool) -> tuple[list[Article], int]:
    articles, files = _files(site_dir, config, drafts)
    try:
        return articles, publish(output, files, site_dir / "static")
    except jinja2.TemplateError as exc:
        raise SiteError([template_problem(exc, site_dir)]) from None


def build(site_dir: Path, output: Path, drafts: bool = False) -> BuildResult:
    started = time.perf_counter()
    config = load_config(site_dir)
    check_output(output, site_dir)
    with build_lock(output):
        articles, written = _write(site_dir, config, output, drafts)
    return BuildResult(len(articles), written, time.perf_counter() - started)


def check_site(site_dir: Path, drafts: bool = False) -> list[Problem]:
    """Build into a temporary folder and check the pages; the live output is never touched."""
    with tempfile.TemporaryDirectory(prefix="sitegen-check-") as tmp:
        out = Path(tmp) / "site"
        articles, _ = _write(site_dir, load_config(site_dir), out, drafts)
        sources = {f"{a.url}index.html": a.path for a in articles}
        return check.check_output(out, sources=sources)
