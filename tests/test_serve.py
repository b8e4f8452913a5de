"""`sitegen serve` without a browser: what it serves, where, and how it starts and stops.

Each test runs the real CLI in a subprocess on a copy of tests/sites/serve (served under
/dangjian/). The browser's side (reload, the error overlay) is in test_serve_browser.py.
"""

from __future__ import annotations

import http.client
import json
import re
import shutil
import signal
import socket
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from sitegen import livereload
from sitegen.write import SERVE_OUTPUT
from tests.conftest import ROOT
from tests.servehelp import Served, copy_site, free_port

SCRIPT = b'<script src="/__sitegen__/serve.js"'
ARTICLE = "content/2024/2024-05-14-xue-xi.md"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return copy_site(tmp_path / "site")


def fetch(url: str) -> tuple[int, bytes, dict[str, str]]:
    """Status, body and headers, without following redirects."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        conn.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
        reply = conn.getresponse()
        return reply.status, reply.read(), dict(reply.getheaders())
    finally:
        conn.close()


def output(site: Path) -> Path:
    return site / SERVE_OUTPUT / "site"


def without_script(page: bytes) -> bytes:
    start = page.index(SCRIPT)
    return page[:start] + page[page.index(b"</script>", start) + len(b"</script>"):]


def test_serves_the_site_under_its_base_path_with_the_script_added_in_flight(site: Path) -> None:
    port = free_port()
    with Served(site, "--port", str(port)) as served:
        assert served.url == f"http://127.0.0.1:{port}/dangjian/"
        status, index, headers = fetch(served.url)
        assert status == 200 and headers["Content-Type"].startswith("text/html")
        assert "第一党支部开展党纪学习教育".encode() in index
        assert index.count(SCRIPT) == 1 and index.index(SCRIPT) < index.rindex(b"</body>")
        built = output(site)
        assert without_script(index) == (built / "index.html").read_bytes()
        pages = sorted(built.rglob("*.html"))
        assert len(pages) > 5
        for page in pages:  # every page of the site is served with the script; none is written with it
            rel = page.relative_to(built).as_posix().removesuffix("index.html")
            status, body, _ = fetch(served.url + rel)
            assert status == 200, rel
            assert without_script(body) == page.read_bytes(), rel
            assert b"__sitegen__" not in page.read_bytes(), rel

        status, body, _ = fetch(served.url + "no/such/page/")
        assert status == 404
        assert without_script(body) == (built / "404.html").read_bytes()

        status, script, headers = fetch(f"http://127.0.0.1:{port}/__sitegen__/serve.js")
        assert status == 200 and headers["Content-Type"].startswith("text/javascript")
        assert b"EventSource" in script

        # Outside the base path: the address a user types goes to the site.
        assert fetch(f"http://127.0.0.1:{port}/")[2]["Location"] == "/dangjian/"
        assert fetch(f"http://127.0.0.1:{port}/dangjian")[2]["Location"] == "/dangjian/"
        status, _, headers = fetch(f"http://127.0.0.1:{port}/feed.xml")
        assert (status, headers["Location"]) == (302, "/dangjian/feed.xml")
        assert fetch(f"http://127.0.0.1:{port}/nothing-here")[0] == 404
        # A page's folder without its slash is redirected, as nginx does.
        folder = next(p.parent for p in pages if p.parent != built)
        rel = folder.relative_to(built).as_posix()
        status, _, headers = fetch(served.url + rel)
        assert (status, headers["Location"]) == (301, f"/dangjian/{rel}/")
        # Nothing outside the output, however the path is spelled.
        for sneaky in ("../site.yaml", "%2e%2e/%2e%2e/site.yaml", "..%2f..%2fsite.yaml", "%2e%2e/site/index.html"):
            status, body, _ = fetch(served.url + sneaky)
            assert status == 404 and b"title: " not in body, sneaky
        assert "警告" not in served.stderr  # 127.0.0.1: nothing to warn about
        # The build reads every source, and an editor keeps swap files: neither is a change to build for.
        (site / "content" / "2024" / ".2024-05-14-xue-xi.md.swp").write_bytes(b"vim")
        (site / "content" / "2024" / "2024-05-14-xue-xi.md~").write_bytes(b"backup")
        time.sleep(1.5)
        assert "检测到改动" not in served.stdout, served.stdout
    assert not (site / "build").exists()


def test_a_busy_port_moves_to_the_next_free_one(site: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        with Served(site, "--port", str(busy)) as served:
            port = urlsplit(served.url).port
            assert port != busy
            assert f"端口 {busy} 已被占用，改用 {port}。" in served.stdout
            assert fetch(served.url)[0] == 200


def test_binding_beyond_this_computer_warns_that_others_can_see_the_preview(site: Path) -> None:
    with Served(site, "--port", str(free_port()), "--bind", "0.0.0.0") as served:
        assert "警告：预览绑定在 0.0.0.0，同一网络中的其他人也能打开它" in served.stderr
        assert "草稿" in served.stderr
        assert fetch(served.url)[0] == 200


def events(url: str) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse]:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    conn.request("GET", "/__sitegen__/events")
    reply = conn.getresponse()
    assert reply.status == 200 and reply.getheader("Content-Type", "").startswith("text/event-stream")
    return conn, reply


def next_state(reply: http.client.HTTPResponse) -> dict:
    while True:
        line = reply.readline().decode()
        if line.startswith("data: "):
            return json.loads(line[len("data: "):])


def test_an_error_is_shown_in_the_terminal_and_sent_to_the_page_and_fixing_it_reloads(site: Path) -> None:
    article = site / ARTICLE
    good = article.read_text("utf-8")
    with Served(site, "--port", str(free_port())) as served:
        conn, reply = events(served.url)
        first = next_state(reply)
        assert first["problems"] == []
        article.write_text(good.replace("date: 2024-05-14 09:30", "date: 2024-13-45\n\"<b>x</b>\": 1"), "utf-8")
        broken = next_state(reply)
        assert broken["built"] is True  # the page underneath is the last good build
        assert [p["where"] for p in broken["problems"]] == [f"{ARTICLE}:3", f"{ARTICLE}:4"]
        assert "日期“2024-13-45”不存在" in broken["problems"][0]["zh"]
        assert broken["problems"][1]["zh"].startswith("未知字段“<b>x</b>”")  # text: the page escapes it
        # The terminal has the same report as `sitegen build`, and the last good site is still served.
        served.wait_for("共 2 个错误，预览仍是上一次成功生成的网站", stream="err")
        assert f"{ARTICLE}:3: 错误：日期“2024-13-45”不存在" in served.stderr
        status, page, _ = fetch(served.url)
        assert status == 200 and "第一党支部开展党纪学习教育".encode() in page

        article.write_text(good.replace("第一党支部开展", "第二党支部开展"), "utf-8")
        fixed = next_state(reply)
        assert fixed["problems"] == [] and fixed["generation"] != first["generation"]
        assert "第二党支部开展党纪学习教育".encode() in fetch(served.url)[1]
        conn.close()


def test_the_first_build_failing_still_serves_the_errors_then_the_site(site: Path) -> None:
    article = site / ARTICLE
    good = article.read_text("utf-8")
    article.write_text(good.replace("category: 学习园地", "category: 学习<园地>"), "utf-8")
    with Served(site, "--port", str(free_port())) as served:
        status, page, _ = fetch(served.url + "any/page/")
        assert status == 503
        assert f"<code>{ARTICLE}:4</code>".encode() in page
        assert "学习&lt;园地&gt;".encode() in page and "学习<园地>".encode() not in page
        assert SCRIPT in page
        assert "共 1 个错误，还没有可预览的网站，改好并保存后自动重新生成。" in served.stderr
        conn, reply = events(served.url)
        state = next_state(reply)
        assert state["problems"] and state["built"] is False  # the page says so, not "the last good build"
        article.write_text(good, "utf-8")
        state = next_state(reply)
        assert state["problems"] == [] and state["built"] is True
        assert fetch(served.url)[0] == 200
        conn.close()


def _leftovers(site: Path) -> list[str]:
    """What a stopped serve may not leave: a staging or twin folder anywhere, or anything beside the site."""
    found = [p.relative_to(site).as_posix() for p in site.rglob("*")
             if p.is_dir() and p.name.startswith(("staging-", "twin-", "trash-"))]
    found += [p.name for p in site.parent.iterdir() if p != site]
    return found


@pytest.mark.parametrize("when", ["idle", "building"])
def test_ctrl_c_stops_cleanly_and_leaves_no_staging_folder(site: Path, when: str) -> None:
    before = sorted(p.name for p in site.iterdir())
    served = Served(site, "--port", str(free_port()))
    if when == "building":
        lines = len(served.out)
        (site / ARTICLE).write_text((site / ARTICLE).read_text("utf-8") + "\n又一句。\n", "utf-8")
        served.wait_for("检测到改动", after=lines)  # printed just before the build starts
    code = served.stop(signal.SIGINT)
    assert code in (0, 130), served.stderr
    assert "Traceback" not in served.stderr
    assert "已停止预览" in served.stdout
    assert _leftovers(site) == []
    assert sorted(p.name for p in site.iterdir()) == sorted([*before, ".sitegen-cache"])
    with pytest.raises((urllib.error.URLError, ConnectionError)):
        urllib.request.urlopen(served.url, timeout=2)


def test_sigterm_stops_it_too(site: Path) -> None:
    served = Served(site, "--port", str(free_port()))
    assert served.stop(signal.SIGTERM) in (0, 143)
    assert "Traceback" not in served.stderr and _leftovers(site) == []


def _theme_file(site: Path, name: str) -> str:
    """A template as the site builds with it now: its own copy, else the theme's in the package."""
    own = site / "templates" / name
    if own.is_file():
        return own.read_text("utf-8")
    import sitegen

    return (Path(sitegen.__file__).parent / "theme" / "templates" / name).read_text("utf-8")


def test_a_template_saved_twice_in_one_serve_shows_each_version(site: Path) -> None:
    """serve keeps compiled templates between builds: each save of a template must still be seen."""
    footer = _theme_file(site, "_footer.html")
    assert "</footer>" in footer
    with Served(site, "--port", str(free_port())) as served:
        conn, reply = events(served.url)
        next_state(reply)
        for mark in ("第一版页脚", "第二版页脚", "第三版"):  # the last is shorter: not a same-size edit
            (site / "templates").mkdir(exist_ok=True)
            (site / "templates" / "_footer.html").write_text(footer.replace("</footer>", f"<p>{mark}</p></footer>"),
                                                            "utf-8")
            while next_state(reply)["problems"]:
                pass
            status, page, _ = fetch(served.url)
            assert status == 200 and f"<p>{mark}</p>".encode() in page, mark
        conn.close()


def test_the_preview_is_not_flushed_to_disk_but_a_build_is(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """syncfs waits for every writer on the file system; serve's throwaway output does without it."""
    from sitegen import publish
    from sitegen.build import build

    flushed: list[Path] = []
    monkeypatch.setattr(publish, "sync_folder", flushed.append)
    build(site, output(site), durable=False)
    assert flushed == [] and (output(site) / "index.html").is_file()
    build(site, site / "build")
    assert len(flushed) == 1


def test_site_yaml_saved_by_renaming_a_new_file_over_it_is_seen(site: Path) -> None:
    """Many editors save so; a watch on the file itself would be lost with the old file."""
    config = site / "site.yaml"
    with Served(site, "--port", str(free_port())) as served:
        port = urlsplit(served.url).port
        conn, reply = events(served.url)
        first = next_state(reply)
        assert "八月支部学习计划" not in fetch(served.url)[1].decode()  # a draft: not without --drafts
        fresh = site / "site.yaml.new"
        fresh.write_text(config.read_text("utf-8").replace("base_path: /dangjian/", "base_path: /djyd/"), "utf-8")
        fresh.replace(config)
        while (state := next_state(reply))["generation"] == first["generation"]:
            pass
        assert not state["problems"]
        served.wait_for(f"新的预览地址：http://127.0.0.1:{port}/djyd/")
        assert fetch(f"http://127.0.0.1:{port}/djyd/")[0] == 200
        # The old address is outside the new base path now: the site's 404 page, which links to its home.
        status, body, _ = fetch(served.url)
        assert status == 404 and b'href="/djyd/' in body and b'href="/dangjian/' not in body
        conn.close()


def test_drafts_are_previewed_with_drafts(site: Path) -> None:
    with Served(site, "--port", str(free_port()), "--drafts") as served:
        assert "八月支部学习计划（草稿）" in fetch(served.url)[1].decode()


def test_a_warning_is_printed_once_not_at_every_save(site: Path) -> None:
    (site / "content" / "2099").mkdir()
    (site / "content" / "2099" / "2099-07-01-wei-lai.md").write_text(
        "---\ntitle: 定时发布的通知\ndate: 2099-07-01 09:00\ncategory: 学习园地\n---\n\n以后再发。\n", "utf-8")
    with Served(site, "--port", str(free_port())) as served:
        served.wait_for("2099-07-01-wei-lai.md", stream="err")
        lines = len(served.out)
        article = site / ARTICLE
        for n in range(2):
            article.write_text(article.read_text("utf-8") + f"\n第{n}句。\n", "utf-8")
            served.wait_for("个文件有改动", after=lines)
            lines = len(served.out)
        assert served.stderr.count("2099-07-01-wei-lai.md") == 1, served.stderr


def test_an_attachment_with_a_chinese_name_is_served_as_it_is(site: Path) -> None:
    """Attachments are streamed, not read whole: the bytes and type must still be the file's."""
    source = ROOT / "tests" / "sites" / "column" / "content" / "2025" / "2025-06-03-yan-jiang-bi-sai-tong-zhi"
    folder = site / "content" / "2025" / source.name
    shutil.copytree(source, folder)
    index = folder / "index.md"
    index.write_text(index.read_text("utf-8").replace("category: 通知公告", "category: 学习园地"), "utf-8")
    with Served(site, "--port", str(free_port())) as served:
        page = next(p for p in output(site).rglob("index.html") if p.parent.name.endswith("yan-jiang-bi-sai-tong-zhi"))
        rel = page.parent.relative_to(output(site)).as_posix()
        status, body, _ = fetch(served.url + rel + "/")
        link = re.search(rb'href="([^"]+\.pdf)"', body)
        assert status == 200 and link is not None
        status, pdf, headers = fetch(served.url + rel + "/" + link.group(1).decode())
        assert status == 200 and headers["Content-Type"] == "application/pdf"
        assert pdf == (source / "附件2：活动方案.pdf").read_bytes()
        assert int(headers["Content-Length"]) == len(pdf)


def test_a_busy_port_is_recognised_as_windows_reports_it_too(monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows says WSAEADDRINUSE (10048), not EADDRINUSE: without this, serve there stops at a busy port."""
    tried: list[int] = []

    def refuse(self: object, address: tuple[str, int], state: object) -> None:
        tried.append(address[1])
        if address[1] < 8002:
            error = OSError(10048, "Only one usage of each socket address is normally permitted")
            error.winerror = 10048  # type: ignore[attr-defined]
            raise error

    monkeypatch.setattr(livereload.PreviewServer, "__init__", refuse)
    _, busy = livereload.bind("127.0.0.1", 8000, livereload.State(livereload.Snapshot(None, "/", "x")))
    assert tried == [8000, 8001, 8002] and busy == 8000
    assert not livereload.in_use(OSError(13, "permission denied"))
