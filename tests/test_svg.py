"""SVG cleaning: drawing survives, anything that runs, fetches or links is removed, DOCTYPE is refused."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from sitegen.imagemodel import ImageError
from sitegen.svg import clean_svg, safe_css, svg_size

NS = "http://www.w3.org/2000/svg"


def svg(body: str, attrs: str = 'viewBox="0 0 100 50"') -> bytes:
    return (f'<svg xmlns="{NS}" xmlns:xlink="http://www.w3.org/1999/xlink" {attrs}>{body}</svg>').encode()


def cleaned(body: str, attrs: str = 'viewBox="0 0 100 50"') -> str:
    return clean_svg(svg(body, attrs)).decode()


def test_drawing_survives_and_output_is_default_namespace_svg() -> None:
    body = ('<defs><linearGradient id="g"><stop offset="0" stop-color="red"/></linearGradient></defs>'
            '<g transform="translate(1 2)"><rect width="10" height="10" fill="url(#g)" style="stroke:#000"/>'
            '<path d="M0 0L10 10"/><text x="1" y="9" font-size="8">党建 <tspan fill="red">园地</tspan></text></g>'
            '<use xlink:href="#g"/><use href="#g"/>')
    out = cleaned(body)
    root = ET.fromstring(out)
    assert root.tag == f"{{{NS}}}svg" and out.startswith('<svg viewBox="0 0 100 50" xmlns="http://www.w3.org/2000/svg"')
    assert "ns0" not in out and 'fill="url(#g)"' in out and 'style="stroke:#000"' in out
    assert 'xlink:href="#g"' in out and 'href="#g"' in out and "党建" in out and "园地" in out
    assert clean_svg(out.encode()) == out.encode()  # cleaning is idempotent


@pytest.mark.parametrize("body", [
    "<script>alert(1)</script>",
    '<script xlink:href="https://evil.example/x.js"/>',
    '<foreignObject><div xmlns="http://www.w3.org/1999/xhtml" onclick="alert(1)">hi</div></foreignObject>',
    '<image href="https://evil.example/track.png" width="10" height="10"/>',
    '<iframe src="https://evil.example"/>',
])
def test_dangerous_elements_are_removed(body: str) -> None:
    out = cleaned(body + '<rect width="1" height="1"/>')
    for word in ("script", "foreignObject", "evil", "alert", "<div", "image", "iframe"):
        assert word not in out
    assert "<rect" in out


def test_event_handlers_and_script_urls_are_removed() -> None:
    out = cleaned('<rect width="5" height="5" onclick="alert(1)" ONMOUSEOVER="alert(2)" onload="x()"/>'
                  '<use href="javascript:alert(3)"/><use xlink:href="data:image/svg+xml,&lt;svg/&gt;"/>'
                  '<use href="https://evil.example/sprite.svg#icon"/>'
                  '<rect width="5" height="5" fill="java&#9;script:alert(4)"/>', 'onload="alert(5)"')
    assert "alert" not in out and "evil" not in out and "data:" not in out and "on" not in out.replace("version", "")


def test_links_go_but_their_drawing_and_text_stay() -> None:
    out = cleaned('<text>前文<a href="javascript:alert(1)">链接<tspan>内</tspan>尾</a>后文</text>'
                  '<a xlink:href="https://evil.example"><circle r="3"/></a>')
    root = ET.fromstring(out)
    text = root.find(f"{{{NS}}}text")
    assert text is not None and "".join(text.itertext()) == "前文链接内尾后文"
    assert "<a" not in out and "evil" not in out and "<circle" in out


@pytest.mark.parametrize("body", [
    '<set attributeName="href" to="javascript:alert(1)"/>',
    '<animate attributeName="xlink:href" values="javascript:alert(1)"/>',
    '<set attributeName="onclick" to="alert(1)"/>',
])
def test_animations_aimed_at_links_or_handlers_are_removed(body: str) -> None:
    out = cleaned(f'<a href="#x"><rect width="1" height="1">{body}</rect></a>')
    assert "alert" not in out and "<set" not in out and "<animate" not in out


def test_harmless_animation_stays() -> None:
    out = cleaned('<rect width="1" height="1"><animate attributeName="opacity" from="0" to="1" dur="1s"/></rect>')
    assert '<animate attributeName="opacity"' in out


@pytest.mark.parametrize("css", [
    "@import url(https://evil.example/a.css);",
    "rect { fill: url(https://evil.example/p.svg#x) }",
    "rect { background: u\\72l(https://evil.example) }",
    "rect { background-image: image-set('https://evil.example/a.png' 1x) }",
])
def test_style_that_fetches_is_removed(css: str) -> None:
    out = cleaned(f"<style>{css}</style><rect width='1' height='1' style=\"{css.replace(chr(34), '')}\"/>")
    assert "evil" not in out and "<style" not in out and "<rect" in out
    assert not safe_css(css)


def test_local_style_stays() -> None:
    css = ".a { fill: url(#g); stroke: #123456 }"
    assert safe_css(css)
    assert css in cleaned(f"<style>{css}</style>")


@pytest.mark.parametrize("data", [
    b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
    b'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">'
    b'<svg xmlns="http://www.w3.org/2000/svg"/>',
    b'<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>',
    b"<svg xmlns='http://www.w3.org/2000/svg'><rect></svg>",
    b"<html><body>not svg</body></html>",
    b"<svg",
    b"<" + b"<g>" * 5,
])
def test_doctype_entities_and_garbage_are_refused(data: bytes) -> None:
    with pytest.raises(ImageError) as caught:
        clean_svg(data)
    assert "SVG" in caught.value.zh and caught.value.en.isascii()


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    data = svg("<g>" * 100_000 + "</g>" * 100_000)
    with pytest.raises(ImageError):
        clean_svg(data)


def test_foreign_namespaces_and_metadata_go() -> None:
    out = cleaned('<metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></metadata>'
                  '<sodipodi:namedview xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"/>'
                  '<!-- secret --><?xml-stylesheet href="https://evil.example/a.css"?><rect width="1" height="1"/>',
                  'inkscape:version="1.0" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"')
    assert "rdf" not in out and "sodipodi" not in out and "inkscape" not in out
    assert "secret" not in out and "evil" not in out and "<rect" in out


def test_unprefixed_svg_gets_the_namespace() -> None:
    out = clean_svg(b'<svg width="20" height="10"><circle r="2" onclick="x()"/></svg>').decode()
    assert ET.fromstring(out).tag == f"{{{NS}}}svg" and "onclick" not in out


@pytest.mark.parametrize(("attrs", "size"), [
    ('width="200" height="100"', (200, 100)),
    ('width="200px" height="1in"', (200, 96)),
    ('width="10mm" height="72pt"', (38, 96)),
    ('viewBox="0 0 640 480"', (640, 480)),
    ('width="320" viewBox="0 0 640 480"', (320, 240)),
    ('height="100%" viewBox="0,0,40,20"', (40, 20)),
    ('width="50%" height="2em"', (300, 150)),
    ("", (300, 150)),
    ('viewBox="0 0 -5 10"', (300, 150)),
])
def test_size_like_a_browser(attrs: str, size: tuple[int, int]) -> None:
    assert svg_size(clean_svg(svg("", attrs))) == size
