"""Command line: `sitegen build [SITE_DIR] [-o OUTPUT]`."""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

from sitegen import __version__
from sitegen.build import build
from sitegen.errors import SiteError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sitegen", description="Build a static news section from Markdown articles."
    )
    parser.add_argument("--version", action="version", version=f"sitegen {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    b = commands.add_parser("build", help="build the site into an output folder")
    b.add_argument("site_dir", nargs="?", default=".", type=Path,
                   help="folder with site.yaml, content/, templates/, static/ (default: .)")
    b.add_argument("-o", "--output", type=Path, help="output folder (default: SITE_DIR/build)")
    b.add_argument("--drafts", action="store_true", help="include articles marked draft: true")
    b.add_argument("--debug", action="store_true", help="show a traceback on internal errors")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    site_dir: Path = args.site_dir
    if not site_dir.is_dir():
        print(f"sitegen: error: no such folder: {site_dir}", file=sys.stderr)
        return 2
    output = args.output or site_dir / "build"
    try:
        result = build(site_dir, output, drafts=args.drafts)
    except SiteError as exc:
        for problem in exc.problems:
            print(problem.format(), file=sys.stderr)
        n = len(exc.problems)
        print(f"\n共 {n} 个错误，网站未更新。({n} error{'s' if n != 1 else ''}; nothing was written)",
              file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("sitegen: interrupted; the previous output is unchanged", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug in sitegen, not in the content
        if args.debug:
            traceback.print_exc()
        print(f"sitegen: internal error: {exc!r} (run with --debug for a traceback)", file=sys.stderr)
        return 3
    print(f"built {result.articles} articles, {result.files} files in {result.seconds:.2f}s → {output}")
    return 0
