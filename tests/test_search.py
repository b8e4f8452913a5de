"""Search, in the real browser: the issue's queries, literal matching, order, an edit, no JS, nothing off-site.

The expected results are computed here from the fixture's Markdown (a literal match,
punctuation and spaces ignored), not written down.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import Browser, Page

from sitegen.build import build
from tests.conftest import MINI_CONFIG, article_text, serve

FIXTURE = Path(__file__).parent / "sites" / "search"
REQUIRED = ["纪检监察", "督战", "邓修明", "天津 督战", "天津督战", "廉洁微课堂"]  # issue 9: each finds the seed
SEED_TITLE = "【廉洁“微课堂”】天津:吹响督战号角 助力决战必胜"


def _fold(text: str) -> str:
    """What a literal match compares: no punctuation or spaces (they take no place in the index)."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text).lower())


def _articles(site: Path) -> dict[str, tuple[str, str, str]]:
    """title -> (date, category, folded title and body)."""
    out = {}
    for md in sorted((site / "content").glob("*.md")):
        head, body = md.read_text("utf-8").split("\n---\n", 1)
        fields = dict(line.split(": ", 1) for line in head.splitlines()[1:] if ": " in line)
        title = " ".join(fields["title"].strip("'").split())  # as Pagefind keeps a title: one plain space
        out[title] = (fields["date"][:10].replace(".", "-"), fields["category"], _fold(title + body))
    return out


def expected(site: Path, query: str) -> list[str]:
    """Titles holding every keyword literally, newest first."""
    keys = [_fold(k) for k in query.split()]
    found = [(d, t) for t, (d, _, text) in _articles(site).items() if all(k in text for k in keys)]
    return [t for _, t in sorted(found, reverse=True)]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("search") / "site"
    shutil.copytree(FIXTURE, site)
    build(site, site / "build")
    return site


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    with serve(site / "build") as url:
        yield url


def search(page: Page, base_url: str, query: str) -> tuple[str, list[str]]:
    """The status line and the result titles the search page shows for `query`."""
    page.goto(f"{base_url}search/?q={quote(query)}")
    page.wait_for_function("""() => { const s = document.getElementById('search-status').textContent;
        return s && !s.startsWith('正在') && (document.querySelector('.search-result') || s.startsWith('没有找到包含')
            || s.startsWith('搜索暂时')); }""", timeout=20_000)
    titles = page.eval_on_selector_all(".search-result h2", "els => els.map(e => e.textContent)")
    return page.text_content("#search-status") or "", titles


@pytest.mark.parametrize("query", REQUIRED)
def test_the_issues_queries_find_the_seed(chromium: Browser, base_url: str, site: Path, query: str) -> None:
    page = chromium.new_page()
    status, titles = search(page, base_url, query)
    assert SEED_TITLE in titles, (query, status, titles)
    truth = expected(site, query)
    if truth:  # the query occurs as written: exactly those articles, newest first
        assert titles == truth, (query, titles, truth)
    else:  # 天津督战 occurs nowhere as written: every word of it must occur, and the page says so
        assert "完全一致" in status
        for title in titles:
            text = _articles(site)[title][2]
            assert "天津" in text and "督战" in text, title
    page.close()


@pytest.mark.parametrize("query", ["纪检", "督导", "邓修", "微课堂", "天津", "课堂", "战役"])
def test_fragments_and_near_misses_match_literally(chromium: Browser, base_url: str, site: Path, query: str) -> None:
    """Pieces of words (Pagefind's own index misses them) and the fixture's near misses."""
    page = chromium.new_page()
    _, titles = search(page, base_url, query)
    assert titles == expected(site, query), query
    page.close()


def test_results_show_date_category_and_highlighted_excerpt(chromium: Browser, base_url: str, site: Path) -> None:
    page = chromium.new_page()
    search(page, base_url, "督战")
    first = page.locator(".search-result").first
    marks = first.locator(".excerpt mark").all_text_contents()
    assert "督战" in marks
    excerpt = first.locator(".excerpt").text_content() or ""
    assert not re.search("[\u4e00-\u9fff][\\s\u200b]+[\u4e00-\u9fff]", excerpt), excerpt  # the index's spaces
    date, category, _ = _articles(site)[first.locator("h2").text_content() or ""]
    meta = first.locator(".list-meta").text_content() or ""
    assert date in meta and category in meta
    first.locator("h2 a").click()
    page.wait_for_load_state()
    assert page.locator("h1").text_content() == expected(site, "督战")[0]
    page.close()


def test_header_box_leads_to_results_and_nothing_leaves_the_site(chromium: Browser, base_url: str) -> None:
    page = chromium.new_page(viewport={"width": 375, "height": 800})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(base_url)
    page.fill("#site-search-q", "邓修明")
    page.press("#site-search-q", "Enter")
    page.wait_for_selector(".search-result", timeout=20_000)
    assert page.url.startswith(base_url + "search/")
    assert page.locator(".search-result h2").first.text_content() == SEED_TITLE
    origin = urlsplit(base_url).netloc
    assert requests and all(urlsplit(u).netloc == origin for u in requests if not u.startswith("data:"))
    assert all(urlsplit(u).path.startswith("/dangjian/") for u in requests), "a request outside the sub-path"
    page.close()


def test_without_javascript_the_page_says_so(chromium: Browser, base_url: str) -> None:
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + "search/?q=督战")
    notice = page.locator(".search-noscript")
    assert notice.is_visible() and "JavaScript" in (notice.text_content() or "")
    context.close()


def test_an_edit_is_found_and_the_old_text_is_not(chromium: Browser, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(FIXTURE, site)
    build(site, site / "build")
    md = site / "content" / "tianjin-meeting.md"
    md.write_text(md.read_text("utf-8").replace("压实责任", "落实整改清单"), "utf-8")
    (site / "content" / "du-dao.md").unlink()
    build(site, site / "build")
    assert (site / "build" / "pagefind-delta").is_dir()  # found through the delta bundle, not a new base
    with serve(site / "build") as url:
        page = chromium.new_page()
        assert search(page, url, "整改清单")[1] == ["天津医疗卫生系统召开专题会议"]
        assert search(page, url, "压实责任")[1] == []
        assert "院党委开展专项督导" not in search(page, url, "督导")[1]
        page.close()


def test_a_site_with_no_published_article_has_an_empty_index(chromium: Browser, make_site: Callable[..., Path]) -> None:
    """Pagefind refuses an empty site: the build still succeeds and the page finds nothing."""
    site = make_site({"2020/a.md": article_text("草稿").replace("category:", "draft: true\ncategory:")}, MINI_CONFIG)
    build(site, site / "build")
    assert not (site / "build" / "pagefind").exists()
    with serve(site / "build") as url:
        page = chromium.new_page()
        status, titles = search(page, url, "草稿")
        assert titles == [] and status.startswith("没有找到包含")
        page.close()
