"""Command line: `sitegen build`, `check`, `serve`, `new`, `init` and `import`."""

from __future__ import annotations

import argparse
import signal
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

from sitegen import __version__, interrupt
from sitegen.errors import Problem, SiteError, split_warnings
from sitegen.legacy import command as legacy_command

# The build modules (Jinja2, Markdown, nh3) are imported inside _run: a Ctrl-C while
# they load is then caught like any other, instead of printing a traceback.


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage: str | None, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "用法 (usage): " if prefix is None else prefix)

    def _format_action(self, action: argparse.Action) -> str:
        # The command list only: argparse would first repeat the metavar (命令 (COMMAND)) under its own title.
        if isinstance(action, argparse._SubParsersAction):
            return "".join(self._format_action(sub) for sub in action._get_subactions())
        return super()._format_action(action)


class _Parser(argparse.ArgumentParser):
    """argparse in Chinese first: section titles, -h, and usage errors (its own messages follow in English)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, formatter_class=_Formatter, add_help=False, **kwargs)
        self._positionals.title = "参数 (arguments)"
        self._optionals.title = "选项 (options)"
        self.add_argument("-h", "--help", action="help", help="显示本帮助 (show this help)")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：命令写得不对，请用 {self.prog} -h 查看用法。({message})\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="sitegen", description="把 Markdown 文章生成为静态新闻栏目网站。(Build a static news section.)"
    )
    parser.add_argument("--version", action="version", version=f"sitegen {__version__}",
                        help="显示版本号 (show the version)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="命令 (COMMAND)",
                                     parser_class=_Parser, title="命令 (commands)")
    about = {"build": "生成网站到输出目录 (build the site into an output folder)",
             "check": "检查内容和生成的页面（链接、图片、标题），不改动输出目录 "
                      "(validate content and check the built pages without touching the output)"}
    b, c = (commands.add_parser(name, help=text, description=text) for name, text in about.items())
    s = commands.add_parser("serve", help="本机预览：生成网站并打开一个网址，保存文件后自动更新 "
                                          "(preview: build, serve and reload on every save)",
                            description="生成网站并在本机提供预览网址（按 site.yaml 的 base_path）；保存文章、模板或 "
                                        "site.yaml 后自动重新生成，打开的浏览器自动刷新，出错时在页面上显示错误。"
                                        "生成到 .sitegen-cache/serve/，不改动 build/。按 Ctrl-C 停止。 "
                                        "(build and serve the site locally; rebuild and reload the browser on each "
                                        "save, show errors in the page; never touches build/)")
    for sub in (b, c, s):
        sub.add_argument("site_dir", nargs="?", default=".", type=Path,
                         help="网站文件夹，含 site.yaml 和 content/（默认：当前文件夹）"
                              " (folder with site.yaml and content/; default: .)")
        sub.add_argument("--drafts", action="store_true",
                         help="包括标有 draft: true 的草稿 (include articles marked draft: true)")
        sub.add_argument("--future", action="store_true",
                         help="包括日期在未来的文章（定时发布的预览） (include articles dated in the future)")
        sub.add_argument("--debug", action="store_true", help="出错时显示调用栈 (show a traceback on errors)")
    n = commands.add_parser("new", help="新建一篇文章 (start a new article)",
                            description="在 content/<年份>/ 下新建一篇文章，标题、日期、栏目都已写好 "
                                        "(write a new article file with its front matter)")
    n.add_argument("title", help="文章标题 (the title)")
    n.add_argument("--category", help="栏目名称（默认：栏目首页） (category; default: the section itself)")
    n.add_argument("--folder", action="store_true",
                   help="建成文件夹文章（<名称>/index.md），照片和附件放在同一文件夹 "
                        "(a folder article, for its photos and attachments)")
    n.add_argument("--site", dest="site_dir", type=Path, default=Path("."),
                   help="网站文件夹（默认：当前文件夹） (site folder; default: .)")
    n.add_argument("--debug", action="store_true", help="出错时显示调用栈 (show a traceback on errors)")
    i = commands.add_parser("init", help="新建一个网站 (create a new site)",
                            description="在新的（或空的）文件夹中新建网站：带说明的 site.yaml、一篇带照片的示例文章、"
                                        "空的 static/、.gitignore 和 CI 工作流 (create a site in a new, empty folder)")
    i.add_argument("site_dir", type=Path, help="新网站的文件夹，不存在时自动创建 (the new site's folder)")
    i.add_argument("--debug", action="store_true", help="出错时显示调用栈 (show a traceback on errors)")
    s.add_argument("--port", type=int, default=8000,
                   help="端口（默认：8000；被占用时自动改用下一个） (port; default: 8000, or the next free one)")
    s.add_argument("--bind", default="127.0.0.1",
                   help="监听地址（默认：127.0.0.1，只有本机能打开；0.0.0.0 让同一网络的其他电脑也能打开） "
                        "(address to listen on; default: 127.0.0.1, this computer only)")
    legacy_command.add_parser(commands)
    b.add_argument("-o", "--output", type=Path,
                   help="输出目录（默认：SITE_DIR/build） (output folder; default: SITE_DIR/build)")
    b.add_argument("--clean", action="store_true",
                   help="不用构建缓存，重新生成每一页 (ignore the build cache and rebuild every page)")
    return parser


def _report(problems: tuple[Problem, ...] | list[Problem], what: str) -> None:
    for problem in problems:
        print(problem.format(), file=sys.stderr)
    n = len(problems)
    print(f"\n共 {n} 个错误，{what}", file=sys.stderr)


def _run(args: argparse.Namespace) -> int:
    from sitegen.build import build, check_site

    site_dir: Path = args.site_dir
    if args.command == "new":
        from sitegen.scaffold import new_article

        made = new_article(site_dir, args.title, args.category, args.folder)
        print(f"已新建文章（栏目：{made.category}）：{made.path}\n(created {made.path})")
        return 0
    if args.command == "import":
        return legacy_command.run(args)
    if args.command == "init":
        from sitegen.newsite import create_site, summary

        print(summary(create_site(site_dir)))
        return 0
    if args.command == "check":
        # The build's warnings (no alt text, a scheduled article) are shown as build shows them, but pass.
        from sitegen.legacy.redirects import stale

        found = [*check_site(site_dir, drafts=args.drafts, future=args.future), stale(site_dir)]
        problems, warnings = split_warnings(p for p in found if p is not None)
        for warning in warnings:
            print(warning.format(), file=sys.stderr)
        if problems:
            _report(problems, f"请修改后再发布。({len(problems)} problem(s) found)")
            return 1
        n = len(warnings)
        more = (f"（另有 {n} 条提醒，见上）", f"; {n} warning(s) above") if n else ("", "")
        print(f"检查通过：内容有效，所有链接和图片都能找到{more[0]}。\n"
              f"(check passed: content is valid, every link and image resolves{more[1]})")
        return 0
    if args.command == "serve":
        from sitegen.serve import Options, serve

        return serve(Options(site_dir, args.port, args.bind, args.drafts, args.future), _progress(), _report)
    output = args.output or site_dir / "build"
    result = build(site_dir, output, drafts=args.drafts, clean=args.clean, progress=_progress(), future=args.future)
    for warning in result.warnings:
        print(warning.format(), file=sys.stderr)
    print(f"已生成 {result.articles} 篇文章，共 {result.files} 个文件，其中 {result.written} 个有改动，"
          f"用时 {result.seconds:.2f} 秒 → {output}\n"
          f"(built {result.articles} articles, {result.files} files ({result.written} changed) "
          f"in {result.seconds:.2f}s)")
    return 0


def _progress() -> Callable[[str, int, int], None]:
    """A self-updating line on a terminal; nothing when output goes to a log (CI)."""
    if not sys.stderr.isatty():
        return lambda label, done, total: None
    last = [0.0]

    def show(label: str, done: int, total: int) -> None:
        now = time.monotonic()
        if done == total or now - last[0] > 0.1:
            last[0] = now
            end = "\n" if done == total else ""
            print(f"\r{label} {done}/{total} ({100 * done // max(total, 1)}%)", end=end, file=sys.stderr, flush=True)

    return show


# What did not happen because of the errors, per command: check only reads, so it has no site to leave alone.
_NOTHING_DONE = {"new": "没有新建文件。({errors}; nothing was created)",
                 "init": "没有新建文件。({errors}; nothing was created)",
                 "import": "没有导入任何文章。({errors}; nothing was imported)",
                 "check": "检查未通过，请修改后再检查。({errors}; check failed)",
                 "build": "网站未更新。({errors}; nothing was written)"}


def _guarded(run: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    try:
        return run(args)
    except SiteError as exc:
        if args.debug:
            traceback.print_exc()
        n = len(exc.problems)
        errors = f"{n} error{'s' if n != 1 else ''}"
        _report(exc.problems, _NOTHING_DONE.get(args.command, _NOTHING_DONE["build"]).format(errors=errors))
        return 1
    except SystemExit as exc:  # interrupt.checkpoint() after a SIGTERM: 143, as a shell reports it
        if exc.code == 128 + signal.SIGTERM:
            print("sitegen：收到终止信号（SIGTERM），已停止" + ("。" if args.command == "check" else "，网站未更新。")
                  + "(terminated; the previous output is unchanged)", file=sys.stderr)
        raise
    except KeyboardInterrupt:
        # check never writes the site, so "the site was not updated" would only puzzle its reader
        print("sitegen：已中断。(interrupted)" if args.command == "check"
              else "sitegen：已中断，网站未更新。(interrupted; the previous output is unchanged)", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug in sitegen, not in the content
        if args.debug:
            traceback.print_exc()
        print(f"sitegen：程序内部出错（{exc!r}），之前的网站没有改动。请加 --debug 重新运行，"
              "并把显示的调用栈报告给维护人员。\n(internal error; the previous output is unchanged: "
              "run again with --debug and report the traceback)", file=sys.stderr)
        return 3


def main(argv: list[str] | None = None) -> int:
    try:
        # Ctrl-C and SIGTERM take effect only where a build can stop cleanly (see interrupt.py);
        # once the new site is live they are ignored, and the build reports what it did.
        with interrupt.deferred():
            return _main(argv)
    except KeyboardInterrupt:  # before the build started: nothing was written
        print("sitegen：已中断。(interrupted)", file=sys.stderr)
        return 130


def entry() -> int:
    """The `sitegen` command: main() takes Ctrl-C and SIGTERM at safe points; around it they are ignored.

    Once main() has returned the new site is live, and a late Ctrl-C would only interrupt
    Python's own exit (with a traceback). main() puts back what it found, so: ignored.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _utf8_streams()
    return main()


def _utf8_streams() -> None:
    """Chinese output into a pipe or file on Windows, whose ANSI code page (cp1252 in English) has none."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", "") or "").lower().replace("-", "")
        if encoding != "utf8" and hasattr(stream, "reconfigure") and not stream.isatty():
            stream.reconfigure(encoding="utf-8")


def _main(argv: list[str] | None) -> int:
    args = _parser().parse_args(argv)
    if not args.site_dir.is_dir() and args.command != "init":  # init makes its folder
        print(f"sitegen：错误：找不到文件夹 {args.site_dir}。(no such folder)", file=sys.stderr)
        return 2
    return _guarded(_run, args)
