"""The theme: sitegen's own templates and static files, which a site overrides file by file.

As in Hugo's theme lookup, a file in the site's `templates/` or `static/` hides the theme's file
of the same relative path, and every other file comes from the theme inside the package. A
hospital that changed its footer keeps only `templates/_footer.html`, and upgrading sitegen
brings the rest of the new theme without copying templates back.
"""

from __future__ import annotations

import os
from pathlib import Path

import jinja2

THEME_DIR = Path(__file__).resolve().parent / "theme"
THEME_TEMPLATES = THEME_DIR / "templates"
THEME_STATIC = THEME_DIR / "static"
# How errors name a theme file: where it lives in sitegen's source, not an absolute install path.
_SHOWN_ROOT = THEME_DIR.parent.parent


def template_loader(site_dir: Path) -> jinja2.BaseLoader:
    """The site's templates/ first, then the theme's: the first folder holding a name wins.

    `theme/<name>` is always the theme's own file, as Zola's `<theme>/templates/<name>` is, so
    an override can extend the template it replaces and change one block of it.
    """
    return jinja2.ChoiceLoader([jinja2.FileSystemLoader([site_dir / "templates", THEME_TEMPLATES]),
                                jinja2.PrefixLoader({"theme": jinja2.FileSystemLoader(THEME_TEMPLATES)})])


def in_theme(filename: str) -> bool:
    return os.path.abspath(filename).startswith(str(THEME_TEMPLATES) + os.sep)


def shown_template(filename: str, site_dir: Path) -> str:
    """A template file as an error names it: site-relative for the site's own, sitegen/theme/… for the theme's."""
    if in_theme(filename):
        return Path(os.path.abspath(filename)).relative_to(_SHOWN_ROOT).as_posix()
    # relpath, not resolve(): templates/ may be a symlink to a shared theme
    return Path(os.path.relpath(filename, site_dir)).as_posix()


def is_template_file(filename: str, site_dir: Path) -> bool:
    """A code object's file is a template (the site's or the theme's), not sitegen or a library."""
    return filename.startswith(str(site_dir / "templates")) or in_theme(filename)


def theme_hint(filename: str) -> tuple[str, str]:
    """For an error in a theme template: an editor cannot fix sitegen's copy, so say where a fix goes."""
    if not in_theme(filename):
        return "", ""
    name = Path(os.path.abspath(filename)).relative_to(THEME_TEMPLATES).as_posix()
    return (f"（这是 sitegen 自带主题的文件；要修改，请把它复制到网站的 templates/{name} 再改）",
            f" (a file of sitegen's theme; to change it, copy it to the site's templates/{name})")
