import pytest

from sitegen.config import parse_config
from sitegen.errors import SiteError
from tests.conftest import MINI_CONFIG


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
