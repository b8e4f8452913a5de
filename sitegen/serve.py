"""`sitegen serve`: build into the cache, serve the site under its base_path, rebuild on each save, reload.

The build runs here, in the main thread, where Ctrl-C and SIGTERM are held for the
build's safe points (interrupt.py); the web server answers on daemon threads. The
output is `.sitegen-cache/serve/site`: never the site's build/, and kept between
runs, so a restart is an incremental build, not a full one.
"""

from __future__ import annotations

import itertools
import secrets
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sitegen import interrupt, livereload
from sitegen.build import Progress, build
from sitegen.config import load_config
from sitegen.errors import Problem, SiteError
from sitegen.livereload import Snapshot, State
from sitegen.watch import Watcher
from sitegen.write import SERVE_OUTPUT

Report = Callable[[tuple[Problem, ...], str], None]
_POLL_S = 0.2  # how soon Ctrl-C is acted on while nothing changes


@dataclass(frozen=True)
class Options:
    site_dir: Path
    port: int
    bind: str
    drafts: bool
    future: bool


def _silent(label: str, done: int, total: int) -> None:
    pass


def _say(text: str) -> None:
    print(text, flush=True)  # flushed: a test or a log reads the URL while serve runs


def _base_path(site_dir: Path, known: str) -> str:
    try:
        return load_config(site_dir).base_path
    except SiteError:  # reported by the build; the preview keeps the last good one
        return known


def url(host: str, port: int, base_path: str) -> str:
    shown = {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "[::1]"}.get(host, host)
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}{base_path}"


class _Previewer:
    """Builds the site and tells the server what to show."""

    def __init__(self, options: Options, state: State, progress: Progress, report: Report) -> None:
        self.options, self.state, self.progress, self.report = options, state, progress, report
        self.output = options.site_dir / SERVE_OUTPUT / "site"
        self.token = secrets.token_hex(4)  # a page from an earlier run of serve reloads too
        self.count = itertools.count(1)
        self.warned: tuple[Problem, ...] = ()

    def build(self, watcher: Watcher) -> None:
        site = self.options.site_dir
        # A progress line for the first build only (minutes for a new 10k-article site): a save's build takes
        # a fraction of a second, and its one line below says what it did.
        progress, self.progress = self.progress, _silent
        try:
            # Not durable: the preview is made again at will, and syncfs would wait for every other writer.
            result = build(site, self.output, drafts=self.options.drafts, future=self.options.future,
                           progress=progress, durable=False)
        except SiteError as exc:
            if watcher.pending():
                return  # saved again meanwhile (mid-save, perhaps): the next build says what is wrong
            n = len(exc.problems)
            errors = f"{n} error{'s' if n != 1 else ''}"
            self.report(exc.problems, "预览仍是上一次成功生成的网站，改好并保存后自动刷新。"
                                      f"({errors}; the preview shows the last good build)" if self.state.now.root
                        else f"还没有可预览的网站，改好并保存后自动重新生成。({errors}; nothing to preview yet)")
            self.state.update(problems=exc.problems)
            return
        if result.warnings != self.warned:  # not the same warnings again at every save
            for warning in result.warnings:
                print(warning.format(), file=sys.stderr)
            self.warned = result.warnings
        before = self.state.now
        base_path = _base_path(site, before.base_path)
        changed = result.written > 0 or before.root is None or base_path != before.base_path
        generation = f"{self.token}.{next(self.count)}" if changed else before.generation
        self.state.update(root=self.output, base_path=base_path, generation=generation, problems=())
        _say(f"已生成：{result.articles} 篇文章，{result.written} 个文件有改动，用时 {result.seconds:.2f} 秒。"
             f"(built: {result.written} file(s) changed in {result.seconds:.2f}s)")


def serve(options: Options, progress: Progress, report: Report) -> int:
    site = options.site_dir
    state = State(Snapshot(None, _base_path(site, "/"), "starting"))
    try:
        server, busy = livereload.bind(options.bind, options.port, state)
    except OSError as exc:
        print(f"sitegen：无法在 {options.bind} 的 {options.port} 端口启动预览（{exc.strerror or exc}）。"
              f"请用 --port 换一个端口，或检查 --bind 的地址。\n"
              f"(cannot listen on {options.bind} port {options.port}: {exc})", file=sys.stderr)
        return 1
    port = server.server_address[1]
    if busy is not None:
        _say(f"端口 {busy} 已被占用，改用 {port}。(port {busy} is in use; using {port})")
    if not livereload.is_local(options.bind):
        print(f"警告：预览绑定在 {options.bind}，同一网络中的其他人也能打开它，看到的包括草稿和尚未发布的文章。"
              f"只在本机预览请去掉 --bind。\n(warning: bound to {options.bind}: others on the network can see "
              "the preview, drafts included; leave out --bind to keep it on this computer)", file=sys.stderr)
    previewer = _Previewer(options, state, progress, report)
    thread = livereload.start(server)
    try:
        # Watching starts before the first build, so a save during it is not missed.
        with Watcher(site) as watcher:
            previewer.build(watcher)
            _say(f"预览地址：{url(options.bind, port, state.now.base_path)}\n"
                 "保存文章、模板或 site.yaml 后自动重新生成，浏览器自动刷新；按 Ctrl-C 停止。\n"
                 "(open the address above; the site rebuilds and the browser reloads on each save; Ctrl-C stops)")
            while True:
                changed = watcher.wait(_POLL_S)
                interrupt.checkpoint()
                if changed:
                    more = f" 等 {len(changed)} 个文件" if len(changed) > 3 else ""
                    _say(f"检测到改动：{'、'.join(changed[:3])}{more} (changed)")
                    base_path = state.now.base_path
                    previewer.build(watcher)
                    if state.now.base_path != base_path:
                        _say(f"base_path 改了，新的预览地址：{url(options.bind, port, state.now.base_path)} "
                             "(base_path changed: the new address)")
    except KeyboardInterrupt:
        _say("\n已停止预览。(preview stopped)")
        return 0
    except SystemExit as exc:  # SIGTERM, at a safe point (interrupt.checkpoint): stopped, not failed
        if exc.code != 128 + signal.SIGTERM:
            raise
        _say("已停止预览（收到 SIGTERM）。(preview stopped: SIGTERM)")
        return int(exc.code)
    finally:
        livereload.stop(server, thread)
