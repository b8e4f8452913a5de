"""The build cache: what the last build read and wrote, so the next one redoes only what changed.

Every output file gets a key: a hash of everything it depends on (the article's
bytes, its neighbours' titles and links, the templates it uses, the config,
sitegen's version). A page whose key is unchanged is left as it is in the output.
A wrong cache is worse than none: whenever the cache or the output cannot be
trusted, the build falls back to a full one.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import jinja2
import jinja2.meta
import markdown
import nh3
import slugify
import yaml

from sitegen import __version__
from sitegen.cache import CACHE_DIR
from sitegen.errors import Problem, SiteError
from sitegen.fileio import write_atomic
from sitegen.themefiles import template_loader

# Every library whose version can change a byte of the output; the rest by their metadata only
# (importing pypinyin costs 0.3 s that a rebuild otherwise never pays).
_IMPORTED = (jinja2, markdown, nh3, yaml, slugify)
_NOT_IMPORTED = ("markupsafe", "pypinyin", "text-unidecode")


def digest(*parts: object) -> str:
    """A key for the given parts: strings as they are, anything else by its repr."""
    text = "\x00".join(p if isinstance(p, str) else repr(p) for p in parts)
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _library_versions() -> list[str]:
    found = [f"{m.__name__}=={getattr(m, '__version__', '?')}" for m in _IMPORTED]
    for name in _NOT_IMPORTED:
        try:
            found.append(f"{name}=={version(name)}")
        except PackageNotFoundError:
            found.append(f"{name}: absent")
    return found


def code_key() -> str:
    """sitegen's own source and the libraries that shape output, not just a version number."""
    code = [p.read_bytes() for p in sorted(Path(__file__).parent.glob("*.py"))]
    return digest(__version__, code, _library_versions())


def setup_key(config_text: bytes, drafts: bool, future: bool = False) -> str:
    """Everything every page depends on: a change here means a full build."""
    # a changed renderer must not reuse old pages
    return digest(code_key(), config_text, drafts, future)


def load_slugs(site_dir: Path) -> dict[str, str]:
    try:
        data = json.loads((site_dir / CACHE_DIR / "slugs.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    ok = isinstance(data, dict) and data.get("pypinyin") == _pypinyin_version()
    return {k: v for k, v in data.get("slugs", {}).items() if isinstance(v, str)} if ok else {}


def save_slugs(site_dir: Path, slugs: dict[str, str]) -> None:
    folder = site_dir / CACHE_DIR
    folder.mkdir(exist_ok=True)
    write_atomic(folder / "slugs.json",
                 json.dumps({"pypinyin": _pypinyin_version(), "slugs": slugs}, ensure_ascii=False, sort_keys=True))


def _pypinyin_version() -> str:
    return version("pypinyin")  # only the metadata: importing pypinyin is what we avoid


@functools.lru_cache(maxsize=256)
def _referenced(source: str) -> tuple[str | None, ...]:
    """The templates a source names. Remembered: `sitegen serve` builds again and again, and parsing and
    compiling the theme each time (see compiled.py) was 0.1 s of an edit's 0.35 s build at 1,000 articles."""
    return tuple(jinja2.meta.find_referenced_templates(jinja2.Environment().parse(source)))


def template_keys(site_dir: Path, names: Iterable[str]) -> dict[str, str]:
    """A key per template: its source and that of everything it extends or includes.

    Sources come through the same lookup as rendering (the site's override, else the theme's
    file), so adding, editing or removing an override changes the keys of the pages it shapes.
    """
    env = jinja2.Environment(loader=template_loader(site_dir))
    sources: dict[str, str] = {}
    deps: dict[str, set[str]] = {}

    def visit(name: str) -> None:
        if name in sources:
            return
        try:
            source, _, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
        except jinja2.TemplateNotFound:  # an OSError too: caught here, not reported as a disk failure
            zh = f"找不到模板“{name}”：网站的 templates/ 和 sitegen 自带的主题里都没有它。请检查模板名的拼写。"
            en = f"template {name!r} is neither in the site's templates/ nor in sitegen's theme; check its name"
            raise SiteError([Problem(f"templates/{name}", None, zh, en)]) from None
        sources[name] = source
        try:
            found = _referenced(source)
            deps[name] = {d for d in found if d}
            if None in found:  # a computed name: any template may be used
                deps[name] |= set(env.list_templates())
        except jinja2.TemplateSyntaxError:
            deps[name] = set()  # rendering reports it with its line
        for dep in sorted(deps[name]):
            visit(dep)

    keys = {}
    for name in names:
        visit(name)
        closure, todo = set(), [name]
        while todo:
            current = todo.pop()
            if current not in closure:
                closure.add(current)
                todo.extend(deps.get(current, ()))
        keys[name] = digest(sorted((n, sources[n]) for n in closure))
    return keys
