from sitegen.model import Article, SiteConfig, SourceFile
from sitegen.pages import breadcrumb, list_pages, make_pager, neighbours, pager_window, relative
from sitegen.validate import validate
from tests.conftest import article_text


def articles(config: SiteConfig, specs: list[tuple[str, str]]) -> list[Article]:
    return validate([SourceFile(f"content/{i}.md", article_text(date=d, category=c).encode())
                     for i, (d, c) in enumerate(specs)], config)


def test_pager_window() -> None:
    assert pager_window(1, 1) == [1]
    assert pager_window(1, 5) == [1, 2, 3, 4, 5]
    assert pager_window(10, 20) == [1, None, 8, 9, 10, 11, 12, None, 20]
    assert pager_window(4, 20) == [1, 2, 3, 4, 5, 6, None, 20]  # a one-page gap shows the page


def test_pager_links() -> None:
    first = make_pager("category/x/", 1, 3)
    assert (first.prev, first.next, first.last) == (None, "category/x/page/2/", "category/x/page/3/")
    last = make_pager("", 3, 3)
    assert (last.first, last.prev, last.next) == ("", "page/2/", None)


def test_listing_includes_subcategories_and_paginates(config: SiteConfig) -> None:
    found = articles(config, [(f"2020-01-0{d}", c) for d, c in
                              [(1, "党建园地"), (2, "廉洁微课堂"), (3, "案例警示"), (4, "支部风采"), (5, "案例警示")]])
    pages = {p.path: p for p in list_pages(found, config)}
    assert sorted(pages) == ["", "category/an-li-jing-shi/", "category/lian-jie-wei-ke-tang/",
                             "category/lian-jie-wei-ke-tang/page/2/", "category/zhi-bu-feng-cai/",
                             "page/2/", "page/3/"]
    home = [a.date.day for p in ("", "page/2/", "page/3/") for a in pages[p].articles]
    assert home == [5, 4, 3, 2, 1]  # newest first, page_size 2
    lian = [a.date.day for p in ("category/lian-jie-wei-ke-tang/", "category/lian-jie-wei-ke-tang/page/2/")
            for a in pages[p].articles]
    assert lian == [5, 3, 2]


def test_empty_category_still_has_a_page(config: SiteConfig) -> None:
    pages = list_pages([], config)
    assert len(pages) == 4 and all(p.articles == () for p in pages)


def test_neighbours_stay_in_the_category(config: SiteConfig) -> None:
    found = articles(config, [("2020-01-01", "支部风采"), ("2020-01-02", "党建园地"), ("2020-01-03", "支部风采")])
    near = neighbours(found)
    assert near["content/0.md"].newer.path == "content/2.md"
    assert near["content/0.md"].older is None
    assert near["content/2.md"].older.path == "content/0.md"
    assert near["content/1.md"].older is None and near["content/1.md"].newer is None


def test_breadcrumb(config: SiteConfig) -> None:
    crumbs = breadcrumb(config.categories["案例警示"], config)
    assert [c.name for c in crumbs] == ["首页", "医院概况", "党建园地", "廉洁微课堂", "案例警示"]
    assert [c.url for c in crumbs[2:]] == ["", "category/lian-jie-wei-ke-tang/", "category/an-li-jing-shi/"]
    assert [c.name for c in breadcrumb(config.categories["党建园地"], config)] == ["首页", "医院概况", "党建园地"]


def test_relative_links() -> None:
    assert relative("static/a.css", "2020/02/22/x/") == "../../../../static/a.css"
    assert relative("", "2020/02/22/x/") == "../../../../"
    assert relative("", "") == "./"
    assert relative("category/x/", "page/2/") == "../../category/x/"
    assert relative("https://example.cn/", "a/") == "https://example.cn/"
