"""site.yaml `publisher:`: parsing and checking it, and what the header, footer and printed page show from it."""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image

from sitegen.build import build
from sitegen.config import load_config, parse_config
from sitegen.errors import SiteError
from sitegen.model import Publisher
from tests.conftest import MINI_CONFIG, article_text

FULL = """\
publisher:
  name: 江北市人民医院
  logo: static/logo.png
  address: 浙江省江北市健康路 88 号
  telephone: 0571-8765 4321   # a comment after a value, as everywhere in site.yaml
  icp: 浙ICP备20250101号-1
  police: 浙公网安备33019902000123号
  copyright: © 2026 江北市人民医院 版权所有
"""
SEED = article_text("天津：吹响督战号角", source="《中国纪检监察》杂志")


def _config(publisher: str, head: str = "title: 党建园地\n") -> str:
    return head + publisher


def _problems(text: str) -> list[tuple[int | None, str, str]]:
    with pytest.raises(SiteError) as info:
        parse_config(text)
    return [(p.line, p.zh, p.en) for p in info.value.problems]


def test_every_field_is_read_as_typed() -> None:
    publisher = parse_config(_config(FULL)).publisher
    assert publisher == Publisher(
        name="江北市人民医院", logo="static/logo.png", address="浙江省江北市健康路 88 号", telephone="0571-8765 4321",
        icp="浙ICP备20250101号-1", police="浙公网安备33019902000123号", copyright="© 2026 江北市人民医院 版权所有")
    assert publisher.tel == "tel:0571-87654321"
    assert publisher.police_code == "33019902000123"


@pytest.mark.parametrize("typed", ["static/logo.png", "/static/logo.png", "logo.png"])
def test_logo_names_a_file_in_static(typed: str) -> None:
    assert parse_config(_config(f"publisher:\n  logo: {typed}\n")).publisher.logo == "static/logo.png"


def test_numbers_stay_as_typed() -> None:
    # YAML alone would read 0571 as octal 377 and 12320 as an integer.
    publisher = parse_config(_config("publisher:\n  telephone: 12320\n  name: 0571\n")).publisher
    assert (publisher.telephone, publisher.name) == ("12320", "0571")


@pytest.mark.parametrize("text", ["title: t\n", "title: t\npublisher:\n", "title: t\npublisher:\n  address: ''\n"])
def test_every_field_is_optional(text: str) -> None:
    assert parse_config(text).publisher == Publisher()


@pytest.mark.parametrize(("lines", "line", "en"), [
    ("  nmae: 江北市人民医院\n", 3, "unknown publisher setting 'nmae'; did you mean 'name'?"),
    ("  phone: 0571-87654321\n", 3, "unknown publisher setting 'phone'; did you mean 'telephone'?"),
    ("  电话: 0571-87654321\n", 3, "did you mean 'telephone'?"),
    ("  name: x\n  address: [一号楼, 二号楼]\n", 4, "publisher.address must be text"),
    ("  name: x\n  name: y\n", 4, "duplicate key publisher.name (first at line 3)"),
    ("  icp: ICP备12345678号\n", 3, "does not look like an ICP filing number"),
    ("  icp: 京ICP12345678号\n", 3, "does not look like an ICP filing number"),
    ("  icp: 京ICP备１２３４５６７８号\n", 3, "does not look like an ICP filing number"),  # full-width digits
    ("  police: 京公网安备1101050203014号\n", 3, "(14 digits)"),  # 13 digits
    ("  police: 京ICP备12345678号\n", 3, "public-security filing number"),
    ("  telephone: 0571-87654321、0571-87654322\n", 3, "must be one phone number"),
    ("  telephone: 党办电话\n", 3, "must be one phone number"),
    ("  logo: https://www.example.cn/logo.png\n", 3, "is a URL"),
    ("  logo: ../secret/logo.png\n", 3, "must be a file in static/"),
    ("  logo: static/.hidden/logo.png\n", 3, "must be a file in static/"),
    ("  logo: 院 徽.png\n", 3, "without spaces"),
    ("  logo: logo.bmp\n", 3, "must be a PNG, JPEG, WebP or SVG image"),
    ("  logo: logo.gif\n", 3, "must be a PNG, JPEG, WebP or SVG image"),
])
def test_each_problem_names_its_line(lines: str, line: int, en: str) -> None:
    found = _problems(_config("publisher:\n" + lines))
    assert len(found) == 1, found
    assert found[0][0] == line and en in found[0][2], found
    assert re.search(r"[\u4e00-\u9fff]", found[0][1]), "the message an editor reads first is Chinese"


def test_not_a_mapping() -> None:
    found = _problems(_config("publisher: 江北市人民医院\n"))
    assert [(line, "must be a mapping" in en) for line, _, en in found] == [(2, True)]
    assert "name: 江北市人民医院" in found[0][1], "the message shows how to write it"


def test_every_problem_at_once_with_the_rest_of_site_yaml() -> None:
    found = _problems("title: 党建园地\npage_sise: 3\npublisher:\n  icp: x\n  police: y\n  tel: 1\n")
    assert sorted(line for line, _, _ in found) == [2, 4, 5, 6]


def test_publisher_key_typo_is_suggested() -> None:
    [(line, _, en)] = _problems("title: t\npublsher:\n  name: x\n")
    assert (line, en) == (2, "unknown setting 'publsher'; did you mean 'publisher'?")


# ---------------------------------------------------------------------------------------------
# The logo, checked where the build sees static/


def _site_with_logo(tmp_path: Path, logo: str, data: bytes | None) -> Path:
    (tmp_path / "static").mkdir()
    (tmp_path / "site.yaml").write_text(_config(f"publisher:\n  name: 江北市人民医院\n  logo: {logo}\n"), "utf-8")
    if data is not None:
        (tmp_path / "static" / logo.removeprefix("static/")).write_bytes(data)
    return tmp_path


def _png(size: tuple[int, int]) -> bytes:
    import io

    out = io.BytesIO()
    Image.new("RGB", size, "#b71c1c").save(out, "PNG")
    return out.getvalue()


def test_logo_size_is_read_from_the_file(tmp_path: Path) -> None:
    site = _site_with_logo(tmp_path, "static/wide.png", _png((240, 80)))
    assert load_config(site).publisher.logo_size == (240, 80)


def test_svg_logo_size_comes_from_its_viewbox(tmp_path: Path) -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40"><rect width="120" height="40"/></svg>'
    assert load_config(_site_with_logo(tmp_path, "logo.svg", svg)).publisher.logo_size == (120, 40)


@pytest.mark.parametrize(("data", "en"), [
    (None, "not found"),
    (b"not an image at all", "is not a valid PNG"),
    (b"<!DOCTYPE html><html><body>logo</body></html>", "is not a valid PNG"),
    (_png((40, 40))[:30], "is not a valid PNG"),  # cut short in transfer
])
def test_unusable_logo_is_an_error_at_its_line(tmp_path: Path, data: bytes | None, en: str) -> None:
    name = "logo.svg" if data and data.startswith(b"<!") else "logo.png"
    with pytest.raises(SiteError) as info:
        load_config(_site_with_logo(tmp_path, name, data))
    [problem] = info.value.problems
    assert (problem.path, problem.line) == ("site.yaml", 4) and en in problem.en, problem


def test_logo_outside_static_is_refused(tmp_path: Path) -> None:
    site = _site_with_logo(tmp_path, "logo.png", None)
    outside = tmp_path / "elsewhere.png"
    outside.write_bytes(_png((10, 10)))
    (site / "static" / "logo.png").symlink_to(outside)  # static/ never publishes what a link leads out to
    with pytest.raises(SiteError, match="not found"):
        load_config(site)


# ---------------------------------------------------------------------------------------------
# What the pages show


class _Elements(HTMLParser):
    """Every element's tag, attributes and text (its own and its children's), in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str], list[str]]] = []
        self.open: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, {k: v or "" for k, v in attrs}, []))
        if tag not in ("img", "input", "meta", "link", "br"):
            self.open.append(len(self.found) - 1)

    def handle_endtag(self, tag: str) -> None:
        if any(self.found[i][0] == tag for i in self.open):
            while self.found[self.open.pop()][0] != tag:
                pass

    def handle_data(self, data: str) -> None:
        for i in self.open:
            self.found[i][2].append(data)


def _elements(html: str) -> list[tuple[str, dict[str, str], str]]:
    parser = _Elements()
    parser.feed(html)
    return [(tag, attrs, " ".join("".join(text).split())) for tag, attrs, text in parser.found]


def _with_class(html: str, name: str) -> list[tuple[str, dict[str, str], str]]:
    return [e for e in _elements(html) if name in e[1].get("class", "").split()]


def _built(make_site: Callable[..., Path], tmp_path: Path, publisher: str, logo: bytes | None = None,
           head: str = MINI_CONFIG) -> tuple[str, str]:
    """(the seed article's page, the home page) of a site with this publisher: block."""
    site = make_site({"2020/2020-02-22-tianjin.md": SEED}, head + publisher)
    if logo is not None:
        (site / "static" / "logo.png").write_bytes(logo)
    build(site, tmp_path / "out")
    pages = (tmp_path / "out" / "2020/02/22/tianjin/index.html", tmp_path / "out" / "index.html")
    return pages[0].read_text("utf-8"), pages[1].read_text("utf-8")


def test_header_and_footer_show_every_field(make_site: Callable[..., Path], tmp_path: Path) -> None:
    article, home = _built(make_site, tmp_path, FULL, _png((180, 60)))
    for page, up in ((article, "../../../../"), (home, "")):
        [brand] = _with_class(page, "brand")
        assert brand[1]["href"] == (up or "./") and brand[2] == "江北市人民医院 党建园地"
        [logo] = _with_class(page, "brand-logo")
        # The name is right beside it: the logo is not announced twice. Its box is reserved before it loads.
        assert {k: v for k, v in logo[1].items() if k != "src"} == {"class": "brand-logo", "alt": "",
                                                                    "width": "180", "height": "60"}
        assert re.fullmatch(rf"{up}static/logo\.png\?v=[0-9a-f]+", logo[1]["src"]), "linked with its version"
    items = [text for tag, _, text in _elements(article) if tag == "li"]
    assert {"主办单位：江北市人民医院", "地址：浙江省江北市健康路 88 号", "电话：0571-8765 4321",
            "浙ICP备20250101号-1", "浙公网安备33019902000123号"} <= set(items)
    links = {text: attrs["href"] for tag, attrs, text in _elements(article) if tag == "a"}
    assert links["0571-8765 4321"] == "tel:0571-87654321"
    assert links["浙ICP备20250101号-1"] == "https://beian.miit.gov.cn/"
    assert links["浙公网安备33019902000123号"] == "https://beian.mps.gov.cn/#/query/webSearch?code=33019902000123"
    assert [text for _, _, text in _with_class(article, "copyright")] == ["© 2026 江北市人民医院 版权所有"]
    # Paper gets the same brand (static/css/print.css), not a hidden copy: a hidden <img> is one no reader sees.
    assert [e for e in _elements(article) if e[0] == "img"] == _with_class(article, "brand-logo")


def test_only_the_fields_set_are_shown(make_site: Callable[..., Path], tmp_path: Path) -> None:
    article, _ = _built(make_site, tmp_path, "publisher:\n  icp: 浙ICP备20250101号-1\n")
    assert [text for _, _, text in _with_class(article, "footer-filings")] == ["浙ICP备20250101号-1"]
    footer = article[article.index("<footer"):]
    for label in ("主办单位", "地址", "电话", "公网安备", "copyright", "police-mark", "<li></li>"):
        assert label not in footer
    # No name and no logo: the header is the column's name alone, as before.
    assert not _with_class(article, "brand") and [e[2] for e in _with_class(article, "site-title")] == ["党建园地"]


def test_a_site_without_publisher(make_site: Callable[..., Path], tmp_path: Path) -> None:
    article, home = _built(make_site, tmp_path, "")
    for page in (article, home):
        for name in ("brand", "footer-items", "copyright"):
            assert not _with_class(page, name), name
        assert "<img" not in page.split("<main")[0], "no logo without publisher.logo"
        assert [e[2] for e in _with_class(page, "site-title")] == ["党建园地"]


def test_logo_alone_has_the_column_name_beside_it(make_site: Callable[..., Path], tmp_path: Path) -> None:
    article, _ = _built(make_site, tmp_path, "publisher:\n  logo: logo.png\n", _png((64, 64)))
    [brand] = _with_class(article, "brand")
    assert brand[2] == "党建园地" and not _with_class(article, "brand-org")


@pytest.mark.parametrize("site_url", ["", "https://www.example-hospital.cn"])
def test_printed_article_ends_with_its_address(make_site: Callable[..., Path], tmp_path: Path, site_url: str) -> None:
    head = re.sub(r"(?m)^(site_url|base_path):.*\n", "", MINI_CONFIG)
    head += f"site_url: {site_url}\nbase_path: /dangjian/\n" if site_url else ""
    article, _ = _built(make_site, tmp_path, "", head=head)
    urls = [(attrs, text) for _, attrs, text in _with_class(article, "print-url")]
    if not site_url:
        assert urls == [], "no address to print without site_url"
    else:
        assert urls == [({"class": "print-url", "hidden": ""},
                         f"本文网址：{site_url}/dangjian/2020/02/22/tianjin/")]
    assert [text for _, _, text in _with_class(article, "article-source")] == ["来源：《中国纪检监察》杂志"]


def test_a_new_logo_file_reaches_every_page(make_site: Callable[..., Path], tmp_path: Path) -> None:
    """site.yaml unchanged, the logo replaced by one of another shape: an incremental build redraws its box."""
    site = make_site({"2020/2020-02-22-tianjin.md": SEED}, MINI_CONFIG + "publisher:\n  logo: logo.png\n")
    (site / "static" / "logo.png").write_bytes(_png((64, 64)))
    build(site, tmp_path / "out")
    (site / "static" / "logo.png").write_bytes(_png((200, 50)))
    build(site, tmp_path / "out")
    for page in ("2020/02/22/tianjin/index.html", "index.html"):
        [logo] = _with_class((tmp_path / "out" / page).read_text("utf-8"), "brand-logo")
        assert (logo[1]["width"], logo[1]["height"]) == ("200", "50"), page
