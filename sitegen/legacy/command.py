"""`sitegen import SOURCE...`: its options, and the run that prints and writes the report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from sitegen.errors import Problem, SiteError

REPORT = "import-report.md"


def add_parser(commands: Any) -> None:
    text = ("把旧网站的文章（纯文本导出、另存的网页、整站镜像）导入为文件夹文章，并写出导入报告 import-report.md "
            "(import legacy CMS pages as folder articles and write import-report.md)")
    p = commands.add_parser("import", help="导入旧网站的文章 (import articles from the old CMS)", description=text)
    p.add_argument("sources", nargs="*", type=Path, metavar="SOURCE",
                   help="文件或文件夹（含子文件夹）；不给时只重写旧网址跳转表 "
                        "(a file, or a folder taken recursively; none: only rewrite the redirect map)")
    p.add_argument("--category", help="全部导入到这个栏目（默认：按原页面的位置导航，不在 site.yaml 中时归入栏目首页） "
                                      "(file every page under this category; default: its breadcrumb's)")
    p.add_argument("--into", type=Path, default=Path("content/imported"),
                   help="新文章放在哪里，相对于网站文件夹（默认：content/imported） "
                        "(where new articles go, relative to the site; default: content/imported)")
    p.add_argument("--site", dest="site_dir", type=Path, default=Path("."),
                   help="网站文件夹（默认：当前文件夹） (site folder; default: .)")
    p.add_argument("--dry-run", action="store_true",
                   help="只显示将写入什么，不写任何文件 (show what would be written; write nothing)")
    p.add_argument("--force", action="store_true",
                   help="覆盖导入后被手工修改过的文章 (overwrite articles edited by hand since their import)")
    p.add_argument("--debug", action="store_true", help="出错时显示调用栈 (show a traceback on errors)")


def run(args: argparse.Namespace) -> int:
    from sitegen.config import load_config
    from sitegen.fileio import write_atomic
    from sitegen.legacy import report
    from sitegen.legacy.run import Settings, import_all
    from sitegen.scaffold import require_category

    site_dir: Path = args.site_dir
    if not args.sources:
        print("没有给出要导入的文件：只重写旧网址跳转表。(no SOURCE given: rewriting the redirect map only)")
        return _redirects(site_dir)
    missing = [s for s in args.sources if not s.exists()]
    if missing:
        print("sitegen import：错误：找不到 " + "、".join(map(str, missing)) + " (no such file or folder)",
              file=sys.stderr)
        return 2
    config = load_config(site_dir)
    if args.category:
        require_category(config, args.category)
    into = (site_dir / args.into).resolve()
    content = (site_dir / "content").resolve()
    if not into.is_relative_to(content):
        print(f"sitegen import：错误：--into 必须在网站的 content/ 文件夹里，现在是 {args.into} "
              "(--into must be inside the site's content/)", file=sys.stderr)
        return 2
    settings = Settings(site_dir.resolve(), into, config, args.category, args.force, args.dry_run)
    outcomes = import_all(args.sources, settings)
    for line in report.terminal_lines(outcomes, args.dry_run):
        print(line)
    print(report.summary(outcomes, args.dry_run))
    if args.dry_run:  # nothing at all is written, the report neither
        return report.exit_code(outcomes)
    write_atomic(site_dir / REPORT, report.markdown(outcomes))
    print(f"导入报告：{site_dir / REPORT} (report written)")
    return max(report.exit_code(outcomes), _redirects(site_dir))


def _redirects(site_dir: Path) -> int:
    """The map of old URLs is remade from every article, so it never holds a page that is gone."""
    from sitegen.legacy.redirects import write_redirects

    def warn(problem: Problem) -> None:  # a draft or future article: no redirect to a page not yet there
        print(problem.format(), file=sys.stderr)

    try:
        written = write_redirects(site_dir, warn)
    except SiteError as exc:  # the articles are in; only the map could not be made
        for problem in exc.problems:
            print(problem.format(), file=sys.stderr)
        print("文章已导入，但旧网址跳转表没有更新：请按上面的提示修改后重新运行 sitegen import。"
              "(articles imported; the redirect map was not written)", file=sys.stderr)
        return 1
    for path in written:
        print(f"旧网址跳转表：{path} (redirect map written)")
    return 0
