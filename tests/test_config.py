from collections.abc import Callable
from pathlib import Path

import pytest

from sitegen.cli import main
from sitegen.config import parse_config
from sitegen.errors import SiteError
from sitegen.model import SiteConfig, SourceFile
from sitegen.validate import parse_source
from tests.conftest import MINI_CONFIG, article_text


def test_tree_and_paths() -> None:
    config = parse_config(MINI_CONFIG)
    assert list(config.categories) == ["党建园地", "廉洁微课堂", "案例警示", "支部风采"]
    root = config.categories["党建园地"]
    assert root.path == "" and root.parents == ()
    case = config.categories["案例警示"]
    assert case.parents == ("党建园地", "廉洁微课堂")
    assert case.slug == "an-li-jing-shi" and case.path == "category/an-li-jing-shi/"
    assert config.categories["廉洁微课堂"].slug == "lian-jie-wei-ke-tang"


def test_defaults() -> None:
    config = parse_config("title: 党建园地\n")
    assert config.timezone == "Asia/Shanghai"
    assert config.permalink == "{year}/{month}/{day}/{slug}/"
    assert config.base_path == "/"


def test_base_path_normalised() -> None:
    assert parse_config("title: t\nbase_path: dangjian\n").base_path == "/dangjian/"


def problems(text: str) -> list[tuple[int | None, str]]:
    with pytest.raises(SiteError) as info:
        parse_config(text)
    return [(p.line, p.en) for p in info.value.problems]


def test_every_problem_is_collected_with_its_line() -> None:
    found = problems("title: 党建园地\npage_sise: 10\ntimezone: Mars/Base\npage_size: -1\n")
    assert (2, "unknown setting 'page_sise'; did you mean 'page_size'?") in found
    assert (3, "unknown time zone 'Mars/Base'") in found
    assert any(line == 4 and "positive whole number" in en for line, en in found)


def test_unsafe_permalink_rejected() -> None:
    assert problems("title: t\npermalink: ../{slug}/\n")[0][0] == 2
    assert problems("title: t\npermalink: '{year}/{nope}/'\n")


def test_duplicate_category_and_slug() -> None:
    found = problems("title: 党建园地\ncategories:\n  - name: 甲\n    slug: a\n  - name: 乙\n    slug: a\n")
    assert any("slug 'a' is taken" in en for _, en in found)
    assert problems("title: 党建园地\ncategories:\n  - name: 党建园地\n")


def test_missing_title() -> None:
    assert problems("page_size: 3\n") == [(1, "missing `title`, e.g. title: 党建园地")]


def test_yaml_syntax_error_line() -> None:
    found = problems("title: 党建园地\nancestors:\n  - name: 首页\n   url: x\n")
    assert found[0][0] == 4 and "YAML syntax error" in found[0][1]


ANCESTORS = "title: t\nancestors:\n  - {name: 首页, url: /}\n  - name: 医院\n    url: %s\n"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:alert(1)", '"jav\\tascript:alert(1)"',
                                 "vbscript:x", "data:text/html,x", "mailto:a@b.cn", "ftp://example.cn/",
                                 "https:evil.example", "'\\\\evil.example'", "'/\\evil.example'",
                                 "https://a.cn@evil.example/", "https://evil.example\\@a.cn/", "'\"https://a.cn\"'",
                                 "https://a.cn:80x/", "https://%61.cn/", "https://例子.cn/", "'//'"])
def test_bad_ancestor_url_rejected_at_its_line(url: str) -> None:
    found = problems(ANCESTORS % url)
    assert len(found) == 1 and found[0][0] == 4 and "http(s)" in found[0][1], found


@pytest.mark.parametrize("url", ["https://www.example.cn/yygk/", "HTTP://WWW.EXAMPLE.CN", "/", "yygk/", "../a/?x=1#b",
                                 "//www.example.cn/", "https://www.example.cn:8080/", "/新闻/"])
def test_good_ancestor_url_kept(url: str) -> None:
    assert parse_config(ANCESTORS % url).ancestors[1].url == url


@pytest.mark.parametrize("value", ["javascript:alert(1)", "www.example.cn", "/dangjian", "//www.example.cn",
                                   "https://www.example.cn/?a=1", "https://www.example.cn/#x", "https:www.example.cn"])
def test_bad_site_url(value: str) -> None:
    found = problems(f"title: t\npage_size: 3\nsite_url: '{value}'\n")
    assert len(found) == 1 and found[0][0] == 3 and "site_url" in found[0][1], found


def test_good_site_url() -> None:
    assert parse_config("title: t\nsite_url: https://www.example.cn\n").site_url == "https://www.example.cn"
    assert parse_config("title: t\nsite_url: http://10.0.0.1:8080/news\n").site_url == "http://10.0.0.1:8080/news"


@pytest.mark.parametrize("value", ["javascript:alert(1)", "data:,x", "https://a.cn\\@b.cn/count"])
def test_bad_counter_url(value: str) -> None:
    found = problems(f"title: t\ncounter_url: '{value}'\n")
    assert len(found) == 1 and found[0][0] == 2 and "counter_url" in found[0][1], found


@pytest.mark.parametrize("value", ["", "https://count.example.cn/api?site=1", "/api/count", "//count.example.cn/c"])
def test_good_counter_url(value: str) -> None:
    assert parse_config(f"title: t\ncounter_url: '{value}'\n").counter_url == value


@pytest.mark.parametrize("permalink", [
    "'x:{slug}/'", "'{slug}\\x/'", "'a b/{slug}/'", "'%7B/{slug}'", "'{slug}?x'", "'{slug}#x'", '"a\\t/{slug}"',
    "'a//{slug}/'", "'{slug}//'", "'./{slug}/'", "'a/../{slug}/'", "'a/./{slug}'", "'/{slug}/'", "'新闻/{slug}/'",
    "'{}/{slug}'", "'{0}/{slug}'", "'{slug!r}/'", "'{slug:>9}/'", "'{{slug}}/'", "'{nope}/{slug}'", "'{year}/'",
    "''", "'feed.xml/{slug}'", "'404.html/{slug}/'", "'.sitegen-output/{slug}'", "'static/{slug}'",
    "'category/{slug}'", "'page/{slug}'", "'sitemap.xml/{slug}'", "'robots.txt/{slug}'", "'search/{slug}'",
    "'Static/{slug}'",
])
def test_bad_permalink_rejected_at_its_line(permalink: str) -> None:
    found = problems(f"title: t\npermalink: {permalink}\n")
    assert len(found) == 1 and found[0][0] == 2 and "permalink" in found[0][1], found


@pytest.mark.parametrize(("permalink", "stored"), [
    ("'{slug}'", "{slug}/"), ("'{year}/{month}/{day}/{slug}/'", "{year}/{month}/{day}/{slug}/"),
    ("'{category}/{slug}'", "{category}/{slug}/"),
    ("'news/{year}-{month}/{slug}.html'", "news/{year}-{month}/{slug}.html/"),
    ("'~a_b.c/{year}{slug}/'", "~a_b.c/{year}{slug}/"), ("'pages/{slug}'", "pages/{slug}/"),
])
def test_good_permalink_kept(permalink: str, stored: str) -> None:
    assert parse_config(f"title: t\npermalink: {permalink}\n").permalink == stored


@pytest.mark.parametrize("permalink", ["x:{slug}/", "{slug}\\\\x/"])
def test_bad_permalink_build_reports_config_line(
    permalink: str, make_site: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site({"a.md": article_text()}, config=MINI_CONFIG + f'permalink: "{permalink}"\n')
    assert main(["build", str(site)]) == 1
    out = capsys.readouterr()
    line = MINI_CONFIG.count("\n") + 1
    assert f"site.yaml:{line}: 错误：" in out.err + out.out and "internal error" not in out.err + out.out


def test_slug_never_names_a_root_file(config: SiteConfig) -> None:
    # Slugs have no dots, so `{slug}/` can never become feed.xml/ or 404.html/.
    for name in ("feed.xml", "404.html", "sitemap.xml", "robots.txt", ".sitegen-output"):
        raw = article_text(slug=name).encode()
        article, found = parse_source(SourceFile("content/a.md", raw), config)
        assert article is not None and not found and "." not in article.url
