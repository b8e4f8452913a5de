"""The redirect map of old CMS URLs (sitegen/legacy/redirects.py), down to a real nginx answering 301.

The fixture tests/sites/legacy has a DedeCMS path, a PHPCMS query URL on the site's own host, a
Chinese path, an old URL on another host, a draft, a future article and an article without an old URL.
Through deploy/nginx.conf as written (tests/nginxserver.py), every old URL answers 301 to a page that
answers 200, whatever the case of its letters and percent-escapes; an unknown one still gets a 404.
"""

from __future__ import annotations

import http.client
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from sitegen.errors import Problem, SiteError
from sitegen.legacy import redirects as rd
from sitegen.legacy.oldurls import OldUrl, OldUrlError, parse_old
from tests.nginxserver import TIMEOUT_S, deployed, main_conf, nginx_binary, nginx_cmd, running_nginx

FIXTURE = Path(__file__).parent / "sites" / "legacy"
NOW_NS = int(datetime.fromisoformat("2026-01-01T00:00:00+08:00").timestamp()) * 10**9
CHINESE = "/%E5%85%9A%E5%BB%BA%E5%9B%AD%E5%9C%B0/%E5%AD%A6%E4%B9%A0%E5%9B%AD%E5%9C%B0/2021/" \
          "%E5%AD%A6%E4%B9%A0%E5%BC%BA%E5%9B%BD.html"
PHPCMS = "/index.php?m=content&c=index&a=show&catid=9&id=7"
# old request URI -> Location
LIVE = {
    CHINESE: "/dangjian/2021/03/05/xue-xi-qiang-guo/",
    "/a/dangjian/2020/0222/123.html": "/dangjian/2020/02/22/tianjin-du-zhan/",
    PHPCMS: "/dangjian/2020/07/01/zhu-ti-dang-ri/",
    "/show.asp?id=42": "https://www.example-hospital.cn/dangjian/2019/10/01/jiu-zhan/",
}
DRAFT_NOTE = "草稿（draft: true），发布后重新生成跳转表 (a draft: no page yet)"
FUTURE_NOTE = "日期在将来，到时发布后重新生成跳转表 (dated in the future: no page yet)"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURE, tmp_path / "site"))


def test_map_and_csv(site: Path) -> None:
    warned: list[Problem] = []
    paths = rd.write_redirects(site, warned.append, now_ns=NOW_NS)
    assert paths == [site / rd.MAP_NAME, site / rd.CSV_NAME]
    entries = [line for line in (site / rd.MAP_NAME).read_text(encoding="utf-8").splitlines()
               if line and not line.startswith("#")]
    assert entries == [f'"{old}" "{new}";' for old, new in LIVE.items()]
    text = (site / rd.MAP_NAME).read_text(encoding="utf-8")
    assert text.endswith(
        "\n# 没有跳转的旧网址 (old URLs not redirected):\n"
        f"# /a/dangjian/2021/0401/130.html  content/2021/2021-04-01-cao-gao/index.md：{DRAFT_NOTE}\n"
        f"# /a/dangjian/2099/0701/200.html  content/2099/2099-07-01-wei-lai/index.md：{FUTURE_NOTE}\n")
    raw = (site / rd.CSV_NAME).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel on a Chinese Windows needs the BOM to read UTF-8"
    assert raw.decode("utf-8-sig").split("\r\n") == [
        "old_url,new_url,article,note",
        "/党建园地/学习园地/2021/学习强国.html,/dangjian/2021/03/05/xue-xi-qiang-guo/,"
        "content/2021/2021-03-05-xue-xi-qiang-guo/index.md,",
        "/a/dangjian/2020/0222/123.html,/dangjian/2020/02/22/tianjin-du-zhan/,"
        "content/2020/2020-02-22-tianjin-du-zhan/index.md,",
        f"/a/dangjian/2021/0401/130.html,,content/2021/2021-04-01-cao-gao/index.md,{DRAFT_NOTE}",
        f"/a/dangjian/2099/0701/200.html,,content/2099/2099-07-01-wei-lai/index.md,{FUTURE_NOTE}",
        f"http://www.example-hospital.cn{PHPCMS},/dangjian/2020/07/01/zhu-ti-dang-ri/,"
        "content/2020/2020-07-01-zhu-ti-dang-ri/index.md,",
        "http://dj.old-hospital.cn/show.asp?id=42#top,https://www.example-hospital.cn/dangjian/2019/10/01/jiu-zhan/,"
        "content/2019/2019-10-01-jiu-zhan/index.md,",
        "",
    ]
    assert [(w.path, w.warning) for w in warned] == [
        ("content/2021/2021-04-01-cao-gao/index.md", True), ("content/2099/2099-07-01-wei-lai/index.md", True)]
    assert warned[0].zh == f"旧网址 /a/dangjian/2021/0401/130.html 没有加入跳转表：{DRAFT_NOTE.split(' (')[0]}。"
    before = {p: p.read_bytes() for p in paths}
    rd.write_redirects(site, now_ns=NOW_NS)
    assert {p: p.read_bytes() for p in paths} == before, "the same site, the same bytes"


def test_a_future_article_is_redirected_once_due(site: Path) -> None:
    later = int(datetime.fromisoformat("2099-07-02T00:00:00+08:00").timestamp()) * 10**9
    new = {r.old.key: r.new for r in rd.plan_redirects(site, later)}
    assert new["/a/dangjian/2099/0701/200.html"] == "/dangjian/2099/07/01/wei-lai/"
    assert new["/a/dangjian/2021/0401/130.html"] == "", "a draft stays out whatever the date"


def _add(site: Path, name: str, legacy_url: str, date: str = "2022-01-01") -> str:
    path = site / "content" / "2022" / name / "index.md"
    path.parent.mkdir(parents=True)
    front = f"title: 又一篇\ndate: {date}\ncategory: 党建园地\nextra:\n  legacy_url: '{legacy_url}'"
    path.write_text(f"---\n{front}\n---\n\n正文。\n", encoding="utf-8")
    return path.relative_to(site).as_posix()


@pytest.mark.parametrize("claim", [
    "/A/DangJian/2020/0222/123.HTML",  # nginx ignores case
    "https://other-host.cn/a/dangjian/2020/0222/123.html#x",  # keyed by path, whatever the host
    "/%e5%85%9a%e5%bb%ba%e5%9b%ad%e5%9c%b0/学习园地/2021/学习强国.html",  # half escaped, half raw, lowercase hex
])
def test_two_articles_claiming_one_old_url_is_an_error_and_nothing_is_written(site: Path, claim: str) -> None:
    added = _add(site, "2022-01-01-you-yi-pian", claim)
    with pytest.raises(SiteError) as caught:
        rd.write_redirects(site, now_ns=NOW_NS)
    [problem] = caught.value.problems
    assert problem.path == added and not problem.warning
    assert problem.zh.startswith(f"旧网址“{claim}”与 content/20") and "相同" in problem.zh
    assert "content/2020/2020-02-22-tianjin-du-zhan/index.md" in problem.zh or \
        "content/2021/2021-03-05-xue-xi-qiang-guo/index.md" in problem.zh
    assert not (site / rd.MAP_NAME).exists() and not (site / rd.CSV_NAME).exists()


def test_a_draft_claiming_a_taken_old_url_is_an_error_too(site: Path) -> None:
    """Published later, it would clash then; better told now, while the import is fresh."""
    path = site / "content/2021/2021-04-01-cao-gao/index.md"
    path.write_text(path.read_text(encoding="utf-8").replace("2021/0401/130", "2020/0222/123"), encoding="utf-8")
    with pytest.raises(SiteError):
        rd.plan_redirects(site, NOW_NS)


@pytest.mark.parametrize(("claim", "zh"), [
    ("/dangjian/2020/02/22/tianjin-du-zhan/", "就是本站 content/2020/2020-02-22-tianjin-du-zhan/index.md 的新网址"),
    ("https://www.example-hospital.cn/dangjian/", "本栏目的首页"),
    ("/", "旧网站的首页"),
    ("javascript:alert(1)", "不是可用的 http:// 或 https:// 网址"),
    ("http://user@evil.example/x.html", "不是可用的"),
])
def test_unusable_old_urls_are_errors(site: Path, claim: str, zh: str) -> None:
    _add(site, "2022-01-01-you-yi-pian", claim)
    with pytest.raises(SiteError) as caught:
        rd.write_redirects(site, now_ns=NOW_NS)
    assert any(zh in p.zh for p in caught.value.problems), caught.value
    assert not (site / rd.MAP_NAME).exists()


def test_an_over_long_old_url_is_left_out(site: Path) -> None:
    fits = "/" + "a" * (rd.MAX_KEY_BYTES - 6) + ".html"
    _add(site, "2022-01-01-chang", fits)
    _add(site, "2022-01-02-tai-chang", fits.replace(".html", "b.html"), date="2022-01-02")
    new = {len(r.old.key): r for r in rd.plan_redirects(site, NOW_NS)}
    assert new[rd.MAX_KEY_BYTES].new == "/dangjian/2022/01/01/chang/"
    assert new[rd.MAX_KEY_BYTES + 1].new == "" and "480 字节" in new[rd.MAX_KEY_BYTES + 1].note


@pytest.mark.parametrize(("written", "key"), [
    ("/党建/1.html", "/%E5%85%9A%E5%BB%BA/1.html"),
    ("/a b/1.html?q=党 建&x='1'#frag", "/a%20b/1.html?q=%E5%85%9A%20%E5%BB%BA&x=%271%27"),
    ("\\html\\2020\\1.html", "/html/2020/1.html"),  # browsers read an http(s) path's backslashes as slashes
    ("index.php?id=7", "/index.php?id=7"),
    ("//old.example.cn/x.html?id={1}", "/x.html?id={1}"),
    ("HTTP://Old.Example.cn:8080?id=1", "/?id=1"),
    ("/already%20encoded/%E5%85%9A.html", "/already%20encoded/%E5%85%9A.html"),
    ("/path`{x}\"?a\"", "/path%60%7Bx%7D%22?a%22"),
])
def test_keys_are_what_browsers_send(written: str, key: str) -> None:
    assert parse_old(written).key == key


def test_the_host_of_a_full_url_is_kept_for_the_target() -> None:
    written = "HTTP://Old.Example.cn:8080/x.html#top"
    assert parse_old(written) == OldUrl(written, "old.example.cn", "/x.html")
    with pytest.raises(OldUrlError):
        parse_old("ftp://old.example.cn/x.html")


# Real nginx ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("redirects")
    site = Path(shutil.copytree(FIXTURE, tmp / "site"))
    subprocess.run([sys.executable, "-m", "sitegen", "build", str(site), "-o", str(tmp / "out")], check=True,
                   capture_output=True)
    [map_file, _] = rd.write_redirects(site, now_ns=NOW_NS)
    with running_nginx(tmp / "out", tmp_path_factory.mktemp("nginx"), map_file) as origin:
        yield origin


def _get(origin: str, request_uri: str) -> tuple[int, str, str]:
    """(status, Location, body) of one GET of request_uri, sent byte for byte as given."""
    parts = urlsplit(origin)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=TIMEOUT_S)
    try:
        conn.request("GET", request_uri)
        reply = conn.getresponse()
        return reply.status, reply.getheader("Location", ""), reply.read().decode("utf-8", "replace")
    finally:
        conn.close()


@pytest.mark.parametrize("old", list(LIVE))
def test_nginx_redirects_each_old_url_to_a_page_that_exists(served: str, old: str) -> None:
    status, location, _ = _get(served, old)
    assert (status, location) == (301, LIVE[old])
    assert _get(served, urlsplit(location).path)[0] == 200, location


@pytest.mark.parametrize(("variant", "old"), [
    (CHINESE.lower(), CHINESE),  # lowercase percent-escapes, as some clients send them
    ("/A/DangJian/2020/0222/123.HTML", "/a/dangjian/2020/0222/123.html"),  # the old IIS server ignored case
])
def test_nginx_matches_old_urls_whatever_their_case(served: str, variant: str, old: str) -> None:
    assert _get(served, variant)[:2] == (301, LIVE[old])


@pytest.mark.parametrize("unknown", [
    "/a/dangjian/2020/0222/999.html",
    "/a/dangjian/2021/0401/130.html",  # the draft's: no page yet, so no redirect
    PHPCMS + "&from=timeline",  # a query is matched whole
    "/dangjian/show.asp?id=43",
])
def test_nginx_answers_404_to_unknown_old_urls(served: str, unknown: str) -> None:
    status, location, body = _get(served, unknown)
    assert (status, location) == (404, "")
    if unknown.startswith("/dangjian/"):
        assert "页面不存在" in body, "the column's own 404 page"


def test_new_pages_are_not_redirected(served: str) -> None:
    for new in ("/dangjian/", "/dangjian/2020/02/22/tianjin-du-zhan/?from=timeline"):
        assert _get(served, new)[:2] == (200, ""), new


def test_nginx_takes_ten_thousand_long_old_urls(tmp_path: Path) -> None:
    """The hash sizes in deploy/nginx.conf: `nginx -t` fails (or warns) on a map they cannot hold."""
    keys = [f"/index.php?m=content&c=index&a=show&catid={i % 50}&id={i}" if i % 3 == 0 else
            f"/html/2020/{i % 1000:04d}/{i}.html" if i % 3 == 1 else
            "/html/" + "%E5%85%9A" * 8 + f"/{i}.html" for i in range(10_000)]
    keys.append("/" + "b" * (rd.MAX_KEY_BYTES - 1))
    redirects = [rd.Redirect(OldUrl(k, "", k), f"/dangjian/2020/02/22/a-{i}/", "a.md") for i, k in enumerate(keys)]
    maps = tmp_path / "maps"
    maps.mkdir()
    (maps / rd.MAP_NAME).write_text(rd.map_text(redirects), encoding="utf-8")
    example = (Path(__file__).parent.parent / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    server_conf = tmp_path / "dangjian.conf"
    server_conf.write_text(deployed(example, 8080, tmp_path, maps), encoding="utf-8")
    nginx = nginx_binary()
    conf = main_conf(tmp_path, server_conf, nginx)
    proc = subprocess.run(nginx_cmd(nginx, tmp_path, conf, "-t"), capture_output=True, text=True)
    assert proc.returncode == 0 and "[warn]" not in proc.stderr, proc.stderr
